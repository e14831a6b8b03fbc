/* zone.h — the streaming RFC 1035 master-file scanner.
 *
 * Reads a zone file (plain or gzip, "-" for stdin) or a memory block and calls
 * a function for every resource record, in file order, with the owner in
 * canonical text (dns/name.h) and, for the types the caller asks for, decoded
 * RDATA. Nothing is kept between records but the state the syntax needs
 * ($ORIGIN, $TTL, the previous owner), so memory stays bounded whatever the
 * size of the zone.
 *
 * Syntax: $ORIGIN, $TTL, $INCLUDE FILE [ORIGIN] (depth limit, can be switched
 * off), "@", relative names, blank owner (= previous owner), parentheses
 * across lines, ';' comments, quoted strings, \DDD and \X escapes, TTLs with
 * units (1d2h), TTL and class in either order, every type by mnemonic or as
 * TYPEnnn, RDATA in RFC 3597 form ("\# LEN HEX").
 * Errors are logged with ts_log_pos (FILE:LINE:COL) and returned as
 * TS_ESYNTAX (bad text), TS_EINPUT (missing or unreadable file, binary data,
 * corrupt gzip, $INCLUDE loop or depth), TS_ELIMIT (a record over
 * TS_MAX_ZONE_RECORD bytes), TS_EIO, TS_ENOMEM.
 */
#ifndef TS_DNS_ZONE_H
#define TS_DNS_ZONE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

/* RR types the scanner knows by name (any other comes as TYPEnnn). */
enum {
	ZONE_T_A = 1, ZONE_T_NS = 2, ZONE_T_CNAME = 5, ZONE_T_SOA = 6, ZONE_T_MX = 15,
	ZONE_T_TXT = 16, ZONE_T_AAAA = 28, ZONE_T_DS = 43, ZONE_T_RRSIG = 46,
	ZONE_T_NSEC = 47, ZONE_T_DNSKEY = 48, ZONE_T_NSEC3 = 50
};

/* Which RDATA to decode (zone_opts_t.decode); the RDATA of every other type
 * is skipped without being decoded or checked (only its syntax: quotes,
 * parentheses, escapes, comments). */
#define ZONE_DEC_NS     (1u << 0)
#define ZONE_DEC_DS     (1u << 1)
#define ZONE_DEC_SOA    (1u << 2)
#define ZONE_DEC_RRSIG  (1u << 3)
#define ZONE_DEC_ADDR   (1u << 4)   /* A and AAAA */
#define ZONE_DEC_ALL    0x1fu
#define ZONE_DEC_TEXT   (1u << 5)   /* every record's RDATA as text (zone_rr_t.rdata) */

struct zone_journal;
struct zone_rr;

typedef struct zone_opts {
	const char *origin;      /* initial $ORIGIN in presentation form; NULL: the root */
	uint32_t default_ttl;    /* TTL when no $TTL and no earlier TTL was stated */
	bool no_include;         /* $INCLUDE is an error */
	unsigned include_depth;  /* deepest $INCLUDE nesting; 0: TS_MAX_INCLUDE_DEPTH */
	unsigned threads;        /* > 1: read and inflate in a thread of its own */
	unsigned decode;         /* ZONE_DEC_* */
	/* With threads > 1: the text is cut into blocks parsed by `threads`
	 * threads at once (after inflating, for gzip), and the callback is
	 * called from several threads at once and not in file order, so it must
	 * be thread-safe. Records in $INCLUDE files are read by one thread at a
	 * time. Errors are the same as in order (the first in file order, at its
	 * exact position); after the callback returns non-zero, records already
	 * on their way in other threads may still arrive.
	 * The records of the first block (half of block_size) come first, in
	 * order, from one thread, before any other record: a callback that
	 * learns something from the zone's first record (its SOA) sees it
	 * before the other threads start calling, when that record lies in the
	 * first block.
	 */
	bool parallel_callback;
	/* Optional, with parallel_callback: the records of a block parsed from
	 * a guessed start (the block's first line start, under the $ORIGIN the
	 * previous block had when the guess was made) go to spec_fn instead of
	 * fn, from the parsing thread, as they are parsed. Rather than have the
	 * scanner keep each record whole until the guess is checked, spec_fn
	 * keeps only what it needs of it in the block's journal
	 * (zone_journal_put) and returns 0; any other return makes the scanner
	 * keep the record and hand it to fn when the guess proves right, as
	 * without spec_fn. When the guess proves right, journal_fn receives the
	 * journal (in pieces, in order, each piece between the records kept
	 * whole), and when it proves wrong the journal is dropped and the
	 * block's records come again through fn. journal_fn's non-zero return
	 * stops the scan as fn's does. In spec_fn the record's ttl (unless the
	 * record states its own) and line are not final: it must not use them.
	 * zone_totals_t.records counts the records given to spec_fn once their
	 * block is confirmed. */
	int (*spec_fn)(void *user, const struct zone_rr *rr, struct zone_journal *j);
	int (*journal_fn)(void *user, unsigned worker, const void *data, size_t len);
	/* Bytes per block of the parallel parse; 0: the default (256 KiB); at
	 * most 1 GiB (more is taken as 1 GiB). For tests, which make it small
	 * to have many blocks. */
	size_t block_size;
	/* Optional: called as the scan moves on through the top-level text
	 * with `end`, an offset in that text (after inflating, for gzip) such
	 * that every record that begins before it, and every record of an
	 * $INCLUDE directive before it, has been given to fn (or, in a
	 * journal, to journal_fn). Calls come from one thread at a time, in
	 * increasing order of `end`, and each sees what the callbacks did for
	 * those records (whichever thread made them); when the scan ends
	 * without an error or a stop, the last call has the text's length. A
	 * non-zero return stops the scan as fn's does. In order (one thread,
	 * or no parallel_callback) it is called as the top-level file moves on
	 * to its next block of 2 MiB (`end`: the start of the record carried
	 * into it) and at the end; with parallel_callback, once per block of
	 * block_size, after all of the block's records (`end`: where the next
	 * block's records begin), from whichever thread finishes the earliest
	 * block not yet told. A call that would not move `end` on is left out
	 * (so 0 comes only for an empty text); none comes after an error or a
	 * stop. */
	int (*text_fn)(void *user, uint64_t end);
	/* Called after each block of the top-level file with the bytes read of
	 * it so far and its size on disk (0 when unknown); may be NULL. */
	void (*progress)(void *user, uint64_t done, uint64_t total);
	void *progress_user;
} zone_opts_t;

/* One resource record. Every pointer is borrowed until the callback returns. */
typedef struct zone_rr {
	const char *owner;       /* canonical text (dns/name.h), NUL-terminated */
	size_t owner_len;
	const char *origin;      /* the $ORIGIN in effect, canonical text */
	size_t origin_len;
	uint16_t type;
	uint16_t rclass;
	uint32_t ttl;
	const char *file;        /* the file the record is in (an $INCLUDE file or the zone) */
	unsigned long line;      /* the line its owner is on */
	bool decoded;            /* rd holds this type's decoded RDATA */
	unsigned worker;         /* parallel_callback: which thread calls (0 .. threads - 1),
	                          * for callers that keep per-thread state; else 0 */
	/* With ZONE_DEC_TEXT: the RDATA's tokens as written in the file (escapes
	 * kept, quoted strings with their quotes), joined by single spaces, without
	 * comments, parentheses or line ends; relative names are relative to
	 * `origin`. NULL and 0 without ZONE_DEC_TEXT. */
	const char *rdata;
	size_t rdata_len;
	/* Where the record lies in the text of its file (`file`; after
	 * inflating, for gzip): its first line begins at offset `pos`, and its
	 * `span` bytes run through the line end that ends the record (or to the
	 * end of the text): a blank owner's line with its leading blanks, a
	 * closing parenthesis and a trailing comment with their line, CRLF
	 * whole. Blank lines, comment lines and directives belong to no
	 * record. Final in spec_fn too. */
	uint64_t pos;
	uint32_t span;
	uint8_t flags;           /* ZONE_RR_* */
	union {
		struct { const char *name; size_t len; } ns;       /* canonical text */
		struct {
			uint16_t key_tag;
			uint8_t algorithm;
			uint8_t digest_type;
			const uint8_t *digest;
			size_t digest_len;
		} ds;
		struct {
			const char *mname; size_t mname_len;     /* canonical text */
			const char *rname; size_t rname_len;
			uint32_t serial, refresh, retry, expire, minimum;
		} soa;
		struct {
			uint16_t type_covered;
			uint8_t algorithm;
			uint8_t labels;
			uint32_t original_ttl;
			uint32_t expiration;     /* seconds since the epoch, as in the wire form */
			uint32_t inception;
			uint16_t key_tag;
		} rrsig;
		struct { uint8_t bytes[16]; size_t len; } addr;  /* 4 (A) or 16 (AAAA) */
	} rd;
} zone_rr_t;

/* zone_rr_t.flags. */
#define ZONE_RR_BLANK_OWNER 1u   /* the owner field is blank: the previous record's owner */
#define ZONE_RR_TTL_STATED  2u   /* the record states its own TTL */
#define ZONE_RR_TTL_DIR     4u   /* a $TTL directive is in effect at the record (in spec_fn:
                                  * one seen in the block; final when fn gets the record) */
#define ZONE_RR_INCLUDED    8u   /* the record is in an $INCLUDE file (pos: in that file) */

/* A speculative block's journal (zone_opts_t.spec_fn). */
typedef struct zone_journal zone_journal_t;
/* The most spec_fn may put in the journal for one record. */
#define ZONE_JOURNAL_MAX 512u
/* Appends data[0..len) to the journal. TS_ELIMIT, and nothing put, when
 * it would take the record's puts over ZONE_JOURNAL_MAX bytes. */
TS_WUR int zone_journal_put(zone_journal_t *j, const void *data, size_t len);
/* The number of the block the journal is for: unique within a scan, so a
 * spec_fn that remembers things between records can tell a new block. */
uint64_t zone_journal_block(const zone_journal_t *j);

/* Receives each record; a non-zero return stops the scan, which returns that
 * value (use a ts_err_t code, and log the reason first). */
typedef int (*zone_rr_fn)(void *user, const zone_rr_t *rr);

/* What a scan saw, for summaries. */
typedef struct zone_totals {
	uint64_t records;        /* records passed to the callback */
	uint64_t bytes;          /* text bytes scanned (after inflating), includes too */
	uint64_t raw_bytes;      /* bytes of the top-level file on disk (compressed if gzip) */
	bool gzip;               /* the top-level file was gzip */
} zone_totals_t;

/* Scans the file at `path` ("-" is stdin). `opts` may be NULL (defaults: root
 * origin, TTL 3600, includes on, one thread, decode nothing). `totals` may
 * be NULL. Returns TS_OK, the callback's non-zero value, or an error. */
TS_WUR int zone_scan_file(const char *path, const zone_opts_t *opts, zone_rr_fn fn,
                          void *user, zone_totals_t *totals);
/* The same over memory (copied); `name` is used in messages and as the base
 * of relative $INCLUDE paths. */
TS_WUR int zone_scan_mem(const char *name, const void *data, size_t len,
                         const zone_opts_t *opts, zone_rr_fn fn, void *user,
                         zone_totals_t *totals);

/* A type's mnemonic ("NS") or "TYPEnnn" in buf; returns buf. */
const char *zone_type_name(uint16_t type, char buf[16]);
/* Parses a type mnemonic (any case) or TYPEnnn; TS_EINPUT when unknown. */
TS_WUR int zone_type_from_text(const char *s, size_t n, uint16_t *out);

#endif
