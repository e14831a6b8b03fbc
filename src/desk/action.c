/* action.c — actions on a case's domain, the policy's rules on them, and
 * their undo. Each action records the case state and a snapshot of the
 * domain before it, and the EPP-level reversal; undo restores both. */
#include <inttypes.h>
#include <string.h>

#include <jansson.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "desk/action.h"
#include "desk/desk_int.h"
#include "desk/names.h"

enum { FOR_REGISTERED = 1, FOR_UNREGISTERED = 2, FOR_BOTH = 3 };

static const struct kind {
	const char *name;
	int applies;
} kinds[] = {
	{ "refer-registrar", FOR_REGISTERED },
	{ "suspend", FOR_REGISTERED },
	{ "lock", FOR_REGISTERED },
	{ "redirect", FOR_REGISTERED },
	{ "transfer", FOR_REGISTERED },
	{ "delete", FOR_REGISTERED },
	{ "no-action", FOR_BOTH },
	{ "block", FOR_UNREGISTERED },
	{ "reserve", FOR_UNREGISTERED },
	{ "register", FOR_UNREGISTERED },
};

#define N_KINDS (sizeof(kinds) / sizeof(kinds[0]))

static const struct kind *find_kind(const char *s, size_t n)
{
	for (size_t i = 0; i < N_KINDS; i++)
		if (strlen(kinds[i].name) == n && memcmp(kinds[i].name, s, n) == 0)
			return &kinds[i];
	return NULL;
}

bool action_kind_known_n(const char *s, size_t n)
{
	return find_kind(s, n) != NULL;
}

const char *action_kinds_text(void)
{
	return "refer-registrar, suspend, lock, redirect, transfer, delete, no-action, block, reserve, register";
}

/* ---- domain snapshots ------------------------------------------------- */
/* A transfer's prior state names the registrar it takes the domain from:
 * the desk's own record (after an earlier transfer of its own) or else the
 * imported registration data (`registrations import`); neither: unknown,
 * and `export epp` refuses the transfer. Other kinds leave it as it is. */
static int prior_registrar(desk_t *d, const char *kind, arena_t *a, store_domain_t *dm)
{
	const char *reg = NULL;
	if (strcmp(kind, "transfer") != 0 || dm->registrar != NULL)
		return TS_OK;
	int ret = store_reg_registrar(d->st, dm->name, a, &reg);
	if (ret == TS_ENOTFOUND)
		return TS_OK;
	if (ret == TS_OK)
		dm->registrar = reg;
	return ret;
}


static int snapshot(const store_domain_t *dm, char **out)
{
	json_t *o = json_pack("{s:s*, s:s*, s:s*, s:b, s:b, s:b, s:b}", "statuses", dm->statuses, "sinkhole_ns",
	                      dm->sinkhole_ns, "registrar", dm->registrar, "deleted", dm->deleted, "blocked",
	                      dm->blocked, "reserved", dm->reserved, "registry_registered", dm->registry_registered);
	if (o == NULL)
		return TS_ENOMEM;
	*out = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return *out != NULL ? TS_OK : TS_ENOMEM;
}

static int restore(const char *text, const char *name, arena_t *a, store_domain_t *dm)
{
	json_error_t je;
	desk_json_reset();
	json_t *o = json_loads(text, 0, &je);
	if (o == NULL)
		return desk_json_alloc_failed() ? TS_ENOMEM : TS_EINTERNAL;
	memset(dm, 0, sizeof(*dm));
	dm->name = name;
	const char *st = NULL, *ns = NULL, *reg = NULL;
	int del = 0, blk = 0, res = 0, rr = 0;
	int rc = json_unpack(o, "{s?s, s?s, s?s, s:b, s:b, s:b, s:b}", "statuses", &st, "sinkhole_ns", &ns,
	                     "registrar", &reg, "deleted", &del, "blocked", &blk, "reserved", &res,
	                     "registry_registered", &rr);
	int ret = TS_OK;
	if (rc != 0) {
		/* unpacking allocates a key set: out of memory, or a snapshot not ours */
		ret = desk_json_alloc_failed() ? TS_ENOMEM : TS_EINTERNAL;
	} else {
		dm->statuses = st != NULL ? arena_strdup(a, st) : NULL;
		dm->sinkhole_ns = ns != NULL ? arena_strdup(a, ns) : NULL;
		dm->registrar = reg != NULL ? arena_strdup(a, reg) : NULL;
		dm->deleted = del;
		dm->blocked = blk;
		dm->reserved = res;
		dm->registry_registered = rr;
		if ((st != NULL && dm->statuses == NULL) || (ns != NULL && dm->sinkhole_ns == NULL) ||
		    (reg != NULL && dm->registrar == NULL))
			ret = TS_ENOMEM;
	}
	json_decref(o);
	return ret;
}

/* Adds the comma-separated statuses `add` to the domain's list, in arena. */
static int add_statuses(arena_t *a, store_domain_t *dm, const char *add)
{
	dbuf_t b;
	dbuf_init(&b, 4096);
	int ret = dbuf_adds(&b, dm->statuses != NULL ? dm->statuses : "");
	const char *p = add;
	while (ret == TS_OK && *p != '\0') {
		const char *c = strchr(p, ',');
		size_t n = c != NULL ? (size_t)(c - p) : strlen(p);
		bool have = false;
		const char *q = dbuf_str(&b);
		while (*q != '\0') {
			const char *qc = strchr(q, ',');
			size_t qn = qc != NULL ? (size_t)(qc - q) : strlen(q);
			have |= qn == n && memcmp(q, p, n) == 0;
			q += qn + (qc != NULL);
		}
		if (!have) {
			if (b.len > 0)
				ret = dbuf_addc(&b, ',');
			if (ret == TS_OK)
				ret = dbuf_add(&b, p, n);
		}
		p += n + (c != NULL);
	}
	if (ret == TS_OK) {
		dm->statuses = arena_strdup(a, dbuf_str(&b));
		ret = dm->statuses != NULL ? TS_OK : TS_ENOMEM;
	}
	dbuf_free(&b);
	return ret;
}

/* ---- acting ----------------------------------------------------------- */

static int check_rules(desk_t *d, const store_case_t *c, const desk_action_in_t *in, const struct kind *k,
                       desk_err_t *err)
{
	if ((k->applies & (c->registered ? FOR_REGISTERED : FOR_UNREGISTERED)) == 0)
		return desk_fail(err, TS_EREFUSED, "'%s' applies to %s names; %s is %s", in->kind,
		                 c->registered ? "unregistered" : "registered", c->domain,
		                 c->registered ? "registered" : "not registered");
	if (policy_needs_court_order(d->pol, in->kind) && (in->court_order == NULL || in->court_order[0] == '\0'))
		return desk_fail(err, TS_EREFUSED, "'%s' needs a court order under the registry's policy ([actions] "
		                 "court_order_required): give --court-order REF", in->kind);
	if (strcmp(in->kind, "suspend") == 0 && c->registration != NULL && strcmp(c->registration, "compromised") == 0 &&
	    !in->force)
		return desk_fail(err, TS_EREFUSED, "%s is assessed compromised: suspending it takes a legitimate "
		                 "registrant's name offline; the right first step is the registrar or hosting provider "
		                 "(refer-registrar). Give --force to suspend anyway", c->domain);
	if (strcmp(in->kind, "refer-registrar") == 0 && c->confidential)
		return desk_fail(err, TS_EREFUSED, "case %" PRId64 " is confidential: a referral would reach the "
		                 "registrar and could tip off the registrant", c->id);
	if (strcmp(in->kind, "no-action") == 0 && (in->reason == NULL || in->reason[0] == '\0'))
		return desk_fail(err, TS_EINPUT, "'no-action' needs --reason");
	if (strcmp(in->kind, "redirect") == 0 && in->n_sinkhole == 0)
		return desk_fail(err, TS_EINPUT, "'redirect' needs at least one --sinkhole-ns HOST");
	if (strcmp(in->kind, "transfer") == 0 && (in->gaining_registrar == NULL || in->gaining_registrar[0] == '\0'))
		return desk_fail(err, TS_EINPUT, "'transfer' needs --gaining-registrar ID");
	if (in->n_sinkhole > 0 && strcmp(in->kind, "redirect") != 0)
		return desk_fail(err, TS_EINPUT, "--sinkhole-ns is for 'redirect' only");
	if (in->gaining_registrar != NULL && strcmp(in->kind, "transfer") != 0)
		return desk_fail(err, TS_EINPUT, "--gaining-registrar is for 'transfer' only");
	if (in->reason != NULL && strlen(in->reason) > 4000)
		return desk_fail(err, TS_EINPUT, "--reason: longer than 4000 characters");
	if ((in->court_order != NULL && strlen(in->court_order) > 200) ||
	    (in->gaining_registrar != NULL && strlen(in->gaining_registrar) > 200))
		return desk_fail(err, TS_EINPUT, "--court-order and --gaining-registrar: 200 characters at most");
	return TS_OK;
}

/* Applies the action to the domain; writes the EPP-level reversal to undo. */
static int apply(arena_t *a, const desk_action_in_t *in, store_domain_t *dm, const char *ns, dbuf_t *undo)
{
	const char *k = in->kind;
	if (strcmp(k, "suspend") == 0) {
		int ret = add_statuses(a, dm, "serverHold");
		return ret != TS_OK ? ret : dbuf_addf(undo, "remove status serverHold from %s", dm->name);
	}
	if (strcmp(k, "lock") == 0) {
		int ret = add_statuses(a, dm, "serverUpdateProhibited,serverDeleteProhibited,serverTransferProhibited");
		return ret != TS_OK ? ret : dbuf_addf(undo, "remove statuses serverUpdateProhibited, "
		                                      "serverDeleteProhibited, serverTransferProhibited from %s", dm->name);
	}
	if (strcmp(k, "redirect") == 0) {
		int ret = dbuf_addf(undo, "restore the name servers of %s (remove %s)", dm->name, ns);
		dm->sinkhole_ns = ns;
		return ret;
	}
	if (strcmp(k, "transfer") == 0) {
		int ret = dbuf_addf(undo, "transfer %s back to %s", dm->name,
		                    dm->registrar != NULL ? dm->registrar : "its previous registrar");
		dm->registrar = in->gaining_registrar;
		return ret;
	}
	if (strcmp(k, "delete") == 0) {
		dm->deleted = true;
		return dbuf_addf(undo, "restore %s (EPP restore during the redemption grace period)", dm->name);
	}
	if (strcmp(k, "block") == 0) {
		dm->blocked = true;
		return dbuf_addf(undo, "unblock %s", dm->name);
	}
	if (strcmp(k, "reserve") == 0) {
		dm->reserved = true;
		return dbuf_addf(undo, "remove %s from the reserved list", dm->name);
	}
	if (strcmp(k, "register") == 0) {
		dm->registry_registered = true;
		return dbuf_addf(undo, "delete the registry's registration of %s", dm->name);
	}
	if (strcmp(k, "refer-registrar") == 0)
		return dbuf_addf(undo, "none on the domain (the referral stays on record)");
	return dbuf_addf(undo, "none on the domain");
}

int desk_case_act(desk_t *d, int64_t id, const desk_action_in_t *in, int64_t *action_id,
                  char undo_cmd[DESK_UNDO_TEXT], desk_err_t *err)
{
	arena_t *a = arena_new(16 * 1024);
	store_case_t c;
	store_domain_t dm;
	int64_t now;
	const char *to;
	char *snap = NULL, detail[512];
	dbuf_t undo, ns;
	int ret;
	const struct kind *k = in->kind != NULL ? find_kind(in->kind, strlen(in->kind)) : NULL;
	dbuf_init(&undo, 4096);
	dbuf_init(&ns, 4096);
	if (a == NULL) {
		ret = desk_fail(err, TS_ENOMEM, "out of memory");
		goto out;
	}
	if (k == NULL) {
		ret = desk_fail(err, TS_EINPUT, "--action: '%s' is not one of %s", in->kind != NULL ? in->kind : "",
		                action_kinds_text());
		goto out;
	}
	for (size_t i = 0; i < in->n_sinkhole; i++) {
		char host[256], why[160];
		size_t hl;
		if (names_normalize(in->sinkhole_ns[i], strlen(in->sinkhole_ns[i]), host, sizeof(host), &hl, why,
		                    sizeof(why)) != TS_OK) {
			ret = desk_fail(err, TS_EINPUT, "--sinkhole-ns '%s': %s", in->sinkhole_ns[i], why);
			goto out;
		}
		if ((ret = dbuf_addf(&ns, "%s%s", i > 0 ? "," : "", host)) != TS_OK) {
			ret = desk_fail(err, ret, "too many sinkhole name servers");
			goto out;
		}
	}
	if ((ret = desk_now(&now, err)) != TS_OK)
		goto out;
	if ((ret = store_begin(d->st)) != TS_OK) {
		ret = desk_store_fail(d, err, ret, "recording the action");
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
	if ((ret = case_transition(&c, "act", &to, err)) != TS_OK || (ret = check_rules(d, &c, in, k, err)) != TS_OK)
		goto rollback;
	if ((ret = store_domain_get(d->st, c.domain, a, &dm)) != TS_OK ||
	    (ret = prior_registrar(d, k->name, a, &dm)) != TS_OK || (ret = snapshot(&dm, &snap)) != TS_OK ||
	    (ret = apply(a, in, &dm, ns.len > 0 ? dbuf_str(&ns) : NULL, &undo)) != TS_OK) {
		ret = desk_store_fail(d, err, ret, "recording the action");
		goto rollback;
	}
	dm.updated_at = now;
	store_action_t x = { .case_id = id, .kind = k->name, .actor = d->actor, .created_at = now,
		             .court_order = in->court_order, .reason = in->reason,
		             .sinkhole_ns = ns.len > 0 ? dbuf_str(&ns) : NULL,
		             .gaining_registrar = in->gaining_registrar, .forced = in->force,
		             .prior_case_state = c.state, .prior_domain = snap, .undo_command = dbuf_str(&undo) };
	bool touches = strcmp(k->name, "refer-registrar") != 0 && strcmp(k->name, "no-action") != 0;
	if ((touches && (ret = store_domain_put(d->st, &dm)) != TS_OK) ||
	    (ret = store_action_add(d->st, &x, action_id)) != TS_OK) {
		ret = desk_store_fail(d, err, ret, "recording the action");
		goto rollback;
	}
	const char *from = c.state;
	c.state = to;
	clock_update(d->pol, &c);
	snprintf(detail, sizeof(detail), "{\"case\":%" PRId64 ",\"action\":%" PRId64 ",\"kind\":\"%s\",\"from\":\"%s\","
	         "\"court_order\":%s,\"forced\":%s}", id, *action_id, k->name, from,
	         in->court_order != NULL ? "true" : "false", in->force ? "true" : "false");
	if ((ret = store_case_update(d->st, &c)) != TS_OK ||
	    (strcmp(k->name, "refer-registrar") == 0 &&
	     (ret = outbox_referral(d, a, &c, *action_id, in->reason, now)) != TS_OK) ||
	    (ret = audit_append(d, now, id, "case.act", detail)) != TS_OK || (ret = store_commit(d->st)) != TS_OK) {
		ret = desk_store_fail(d, err, ret, "recording the action");
		goto rollback;
	}
	snprintf(undo_cmd, DESK_UNDO_TEXT, "tldsec case undo %" PRId64, *action_id);
	goto out;
rollback:
	store_rollback(d->st);
out:
	ts_free(snap);
	dbuf_free(&undo);
	dbuf_free(&ns);
	arena_free(&a);
	return ret;
}

struct later {
	int64_t after;
	int64_t found;
};

static int find_later(void *user, const store_action_t *x)
{
	struct later *l = user;
	if (x->id > l->after && x->undone_at == 0 && l->found == 0)
		l->found = x->id;
	return TS_OK;
}

int desk_case_undo(desk_t *d, int64_t action_id, int64_t *case_id, desk_err_t *err)
{
	arena_t *a = arena_new(16 * 1024);
	store_action_t x;
	store_case_t c;
	store_domain_t dm;
	int64_t now;
	char detail[256];
	int ret;
	if (a == NULL)
		return desk_fail(err, TS_ENOMEM, "out of memory");
	if ((ret = desk_now(&now, err)) != TS_OK)
		goto out;
	if ((ret = store_begin(d->st)) != TS_OK) {
		ret = desk_store_fail(d, err, ret, "undoing the action");
		goto out;
	}
	ret = store_action_get(d->st, action_id, a, &x);
	if (ret == TS_ENOTFOUND) {
		ret = desk_fail(err, TS_ENOTFOUND, "no action %" PRId64, action_id);
		goto rollback;
	}
	if (ret != TS_OK || (ret = store_case_get(d->st, x.case_id, a, &c)) != TS_OK) {
		ret = desk_store_fail(d, err, ret, "reading the action");
		goto rollback;
	}
	*case_id = c.id;
	if (x.undone_at != 0) {
		ret = desk_fail(err, TS_ESTATE, "action %" PRId64 " was already undone", action_id);
		goto rollback;
	}
	if (strcmp(c.state, "actioned") != 0) {
		ret = desk_fail(err, TS_ESTATE, "case %" PRId64 " is %s: undo is allowed only when it is actioned%s", c.id,
		                c.state, strcmp(c.state, "closed") == 0 ? " (reopen it first)" : "");
		goto rollback;
	}
	struct later l = { action_id, 0 };
	if ((ret = store_case_actions(d->st, c.id, find_later, &l)) != TS_OK) {
		ret = desk_store_fail(d, err, ret, "reading the actions");
		goto rollback;
	}
	if (l.found != 0) {
		ret = desk_fail(err, TS_ESTATE, "action %" PRId64 " came later on case %" PRId64 ": undo it first",
		                l.found, c.id);
		goto rollback;
	}
	bool touches = strcmp(x.kind, "refer-registrar") != 0 && strcmp(x.kind, "no-action") != 0;
	if (touches) {
		if ((ret = restore(x.prior_domain, c.domain, a, &dm)) != TS_OK) {
			ret = ret == TS_ENOMEM ? desk_fail(err, ret, "undoing the action: out of memory")
			                       : desk_fail(err, ret, "action %" PRId64 ": its recorded prior state is "
			                                   "unreadable", action_id);
			goto rollback;
		}
		dm.updated_at = now;
	}
	const char *from = c.state;
	c.state = x.prior_case_state;
	clock_update(d->pol, &c);
	snprintf(detail, sizeof(detail), "{\"case\":%" PRId64 ",\"action\":%" PRId64 ",\"from\":\"%s\",\"to\":\"%s\"}",
	         c.id, action_id, from, c.state);
	if ((touches && (ret = store_domain_put(d->st, &dm)) != TS_OK) ||
	    (ret = store_action_set_undone(d->st, action_id, now)) != TS_OK ||
	    (ret = store_case_update(d->st, &c)) != TS_OK ||
	    (ret = audit_append(d, now, c.id, "case.undo", detail)) != TS_OK || (ret = store_commit(d->st)) != TS_OK) {
		ret = desk_store_fail(d, err, ret, "undoing the action");
		goto rollback;
	}
	goto out;
rollback:
	store_rollback(d->st);
out:
	arena_free(&a);
	return ret;
}

int desk_action_prior(const store_action_t *x, arena_t *a, store_domain_t *out)
{
	if (x->prior_domain == NULL)
		return TS_EINTERNAL;
	return restore(x->prior_domain, x->domain, a, out);
}

int desk_actions_exported(desk_t *d, const int64_t *ids, size_t n, int64_t now, desk_err_t *err)
{
	char detail[96];
	int ret;
	if (n == 0)
		return TS_OK;
	if ((ret = store_begin(d->st)) != TS_OK)
		return desk_store_fail(d, err, ret, "marking the actions exported");
	for (size_t i = 0; i < n; i++) {
		if ((ret = store_action_set_exported(d->st, ids[i], now)) != TS_OK) {
			store_rollback(d->st);
			if (ret == TS_ENOTFOUND)
				return desk_fail(err, ret, "no action %" PRId64, ids[i]);
			return desk_store_fail(d, err, ret, "marking the actions exported");
		}
	}
	snprintf(detail, sizeof(detail), "{\"exported\":%zu,\"first\":%" PRId64 ",\"last\":%" PRId64 "}", n,
	         ids[0], ids[n - 1]);
	if ((ret = audit_append(d, now, 0, "export.epp", detail)) != TS_OK || (ret = store_commit(d->st)) != TS_OK) {
		store_rollback(d->st);
		return desk_store_fail(d, err, ret, "marking the actions exported");
	}
	return TS_OK;
}
