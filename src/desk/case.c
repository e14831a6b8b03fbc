/* case.c — reports into cases, and the case state machine:
 *   new → acknowledged → assessed → actioned → closed,
 *   assessed → closed (no action), assessed → assessed (re-assessment),
 *   actioned → actioned (further actions), closed → assessed (reopen).
 * A report opens one case per registered domain it names or joins the open
 * case of that domain and threat; the case takes the highest priority of its
 * reports, and is confidential when any report asks for it. */
#include <inttypes.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "desk/desk_int.h"
#include "desk/report.h"

struct transition {
	const char *event;
	const char *from[3];
	const char *to;
};

static const struct transition transitions[] = {
	{ "ack", { "new" }, "acknowledged" },
	{ "assess", { "acknowledged", "assessed" }, "assessed" },
	{ "act", { "assessed", "actioned" }, "actioned" },
	{ "close", { "assessed", "actioned" }, "closed" },
	{ "reopen", { "closed" }, "assessed" },
};

int case_transition(const store_case_t *c, const char *event, const char **to, desk_err_t *err)
{
	for (size_t i = 0; i < sizeof(transitions) / sizeof(transitions[0]); i++) {
		const struct transition *t = &transitions[i];
		if (strcmp(t->event, event) != 0)
			continue;
		char allowed[64] = "";
		for (size_t k = 0; k < 3 && t->from[k] != NULL; k++) {
			if (strcmp(c->state, t->from[k]) == 0) {
				*to = t->to;
				return TS_OK;
			}
			size_t at = strlen(allowed);
			snprintf(allowed + at, sizeof(allowed) - at, "%s%s", at > 0 ? " or " : "", t->from[k]);
		}
		return desk_fail(err, TS_ESTATE, "case %" PRId64 " is %s: '%s' is allowed only when it is %s",
		                 c->id, c->state, event, allowed);
	}
	return desk_fail(err, TS_EINTERNAL, "unknown case event '%s'", event);
}

/* ---- opening and joining ---------------------------------------------- */

int case_open_or_join(desk_t *d, arena_t *a, const store_report_t *rep, const char *domain, bool registered,
                      int64_t *case_id, bool *opened)
{
	store_case_t c;
	char detail[256];
	int ret = store_case_find_open(d->st, domain, rep->threat, a, &c);
	if (ret == TS_ENOTFOUND) {
		memset(&c, 0, sizeof(c));
		c.domain = domain;
		c.threat = rep->threat;
		c.state = "new";
		c.priority = rep->priority;
		c.urgent_claim = rep->urgent_claim;
		c.confidential = rep->confidential;
		c.registered = registered;
		c.received_at = rep->received_at;
		clock_update(d->pol, &c);
		if ((ret = store_case_add(d->st, &c, case_id)) != TS_OK)
			return ret;
		*opened = true;
		snprintf(detail, sizeof(detail), "{\"case\":%" PRId64 ",\"report\":%" PRId64 ",\"priority\":\"%s\"}",
		         *case_id, rep->id, c.priority);
		ret = audit_append(d, rep->received_at, *case_id, "case.open", detail);
	} else if (ret == TS_OK) {
		const char *old = c.priority;
		if (clock_prio_rank(rep->priority) < clock_prio_rank(c.priority))
			c.priority = rep->priority;
		c.urgent_claim |= rep->urgent_claim;
		c.confidential |= rep->confidential;
		c.registered |= registered; /* the name was seen registered */
		clock_update(d->pol, &c);
		if ((ret = store_case_update(d->st, &c)) != TS_OK)
			return ret;
		*case_id = c.id;
		*opened = false;
		snprintf(detail, sizeof(detail),
		         "{\"case\":%" PRId64 ",\"report\":%" PRId64 ",\"priority\":\"%s\",\"was\":\"%s\"}", c.id,
		         rep->id, c.priority, old);
		ret = audit_append(d, rep->received_at, c.id, "case.join", detail);
	}
	if (ret != TS_OK)
		return ret;
	if ((ret = store_case_link(d->st, *case_id, rep->id)) != TS_OK)
		return ret;
	/* a reporter joining a case already answered gets the answers so far */
	if (!*opened && c.acked_at != 0)
		ret = outbox_to_reporters(d, a, &c, "acknowledgement", NULL, rep->id, rep->received_at);
	if (ret == TS_OK && !*opened && c.assessed_at != 0)
		ret = outbox_to_reporters(d, a, &c, "assessment", NULL, rep->id, rep->received_at);
	return ret;
}

/* ---- submission ------------------------------------------------------- */

static int submit_fail(desk_err_t *err, int code, const report_err_t *re)
{
	if (code == TS_ENOMEM)
		return desk_fail(err, code, "out of memory");
	err->line = re->line;
	err->col = re->col;
	err->bad_names = re->bad_names;
	snprintf(err->path, sizeof(err->path), "%s", re->path);
	return desk_fail(err, code, "%s", re->msg);
}

int desk_report_submit(desk_t *d, const char *json, size_t len, int64_t reporter_id, const char *origin,
                       desk_receipt_t *out, desk_err_t *err)
{
	arena_t *a = arena_new(64 * 1024);
	report_t r;
	report_err_t re;
	store_reporter_t who;
	int64_t now;
	char flags[128];
	dbuf_t detail;
	bool began = false;
	int ret;
	memset(out, 0, sizeof(*out));
	dbuf_init(&detail, 64 * 1024);
	if (a == NULL) {
		ret = desk_fail(err, TS_ENOMEM, "out of memory");
		goto out;
	}
	if ((ret = desk_now(&now, err)) != TS_OK)
		goto out;
	if ((ret = report_parse(d->pol, json, len, a, &r, &re)) != TS_OK) {
		ret = submit_fail(err, ret, &re);
		goto out;
	}
	store_report_t rep = { .origin = origin, .received_at = now, .threat = r.threat, .confidential = r.confidential,
		               .body = NULL };
	if (reporter_id != 0) {
		ret = store_reporter_get(d->st, reporter_id, a, &who);
		if (ret == TS_ENOTFOUND) {
			ret = desk_fail(err, TS_EINPUT, "no reporter %" PRId64, reporter_id);
			goto out;
		}
		if (ret != TS_OK) {
			ret = desk_store_fail(d, err, ret, "reading the reporter");
			goto out;
		}
		if (who.disabled) {
			ret = desk_fail(err, TS_EDENIED, "reporter %" PRId64 " is disabled", reporter_id);
			goto out;
		}
		if (r.has_reporter) {
			snprintf(err->path, sizeof(err->path), "$.reporter");
			ret = desk_fail(err, TS_EINPUT, "only for unauthenticated submissions; this one comes from "
			                "reporter %" PRId64, reporter_id);
			goto out;
		}
		rep.reporter_id = reporter_id;
		rep.tier = who.tier;
		rep.verified = who.verified;
	} else if (r.has_reporter && (r.reporter_name != NULL || r.reporter_email != NULL)) {
		rep.tier = "public";
		rep.contact_name = r.reporter_name;
		rep.contact_email = r.reporter_email;
		rep.contact_org = r.reporter_org;
		rep.contact_jurisdiction = r.reporter_jurisdiction;
	} else if (d->pol->allow_anonymous) {
		rep.tier = "anonymous";
	} else {
		snprintf(err->path, sizeof(err->path), "$.reporter");
		ret = desk_fail(err, TS_EREFUSED, "anonymous reports are not accepted (policy [intake] allow_anonymous "
		                "= no): give the reporter's name or e-mail here, or submit as a registered reporter");
		goto out;
	}
	rep.priority = clock_priority(rep.tier, rep.verified, r.flags, &rep.urgent_claim);
	report_flags_text(r.flags, flags, sizeof(flags));
	rep.flags = flags;
	char *body = arena_strndup(a, json, len);
	if (body == NULL) {
		ret = desk_fail(err, TS_ENOMEM, "out of memory");
		goto out;
	}
	rep.body = body;
	if ((ret = store_begin(d->st)) != TS_OK) {
		ret = desk_store_fail(d, err, ret, "storing the report");
		goto out;
	}
	began = true;
	if ((ret = store_report_add(d->st, &rep, &rep.id)) != TS_OK)
		goto store_err;
	out->report_id = rep.id;
	for (size_t i = 0; i < r.n_names; i++) {
		bool opened;
		if ((ret = case_open_or_join(d, a, &rep, r.names[i].registered, true, &out->case_ids[i], &opened)) != TS_OK)
			goto store_err;
		out->n_cases++;
		out->n_opened += opened;
	}
	ret = dbuf_addf(&detail, "{\"report\":%" PRId64 ",\"tier\":\"%s\",\"priority\":\"%s\",\"cases\":[", rep.id,
	                rep.tier, rep.priority);
	for (size_t i = 0; i < out->n_cases && ret == TS_OK; i++)
		ret = dbuf_addf(&detail, "%s%" PRId64, i > 0 ? "," : "", out->case_ids[i]);
	if (ret == TS_OK)
		ret = dbuf_adds(&detail, "]}");
	if (ret != TS_OK || (ret = audit_append(d, now, 0, "report.submit", dbuf_str(&detail))) != TS_OK ||
	    (ret = store_commit(d->st)) != TS_OK)
		goto store_err;
	began = false;
	out->priority = rep.priority;
	out->urgent_claim = rep.urgent_claim;
	out->received_at = now;
	out->ack_due = now + (int64_t)d->pol->ack_hours * 3600;
	out->response_due = out->ack_due + (int64_t)policy_response_hours(d->pol, rep.priority) * 3600;
	goto out;
store_err:
	ret = desk_store_fail(d, err, ret, "storing the report");
out:
	if (began)
		store_rollback(d->st);
	if (ret != TS_OK)
		memset(out, 0, sizeof(*out));
	dbuf_free(&detail);
	arena_free(&a);
	return ret;
}

/* ---- reading ---------------------------------------------------------- */

struct collect {
	arena_t *a;
	void *items;
	size_t n, cap, size;
	int kind; /* 0 report, 1 action, 2 message */
};

static char *dup_or_null(arena_t *a, const char *s, bool *oom)
{
	if (s == NULL)
		return NULL;
	char *c = arena_strdup(a, s);
	if (c == NULL)
		*oom = true;
	return c;
}

static int grow(struct collect *c)
{
	if (c->n < c->cap)
		return TS_OK;
	size_t ncap = c->cap > 0 ? c->cap * 2 : 8;
	void *ni = arena_alloc(c->a, ncap * c->size);
	if (ni == NULL)
		return TS_ENOMEM;
	if (c->n > 0)
		memcpy(ni, c->items, c->n * c->size);
	c->items = ni;
	c->cap = ncap;
	return TS_OK;
}

static int collect_report(void *user, const store_report_t *r)
{
	struct collect *c = user;
	bool oom = false;
	if (grow(c) != TS_OK)
		return TS_ENOMEM;
	store_report_t *x = (store_report_t *)c->items + c->n;
	*x = *r;
	x->tier = dup_or_null(c->a, r->tier, &oom);
	x->origin = dup_or_null(c->a, r->origin, &oom);
	x->threat = dup_or_null(c->a, r->threat, &oom);
	x->flags = dup_or_null(c->a, r->flags, &oom);
	x->priority = dup_or_null(c->a, r->priority, &oom);
	x->body = dup_or_null(c->a, r->body, &oom);
	x->contact_name = dup_or_null(c->a, r->contact_name, &oom);
	x->contact_email = dup_or_null(c->a, r->contact_email, &oom);
	x->contact_org = dup_or_null(c->a, r->contact_org, &oom);
	x->contact_jurisdiction = dup_or_null(c->a, r->contact_jurisdiction, &oom);
	x->scan_batch = dup_or_null(c->a, r->scan_batch, &oom);
	c->n++;
	return oom ? TS_ENOMEM : TS_OK;
}

static int collect_action(void *user, const store_action_t *r)
{
	struct collect *c = user;
	bool oom = false;
	if (grow(c) != TS_OK)
		return TS_ENOMEM;
	store_action_t *x = (store_action_t *)c->items + c->n;
	*x = *r;
	x->kind = dup_or_null(c->a, r->kind, &oom);
	x->actor = dup_or_null(c->a, r->actor, &oom);
	x->court_order = dup_or_null(c->a, r->court_order, &oom);
	x->reason = dup_or_null(c->a, r->reason, &oom);
	x->sinkhole_ns = dup_or_null(c->a, r->sinkhole_ns, &oom);
	x->gaining_registrar = dup_or_null(c->a, r->gaining_registrar, &oom);
	x->prior_case_state = dup_or_null(c->a, r->prior_case_state, &oom);
	x->prior_domain = dup_or_null(c->a, r->prior_domain, &oom);
	x->undo_command = dup_or_null(c->a, r->undo_command, &oom);
	x->domain = dup_or_null(c->a, r->domain, &oom);
	c->n++;
	return oom ? TS_ENOMEM : TS_OK;
}

static int collect_msg(void *user, const store_msg_t *r)
{
	struct collect *c = user;
	bool oom = false;
	if (grow(c) != TS_OK)
		return TS_ENOMEM;
	store_msg_t *x = (store_msg_t *)c->items + c->n;
	*x = *r;
	x->kind = dup_or_null(c->a, r->kind, &oom);
	x->recipient = dup_or_null(c->a, r->recipient, &oom);
	x->to_name = dup_or_null(c->a, r->to_name, &oom);
	x->to_addr = dup_or_null(c->a, r->to_addr, &oom);
	x->subject = dup_or_null(c->a, r->subject, &oom);
	x->body = dup_or_null(c->a, r->body, &oom);
	x->xarf = dup_or_null(c->a, r->xarf, &oom);
	c->n++;
	return oom ? TS_ENOMEM : TS_OK;
}

int desk_case_reports_all(desk_t *d, arena_t *a, int64_t case_id, store_report_t **out, size_t *n);

int desk_case_reports_all(desk_t *d, arena_t *a, int64_t case_id, store_report_t **out, size_t *n)
{
	struct collect c = { .a = a, .size = sizeof(store_report_t) };
	int ret = store_case_reports(d->st, case_id, collect_report, &c);
	*out = c.items;
	*n = c.n;
	return ret;
}

int desk_case_actions_all(desk_t *d, arena_t *a, int64_t case_id, store_action_t **out, size_t *n);

int desk_case_actions_all(desk_t *d, arena_t *a, int64_t case_id, store_action_t **out, size_t *n)
{
	struct collect c = { .a = a, .size = sizeof(store_action_t) };
	int ret = store_case_actions(d->st, case_id, collect_action, &c);
	*out = c.items;
	*n = c.n;
	return ret;
}

int desk_case_show(desk_t *d, int64_t id, arena_t *a, desk_case_view_t *out, desk_err_t *err)
{
	memset(out, 0, sizeof(*out));
	int ret = desk_now(&out->now, err);
	if (ret != TS_OK)
		return ret;
	ret = store_case_get(d->st, id, a, &out->c);
	if (ret == TS_ENOTFOUND)
		return desk_fail(err, TS_ENOTFOUND, "no case %" PRId64, id);
	struct collect m = { .a = a, .size = sizeof(store_msg_t) };
	if (ret != TS_OK || (ret = desk_case_reports_all(d, a, id, &out->reports, &out->n_reports)) != TS_OK ||
	    (ret = desk_case_actions_all(d, a, id, &out->actions, &out->n_actions)) != TS_OK ||
	    (ret = store_msg_list(d->st, id, false, collect_msg, &m)) != TS_OK)
		return desk_store_fail(d, err, ret, "reading the case");
	out->msgs = m.items;
	out->n_msgs = m.n;
	return TS_OK;
}

struct answers {
	arena_t *a;
	int64_t report_id;
	store_msg_t *items;
	size_t n, cap;
};

static int collect_answer(void *user, const store_msg_t *m)
{
	struct answers *x = user;
	if (m->report_id != x->report_id)
		return TS_OK;
	struct collect c = { .a = x->a, .items = x->items, .n = x->n, .cap = x->cap, .size = sizeof(store_msg_t) };
	int ret = collect_msg(&c, m);
	x->items = c.items;
	x->n = c.n;
	x->cap = c.cap;
	return ret;
}

int desk_report_show(desk_t *d, int64_t report_id, int64_t reporter_id, arena_t *a, desk_report_view_t *out,
                     desk_err_t *err)
{
	int64_t ids[DESK_MAX_CASES_PER_REPORT];
	size_t n = 0;
	memset(out, 0, sizeof(*out));
	int ret = reporter_id != 0 ? store_report_get(d->st, report_id, a, &out->r) : TS_ENOTFOUND;
	if (ret == TS_ENOTFOUND || (ret == TS_OK && out->r.reporter_id != reporter_id))
		return desk_fail(err, TS_ENOTFOUND, "no report %" PRId64 " of this reporter", report_id);
	if (ret != TS_OK || (ret = store_report_cases(d->st, report_id, ids, DESK_MAX_CASES_PER_REPORT, &n)) != TS_OK)
		return desk_store_fail(d, err, ret, "reading the report");
	if (n > DESK_MAX_CASES_PER_REPORT)
		n = DESK_MAX_CASES_PER_REPORT;
	out->cases = arena_calloc(a, (n > 0 ? n : 1) * sizeof(store_case_t));
	if (out->cases == NULL)
		return desk_fail(err, TS_ENOMEM, "out of memory");
	struct answers x = { .a = a, .report_id = report_id };
	for (size_t i = 0; i < n; i++) {
		if ((ret = store_case_get(d->st, ids[i], a, &out->cases[i])) != TS_OK ||
		    (ret = store_msg_list(d->st, ids[i], false, collect_answer, &x)) != TS_OK)
			return desk_store_fail(d, err, ret, "reading the report's cases");
		out->n_cases++;
	}
	out->answers = x.items;
	out->n_answers = x.n;
	return TS_OK;
}

int desk_case_list(desk_t *d, store_case_filter_t *f, store_case_cb cb, void *user, desk_err_t *err)
{
	int ret = desk_now(&f->now, err);
	if (ret != TS_OK)
		return ret;
	ret = store_case_list(d->st, f, cb, user);
	if (ret != TS_OK && ret != TS_EIO)
		return desk_store_fail(d, err, ret, "listing cases");
	return ret == TS_EIO ? desk_fail(err, ret, "writing the listing failed") : TS_OK;
}

/* ---- transitions ------------------------------------------------------ */

/* Loads the case, checks the transition, runs `apply` and the audit event
 * in one transaction. */
typedef int (*apply_fn)(desk_t *d, arena_t *a, store_case_t *c, int64_t now, const void *arg, desk_err_t *err);

static int case_step(desk_t *d, int64_t id, const char *event, apply_fn apply, const void *arg, desk_err_t *err)
{
	arena_t *a = arena_new(16 * 1024);
	store_case_t c;
	int64_t now;
	const char *to;
	char detail[256], kind[32];
	int ret;
	snprintf(kind, sizeof(kind), "case.%s", event);
	if (a == NULL)
		return desk_fail(err, TS_ENOMEM, "out of memory");
	if ((ret = desk_now(&now, err)) != TS_OK)
		goto out;
	if ((ret = store_begin(d->st)) != TS_OK) {
		ret = desk_store_fail(d, err, ret, "updating the case");
		goto out;
	}
	ret = store_case_get(d->st, id, a, &c);
	if (ret == TS_ENOTFOUND) {
		ret = desk_fail(err, TS_ENOTFOUND, "no case %" PRId64, id);
		goto rollback;
	}
	if (ret != TS_OK) {
		ret = desk_store_fail(d, err, ret, "reading the case");
		goto rollback;
	}
	const char *from = c.state;
	if ((ret = case_transition(&c, event, &to, err)) != TS_OK)
		goto rollback;
	c.state = to;
	if ((ret = apply(d, a, &c, now, arg, err)) != TS_OK)
		goto rollback;
	clock_update(d->pol, &c);
	snprintf(detail, sizeof(detail), "{\"case\":%" PRId64 ",\"from\":\"%s\",\"to\":\"%s\"}", id, from, to);
	if ((ret = store_case_update(d->st, &c)) != TS_OK ||
	    (ret = audit_append(d, now, id, kind, detail)) != TS_OK ||
	    (ret = store_commit(d->st)) != TS_OK) {
		ret = desk_store_fail(d, err, ret, "updating the case");
		goto rollback;
	}
	goto out;
rollback:
	store_rollback(d->st);
out:
	arena_free(&a);
	return ret;
}

static int apply_ack(desk_t *d, arena_t *a, store_case_t *c, int64_t now, const void *arg, desk_err_t *err)
{
	c->acked_at = now;
	clock_update(d->pol, c);
	int ret = outbox_to_reporters(d, a, c, "acknowledgement", arg, 0, now);
	return ret != TS_OK ? desk_store_fail(d, err, ret, "writing the acknowledgements") : TS_OK;
}

int desk_case_ack(desk_t *d, int64_t id, const char *message, desk_err_t *err)
{
	if (message != NULL && strlen(message) > 4000)
		return desk_fail(err, TS_EINPUT, "--message: longer than 4000 characters");
	return case_step(d, id, "ack", apply_ack, message, err);
}

struct assess_arg {
	const char *validity, *registration, *responsible, *note;
};

static int apply_assess(desk_t *d, arena_t *a, store_case_t *c, int64_t now, const void *arg, desk_err_t *err)
{
	const struct assess_arg *x = arg;
	c->validity = x->validity;
	c->registration = x->registration;
	c->responsible = x->responsible;
	c->note = x->note;
	if (c->assessed_at == 0)
		c->assessed_at = now;
	int ret = outbox_to_reporters(d, a, c, "assessment", NULL, 0, now);
	return ret != TS_OK ? desk_store_fail(d, err, ret, "writing the assessments") : TS_OK;
}

static bool one_of(const char *s, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(s, *list) == 0)
			return true;
	return false;
}

int desk_case_assess(desk_t *d, int64_t id, const char *validity, const char *registration,
                     const char *responsible, const char *note, desk_err_t *err)
{
	static const char *const validities[] = { "confirmed", "false-positive", "insufficient-evidence", NULL };
	static const char *const registrations[] = { "malicious", "compromised", "unknown", NULL };
	static const char *const parties[] = { "registrar", "hosting", "registrant", "registry", "other", NULL };
	if (validity == NULL || !one_of(validity, validities))
		return desk_fail(err, TS_EINPUT, "--validity: one of confirmed, false-positive, insufficient-evidence");
	if (registration == NULL || !one_of(registration, registrations))
		return desk_fail(err, TS_EINPUT, "--registration: one of malicious, compromised, unknown");
	if (responsible == NULL || !one_of(responsible, parties))
		return desk_fail(err, TS_EINPUT, "--responsible: one of registrar, hosting, registrant, registry, other");
	if (note != NULL && strlen(note) > 4000)
		return desk_fail(err, TS_EINPUT, "--note: longer than 4000 characters");
	struct assess_arg x = { validity, registration, responsible, note };
	return case_step(d, id, "assess", apply_assess, &x, err);
}

static int apply_close(desk_t *d, arena_t *a, store_case_t *c, int64_t now, const void *arg, desk_err_t *err)
{
	c->closed_at = now;
	if (arg != NULL)
		c->outcome = arg;
	int ret = outbox_to_reporters(d, a, c, "outcome", NULL, 0, now);
	return ret != TS_OK ? desk_store_fail(d, err, ret, "writing the outcomes") : TS_OK;
}

int desk_case_close(desk_t *d, int64_t id, const char *outcome, desk_err_t *err)
{
	if (outcome != NULL && strlen(outcome) > 4000)
		return desk_fail(err, TS_EINPUT, "--outcome: longer than 4000 characters");
	return case_step(d, id, "close", apply_close, outcome, err);
}

static int apply_reopen(desk_t *d, arena_t *a, store_case_t *c, int64_t now, const void *arg, desk_err_t *err)
{
	(void)d; (void)a; (void)now; (void)err;
	c->closed_at = 0;
	if (arg != NULL)
		c->note = arg;
	return TS_OK;
}

int desk_case_reopen(desk_t *d, int64_t id, const char *reason, desk_err_t *err)
{
	if (reason != NULL && strlen(reason) > 4000)
		return desk_fail(err, TS_EINPUT, "--reason: longer than 4000 characters");
	return case_step(d, id, "reopen", apply_reopen, reason, err);
}

/* ---- SLA -------------------------------------------------------------- */

struct sla_ctx {
	desk_sla_t *s;
	store_case_cb cb;
	void *user;
};

static int sla_one(void *user, const store_case_t *c)
{
	struct sla_ctx *x = user;
	if (strcmp(c->state, "new") == 0)
		x->s->overdue_ack++;
	else
		x->s->overdue_response++;
	x->s->overdue++;
	return x->cb != NULL ? x->cb(x->user, c) : TS_OK;
}

int desk_sla(desk_t *d, desk_sla_t *out, store_case_cb cb, void *user, desk_err_t *err)
{
	memset(out, 0, sizeof(*out));
	int ret = desk_now(&out->now, err);
	if (ret != TS_OK)
		return ret;
	store_case_filter_t all = { .now = out->now }, closed = { .state = "closed" };
	uint64_t n_all = 0, n_closed = 0;
	store_case_filter_t over = { .overdue = true, .now = out->now };
	struct sla_ctx x = { out, cb, user };
	if ((ret = store_case_count(d->st, &all, &n_all)) != TS_OK ||
	    (ret = store_case_count(d->st, &closed, &n_closed)) != TS_OK ||
	    (ret = store_case_count(d->st, &(store_case_filter_t){ .state = "new" }, &out->running)) != TS_OK)
		return desk_store_fail(d, err, ret, "counting cases");
	uint64_t acked = 0;
	if ((ret = store_case_count(d->st, &(store_case_filter_t){ .state = "acknowledged" }, &acked)) != TS_OK)
		return desk_store_fail(d, err, ret, "counting cases");
	out->running += acked;
	out->open = n_all - n_closed;
	ret = store_case_list(d->st, &over, sla_one, &x);
	if (ret != TS_OK)
		return ret == TS_EIO ? desk_fail(err, ret, "writing the listing failed")
		                     : desk_store_fail(d, err, ret, "listing overdue cases");
	return TS_OK;
}
