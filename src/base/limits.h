/* limits.h — every hard cap in one place. Untrusted sizes are checked
 * against these; raising one is a reviewed change. */
#ifndef TS_LIMITS_H
#define TS_LIMITS_H

#define TS_MAX_LINE            (64u * 1024u)      /* one feed or CSV line */
#define TS_MAX_CSV_FIELDS      256u               /* fields in one CSV record */
#define TS_MAX_CSV_RECORD      (256u * 1024u)     /* one CSV record, quoted newlines included */
#define TS_MAX_NAME_TEXT       1024u              /* a domain name in presentation form */
#define TS_MAX_URL             8192u              /* one URL */
#define TS_MAX_INCLUDE_DEPTH   8u                 /* nested $INCLUDE */
#define TS_MAX_ZONE_RECORD     (256u * 1024u)     /* one master-file record, parentheses included */
#define TS_MAX_REPORT_BODY     (1024u * 1024u)    /* one report's JSON */
#define TS_MAX_REPORT_NAMES    1000u              /* names in one report (product.md) */
#define TS_MAX_OUTPUT_BUF      (64u * 1024u * 1024u) /* one in-memory output document */
#define TS_MAX_MALFORMED_NAMED 10u                /* malformed lines named in a summary */

#endif
