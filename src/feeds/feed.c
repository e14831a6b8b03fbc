/* feed.c — the feed readers and their format table. */
#include <stdbool.h>
#include <string.h>

#include "base/alloc.h"
#include "base/log.h"
#include "feeds/feed.h"
#include "feeds/rpz.h"
#include "feeds/url.h"

static const char *const threat_names[FEED_THREAT_COUNT_] = {
	[FEED_THREAT_NONE] = "none",
	[FEED_THREAT_PHISHING] = "phishing",
	[FEED_THREAT_MALWARE] = "malware",
	[FEED_THREAT_BOTNET] = "botnet",
	[FEED_THREAT_PHARMING] = "pharming",
	[FEED_THREAT_SPAM] = "spam",
};

const char *feed_threat_name(feed_threat_t t)
{
	if ((int)t < 0 || t >= FEED_THREAT_COUNT_)
		return "none";
	return threat_names[t];
}

int feed_threat_parse(const char *s, size_t n, feed_threat_t *out)
{
	for (int t = FEED_THREAT_NONE + 1; t < FEED_THREAT_COUNT_; t++)
		if (strlen(threat_names[t]) == n && memcmp(threat_names[t], s, n) == 0) {
			*out = (feed_threat_t)t;
			return TS_OK;
		}
	return TS_EINPUT;
}

static bool word_eq(const char *s, size_t n, const char *w)
{
	return strlen(w) == n && memcmp(s, w, n) == 0;
}

feed_threat_t feed_threatfox_threat(const char *s, size_t n)
{
	if (word_eq(s, n, "botnet_cc"))
		return FEED_THREAT_BOTNET;
	if (word_eq(s, n, "phishing"))
		return FEED_THREAT_PHISHING;
	/* payload_delivery, payload, cc_skimming and any type not known yet */
	return FEED_THREAT_MALWARE;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* Trims white space (and a UTF-8 byte-order mark in front) off s[0..*n). */
static const char *trim(const char *s, size_t *n)
{
	size_t len = *n;
	if (len >= 3 && (unsigned char)s[0] == 0xef && (unsigned char)s[1] == 0xbb &&
	    (unsigned char)s[2] == 0xbf) {
		s += 3;
		len -= 3;
	}
	while (len > 0 && is_space(s[0])) {
		s++;
		len--;
	}
	while (len > 0 && is_space(s[len - 1]))
		len--;
	*n = len;
	return s;
}

void feed_sink_malformed(feed_sink_t *sink, unsigned long line, const char *reason)
{
	feed_stats_t *st = sink->stats;
	st->malformed++;
	if (st->named < TS_MAX_MALFORMED_NAMED) {
		feed_malformed_t *m = &st->first[st->named++];
		size_t len = strlen(reason);
		if (len >= sizeof(m->reason))
			len = sizeof(m->reason) - 1;
		m->line = line;
		memcpy(m->reason, reason, len);
		m->reason[len] = '\0';
		ts_log_pos(TS_LOG_WARN, sink->name, line, 0, "malformed line: %s", m->reason);
	}
}

int feed_sink_indicator_text(feed_sink_t *sink, const char *s, size_t n, const char *text,
                             size_t text_len, unsigned long line, feed_threat_t threat)
{
	char host[URL_HOST_CAP];
	size_t host_len;
	url_host_kind_t kind;

	s = trim(s, &n);
	int ret = url_to_host(s, n, host, sizeof(host), &host_len, &kind);
	if (ret == TS_EINPUT) {
		feed_sink_malformed(sink, line, url_error());
		return TS_OK;
	}
	if (ret != TS_OK)
		return ret;
	if (kind == URL_HOST_IP) {
		sink->stats->ip_skipped++;
		return TS_OK;
	}
	if (text == NULL) {
		text = s;
		text_len = n;
	}
	if (text_len > TS_MAX_LINE)
		text_len = TS_MAX_LINE; /* the reader's caps keep it below; belt and braces */
	memmove(sink->text, text, text_len);
	sink->text[text_len] = '\0';
	feed_indicator_t ind = {
		.host = host, .host_len = host_len, .text = sink->text, .text_len = text_len,
		.line = line, .threat = threat,
	};
	sink->stats->indicators++;
	return sink->cb(sink->user, &ind);
}

int feed_sink_indicator(feed_sink_t *sink, const char *s, size_t n, unsigned long line,
                        feed_threat_t threat)
{
	return feed_sink_indicator_text(sink, s, n, NULL, 0, line, threat);
}

/* ---- line formats ---------------------------------------------------- */

/* Reads `in` line by line: a line over the cap is malformed, the others are
 * trimmed and handed to `one` unless blank. */
typedef int (*line_fn)(feed_sink_t *sink, const char *line, size_t len, unsigned long no,
                       feed_threat_t threat);

static int read_lines(ts_input_t *in, feed_threat_t threat, feed_sink_t *sink, line_fn one)
{
	ts_lines_t *lr = NULL;
	int ret = ts_lines_open(&lr, in, TS_MAX_LINE);
	while (ret == TS_OK) {
		const char *line;
		size_t len;
		unsigned long no;
		bool eof;
		ret = ts_lines_next(lr, &line, &len, &no, &eof);
		if (ret == TS_ELIMIT) {
			feed_sink_malformed(sink, no, "line too long");
			ret = TS_OK;
			continue;
		}
		if (ret != TS_OK || eof)
			break;
		line = trim(line, &len);
		if (len > 0)
			ret = one(sink, line, len, no, threat);
	}
	ts_lines_close(&lr);
	return ret;
}

/* openphish: one URL per line; blank lines are skipped. */
static int openphish_line(feed_sink_t *sink, const char *line, size_t len, unsigned long no,
                          feed_threat_t threat)
{
	return feed_sink_indicator(sink, line, len, no, threat);
}

static int read_openphish(ts_input_t *in, feed_threat_t threat, feed_sink_t *sink)
{
	return read_lines(in, threat, sink, openphish_line);
}

/* domains: one name per line; '#' starts a comment (a whole line, or after
 * white space); a leading "*." wildcard is dropped; one name per line. */
static int domains_line(feed_sink_t *sink, const char *line, size_t len, unsigned long no,
                        feed_threat_t threat)
{
	for (size_t i = 0; i < len; i++)
		if (line[i] == '#' && (i == 0 || is_space(line[i - 1]))) {
			len = i;
			break;
		}
	line = trim(line, &len);
	if (len == 0)
		return TS_OK;
	for (size_t i = 0; i < len; i++)
		if (is_space(line[i])) {
			feed_sink_malformed(sink, no, "more than one name on the line");
			return TS_OK;
		}
	if (len > 2 && line[0] == '*' && line[1] == '.') {
		line += 2;
		len -= 2;
	}
	return feed_sink_indicator(sink, line, len, no, threat);
}

static int read_domains(ts_input_t *in, feed_threat_t threat, feed_sink_t *sink)
{
	return read_lines(in, threat, sink, domains_line);
}

/* ---- CSV formats ------------------------------------------------------ */

/* Feed CSV is read one line per record. RFC 4180 lets a quoted field run
 * across lines, but no feed field holds a newline, and a reader that allows
 * it lets one stray quote swallow the rest of a file as a single malformed
 * record; here a stray quote costs its own line only. The splitter also
 * allows white space around fields: ThreatFox's export writes `"a", "b"`,
 * a space after each comma. Quoted fields use "" for a quote. The fields
 * are unescaped into `buf` (never longer than the line). */
#define FEED_CSV_FIELDS 64u

typedef struct feed_field {
	const char *p;
	size_t len;
} feed_field_t;

static const char *csv_split(const char *s, size_t n, char *buf, feed_field_t *f, size_t *nf)
{
	size_t i = 0, k = 0, count = 0;
	for (;;) {
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (count == FEED_CSV_FIELDS)
			return "too many fields";
		size_t start = k;
		if (i < n && s[i] == '"') {
			i++;
			for (;;) {
				if (i >= n)
					return "unterminated quoted field";
				if (s[i] == '"') {
					if (i + 1 < n && s[i + 1] == '"') {
						buf[k++] = '"';
						i += 2;
						continue;
					}
					i++;
					break;
				}
				buf[k++] = s[i++];
			}
			while (i < n && (s[i] == ' ' || s[i] == '\t'))
				i++;
			if (i < n && s[i] != ',')
				return "unexpected character after closing quote";
		} else {
			while (i < n && s[i] != ',')
				buf[k++] = s[i++];
			while (k > start && (buf[k - 1] == ' ' || buf[k - 1] == '\t'))
				k--;
		}
		f[count].p = buf + start;
		f[count].len = k - start;
		count++;
		if (i < n && s[i] == ',') {
			i++;
			continue;
		}
		break;
	}
	*nf = count;
	return NULL;
}

/* Index of the header field `name` (a leading '#' and spaces ignored), or -1. */
static int header_index(const feed_field_t *f, size_t nf, const char *name)
{
	for (size_t k = 0; k < nf; k++) {
		const char *p = f[k].p;
		size_t len = f[k].len;
		while (len > 0 && (*p == '#' || *p == ' ')) {
			p++;
			len--;
		}
		if (word_eq(p, len, name))
			return (int)k;
	}
	return -1;
}

typedef struct csv_state {
	bool seen_first;          /* the first record was looked at for a header */
	int col;                  /* column of the indicator */
	const char *header_key;   /* a header names this column... */
	const char *header_other; /* ...and this one */
} csv_state_t;

typedef int (*csv_row_fn)(csv_state_t *cs, const feed_field_t *f, size_t nf, unsigned long line,
                          feed_threat_t threat, feed_sink_t *sink);

/* Reads CSV lines: blank lines and lines starting with `comment` (0: none)
 * are skipped; a first record that is a header (it names header_key and
 * header_other) sets the indicator's column; every other record goes to
 * `row`. */
static int read_csv(ts_input_t *in, char comment, csv_row_fn row, csv_state_t *cs,
                    feed_threat_t threat, feed_sink_t *sink)
{
	ts_lines_t *lr = NULL;
	feed_field_t *f = ts_malloc(FEED_CSV_FIELDS * sizeof(*f));
	char *buf = ts_malloc(TS_MAX_LINE + 1);
	int ret = (f == NULL || buf == NULL) ? TS_ENOMEM : ts_lines_open(&lr, in, TS_MAX_LINE);
	while (ret == TS_OK) {
		const char *line;
		size_t len, nf;
		unsigned long no;
		bool eof;
		ret = ts_lines_next(lr, &line, &len, &no, &eof);
		if (ret == TS_ELIMIT) {
			feed_sink_malformed(sink, no, "line too long");
			ret = TS_OK;
			continue;
		}
		if (ret != TS_OK || eof)
			break;
		line = trim(line, &len);
		if (len == 0 || (comment != 0 && line[0] == comment))
			continue;
		const char *why = csv_split(line, len, buf, f, &nf);
		if (why != NULL) {
			feed_sink_malformed(sink, no, why);
			continue;
		}
		if (!cs->seen_first) {
			cs->seen_first = true;
			int k = header_index(f, nf, cs->header_key);
			if (k >= 0 && header_index(f, nf, cs->header_other) >= 0) {
				cs->col = k;
				continue;
			}
		}
		if (nf <= (size_t)cs->col) {
			feed_sink_malformed(sink, no, "too few fields");
			continue;
		}
		ret = row(cs, f, nf, no, threat, sink);
	}
	ts_lines_close(&lr);
	ts_free(buf);
	ts_free(f);
	return ret;
}

/* The indicator is the state's column. */
static int url_row(csv_state_t *cs, const feed_field_t *f, size_t nf, unsigned long line,
                   feed_threat_t threat, feed_sink_t *sink)
{
	(void)nf;
	return feed_sink_indicator(sink, f[cs->col].p, f[cs->col].len, line, threat);
}

/* phishtank: a header names the columns (url is found by name); without
 * one, the documented order applies and the first record is data. */
static int read_phishtank(ts_input_t *in, feed_threat_t threat, feed_sink_t *sink)
{
	csv_state_t cs = { .col = 1, .header_key = "url", .header_other = "phish_id" };
	return read_csv(in, 0, url_row, &cs, threat, sink);
}

/* urlhaus: '#' comment lines (the dump's header is one of them); columns
 * id,dateadded,url,…; an uncommented header is used. */
static int read_urlhaus(ts_input_t *in, feed_threat_t threat, feed_sink_t *sink)
{
	csv_state_t cs = { .col = 2, .header_key = "url", .header_other = "dateadded" };
	return read_csv(in, '#', url_row, &cs, threat, sink);
}

/* threatfox: '#' comment lines (the export's header is one of them);
 * columns first_seen_utc,ioc_id,ioc_value,ioc_type,threat_type,…. Hosts
 * come from ioc_type domain and url; ip:port is an IP; hashes hold none. */
enum { TF_VALUE = 2, TF_TYPE = 3, TF_THREAT = 4 };

static int threatfox_row(csv_state_t *cs, const feed_field_t *f, size_t nf, unsigned long line,
                         feed_threat_t threat, feed_sink_t *sink)
{
	(void)cs;
	if (nf <= TF_THREAT) {
		feed_sink_malformed(sink, line, "too few fields");
		return TS_OK;
	}
	const feed_field_t *type = &f[TF_TYPE];
	if (word_eq(type->p, type->len, "ip:port")) {
		sink->stats->ip_skipped++;
		return TS_OK;
	}
	if (!word_eq(type->p, type->len, "domain") && !word_eq(type->p, type->len, "url")) {
		sink->stats->skipped++;
		return TS_OK;
	}
	feed_threat_t t = threat != FEED_THREAT_NONE ? threat
	                  : feed_threatfox_threat(f[TF_THREAT].p, f[TF_THREAT].len);
	return feed_sink_indicator(sink, f[TF_VALUE].p, f[TF_VALUE].len, line, t);
}

static int read_threatfox(ts_input_t *in, feed_threat_t threat, feed_sink_t *sink)
{
	csv_state_t cs = { .col = TF_VALUE, .header_key = "ioc_value", .header_other = "first_seen_utc" };
	return read_csv(in, '#', threatfox_row, &cs, threat, sink);
}

/* ---- the table -------------------------------------------------------- */

static const feed_format_t formats[] = {
	/* name        default threat        threat per record  reader */
	{ "openphish", FEED_THREAT_PHISHING, false,             read_openphish },
	{ "phishtank", FEED_THREAT_PHISHING, false,             read_phishtank },
	{ "urlhaus",   FEED_THREAT_MALWARE,  false,             read_urlhaus },
	{ "threatfox", FEED_THREAT_NONE,     true,              read_threatfox },
	{ "domains",   FEED_THREAT_NONE,     false,             read_domains },
	{ "rpz",       FEED_THREAT_NONE,     false,             feed_read_rpz },
};

#define N_FORMATS (sizeof(formats) / sizeof(formats[0]))

const feed_format_t *feed_format_find(const char *name, size_t n)
{
	for (size_t i = 0; i < N_FORMATS; i++)
		if (word_eq(name, n, formats[i].name))
			return &formats[i];
	return NULL;
}

const feed_format_t *feed_format_at(size_t i)
{
	return i < N_FORMATS ? &formats[i] : NULL;
}

int feed_read(const feed_format_t *fmt, ts_input_t *in, feed_threat_t threat,
              feed_cb cb, void *user, feed_stats_t *stats)
{
	memset(stats, 0, sizeof(*stats));
	if (threat == FEED_THREAT_NONE)
		threat = fmt->default_threat;
	if (threat == FEED_THREAT_NONE && !fmt->threat_in_records) {
		ts_log(TS_LOG_ERR, "%s: a %s feed needs a threat (%s:PATH:THREAT)",
		       ts_input_name(in), fmt->name, fmt->name);
		return TS_EUSAGE;
	}
	feed_sink_t *sink = ts_malloc(sizeof(*sink));
	if (sink == NULL)
		return TS_ENOMEM;
	sink->name = ts_input_name(in);
	sink->cb = cb;
	sink->user = user;
	sink->stats = stats;
	int ret = fmt->read(in, threat, sink);
	ts_free(sink);
	return ret;
}

int feed_read_file(const feed_format_t *fmt, const char *path, feed_threat_t threat,
                   feed_cb cb, void *user, feed_stats_t *stats)
{
	ts_input_t *in = NULL;
	memset(stats, 0, sizeof(*stats));
	int ret = ts_input_open(&in, path);
	if (ret != TS_OK)
		return ret;
	ret = feed_read(fmt, in, threat, cb, user, stats);
	ts_input_close(&in);
	return ret;
}

int feed_spec_parse(const char *arg, feed_spec_t *out)
{
	memset(out, 0, sizeof(*out));
	const char *colon = strchr(arg, ':');
	if (colon == NULL) {
		ts_log(TS_LOG_ERR, "--feed %s: expected FORMAT:PATH[:THREAT]", arg);
		return TS_EUSAGE;
	}
	const feed_format_t *fmt = feed_format_find(arg, (size_t)(colon - arg));
	if (fmt == NULL) {
		ts_log(TS_LOG_ERR, "--feed %s: unknown format \"%.*s\"", arg, (int)(colon - arg), arg);
		return TS_EUSAGE;
	}
	const char *path = colon + 1;
	size_t path_len = strlen(path);
	feed_threat_t threat = FEED_THREAT_NONE;
	const char *last = strrchr(path, ':');
	if (last != NULL && feed_threat_parse(last + 1, strlen(last + 1), &threat) == TS_OK)
		path_len = (size_t)(last - path);
	if (path_len == 0) {
		ts_log(TS_LOG_ERR, "--feed %s: empty path", arg);
		return TS_EUSAGE;
	}
	if (threat == FEED_THREAT_NONE && fmt->default_threat == FEED_THREAT_NONE && !fmt->threat_in_records) {
		ts_log(TS_LOG_ERR, "--feed %s: a %s feed needs a threat (one of phishing malware botnet pharming spam)",
		       arg, fmt->name);
		return TS_EUSAGE;
	}
	out->path = ts_strndup(path, path_len);
	if (out->path == NULL)
		return TS_ENOMEM;
	out->format = fmt;
	out->threat = threat;
	return TS_OK;
}

void feed_spec_free(feed_spec_t *spec)
{
	if (spec == NULL)
		return;
	ts_free(spec->path);
	spec->path = NULL;
}
