/* rpz.c — the `rpz` feed: a Response Policy Zone whose owner names are the
 * indicators (draft-vixie-dnsop-dns-rpz). The zone is read with the
 * project's master-file scanner; the policy zone's origin is the owner of
 * its SOA, which must come first. A trigger "bad.example.rpz.local" names
 * bad.example; "*.bad.example.rpz.local" (its subdomains) names bad.example
 * too. Triggers that are not domain names are skipped: IP, NSIP, NSDNAME and
 * client-IP triggers (their labels rpz-ip, rpz-nsip, rpz-nsdname,
 * rpz-client-ip). $INCLUDE is refused: a feed is untrusted. */
#include <string.h>

#include "base/buf.h"
#include "base/log.h"
#include "dns/name.h"
#include "dns/zone.h"
#include "feeds/feed.h"
#include "feeds/rpz.h"

/* The largest RPZ read into memory (a feed, held like every feed). */
#define RPZ_MAX_BYTES (1024u * 1024u * 1024u)

struct rpz_state {
	feed_sink_t *sink;
	feed_threat_t threat;
	char apex[1024];
	size_t apex_len;
	bool have_apex;
	char last[1024];          /* the last owner delivered, to give each owner once */
	size_t last_len;
	int ret;
};

static bool label_is(const char *s, size_t n, const char *want)
{
	size_t wl = strlen(want);
	return n == wl && memcmp(s, want, wl) == 0;
}

/* True when the trigger (origin removed) ends in one of RPZ's special labels. */
static bool special_trigger(const char *t, size_t n)
{
	size_t start = n;
	while (start > 0 && t[start - 1] != '.')
		start--;
	const char *last = t + start;
	size_t ll = n - start;
	return label_is(last, ll, "rpz-ip") || label_is(last, ll, "rpz-nsip") ||
	       label_is(last, ll, "rpz-nsdname") || label_is(last, ll, "rpz-client-ip");
}

static int rpz_record(void *user, const zone_rr_t *rr)
{
	struct rpz_state *st = user;
	if (!st->have_apex) {
		if (rr->type != ZONE_T_SOA) {
			ts_log_pos(TS_LOG_ERR, rr->file, rr->line, 1,
			           "not an RPZ zone: the first record is not its SOA");
			return TS_EINPUT;
		}
		if (rr->owner_len >= sizeof(st->apex))
			return TS_EINPUT;
		memcpy(st->apex, rr->owner, rr->owner_len);
		st->apex_len = rr->owner_len;
		st->have_apex = true;
		return TS_OK;
	}
	/* Only names strictly below the policy zone's apex are triggers. */
	if (rr->owner_len <= st->apex_len + (st->apex_len > 0) ||
	    !name_is_at_or_below(rr->owner, rr->owner_len, st->apex, st->apex_len))
		return TS_OK;
	size_t tlen = st->apex_len > 0 ? rr->owner_len - st->apex_len - 1 : rr->owner_len;
	const char *t = rr->owner;
	if (tlen == st->last_len && memcmp(t, st->last, tlen) == 0)
		return TS_OK; /* another record of the same trigger */
	if (tlen < sizeof(st->last)) {
		memcpy(st->last, t, tlen);
		st->last_len = tlen;
	}
	if (special_trigger(t, tlen)) {
		st->sink->stats->skipped++;
		return TS_OK;
	}
	const char *host = t;
	size_t hlen = tlen;
	if (hlen > 2 && host[0] == '*' && host[1] == '.') {
		host += 2;
		hlen -= 2;
	}
	/* The indicator's text is the trigger as the zone has it. */
	int ret = feed_sink_indicator_text(st->sink, host, hlen, rr->owner, rr->owner_len,
	                                   rr->line, st->threat);
	if (ret != TS_OK)
		st->ret = ret;
	return ret;
}

int feed_read_rpz(ts_input_t *in, feed_threat_t threat, feed_sink_t *sink)
{
	dbuf_t text;
	dbuf_init(&text, RPZ_MAX_BYTES);
	char buf[65536];
	int ret;
	for (;;) {
		size_t got;
		ret = ts_input_read(in, buf, sizeof(buf), &got);
		if (ret != TS_OK)
			goto out;
		if (got == 0)
			break;
		ret = dbuf_add(&text, buf, got);
		if (ret == TS_ELIMIT)
			ts_log(TS_LOG_ERR, "%s: RPZ feed larger than %u bytes", sink->name, RPZ_MAX_BYTES);
		if (ret != TS_OK)
			goto out;
	}
	struct rpz_state st = { .sink = sink, .threat = threat };
	zone_opts_t opts = { .no_include = true, .default_ttl = 3600, .decode = 0 };
	ret = zone_scan_mem(sink->name, dbuf_str(&text), text.len, &opts, rpz_record, &st, NULL);
	if (ret == TS_OK && !st.have_apex) {
		ts_log(TS_LOG_ERR, "%s: not an RPZ zone: no SOA record", sink->name);
		ret = TS_EINPUT;
	}
out:
	dbuf_free(&text);
	return ret;
}
