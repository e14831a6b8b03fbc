/* feed.h — threat-feed readers: each turns one feed file (plain or gzip)
 * into indicators, each reduced to its host by url_to_host, and counts what
 * it skipped. A malformed line is counted and named (the first 10, also
 * logged as warnings with FILE:LINE), never fatal; a file that cannot be
 * opened or read (corrupt gzip) is.
 *
 * Formats (product.md §2.1; docs/internals/feeds.md says what each reader
 * accepts): openphish, phishtank, urlhaus, threatfox, domains, rpz. The format
 * table in feed.c has one row per reader; a new reader is one row and one
 * function of type feed_read_fn built on feed_sink_indicator and
 * feed_sink_malformed. */
#ifndef TS_FEED_H
#define TS_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/input.h"
#include "base/limits.h"

typedef enum feed_threat {
	FEED_THREAT_NONE = 0,   /* not given: the format's default applies */
	FEED_THREAT_PHISHING,
	FEED_THREAT_MALWARE,
	FEED_THREAT_BOTNET,
	FEED_THREAT_PHARMING,
	FEED_THREAT_SPAM,
	FEED_THREAT_COUNT_      /* not a threat: one past the last */
} feed_threat_t;

/* "phishing", "malware", …; "none" for FEED_THREAT_NONE. Never NULL. */
const char *feed_threat_name(feed_threat_t t);
/* Parses a threat name (exact, lower case) from s[0..n). TS_EINPUT otherwise. */
TS_WUR int feed_threat_parse(const char *s, size_t n, feed_threat_t *out);
/* The threat of a ThreatFox threat_type: botnet_cc → botnet; payload_delivery,
 * payload, cc_skimming → malware; phishing → phishing; anything else
 * (ThreatFox lists IOCs of malware families) → malware. */
feed_threat_t feed_threatfox_threat(const char *s, size_t n);

/* One indicator, borrowed for the duration of the callback. */
typedef struct feed_indicator {
	const char *host;       /* canonical host name, NUL-terminated */
	size_t host_len;
	const char *text;       /* the indicator as the feed wrote it (trimmed), NUL-terminated */
	size_t text_len;
	unsigned long line;     /* 1-based line of the record */
	feed_threat_t threat;
} feed_indicator_t;

/* Receives each indicator; a code other than TS_OK stops the reading and
 * is returned by feed_read. */
typedef int (*feed_cb)(void *user, const feed_indicator_t *ind);

typedef struct feed_malformed {
	unsigned long line;
	char reason[96];
} feed_malformed_t;

typedef struct feed_stats {
	uint64_t indicators;    /* host names handed to the callback */
	uint64_t ip_skipped;    /* indicators whose host is an IP address */
	uint64_t skipped;       /* records that hold no host by design (ThreatFox hashes) */
	uint64_t malformed;     /* lines or records that could not be read */
	size_t named;           /* entries used in first[] */
	feed_malformed_t first[TS_MAX_MALFORMED_NAMED];
} feed_stats_t;

/* Where a reader delivers: the callback, the counts, the name for messages.
 * Readers fill it through the two functions below. */
typedef struct feed_sink {
	const char *name;       /* the input's name, for messages */
	feed_cb cb;
	void *user;
	feed_stats_t *stats;
	char text[TS_MAX_LINE + 1]; /* scratch: the indicator text, NUL-terminated */
} feed_sink_t;

/* Reduces the indicator s[0..n) (trimmed first) and delivers it: a host name
 * to the callback, an IP literal counted as ip_skipped, anything unusable
 * counted as malformed with url_to_host's reason. Returns TS_OK or what the
 * callback or the allocator returned. */
TS_WUR int feed_sink_indicator(feed_sink_t *sink, const char *s, size_t n, unsigned long line,
                               feed_threat_t threat);
/* The same, with the indicator's text given apart from the string reduced
 * to the host (NULL text: the trimmed string itself). */
TS_WUR int feed_sink_indicator_text(feed_sink_t *sink, const char *s, size_t n, const char *text,
                                    size_t text_len, unsigned long line, feed_threat_t threat);
/* Counts a malformed line; the first TS_MAX_MALFORMED_NAMED are kept in the
 * stats and logged as warnings "NAME:LINE: malformed line: reason". */
void feed_sink_malformed(feed_sink_t *sink, unsigned long line, const char *reason);

/* A reader: reads all of `in` and delivers through `sink`. `threat` is the
 * threat to give every indicator, or FEED_THREAT_NONE where the format reads
 * it from each record (threatfox). */
typedef int (*feed_read_fn)(ts_input_t *in, feed_threat_t threat, feed_sink_t *sink);

typedef struct feed_format {
	const char *name;               /* as on the command line: "openphish" */
	feed_threat_t default_threat;   /* FEED_THREAT_NONE: must be given, */
	bool threat_in_records;         /* unless each record carries its own */
	feed_read_fn read;
} feed_format_t;

/* The format named `name`, or NULL. */
const feed_format_t *feed_format_find(const char *name, size_t n);
/* The i-th format of the table (0-based), or NULL past the end. */
const feed_format_t *feed_format_at(size_t i);

/* Reads the feed in `in` (borrowed) with format `fmt`. `threat` overrides
 * the format's default (FEED_THREAT_NONE keeps it; a format without one then
 * fails with TS_EUSAGE). Zeroes *stats first. Errors: TS_EUSAGE as said,
 * TS_EIO/TS_EINPUT when the input cannot be read (logged by the input),
 * TS_ENOMEM, or the callback's code. */
TS_WUR int feed_read(const feed_format_t *fmt, ts_input_t *in, feed_threat_t threat,
                     feed_cb cb, void *user, feed_stats_t *stats);
/* The same on a file ("-" is stdin); TS_EINPUT (logged) when it cannot be opened. */
TS_WUR int feed_read_file(const feed_format_t *fmt, const char *path, feed_threat_t threat,
                          feed_cb cb, void *user, feed_stats_t *stats);

/* A --feed argument "FORMAT:PATH[:THREAT]": the text after the last ':' is
 * the threat when it names one, otherwise part of the path. */
typedef struct feed_spec {
	const feed_format_t *format;
	char *path;             /* owned: free with feed_spec_free */
	feed_threat_t threat;   /* FEED_THREAT_NONE when not given */
} feed_spec_t;

/* Parses `arg`. TS_EUSAGE (logged, naming the argument) for an unknown
 * format, an empty path, or a format that needs a threat and has none. */
TS_WUR int feed_spec_parse(const char *arg, feed_spec_t *out);
void feed_spec_free(feed_spec_t *spec);

#endif
