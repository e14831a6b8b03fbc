/* cmd_export.c — `tldsec export epp|zone|rpz|reserved`: the desk's actions
 * as registry operations consume them. The desk's store says what holds now
 * (store_domain_list) and what was done (store_action_list); the writers are
 * in src/export/. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "base/alloc.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/log.h"
#include "cli/desk_cli.h"
#include "cli/out.h"
#include "export/epp.h"
#include "export/reserved.h"
#include "export/rpz.h"
#include "export/zone.h"

static const char usage_epp[] =
	"Usage: tldsec export epp [--pending] [--dir DIR] [--zone ZONE [--origin NAME]] [--format table|json|csv]\n\n"
	"Writes one RFC 5730/5731 <epp> command per action and the command that undoes it, as\n"
	"DIR/case-C-action-A-do.xml and DIR/case-C-action-A-undo.xml (clTRID tldsec-C-A-do|undo),\n"
	"each file atomically, marks the actions exported and lists what was written.\n"
	"suspend, lock, redirect, transfer, delete and register have commands; refer-registrar,\n"
	"no-action, block and reserve have none (they are marked exported, with no file).\n"
	"  --pending      only actions not exported before\n"
	"  --dir DIR      where the files go (created if missing; default: the current directory)\n"
	"  --zone ZONE    the zone as served before the redirects: the name servers a redirect\n"
	"                 replaces are read from it (a redirect's command is refused without them)\n"
	"  --origin NAME  the zone's initial $ORIGIN\n";
static const char usage_zone[] =
	"Usage: tldsec export zone --zone IN --out OUT [--origin NAME] [--no-include] [--one-line]\n\n"
	"Writes the zone IN as the authoritative servers must serve it now: suspended (serverHold)\n"
	"and deleted delegations removed with their glue, redirected delegations pointing at their\n"
	"sinkhole name servers (their DS removed), the SOA serial increased. The records left alone\n"
	"are copied as IN has them (comments and layout kept) and the new ones written on one line;\n"
	"when IN is gzip or stdin, has $INCLUDE, or has records without a TTL of their own or a $TTL,\n"
	"or OUT is not a file, every record is written on one line. OUT is written atomically.\n"
	"A summary goes to stderr as JSON (not with -q).\n"
	"  --zone IN      the zone file (plain or gzip; - for stdin)\n"
	"  --out OUT      the patched zone (- for stdout)\n"
	"  --origin NAME  the initial $ORIGIN\n"
	"  --no-include   refuse $INCLUDE\n"
	"  --one-line     every record on one line, even when IN could be copied\n";
static const char usage_rpz[] =
	"Usage: tldsec export rpz --origin NAME [--sinkhole ADDR]... [--out FILE]\n\n"
	"Writes a Response Policy Zone of the names suspended (serverHold) or blocked now, each\n"
	"with a trigger for its subdomains: NXDOMAIN, or with --sinkhole the given addresses.\n"
	"  --origin NAME    the policy zone's name (rpz.example.)\n"
	"  --sinkhole ADDR  an IPv4 or IPv6 address answered instead (repeatable, up to 8)\n"
	"  --out FILE       default: stdout\n";
static const char usage_reserved[] =
	"Usage: tldsec export reserved [--out FILE]\n\n"
	"Writes the names blocked or reserved now (DGA names), one per line, sorted.\n"
	"  --out FILE   default: stdout\n";

/* ---- what holds now ----------------------------------------------------- */

static bool has_status(const char *list, const char *status)
{
	size_t n = strlen(status);
	for (const char *p = list; p != NULL && *p != '\0';) {
		const char *c = strchr(p, ',');
		size_t len = c != NULL ? (size_t)(c - p) : strlen(p);
		if (len == n && memcmp(p, status, n) == 0)
			return true;
		p = c != NULL ? c + 1 : NULL;
	}
	return false;
}

/* Splits a comma-separated list into up to `cap` strings in the arena. */
static size_t split(arena_t *a, const char *list, const char **out, size_t cap)
{
	size_t n = 0;
	for (const char *p = list; p != NULL && *p != '\0' && n < cap;) {
		const char *c = strchr(p, ',');
		size_t len = c != NULL ? (size_t)(c - p) : strlen(p);
		if (len > 0 && (out[n] = arena_strndup(a, p, len)) != NULL)
			n++;
		p = c != NULL ? c + 1 : NULL;
	}
	return n;
}

enum { WANT_ZONE, WANT_RPZ, WANT_RESERVED };

struct domains {
	arena_t *a;
	int want;
	const char **names;            /* suspended (zone), listed (rpz, reserved) */
	size_t n, cap;
	export_zone_redirect_t *red;   /* zone: redirected */
	size_t nred, capred;
};

static int grow(struct domains *x, void **v, size_t *cap, size_t size)
{
	size_t nc = *cap != 0 ? *cap * 2 : 64;
	void *p = arena_alloc(x->a, nc * size);
	if (p == NULL)
		return TS_ENOMEM;
	if (*cap > 0)
		memcpy(p, *v, *cap * size);
	*v = p;
	*cap = nc;
	return TS_OK;
}

static int on_domain(void *user, const store_domain_t *d)
{
	struct domains *x = user;
	bool hold = has_status(d->statuses, "serverHold");
	bool listed;
	switch (x->want) {
	case WANT_ZONE: listed = hold || d->deleted; break;
	case WANT_RPZ: listed = (hold && !d->deleted) || d->blocked; break;
	default: listed = d->blocked || d->reserved; break;
	}
	if (listed) {
		if (x->n == x->cap && grow(x, (void **)&x->names, &x->cap, sizeof(*x->names)) != TS_OK)
			return TS_ENOMEM;
		if ((x->names[x->n] = arena_strdup(x->a, d->name)) == NULL)
			return TS_ENOMEM;
		x->n++;
		return TS_OK;
	}
	if (x->want == WANT_ZONE && d->sinkhole_ns != NULL && d->sinkhole_ns[0] != '\0') {
		if (x->nred == x->capred && grow(x, (void **)&x->red, &x->capred, sizeof(*x->red)) != TS_OK)
			return TS_ENOMEM;
		const char **ns = arena_alloc(x->a, EXPORT_ZONE_MAX_SINKHOLE * sizeof(*ns));
		export_zone_redirect_t *r = &x->red[x->nred];
		r->domain = arena_strdup(x->a, d->name);
		if (ns == NULL || r->domain == NULL)
			return TS_ENOMEM;
		r->ns = ns;
		r->nns = split(x->a, d->sinkhole_ns, ns, EXPORT_ZONE_MAX_SINKHOLE);
		x->nred++;
	}
	return TS_OK;
}

/* Opens the desk and collects the domains; prints the error on failure. */
static int load_domains(cli_t *cli, int want, struct domains *x, desk_t **d)
{
	policy_t pol;
	memset(x, 0, sizeof(*x));
	x->want = want;
	if ((x->a = arena_new(64 * 1024)) == NULL) {
		fprintf(stderr, "tldsec: out of memory\n");
		return 4;
	}
	int rc = cli_desk_open(cli, &pol, false, d);
	if (rc != 0)
		return rc;
	int ret = store_domain_list(desk_store(*d), on_domain, x);
	if (ret != TS_OK) {
		fprintf(stderr, "tldsec: reading the domains: %s\n",
		        ret == TS_ENOMEM ? "out of memory" : store_error(desk_store(*d)));
		return ts_exit_code(ret);
	}
	return 0;
}

static int get_now(int64_t *now)
{
	if (ts_now(now) != TS_OK) {
		fprintf(stderr, "tldsec: TLDSEC_NOW is not an ISO 8601 UTC time\n");
		return 1;
	}
	return 0;
}

/* ---- export zone -------------------------------------------------------- */

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int do_zone(cli_t *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "zone", required_argument, NULL, 'z' }, { "out", required_argument, NULL, 'o' },
		{ "origin", required_argument, NULL, 'r' }, { "no-include", no_argument, NULL, 'n' },
		{ "one-line", no_argument, NULL, 'l' }, { "help", no_argument, NULL, 'h' }, { 0 }
	};
	const char *in = NULL, *out = NULL, *origin = NULL;
	bool no_include = false, one_line = false;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'z': in = optarg; break;
		case 'o': out = optarg; break;
		case 'r': origin = optarg; break;
		case 'n': no_include = true; break;
		case 'l': one_line = true; break;
		case 'h': fputs(usage_zone, stdout); return 0;
		default: return cli_usage_error("export zone", "unknown option or missing value: %s", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error("export zone", "unexpected argument '%s'", argv[optind]);
	if (in == NULL || out == NULL)
		return cli_usage_error("export zone", "--zone IN and --out OUT are required");
	struct domains x;
	desk_t *d = NULL;
	int64_t now;
	int rc = load_domains(cli, WANT_ZONE, &x, &d);
	if (rc == 0)
		rc = get_now(&now);
	if (rc == 0) {
		export_zone_opts_t o = { .origin = origin, .no_include = no_include, .one_line = one_line, .suspend = x.names,
			                 .nsuspend = x.n, .redirect = x.red, .nredirect = x.nred, .now = now };
		export_zone_totals_t t;
		double t0 = mono();
		int ret = export_zone_write(in, &o, out, &t);
		double secs = mono() - t0;
		if (ret != TS_OK) {
			rc = ts_exit_code(ret);
		} else if (!cli->quiet) {
			fprintf(stderr, "{\"records_in\":%" PRIu64 ",\"records_out\":%" PRIu64 ",\"suspended\":%" PRIu64
			        ",\"redirected\":%" PRIu64 ",\"removed\":%" PRIu64 ",\"glue_removed\":%" PRIu64
			        ",\"glue_kept\":%" PRIu64 ",\"serial_old\":%u,\"serial_new\":%u,\"seconds\":%.3f"
			        ",\"mb_per_s\":%.1f}\n", t.records_in, t.records_out, t.suspended, t.redirected,
			        t.removed, t.glue_removed, t.glue_kept, (unsigned)t.serial_old, (unsigned)t.serial_new,
			        secs, secs > 0 ? (double)t.bytes_in / 1e6 / secs : 0.0);
		}
	}
	desk_close(&d);
	arena_free(&x.a);
	return rc;
}

/* ---- export rpz, export reserved ---------------------------------------- */

static int do_rpz(cli_t *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "origin", required_argument, NULL, 'r' }, { "sinkhole", required_argument, NULL, 's' },
		{ "out", required_argument, NULL, 'o' }, { "help", no_argument, NULL, 'h' }, { 0 }
	};
	const char *origin = NULL, *out = NULL;
	const char *sink[RPZ_MAX_SINKHOLE];
	size_t nsink = 0;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'r': origin = optarg; break;
		case 'o': out = optarg; break;
		case 's':
			if (nsink == RPZ_MAX_SINKHOLE)
				return cli_usage_error("export rpz", "at most %u --sinkhole addresses", RPZ_MAX_SINKHOLE);
			sink[nsink++] = optarg;
			break;
		case 'h': fputs(usage_rpz, stdout); return 0;
		default: return cli_usage_error("export rpz", "unknown option or missing value: %s", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error("export rpz", "unexpected argument '%s'", argv[optind]);
	if (origin == NULL)
		return cli_usage_error("export rpz", "--origin NAME is required");
	struct domains x;
	desk_t *d = NULL;
	int64_t now;
	int rc = load_domains(cli, WANT_RPZ, &x, &d);
	if (rc == 0)
		rc = get_now(&now);
	if (rc == 0) {
		rpz_opts_t o = { .origin = origin, .now = now, .sinkhole = sink, .nsinkhole = nsink };
		int ret = rpz_write(&o, x.names, x.n, out);
		if (ret != TS_OK)
			rc = ts_exit_code(ret);
	}
	desk_close(&d);
	arena_free(&x.a);
	return rc;
}

static int do_reserved(cli_t *cli, int argc, char **argv)
{
	const char *out = NULL;
	int rc = cli_one_option(argc, argv, "export reserved", usage_reserved, "out", &out);
	if (rc >= 0)
		return rc;
	struct domains x;
	desk_t *d = NULL;
	rc = load_domains(cli, WANT_RESERVED, &x, &d);
	if (rc == 0) {
		int ret = reserved_write(x.names, x.n, out);
		if (ret != TS_OK)
			rc = ts_exit_code(ret);
	}
	desk_close(&d);
	arena_free(&x.a);
	return rc;
}

/* ---- export epp --------------------------------------------------------- */

static const out_col_t epp_cols[] = {
	{ "action", OUT_NUM, 6 }, { "case", OUT_NUM, 5 }, { "kind", OUT_STR, 15 }, { "domain", OUT_STR, 24 },
	{ "undone", OUT_BOOL, 6 }, { "do", OUT_STR, 0 }, { "undo", OUT_STR, 0 },
};

/* The actions to export, copied out of the store's callback. */
struct acts {
	arena_t *a;
	store_action_t *v;
	size_t n, cap;
};

static const char *dup_or_null(arena_t *a, const char *s, bool *oom)
{
	if (s == NULL)
		return NULL;
	const char *r = arena_strdup(a, s);
	*oom |= r == NULL;
	return r;
}

static int on_action(void *user, const store_action_t *x)
{
	struct acts *l = user;
	if (l->n == l->cap) {
		size_t nc = l->cap != 0 ? l->cap * 2 : 64;
		store_action_t *v = arena_alloc(l->a, nc * sizeof(*v));
		if (v == NULL)
			return TS_ENOMEM;
		if (l->n > 0)
			memcpy(v, l->v, l->n * sizeof(*v));
		l->v = v;
		l->cap = nc;
	}
	bool oom = false;
	store_action_t *c = &l->v[l->n];
	*c = *x;
	c->kind = dup_or_null(l->a, x->kind, &oom);
	c->actor = NULL;
	c->court_order = NULL;
	c->reason = dup_or_null(l->a, x->reason, &oom);
	c->sinkhole_ns = dup_or_null(l->a, x->sinkhole_ns, &oom);
	c->gaining_registrar = dup_or_null(l->a, x->gaining_registrar, &oom);
	c->prior_case_state = NULL;
	c->prior_domain = dup_or_null(l->a, x->prior_domain, &oom);
	c->undo_command = NULL;
	c->domain = dup_or_null(l->a, x->domain, &oom);
	if (oom)
		return TS_ENOMEM;
	l->n++;
	return TS_OK;
}

/* Prior name servers of the redirected domains, from --zone. */
struct prior {
	arena_t *a;
	const char **domains;
	const char *(*ns)[EPP_MAX_NS];
	size_t *nns;
};

static int on_prior_ns(void *user, size_t i, const char *ns)
{
	struct prior *p = user;
	if (p->nns[i] == EPP_MAX_NS) {
		ts_log(TS_LOG_ERR, "%s has more than %u name servers in the zone", p->domains[i], EPP_MAX_NS);
		return TS_EINPUT;
	}
	if ((p->ns[i][p->nns[i]] = arena_strdup(p->a, ns)) == NULL)
		return TS_ENOMEM;
	p->nns[i]++;
	return TS_OK;
}

static unsigned status_bits(const char *list)
{
	static const struct { const char *name; unsigned bit; } st[] = {
		{ "serverHold", EPP_ST_HOLD }, { "serverUpdateProhibited", EPP_ST_UPDATE_PROHIBITED },
		{ "serverDeleteProhibited", EPP_ST_DELETE_PROHIBITED },
		{ "serverTransferProhibited", EPP_ST_TRANSFER_PROHIBITED },
		{ "serverRenewProhibited", EPP_ST_RENEW_PROHIBITED },
	};
	unsigned bits = 0;
	for (size_t i = 0; i < sizeof(st) / sizeof(st[0]); i++)
		if (has_status(list, st[i].name))
			bits |= st[i].bit;
	return bits;
}

static int do_epp(cli_t *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pending", no_argument, NULL, 'p' }, { "dir", required_argument, NULL, 'd' },
		{ "zone", required_argument, NULL, 'z' }, { "origin", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' }, { 0 }
	};
	const char *dir = ".", *zone = NULL, *origin = NULL;
	bool pending = false;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'p': pending = true; break;
		case 'd': dir = optarg; break;
		case 'z': zone = optarg; break;
		case 'r': origin = optarg; break;
		case 'h': fputs(usage_epp, stdout); return 0;
		default: return cli_usage_error("export epp", "unknown option or missing value: %s", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error("export epp", "unexpected argument '%s'", argv[optind]);
	if (origin != NULL && zone == NULL)
		return cli_usage_error("export epp", "--origin goes with --zone");
	int fmt = cli_format(cli, "table,json,csv", "table", "export epp");
	if (fmt < 0)
		return 2;

	policy_t pol;
	desk_t *d = NULL;
	desk_err_t err = { 0 };
	struct acts l = { 0 };
	struct prior pr = { 0 };
	int64_t *done = NULL;
	size_t ndone = 0;
	int64_t now;
	bool failed = false;
	out_t o;
	int ret, rc = get_now(&now);
	if (rc != 0)
		return rc;
	if ((l.a = arena_new(64 * 1024)) == NULL) {
		fprintf(stderr, "tldsec: out of memory\n");
		return 4;
	}
	if ((rc = cli_desk_open(cli, &pol, false, &d)) != 0)
		goto out;
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "tldsec: %s: cannot create the directory: %s\n", dir, strerror(errno));
		rc = 4;
		goto out;
	}
	if ((ret = store_action_list(desk_store(d), pending, on_action, &l)) != TS_OK) {
		fprintf(stderr, "tldsec: reading the actions: %s\n",
		        ret == TS_ENOMEM ? "out of memory" : store_error(desk_store(d)));
		rc = ts_exit_code(ret);
		goto out;
	}
	pr.a = l.a;
	pr.domains = arena_calloc(l.a, (l.n + 1) * sizeof(*pr.domains));
	pr.ns = arena_calloc(l.a, (l.n + 1) * sizeof(*pr.ns));
	pr.nns = arena_calloc(l.a, (l.n + 1) * sizeof(*pr.nns));
	done = ts_malloc((l.n + 1) * sizeof(*done));
	if (pr.domains == NULL || pr.ns == NULL || pr.nns == NULL || done == NULL) {
		fprintf(stderr, "tldsec: out of memory\n");
		rc = 4;
		goto out;
	}
	for (size_t i = 0; i < l.n; i++)
		pr.domains[i] = l.v[i].domain;
	if (zone != NULL && (ret = export_zone_ns(zone, origin, pr.domains, l.n, on_prior_ns, &pr)) != TS_OK) {
		rc = ts_exit_code(ret);
		goto out;
	}

	out_begin(&o, stdout, fmt, epp_cols, sizeof(epp_cols) / sizeof(epp_cols[0]));
	for (size_t i = 0; i < l.n; i++) {
		const store_action_t *x = &l.v[i];
		epp_kind_t kind;
		char id[24], cs[24], pdo[4096], pundo[4096];
		snprintf(id, sizeof(id), "%" PRId64, x->id);
		snprintf(cs, sizeof(cs), "%" PRId64, x->case_id);
		if (epp_kind_parse(x->kind, &kind) != TS_OK || !epp_kind_has_command(kind)) {
			done[ndone++] = x->id;   /* nothing to send: a message, a list, or nothing */
			continue;
		}
		store_domain_t prior;
		if ((ret = desk_action_prior(x, l.a, &prior)) != TS_OK) {
			fprintf(stderr, "tldsec: action %" PRId64 ": its recorded prior state is unreadable\n", x->id);
			failed = true;
			continue;
		}
		const char *sink[EPP_MAX_NS];
		const char *before[EPP_MAX_NS];
		size_t nbefore = 0;
		epp_action_t a = { .kind = kind, .domain = x->domain, .case_id = (uint64_t)x->case_id,
			           .action_id = (uint64_t)x->id, .reason = x->reason,
			           .prior_status = status_bits(prior.statuses) };
		if (kind == EPP_REDIRECT) {
			a.ns = sink;
			a.nns = split(l.a, x->sinkhole_ns, sink, EPP_MAX_NS);
			if (prior.sinkhole_ns != NULL) {           /* redirected before: back to that sinkhole */
				nbefore = split(l.a, prior.sinkhole_ns, before, EPP_MAX_NS);
			} else if (pr.nns[i] > 0) {
				nbefore = pr.nns[i];
				memcpy(before, pr.ns[i], nbefore * sizeof(*before));
			} else {
				fprintf(stderr, "tldsec: action %" PRId64 ": the name servers of %s before the redirect are not "
				        "known%s: give the zone as served before it with --zone\n", x->id, x->domain,
				        zone != NULL ? " (not delegated in the zone)" : "");
				failed = true;
				continue;
			}
			a.prior_ns = before;
			a.nprior_ns = nbefore;
		} else if (kind == EPP_TRANSFER) {
			a.gaining_registrar = x->gaining_registrar;
			a.prior_registrar = prior.registrar;
			if (prior.registrar == NULL) {
				fprintf(stderr, "tldsec: action %" PRId64 ": the registrar of %s before the transfer is not known "
				        "(no registration data for it when the action was recorded): no command written; "
				        "import registration data with 'tldsec registrations import', then undo the "
				        "action and act again\n", x->id, x->domain);
				failed = true;
				continue;
			}
		}
		snprintf(pdo, sizeof(pdo), "%s/case-%" PRId64 "-action-%" PRId64 "-do.xml", dir, x->case_id, x->id);
		snprintf(pundo, sizeof(pundo), "%s/case-%" PRId64 "-action-%" PRId64 "-undo.xml", dir, x->case_id, x->id);
		if (epp_write(&a, EPP_DO, pdo) != TS_OK || epp_write(&a, EPP_UNDO, pundo) != TS_OK) {
			fprintf(stderr, "tldsec: action %" PRId64 " (%s of %s): no command written\n", x->id, x->kind,
			        x->domain);
			failed = true;
			continue;
		}
		done[ndone++] = x->id;
		const char *vals[] = { id, cs, x->kind, x->domain, x->undone_at != 0 ? "true" : "false", pdo, pundo };
		out_row(&o, vals);
	}
	rc = out_end(&o);
	if (desk_actions_exported(d, done, ndone, now, &err) != TS_OK)
		rc = cli_desk_error(&err, NULL);
	else if (rc == 0 && failed)
		rc = 1;
out:
	ts_free(done);
	desk_close(&d);
	arena_free(&l.a);
	return rc;
}

int cmd_export(cli_t *cli, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error("export", "a sub-command is needed: epp, zone, rpz, reserved");
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		printf("Usage: tldsec export epp|zone|rpz|reserved ...\n\n%s\n%s\n%s\n%s", usage_epp, usage_zone,
		       usage_rpz, usage_reserved);
		return 0;
	}
	if (strcmp(argv[1], "epp") == 0)
		return do_epp(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "zone") == 0)
		return do_zone(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "rpz") == 0)
		return do_rpz(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "reserved") == 0)
		return do_reserved(cli, argc - 1, argv + 1);
	return cli_usage_error("export", "unknown sub-command '%s' (epp, zone, rpz, reserved)", argv[1]);
}
