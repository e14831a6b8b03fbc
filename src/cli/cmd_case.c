/* cmd_case.c — `tldsec case list|show|ack|assess|act|undo|close|reopen`. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "base/arena.h"
#include "base/clock.h"
#include "cli/desk_cli.h"
#include "cli/out.h"

static const struct verb {
	const char *name;
	const char *usage;
} verbs[] = {
	{ "list", "Usage: tldsec case list [--state STATE] [--overdue] [--priority P] [--format table|json|csv]\n\n"
	          "Lists cases, most urgent first (priority, urgent claims, the running clock's due time).\n"
	          "  --state STATE   new, acknowledged, assessed, actioned, closed\n"
	          "  --overdue       only cases whose running clock (acknowledgement while new, response\n"
	          "                  while acknowledged) has passed: now later than the due time\n"
	          "  --priority P    high, standard, low\n" },
	{ "show", "Usage: tldsec case show ID [--format table|json]\n\n"
	          "Shows a case with its reports, actions and messages. Reporter contacts are redacted\n"
	          "unless --show-personal-data.\n" },
	{ "ack", "Usage: tldsec case ack ID [--message TEXT]\n\n"
	         "Acknowledges the case (new -> acknowledged); every reporter of the case gets an\n"
	         "acknowledgement, with TEXT added. The response clock starts from now.\n" },
	{ "assess", "Usage: tldsec case assess ID --validity confirmed|false-positive|insufficient-evidence\n"
	            "                  --registration malicious|compromised|unknown\n"
	            "                  --responsible registrar|hosting|registrant|registry|other [--note TEXT]\n\n"
	            "Records the assessment (acknowledged or assessed -> assessed); every reporter gets\n"
	            "it with the intended course of action.\n" },
	{ "act", "Usage: tldsec case act ID --action ACTION [--court-order REF] [--sinkhole-ns HOST]...\n"
	         "                  [--gaining-registrar ID] [--reason TEXT] [--force]\n\n"
	         "Takes an action (assessed or actioned -> actioned), records the state before it and\n"
	         "prints the command that undoes it.\n"
	         "  ACTION: refer-registrar, suspend, lock, redirect, transfer, delete, no-action (needs\n"
	         "  --reason), and for unregistered names block, reserve, register.\n"
	         "  Actions listed in [actions] court_order_required are refused without --court-order.\n"
	         "  suspend on a domain assessed compromised is refused without --force.\n"
	         "  redirect needs --sinkhole-ns (up to 8); transfer needs --gaining-registrar.\n"
	         "  refer-registrar is refused on a confidential case.\n" },
	{ "undo", "Usage: tldsec case undo ACTION_ID\n\n"
	          "Restores the domain and the case to the state recorded by the action. Only the\n"
	          "latest action of a case still in force can be undone, and not on a closed case.\n" },
	{ "close", "Usage: tldsec case close ID [--outcome TEXT]\n\n"
	           "Closes the case (assessed or actioned -> closed); every reporter gets the outcome.\n" },
	{ "reopen", "Usage: tldsec case reopen ID [--reason TEXT]\n\n"
	            "Reopens a closed case (closed -> assessed), to re-assess, act or close it again.\n" },
};

#define N_VERBS (sizeof(verbs) / sizeof(verbs[0]))

static const char *usage_of(const char *name)
{
	for (size_t i = 0; i < N_VERBS; i++)
		if (strcmp(verbs[i].name, name) == 0)
			return verbs[i].usage;
	return "";
}

static int help_all(void)
{
	printf("Usage: tldsec case list|show|ack|assess|act|undo|close|reopen ...\n");
	for (size_t i = 0; i < N_VERBS; i++)
		printf("\n%s", verbs[i].usage);
	return 0;
}

static int open_desk(cli_t *cli, policy_t *pol, desk_t **d)
{
	return cli_desk_open(cli, pol, false, d);
}

/* ---- list ---- */

static const out_col_t list_cols[] = {
	{ "id", OUT_NUM, 6 }, { "domain", OUT_STR, 24 }, { "threat", OUT_STR, 9 }, { "state", OUT_STR, 12 },
	{ "priority", OUT_STR, 8 }, { "urgent_claim", OUT_BOOL, 12 }, { "received_at", OUT_STR, 20 },
	{ "clock", OUT_STR, 8 }, { "due", OUT_STR, 20 }, { "overdue", OUT_BOOL, 7 },
};

struct list_ctx {
	out_t o;
	int64_t now;
};

static int list_one(void *user, const store_case_t *c)
{
	struct list_ctx *x = user;
	char id[24], t1[21], t2[21];
	int64_t due;
	const char *clock = desk_case_clock(c, &due);
	snprintf(id, sizeof(id), "%" PRId64, c->id);
	const char *vals[] = { id, c->domain, c->threat, c->state, c->priority, c->urgent_claim ? "true" : "false",
		               cli_time(c->received_at, t1), clock, clock != NULL ? cli_time(due, t2) : NULL,
		               desk_case_overdue(c, x->now) ? "true" : "false" };
	out_row(&x->o, vals);
	return ferror(x->o.fp) ? TS_EIO : TS_OK;
}

static int do_list(cli_t *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "state", required_argument, NULL, 's' }, { "overdue", no_argument, NULL, 'o' },
		{ "priority", required_argument, NULL, 'p' }, { "help", no_argument, NULL, 'h' }, { 0 }
	};
	store_case_filter_t f = { 0 };
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 's': f.state = optarg; break;
		case 'o': f.overdue = true; break;
		case 'p': f.priority = optarg; break;
		case 'h': fputs(usage_of("list"), stdout); return 0;
		default: return cli_usage_error("case list", "unknown option or missing value: %s", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error("case list", "unexpected argument '%s'", argv[optind]);
	static const char *const states[] = { "new", "acknowledged", "assessed", "actioned", "closed" };
	static const char *const prios[] = { "high", "standard", "low" };
	bool ok = f.state == NULL;
	for (size_t i = 0; i < 5 && !ok; i++)
		ok = strcmp(f.state, states[i]) == 0;
	if (!ok)
		return cli_usage_error("case list", "--state: one of new, acknowledged, assessed, actioned, closed");
	ok = f.priority == NULL;
	for (size_t i = 0; i < 3 && !ok; i++)
		ok = strcmp(f.priority, prios[i]) == 0;
	if (!ok)
		return cli_usage_error("case list", "--priority: one of high, standard, low");
	int fmt = cli_format(cli, "table,json,csv", "table", "case list");
	if (fmt < 0)
		return 2;
	policy_t pol;
	desk_t *d = NULL;
	desk_err_t err = { 0 };
	int rc = open_desk(cli, &pol, &d);
	if (rc != 0)
		return rc;
	struct list_ctx x;
	out_begin(&x.o, stdout, fmt, list_cols, sizeof(list_cols) / sizeof(list_cols[0]));
	if (ts_now(&x.now) != TS_OK) {
		desk_close(&d);
		fprintf(stderr, "tldsec: TLDSEC_NOW is not an ISO 8601 time\n");
		return 1;
	}
	int ret = desk_case_list(d, &f, list_one, &x, &err);
	rc = out_end(&x.o);
	if (ret != TS_OK)
		rc = cli_desk_error(&err, NULL);
	desk_close(&d);
	return rc;
}

/* ---- show ---- */

static json_t *jstr(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static json_t *jtime(int64_t t)
{
	char b[21];
	return t != 0 ? json_string(cli_time(t, b)) : json_null();
}

static json_t *case_json(const desk_case_view_t *v, bool show)
{
	const store_case_t *c = &v->c;
	int64_t due;
	const char *clock = desk_case_clock(c, &due);
	json_t *o = json_object(), *reps = json_array(), *acts = json_array(), *msgs = json_array();
	if (o == NULL || reps == NULL || acts == NULL || msgs == NULL) {
		json_decref(o); json_decref(reps); json_decref(acts); json_decref(msgs);
		return NULL;
	}
	json_object_set_new(o, "id", json_integer(c->id));
	json_object_set_new(o, "domain", json_string(c->domain));
	json_object_set_new(o, "threat", json_string(c->threat));
	json_object_set_new(o, "state", json_string(c->state));
	json_object_set_new(o, "priority", json_string(c->priority));
	json_object_set_new(o, "urgent_claim", json_boolean(c->urgent_claim));
	json_object_set_new(o, "confidential", json_boolean(c->confidential));
	json_object_set_new(o, "registered", json_boolean(c->registered));
	json_object_set_new(o, "received_at", jtime(c->received_at));
	json_object_set_new(o, "ack_due", jtime(c->ack_due));
	json_object_set_new(o, "response_due", jtime(c->response_due));
	json_object_set_new(o, "acked_at", jtime(c->acked_at));
	json_object_set_new(o, "assessed_at", jtime(c->assessed_at));
	json_object_set_new(o, "closed_at", jtime(c->closed_at));
	json_object_set_new(o, "clock", jstr(clock));
	json_object_set_new(o, "overdue", json_boolean(desk_case_overdue(c, v->now)));
	json_object_set_new(o, "validity", jstr(c->validity));
	json_object_set_new(o, "registration", jstr(c->registration));
	json_object_set_new(o, "responsible", jstr(c->responsible));
	json_object_set_new(o, "note", jstr(c->note));
	json_object_set_new(o, "outcome", jstr(c->outcome));
	json_object_set_new(o, "personal_data_purged", json_boolean(c->purged));
	for (size_t i = 0; i < v->n_reports; i++) {
		const store_report_t *r = &v->reports[i];
		json_t *x = json_object();
		json_object_set_new(x, "id", json_integer(r->id));
		json_object_set_new(x, "reporter_id", r->reporter_id != 0 ? json_integer(r->reporter_id) : json_null());
		json_object_set_new(x, "tier", json_string(r->tier));
		json_object_set_new(x, "verified", json_boolean(r->verified));
		json_object_set_new(x, "origin", json_string(r->origin));
		json_object_set_new(x, "received_at", jtime(r->received_at));
		json_object_set_new(x, "priority", json_string(r->priority));
		json_object_set_new(x, "urgent_claim", json_boolean(r->urgent_claim));
		json_object_set_new(x, "flags", json_string(r->flags));
		json_object_set_new(x, "confidential", json_boolean(r->confidential));
		json_object_set_new(x, "contact_name", jstr(desk_redact(r->contact_name, show)));
		json_object_set_new(x, "contact_email", jstr(desk_redact(r->contact_email, show)));
		json_object_set_new(x, "contact_organization", jstr(desk_redact(r->contact_org, show)));
		json_t *body = json_loads(r->body, 0, NULL);
		if (body != NULL && !show)
			json_object_del(body, "reporter");
		json_object_set_new(x, "body", body != NULL ? body : json_null());
		json_array_append_new(reps, x);
	}
	for (size_t i = 0; i < v->n_actions; i++) {
		const store_action_t *a = &v->actions[i];
		char undo[64];
		snprintf(undo, sizeof(undo), "tldsec case undo %" PRId64, a->id);
		json_t *x = json_object();
		json_object_set_new(x, "id", json_integer(a->id));
		json_object_set_new(x, "kind", json_string(a->kind));
		json_object_set_new(x, "at", jtime(a->created_at));
		json_object_set_new(x, "actor", json_string(a->actor));
		json_object_set_new(x, "court_order", jstr(a->court_order));
		json_object_set_new(x, "reason", jstr(a->reason));
		json_object_set_new(x, "sinkhole_ns", jstr(a->sinkhole_ns));
		json_object_set_new(x, "gaining_registrar", jstr(a->gaining_registrar));
		json_object_set_new(x, "forced", json_boolean(a->forced));
		json_object_set_new(x, "prior_state", json_string(a->prior_case_state));
		json_object_set_new(x, "prior_domain", json_loads(a->prior_domain, 0, NULL));
		json_object_set_new(x, "reversal", json_string(a->undo_command));
		json_object_set_new(x, "undo", a->undone_at == 0 ? json_string(undo) : json_null());
		json_object_set_new(x, "undone_at", jtime(a->undone_at));
		json_array_append_new(acts, x);
	}
	for (size_t i = 0; i < v->n_msgs; i++) {
		const store_msg_t *m = &v->msgs[i];
		json_t *x = json_object();
		json_object_set_new(x, "id", json_integer(m->id));
		json_object_set_new(x, "kind", json_string(m->kind));
		json_object_set_new(x, "recipient", json_string(m->recipient));
		json_object_set_new(x, "to", jstr(desk_redact(m->to_addr, show)));
		json_object_set_new(x, "report_id", m->report_id != 0 ? json_integer(m->report_id) : json_null());
		json_object_set_new(x, "subject", json_string(m->subject));
		json_object_set_new(x, "created_at", jtime(m->created_at));
		json_object_set_new(x, "exported_at", jtime(m->exported_at));
		json_array_append_new(msgs, x);
	}
	json_object_set_new(o, "reports", reps);
	json_object_set_new(o, "actions", acts);
	json_object_set_new(o, "messages", msgs);
	return o;
}

static void show_table(const desk_case_view_t *v, bool show)
{
	const store_case_t *c = &v->c;
	char t[6][21];
	int64_t due;
	const char *clock = desk_case_clock(c, &due);
	printf("case %" PRId64 ": %s (%s)\n", c->id, c->domain, c->threat);
	printf("  state:        %s\n  priority:     %s%s%s\n", c->state, c->priority,
	       c->urgent_claim ? " (urgent claim)" : "", c->confidential ? ", confidential" : "");
	printf("  received_at:  %s\n  ack_due:      %s%s%s\n  response_due: %s\n",
	       cli_time(c->received_at, t[0]), cli_time(c->ack_due, t[1]), c->acked_at != 0 ? "  acknowledged " : "",
	       c->acked_at != 0 ? cli_time(c->acked_at, t[2]) : "", cli_time(c->response_due, t[3]));
	if (clock != NULL)
		printf("  clock:        %s due %s%s\n", clock, cli_time(due, t[4]),
		       desk_case_overdue(c, v->now) ? " (OVERDUE)" : "");
	if (c->validity != NULL)
		printf("  assessment:   %s, registration %s, responsible %s\n", c->validity, c->registration,
		       c->responsible);
	if (c->note != NULL)
		printf("  note:         %s\n", c->note);
	if (c->outcome != NULL)
		printf("  outcome:      %s (closed %s)\n", c->outcome, cli_time(c->closed_at, t[5]));
	printf("  reports:\n");
	for (size_t i = 0; i < v->n_reports; i++) {
		const store_report_t *r = &v->reports[i];
		char who[64] = "unauthenticated";
		if (r->reporter_id != 0)
			snprintf(who, sizeof(who), "reporter %" PRId64, r->reporter_id);
		printf("    %" PRId64 "  %s  %s (%s%s)  %s  %s%s%s\n", r->id, cli_time(r->received_at, t[0]), who, r->tier,
		       r->verified ? ", verified" : "", r->priority, r->flags[0] != '\0' ? r->flags : "no flags",
		       r->contact_email != NULL ? "  contact " : "",
		       r->contact_email != NULL ? desk_redact(r->contact_email, show) : "");
	}
	if (v->n_actions > 0)
		printf("  actions:\n");
	for (size_t i = 0; i < v->n_actions; i++) {
		const store_action_t *a = &v->actions[i];
		printf("    %" PRId64 "  %s  %-15s by %s%s%s", a->id, cli_time(a->created_at, t[0]), a->kind, a->actor,
		       a->court_order != NULL ? ", court order " : "", a->court_order != NULL ? a->court_order : "");
		if (a->undone_at != 0)
			printf("  (undone %s)\n", cli_time(a->undone_at, t[1]));
		else
			printf("  undo: tldsec case undo %" PRId64 "\n", a->id);
	}
	if (v->n_msgs > 0)
		printf("  messages:\n");
	for (size_t i = 0; i < v->n_msgs; i++) {
		const store_msg_t *m = &v->msgs[i];
		printf("    %" PRId64 "  %-15s to %s %s%s\n", m->id, m->kind, m->recipient,
		       m->to_addr != NULL ? desk_redact(m->to_addr, show) : "(no address)",
		       m->exported_at != 0 ? "  exported" : "");
	}
}

static int do_show(cli_t *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		fputs(usage_of("show"), stdout);
		return 0;
	}
	if (argc != 2)
		return cli_usage_error("case show", "one case id is needed");
	int64_t id = cli_id_arg("case show", argv[1]);
	if (id < 0)
		return 2;
	int fmt = cli_format(cli, "table,json", "table", "case show");
	if (fmt < 0)
		return 2;
	policy_t pol;
	desk_t *d = NULL;
	desk_err_t err = { 0 };
	desk_case_view_t v;
	arena_t *a = arena_new(64 * 1024);
	if (a == NULL)
		return 4;
	int rc = open_desk(cli, &pol, &d);
	if (rc != 0) {
		arena_free(&a);
		return rc;
	}
	if (desk_case_show(d, id, a, &v, &err) != TS_OK ||
	    (cli->show_personal && desk_audit_disclosure(d, "case show", &err) != TS_OK)) {
		rc = cli_desk_error(&err, NULL);
	} else if (fmt == 1) {
		json_t *o = case_json(&v, cli->show_personal);
		if (o == NULL || json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0)
			rc = 4;
		else
			putchar('\n');
		json_decref(o);
	} else {
		show_table(&v, cli->show_personal);
	}
	desk_close(&d);
	arena_free(&a);
	return rc == 0 && fflush(stdout) != 0 ? 4 : rc;
}

/* ---- state changes ---- */

static int finish(desk_t **d, int ret, const desk_err_t *err)
{
	int rc = ret == TS_OK ? 0 : cli_desk_error(err, NULL);
	desk_close(d);
	return rc;
}

static int do_change(cli_t *cli, const char *verb, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "message", required_argument, NULL, 'm' }, { "validity", required_argument, NULL, 'V' },
		{ "registration", required_argument, NULL, 'R' }, { "responsible", required_argument, NULL, 'P' },
		{ "note", required_argument, NULL, 'n' }, { "action", required_argument, NULL, 'a' },
		{ "court-order", required_argument, NULL, 'c' }, { "sinkhole-ns", required_argument, NULL, 's' },
		{ "gaining-registrar", required_argument, NULL, 'g' }, { "reason", required_argument, NULL, 'r' },
		{ "force", no_argument, NULL, 'f' }, { "outcome", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' }, { 0 }
	};
	/* which options each verb takes */
	static const struct { const char *verb; const char *opts; } allowed[] = {
		{ "ack", "m" }, { "assess", "VRPn" }, { "act", "acsgrf" }, { "undo", "" }, { "close", "o" },
		{ "reopen", "r" },
	};
	const char *ok = "";
	for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		if (strcmp(allowed[i].verb, verb) == 0)
			ok = allowed[i].opts;
	char cmd[32];
	snprintf(cmd, sizeof(cmd), "case %s", verb);
	const char *message = NULL, *validity = NULL, *registration = NULL, *responsible = NULL, *note = NULL,
	           *outcome = NULL;
	desk_action_in_t act = { 0 };
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'h') {
			fputs(usage_of(verb), stdout);
			return 0;
		}
		if (c == '?' || c == ':' || strchr(ok, c) == NULL)
			return cli_usage_error(cmd, "unknown option or missing value: %s", argv[optind - 1]);
		switch (c) {
		case 'm': message = optarg; break;
		case 'V': validity = optarg; break;
		case 'R': registration = optarg; break;
		case 'P': responsible = optarg; break;
		case 'n': note = optarg; break;
		case 'a': act.kind = optarg; break;
		case 'c': act.court_order = optarg; break;
		case 's':
			if (act.n_sinkhole == sizeof(act.sinkhole_ns) / sizeof(act.sinkhole_ns[0]))
				return cli_usage_error(cmd, "at most 8 --sinkhole-ns");
			act.sinkhole_ns[act.n_sinkhole++] = optarg;
			break;
		case 'g': act.gaining_registrar = optarg; break;
		case 'r': act.reason = optarg; break;
		case 'f': act.force = true; break;
		case 'o': outcome = optarg; break;
		default: break;
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(cmd, "one %s id is needed", strcmp(verb, "undo") == 0 ? "action" : "case");
	int64_t id = cli_id_arg(cmd, argv[optind]);
	if (id < 0)
		return 2;
	if (strcmp(verb, "assess") == 0 && (validity == NULL || registration == NULL || responsible == NULL))
		return cli_usage_error(cmd, "--validity, --registration and --responsible are required");
	if (strcmp(verb, "act") == 0 && act.kind == NULL)
		return cli_usage_error(cmd, "--action is required");
	policy_t pol;
	desk_t *d = NULL;
	desk_err_t err = { 0 };
	int rc = open_desk(cli, &pol, &d);
	if (rc != 0)
		return rc;
	int ret;
	if (strcmp(verb, "ack") == 0) {
		ret = desk_case_ack(d, id, message, &err);
		if (ret == TS_OK && !cli->quiet)
			printf("case %" PRId64 " acknowledged\n", id);
	} else if (strcmp(verb, "assess") == 0) {
		ret = desk_case_assess(d, id, validity, registration, responsible, note, &err);
		if (ret == TS_OK && !cli->quiet)
			printf("case %" PRId64 " assessed: %s, %s, %s\n", id, validity, registration, responsible);
	} else if (strcmp(verb, "act") == 0) {
		int64_t action_id = 0;
		char undo[DESK_UNDO_TEXT];
		ret = desk_case_act(d, id, &act, &action_id, undo, &err);
		if (ret == TS_OK)
			printf("action %" PRId64 ": %s on case %" PRId64 "\nundo: %s\n", action_id, act.kind, id, undo);
	} else if (strcmp(verb, "undo") == 0) {
		int64_t case_id = 0;
		ret = desk_case_undo(d, id, &case_id, &err);
		if (ret == TS_OK && !cli->quiet)
			printf("action %" PRId64 " undone; case %" PRId64 " restored\n", id, case_id);
	} else if (strcmp(verb, "close") == 0) {
		ret = desk_case_close(d, id, outcome, &err);
		if (ret == TS_OK && !cli->quiet)
			printf("case %" PRId64 " closed\n", id);
	} else {
		ret = desk_case_reopen(d, id, act.reason, &err);
		if (ret == TS_OK && !cli->quiet)
			printf("case %" PRId64 " reopened\n", id);
	}
	return finish(&d, ret, &err);
}

int cmd_case(cli_t *cli, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error("case", "a sub-command is needed: list, show, ack, assess, act, undo, close, reopen");
	const char *v = argv[1];
	if (strcmp(v, "-h") == 0 || strcmp(v, "--help") == 0)
		return help_all();
	if (strcmp(v, "list") == 0)
		return do_list(cli, argc - 1, argv + 1);
	if (strcmp(v, "show") == 0)
		return do_show(cli, argc - 1, argv + 1);
	for (size_t i = 2; i < N_VERBS; i++)
		if (strcmp(v, verbs[i].name) == 0)
			return do_change(cli, v, argc - 1, argv + 1);
	return cli_usage_error("case", "unknown sub-command '%s' (list, show, ack, assess, act, undo, close, reopen)", v);
}
