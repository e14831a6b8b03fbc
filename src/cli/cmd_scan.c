/* cmd_scan.c — `tldsec scan`: the Specification 11 §3(b) technical analysis.
 * Reads the feeds, streams the zone once, hands the owner of every NS record
 * below the apex to the matching engine, counts delegations, and writes the
 * findings (JSON Lines) and a summary (one JSON object). */
#include <getopt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/afile.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/num.h"
#include "base/progress.h"
#include "cli/cli.h"
#include "cli/desk_cli.h"
#include "dns/name.h"
#include "dns/zone.h"
#include "dns/zonestats.h"
#include "feeds/feed.h"
#include "scan/delegset.h"
#include "scan/scan.h"

#define SCAN_USAGE \
	"Usage: tldsec scan --zone ZONE [--origin NAME] --feed FORMAT:PATH[:THREAT] ...\n" \
	"                   [--out FILE] [--summary FILE] [--threads N] [--no-include] [--record]\n"

static void scan_help(void)
{
	printf(SCAN_USAGE
	       "\n"
	       "Matches every registered domain of the zone (its delegations) against threat feeds:\n"
	       "the periodic technical analysis of Specification 11 section 3(b).\n"
	       "\n"
	       "Options:\n"
	       "  --zone ZONE        RFC 1035 master file, plain or gzip, '-' for stdin\n"
	       "  --origin NAME      the zone's apex (default: the owner of its first record, its SOA)\n"
	       "  --feed F:PATH[:T]  a feed; F is openphish, phishtank, urlhaus, threatfox, domains or rpz;\n"
	       "                     T is phishing, malware, botnet, pharming or spam (needed for domains\n"
	       "                     and rpz); repeat for more feeds\n"
	       "  --out FILE         findings as JSON Lines (default: stdout)\n"
	       "  --summary FILE     the summary as one JSON object (default: stderr)\n"
	       "  --threads N        threads (default: the machine's cores); a plain zone file is\n"
	       "                     parsed by all of them at once, gzip and stdin in order\n"
	       "  --no-include       refuse $INCLUDE directives in the zone\n"
	       "  --record           store the findings in the database (--db) and open or update a\n"
	       "                     case per (registered domain, threat), reported by the feed\n"
	       "                     (tier trusted_third_party); the scan itself is stored with the\n"
	       "                     zone's statistics (DNSSEC, name servers) for 'tldsec stats';\n"
	       "                     all in one transaction\n"
	       "  -h, --help         this help\n"
	       "\n"
	       "A finding is one (registered domain, indicator) pair:\n"
	       "  {\"domain\":\"bad.example\",\"threat\":\"phishing\",\"feed\":\"openphish\",\"indicator\":\"http://...\",\"line\":17}\n"
	       "Hosts in the zone under no delegation count as unregistered, hosts outside it as\n"
	       "out_of_zone; malformed feed lines are counted and named (the first 10), never fatal.\n"
	       "\n"
	       "Exit status: 0 ok, 1 bad zone or unreadable feed (FILE:LINE:COL), 2 usage, 4 internal.\n");
}

/* A parsing thread's last NS or DS owner: the records of one owner usually
 * come together, and then one comparison saves the hash, the apex test and
 * the marks. The owner's flags go to the delegation table once, when the
 * thread meets another owner (or at the end), so an owner with NS and DS
 * costs one insert. In a block parsed on a guess (spec_rr) the memo lasts
 * as long as the block, and each new flag goes to the block's journal. */
struct owner_memo {
	size_t len;                /* (size_t)-1: none */
	uint64_t hash;
	unsigned marked;           /* DELEG_NS, DELEG_DS: seen for this owner */
	unsigned sent;             /* ... and already marked in the table */
	bool below;                /* below the apex */
	uint64_t block;            /* spec_rr: the block the memo is for */
	char text[256];
	char pad[64];              /* a line apart from the next thread's */
};

struct scan_run {
	const char *zone_path;
	const char *origin;        /* --origin as given, or NULL */
	feed_spec_t *feeds;
	size_t nfeeds;
	scan_t *scan;
	delegset_t *dset;          /* the delegations, marked by every parsing thread */
	struct owner_memo *memo;   /* one per parsing thread (rr->worker) */
	struct owner_memo *smemo;  /* the same for the blocks parsed on a guess */
	unsigned nmemo;
	feed_stats_t *fstats;      /* one per feed */
	name_t apex;
	atomic_bool ready;         /* apex known, feeds read, engine frozen */
	pthread_mutex_t progress_lock;
	zonestats_t *zs;           /* --record: the zone's statistics, stored with the scan */
	ts_progress_t progress;
};

/* Reads every feed into the engine and freezes it; the apex is known. */
static int scan_prepare(struct scan_run *r)
{
	int ret = scan_new(&r->scan, r->apex.text);
	for (size_t i = 0; ret == TS_OK && i < r->nfeeds; i++) {
		unsigned fi;
		ret = scan_feed(r->scan, r->feeds[i].format->name, &fi);
		if (ret != TS_OK)
			break;
		scan_sink_t sink = { r->scan, fi };
		ret = feed_read_file(r->feeds[i].format, r->feeds[i].path, r->feeds[i].threat,
		                     scan_feed_cb, &sink, &r->fstats[i]);
		if (ret == TS_OK)
			scan_add_feed_stats(r->scan, &r->fstats[i]);
	}
	if (ret == TS_OK)
		ret = scan_freeze(r->scan);
	if (ret == TS_OK)
		atomic_store_explicit(&r->ready, true, memory_order_release);
	return ret;
}

static bool memo_same(const struct owner_memo *m, const zone_rr_t *rr)
{
	return rr->owner_len == m->len && memcmp(rr->owner, m->text, rr->owner_len) == 0;
}

/* The memo over the record's owner, nothing seen yet. */
static void memo_take(const struct scan_run *r, struct owner_memo *m, const zone_rr_t *rr)
{
	m->below = rr->owner_len > r->apex.len &&
	           name_is_at_or_below(rr->owner, rr->owner_len, r->apex.text, r->apex.len);
	m->hash = m->below ? delegset_hash(rr->owner, rr->owner_len) : 0;
	m->marked = m->sent = 0;
	if (rr->owner_len < sizeof(m->text)) {
		memcpy(m->text, rr->owner, rr->owner_len);
		m->len = rr->owner_len;
	} else {
		m->len = (size_t)-1;
	}
}

/* Marks the memo's owner with the flags seen since its last mark. */
static int memo_flush(struct scan_run *r, struct owner_memo *m, unsigned wi)
{
	unsigned f = m->marked & ~m->sent;
	if (f == 0)
		return TS_OK;
	m->sent |= f;
	return delegset_mark(r->dset, wi, m->hash, f);
}

static int scan_rr(void *user, const zone_rr_t *rr)
{
	struct scan_run *r = user;
	if (r->zs != NULL) {
		int zret = zonestats_add(r->zs, rr);
		if (zret != TS_OK)
			return zret;
	}
	if (!atomic_load_explicit(&r->ready, memory_order_acquire)) {
		/* No --origin: the zone's first record is its SOA, and its owner the
		 * apex. With the parallel parse the records of the zone's first
		 * block come first, from one thread, before any other (zone.h). */
		if (rr->type != ZONE_T_SOA) {
			ts_log_pos(TS_LOG_ERR, rr->file, rr->line, 1,
			           "the zone does not start with its SOA record; give --origin");
			return TS_EINPUT;
		}
		memcpy(r->apex.text, rr->owner, rr->owner_len + 1);
		r->apex.len = rr->owner_len;
		int ret = scan_prepare(r);
		if (ret != TS_OK)
			return ret;
	}
	if (rr->type != ZONE_T_NS && rr->type != ZONE_T_DS)
		return TS_OK;
	unsigned wi = rr->worker < r->nmemo ? rr->worker : 0;
	struct owner_memo *m = &r->memo[wi];
	int ret = TS_OK;
	if (!memo_same(m, rr)) {
		ret = memo_flush(r, m, wi);
		memo_take(r, m, rr);
	}
	unsigned flag = rr->type == ZONE_T_NS ? DELEG_NS : DELEG_DS;
	if (!m->below || (m->marked & flag) != 0)
		return ret;
	m->marked |= flag;
	if (flag == DELEG_NS)
		scan_delegation_hashed(r->scan, rr->owner, rr->owner_len, m->hash);
	if (m->len == (size_t)-1 && ret == TS_OK)
		ret = memo_flush(r, m, wi);  /* too long to be recognised again: now */
	return ret;
}

/* zone_opts_t.spec_fn: a record of a block parsed on a guess. Before the
 * apex is known (the zone's first block, in order) it asks for the whole
 * record; afterwards it journals each owner's new flag as its key with the
 * flag in the low bits, and a candidate of the engine as its place shifted
 * left by two (low bits 0). */
static int scan_spec_rr(void *user, const zone_rr_t *rr, zone_journal_t *j)
{
	struct scan_run *r = user;
	if (!atomic_load_explicit(&r->ready, memory_order_acquire))
		return 1;
	if (rr->type != ZONE_T_NS && rr->type != ZONE_T_DS)
		return 0;
	unsigned wi = rr->worker < r->nmemo ? rr->worker : 0;
	struct owner_memo *m = &r->smemo[wi];
	uint64_t block = zone_journal_block(j);
	if (m->block != block || !memo_same(m, rr)) {
		memo_take(r, m, rr);
		m->block = block;
	}
	unsigned flag = rr->type == ZONE_T_NS ? DELEG_NS : DELEG_DS;
	if (!m->below || (m->marked & flag) != 0)
		return 0;
	m->marked |= flag;
	uint64_t e[2] = { (m->hash & ~(uint64_t)3) | flag, 0 };
	size_t n = 1;
	if (flag == DELEG_NS) {
		size_t c = scan_candidate(r->scan, rr->owner, rr->owner_len, m->hash);
		if (c != SCAN_NO_CANDIDATE)
			e[n++] = (uint64_t)c << 2;
	}
	return zone_journal_put(j, e, n * sizeof(e[0])) == TS_OK ? 0 : 1;
}

/* zone_opts_t.journal_fn: a confirmed block's journal. An owner's NS and DS
 * entries usually follow each other: they make one mark. */
static int scan_journal(void *user, unsigned worker, const void *data, size_t len)
{
	struct scan_run *r = user;
	unsigned wi = worker < r->nmemo ? worker : 0;
	const unsigned char *p = data;
	uint64_t key = 0;
	unsigned flags = 0;
	for (size_t i = 0; i + sizeof(uint64_t) <= len; i += sizeof(uint64_t)) {
		uint64_t e;
		memcpy(&e, p + i, sizeof(e));
		if ((e & 3) == 0) {
			scan_seen(r->scan, (size_t)(e >> 2));
			continue;
		}
		if (flags != 0 && (e & ~(uint64_t)3) == key) {
			flags |= (unsigned)(e & 3);
			continue;
		}
		if (flags != 0) {
			int ret = delegset_mark(r->dset, wi, key, flags);
			if (ret != TS_OK)
				return ret;
		}
		key = e & ~(uint64_t)3;
		flags = (unsigned)(e & 3);
	}
	return flags != 0 ? delegset_mark(r->dset, wi, key, flags) : TS_OK;
}

static void scan_progress(void *user, uint64_t done, uint64_t total)
{
	struct scan_run *r = user;
	pthread_mutex_lock(&r->progress_lock);
	if (r->progress.total == 0)
		r->progress.total = total;
	ts_progress_update(&r->progress, done);
	pthread_mutex_unlock(&r->progress_lock);
}

/* True for a regular file that is not gzip. The parallel parse reads such a
 * file at many offsets at once; gzip and pipes are read in order, where the
 * scanner's reader thread (inflating beside the parser) measured faster
 * than parallel blocks taking turns at one inflater (bench/README.md). */
static bool plain_file(const char *path)
{
	struct stat st;
	if (strcmp(path, "-") == 0 || stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return false;
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return false;
	unsigned char m[2] = { 0, 0 };
	size_t n = fread(m, 1, 2, f);
	fclose(f);
	return !(n == 2 && m[0] == 0x1f && m[1] == 0x8b);
}

static int write_summary(struct scan_run *r, const zone_totals_t *zt, const scan_counts_t *sc,
                         double seconds, const uint64_t *recorded, FILE *fp)
{
	uint64_t deleg, ds;
	int ret = delegset_counts(r->dset, &deleg, &ds);
	if (ret != TS_OK)
		return ret;
	double mb = (double)zt->bytes / 1e6;
	dbuf_t b;
	dbuf_init(&b, TS_MAX_OUTPUT_BUF);
	ret = dbuf_addf(&b,
	                    "{\"zone_bytes\":%llu,\"records\":%llu,\"delegations\":%llu,"
	                    "\"ds_delegations\":%llu,\"indicators\":%llu,\"out_of_zone\":%llu,"
	                    "\"unregistered\":%llu,\"malformed\":%llu,\"findings\":%llu,"
	                    "\"domains\":%llu,\"seconds\":%.3f,\"mb_per_s\":%.1f,"
	                    "\"ip_skipped\":%llu,\"malformed_lines\":[",
	                    (unsigned long long)zt->bytes, (unsigned long long)zt->records,
	                    (unsigned long long)deleg, (unsigned long long)ds,
	                    (unsigned long long)sc->indicators, (unsigned long long)sc->out_of_zone,
	                    (unsigned long long)sc->unregistered, (unsigned long long)sc->malformed,
	                    (unsigned long long)sc->findings, (unsigned long long)sc->domains,
	                    seconds, seconds > 0 ? mb / seconds : 0.0,
	                    (unsigned long long)sc->ip_skipped);
	bool first = true;
	for (size_t i = 0; ret == TS_OK && i < r->nfeeds; i++) {
		for (size_t k = 0; ret == TS_OK && k < r->fstats[i].named; k++) {
			const feed_malformed_t *m = &r->fstats[i].first[k];
			ret = dbuf_addf(&b, "%s{\"feed\":\"", first ? "" : ",");
			if (ret == TS_OK)
				ret = dbuf_add_json_str(&b, r->feeds[i].path, strlen(r->feeds[i].path));
			if (ret == TS_OK)
				ret = dbuf_addf(&b, "\",\"line\":%lu,\"reason\":\"", m->line);
			if (ret == TS_OK)
				ret = dbuf_add_json_str(&b, m->reason, strlen(m->reason));
			if (ret == TS_OK)
				ret = dbuf_adds(&b, "\"}");
			first = false;
		}
	}
	if (ret == TS_OK)
		ret = dbuf_adds(&b, "]");
	if (ret == TS_OK && recorded != NULL)
		ret = dbuf_addf(&b, ",\"cases_opened\":%llu,\"cases_joined\":%llu",
		                (unsigned long long)recorded[0], (unsigned long long)recorded[1]);
	if (ret == TS_OK)
		ret = dbuf_adds(&b, "}\n");
	if (ret == TS_OK && fwrite(b.p, 1, b.len, fp) != b.len)
		ret = TS_EIO;
	dbuf_free(&b);
	return ret;
}

/* The scan's record for the database: its counts, the feeds, and the zone
 * statistics (the top providers as a JSON array in `top`). */
static int scan_record_fill(struct scan_run *r, const zone_totals_t *zt, const scan_counts_t *sc, dbuf_t *feeds,
                            dbuf_t *top, store_scan_t *rec)
{
	zonestats_result_t res;
	int ret = zonestats_result(r->zs, &res);
	memset(rec, 0, sizeof(*rec));
	for (size_t i = 0; ret == TS_OK && i < r->nfeeds; i++) {
		if (i > 0)
			ret = dbuf_addc(feeds, ',');
		if (ret == TS_OK)
			ret = dbuf_adds(feeds, r->feeds[i].format->name);
	}
	if (ret == TS_OK)
		ret = dbuf_addc(top, '[');
	for (size_t i = 0; ret == TS_OK && i < res.ntop; i++) {
		ret = dbuf_adds(top, i ? ",{\"provider\":\"" : "{\"provider\":\"");
		if (ret == TS_OK)
			ret = dbuf_add_json_str(top, res.top[i].name, strlen(res.top[i].name));
		if (ret == TS_OK)
			ret = dbuf_addf(top, "\",\"delegations\":%llu,\"share_pct\":%.2f}",
			                (unsigned long long)res.top[i].delegations, res.top[i].share_pct);
	}
	if (ret == TS_OK)
		ret = dbuf_addc(top, ']');
	if (ret != TS_OK)
		return ret;
	rec->origin = r->apex.text;
	rec->feeds = dbuf_str(feeds);
	rec->records = zt->records;
	if ((ret = delegset_counts(r->dset, &rec->delegations, &rec->ds_delegations)) != TS_OK)
		return ret;
	rec->findings = sc->findings;
	rec->domains = sc->domains;
	rec->single_ns = res.single_ns_delegations;
	rec->in_bailiwick = res.in_bailiwick_delegations;
	rec->distinct_ns_hosts = res.distinct_ns_hosts;
	rec->providers = res.providers;
	rec->ns_provider_hhi = res.ns_provider_hhi;
	rec->top_providers = dbuf_str(top);
	return TS_OK;
}

/* Opens or updates a case per finding, in one transaction. Returns the
 * exit code (0 on success) after printing any error. */
static int record_findings(cli_t *cli, const scan_t *scan, store_scan_t *rec, uint64_t recorded[2])
{
	policy_t pol;
	desk_t *d = NULL;
	desk_err_t err = { 0 };
	int rc = cli_desk_open(cli, &pol, false, &d);
	if (rc != 0)
		return rc;
	size_t n;
	const scan_finding_t *f = scan_findings(scan, &n);
	int ret = desk_scan_begin(d, &err);
	bool begun = ret == TS_OK;
	for (size_t i = 0; ret == TS_OK && i < n; i++) {
		int64_t case_id;
		bool opened;
		ret = desk_scan_finding(d, f[i].feed, f[i].domain, feed_threat_name(f[i].threat),
		                        f[i].indicator, &case_id, &opened, &err);
	}
	/* the scan itself, with its zone statistics, in the same transaction */
	if (ret == TS_OK && (ret = ts_now(&rec->at)) == TS_OK &&
	    (ret = store_scan_add(desk_store(d), rec, NULL)) != TS_OK) {
		err.code = ret;
		snprintf(err.msg, sizeof(err.msg), "recording the scan: %s", store_error(desk_store(d)));
	}
	if (begun) {
		/* Commits when every finding went in; rolls back otherwise. */
		desk_err_t end_err = { 0 };
		int end = desk_scan_end(d, ret == TS_OK, &recorded[0], &recorded[1], &end_err);
		if (ret == TS_OK && end != TS_OK) {
			ret = end;
			err = end_err;
		}
	}
	if (ret != TS_OK)
		rc = cli_desk_error(&err, NULL);
	desk_close(&d);
	return rc;
}

int cmd_scan(cli_t *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "zone", required_argument, NULL, 'z' },
		{ "origin", required_argument, NULL, 'o' },
		{ "feed", required_argument, NULL, 'f' },
		{ "out", required_argument, NULL, 'O' },
		{ "summary", required_argument, NULL, 'S' },
		{ "threads", required_argument, NULL, 't' },
		{ "no-include", no_argument, NULL, 'n' },
		{ "record", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct scan_run r;
	memset(&r, 0, sizeof(r));
	atomic_init(&r.ready, false);
	pthread_mutex_init(&r.progress_lock, NULL);
	const char *out_path = NULL, *summary_path = NULL;
	uint64_t threads = 0;
	bool no_include = false, record = false;
	int ret = TS_OK, c;
	afile_t out = { 0 }, sum = { 0 };
	bool out_open = false, sum_open = false;

	r.feeds = ts_calloc((size_t)argc, sizeof(*r.feeds));
	r.fstats = ts_calloc((size_t)argc, sizeof(*r.fstats));
	if (r.feeds == NULL || r.fstats == NULL) {
		ret = TS_ENOMEM;
		goto out;
	}
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'z': r.zone_path = optarg; break;
		case 'o': r.origin = optarg; break;
		case 'O': out_path = optarg; break;
		case 'S': summary_path = optarg; break;
		case 'n': no_include = true; break;
		case 'r': record = true; break;
		case 'f':
			if (feed_spec_parse(optarg, &r.feeds[r.nfeeds]) != TS_OK) {
				ret = TS_EUSAGE;
				fprintf(stderr, "Try 'tldsec scan --help'.\n");
				goto out;
			}
			r.nfeeds++;
			break;
		case 't':
			if (ts_parse_uint_arg(optarg, 256, &threads) != TS_OK || threads == 0) {
				ret = cli_usage_error("scan", "--threads wants a number from 1 to 256, not '%s'", optarg);
				goto out_code;
			}
			break;
		case 'h':
			scan_help();
			ret = 0;
			goto out_code;
		default:
			ret = cli_usage_error("scan", "unknown option or missing value: '%s'", argv[optind - 1]);
			goto out_code;
		}
	}
	if (optind < argc) {
		ret = cli_usage_error("scan", "unexpected argument '%s'", argv[optind]);
		goto out_code;
	}
	if (r.zone_path == NULL || r.nfeeds == 0) {
		ret = cli_usage_error("scan", r.zone_path == NULL ? "--zone is required" : "at least one --feed is required");
		goto out_code;
	}
	if (cli_format(cli, "json", "json", "scan") < 0) {
		ret = 2;
		goto out_code;
	}
	if (threads == 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		threads = n > 0 ? (uint64_t)n : 1;
	}
	/* Without --record the records go to the callback from every parsing
	 * thread at once (zone.h's parallel_callback): the engine's lookups are
	 * thread-safe, the delegation table takes marks from every thread (one
	 * writer each) and each thread keeps its last owner. With --record the zone statistics want the records in order. */
	bool parallel = threads > 1 && !record && plain_file(r.zone_path);
	r.nmemo = parallel ? (unsigned)threads : 1;
	r.memo = ts_calloc(r.nmemo, sizeof(*r.memo));
	r.smemo = ts_calloc(r.nmemo, sizeof(*r.smemo));
	if (r.memo == NULL || r.smemo == NULL) {
		ret = TS_ENOMEM;
		goto out;
	}
	for (unsigned i = 0; i < r.nmemo; i++) {
		r.memo[i].len = r.smemo[i].len = (size_t)-1;
		r.smemo[i].block = UINT64_MAX;
	}
	if ((ret = delegset_new(&r.dset, r.nmemo)) != TS_OK)
		goto out;
	if (record && (ret = zonestats_new(&r.zs, 0, zonestats_expect(r.zone_path))) != TS_OK)
		goto out;
	/* as `zone stats` does: the statistics' tables filled in a thread of their own */
	if (r.zs != NULL && threads > 1 && (ret = zonestats_use_thread(r.zs)) != TS_OK)
		goto out;
	if (r.origin != NULL) {
		const char *why;
		size_t at;
		if (name_from_text(r.origin, strlen(r.origin), NULL, &r.apex, &why, &at) != TS_OK) {
			ret = cli_usage_error("scan", "--origin '%s': %s", r.origin, why);
			goto out_code;
		}
		/* The feeds are read before the zone, so a missing feed fails fast. */
		if ((ret = scan_prepare(&r)) != TS_OK)
			goto out;
		if (r.zs != NULL && (ret = zonestats_set_apex(r.zs, r.apex.text, r.apex.len)) != TS_OK)
			goto out;
	}

	uint64_t t0 = ts_mono_ns();
	ts_progress_init(&r.progress, "scan", 0, !cli->quiet);
	zone_opts_t zo = {
		.origin = r.origin,
		.default_ttl = 3600,
		.no_include = no_include,
		.threads = (unsigned)threads,
		.decode = record ? ZONESTATS_DECODE : 0,
		.parallel_callback = parallel,
		/* a block parsed on a guess leaves a journal of its marks rather
		 * than its records (zone.h) */
		.spec_fn = parallel ? scan_spec_rr : NULL,
		.journal_fn = parallel ? scan_journal : NULL,
		.progress = scan_progress,
		.progress_user = &r,
	};
	zone_totals_t zt = { 0 };
	ret = zone_scan_file(r.zone_path, &zo, scan_rr, &r, &zt);
	ts_progress_done(&r.progress);
	/* every thread's last owner */
	for (unsigned i = 0; ret == TS_OK && i < r.nmemo; i++)
		ret = memo_flush(&r, &r.memo[i], i);
	if (ret == TS_OK && !r.ready) {
		ts_log(TS_LOG_ERR, "%s: the zone has no records", r.zone_path);
		ret = TS_EINPUT;
	}
	if (ret != TS_OK)
		goto out;

	if ((ret = afile_open(&out, out_path)) != TS_OK)
		goto out;
	out_open = true;
	scan_counts_t sc;
	if ((ret = scan_finish(r.scan, out.fp, &sc)) != TS_OK)
		goto out;
	uint64_t recorded[2] = { 0, 0 };
	if (record) {
		store_scan_t rec;
		dbuf_t feeds, top;
		dbuf_init(&feeds, TS_MAX_OUTPUT_BUF);
		dbuf_init(&top, TS_MAX_OUTPUT_BUF);
		ret = scan_record_fill(&r, &zt, &sc, &feeds, &top, &rec);
		/* The database first: when it refuses, no file is left either. */
		int rc = ret == TS_OK ? record_findings(cli, r.scan, &rec, recorded) : 0;
		dbuf_free(&feeds);
		dbuf_free(&top);
		if (ret != TS_OK)
			goto out;
		if (rc != 0) {
			ret = rc;
			goto out_code;
		}
	}
	double seconds = (double)(ts_mono_ns() - t0) / 1e9;
	if (summary_path != NULL) {
		if ((ret = afile_open(&sum, summary_path)) != TS_OK)
			goto out;
		sum_open = true;
		ret = write_summary(&r, &zt, &sc, seconds, record ? recorded : NULL, sum.fp);
	} else {
		ret = write_summary(&r, &zt, &sc, seconds, record ? recorded : NULL, stderr);
	}
	if (ret != TS_OK)
		goto out;
	/* Both files land, or neither. */
	if ((ret = afile_commit(&out)) != TS_OK)
		goto out;
	out_open = false;
	if (sum_open) {
		ret = afile_commit(&sum);
		sum_open = false;
	}
out:
	if (ret == TS_EIO)
		ts_log(TS_LOG_ERR, "cannot write the output");
	else if (ret == TS_ENOMEM)
		ts_log(TS_LOG_ERR, "out of memory");
	ret = cli_exit(ret);
out_code:
	if (out_open)
		afile_abort(&out);
	if (sum_open)
		afile_abort(&sum);
	for (size_t i = 0; r.feeds != NULL && i < r.nfeeds; i++)
		feed_spec_free(&r.feeds[i]);
	ts_free(r.feeds);
	ts_free(r.fstats);
	scan_free(&r.scan);
	delegset_free(&r.dset);
	ts_free(r.memo);
	ts_free(r.smemo);
	pthread_mutex_destroy(&r.progress_lock);
	zonestats_free(&r.zs);
	return ret;
}
