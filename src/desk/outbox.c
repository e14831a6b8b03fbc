/* outbox.c — messages to reporters (acknowledgement, assessment with the
 * intended course of action, outcome) and referrals to the sponsoring
 * registrar (XARF JSON plus readable text), kept in the outbox; RFC 5322
 * export. Message bodies carry no personal data: recipients' names and
 * addresses live in their own fields, which purges and redaction clear. */
#include <inttypes.h>
#include <string.h>
#include <errno.h>
#include <sys/stat.h>

#include <jansson.h>

#include "base/afile.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "base/clock.h"
#include "desk/desk_int.h"

int desk_case_reports_all(desk_t *d, arena_t *a, int64_t case_id, store_report_t **out, size_t *n);
int desk_case_actions_all(desk_t *d, arena_t *a, int64_t case_id, store_action_t **out, size_t *n);

static const char *course_of_action(const store_case_t *c)
{
	if (c->validity == NULL)
		return "";
	if (strcmp(c->validity, "false-positive") == 0)
		return "No action: the report does not describe a security threat under the registry's policy.";
	if (strcmp(c->validity, "insufficient-evidence") == 0)
		return "No action for now: the evidence does not support an action. Further evidence, or a court "
		       "order, may change this.";
	if (c->registration != NULL && strcmp(c->registration, "compromised") == 0)
		return "The name appears compromised rather than maliciously registered: the registry refers the "
		       "matter to the sponsoring registrar and the hosting provider for remediation.";
	if (c->responsible != NULL && strcmp(c->responsible, "registry") == 0)
		return "The registry intends to act on the name itself (for example a suspension).";
	return "The registry intends to refer the matter to the sponsoring registrar and, where the evidence "
	       "warrants it, to act on the name itself.";
}

static int compose(desk_t *d, arena_t *a, const store_case_t *c, const char *kind, const char *extra,
                   const store_report_t *rep, dbuf_t *subj, dbuf_t *body)
{
	char t1[TS_TIME_TEXT], t2[TS_TIME_TEXT];
	int ret;
	if (strcmp(kind, "acknowledgement") == 0) {
		ts_time_format(rep->received_at, t1);
		ts_time_format(c->response_due, t2);
		ret = dbuf_addf(subj, "[%s] Report %" PRId64 " received: %s (case %" PRId64 ")", d->pol->registry_name,
		                rep->id, c->domain, c->id);
		if (ret == TS_OK)
			ret = dbuf_addf(body, "%s acknowledges your report %" PRId64 " of %s about %s (%s).\n\n"
			                "It is handled as case %" PRId64 " with %s priority. We intend to answer with our "
			                "assessment and the intended course of action by %s.\n",
			                d->pol->registry_name, rep->id, t1, c->domain, c->threat, c->id, c->priority, t2);
	} else if (strcmp(kind, "assessment") == 0) {
		ret = dbuf_addf(subj, "[%s] Assessment of case %" PRId64 ": %s", d->pol->registry_name, c->id, c->domain);
		if (ret == TS_OK)
			ret = dbuf_addf(body, "Case %" PRId64 " (%s, %s), your report %" PRId64 ".\n\n"
			                "Assessment: %s; registration: %s; responsible party: %s.\n\n"
			                "Intended course of action: %s\n",
			                c->id, c->domain, c->threat, rep->id, c->validity, c->registration, c->responsible,
			                course_of_action(c));
	} else {
		store_action_t *acts = NULL;
		size_t n = 0;
		ts_time_format(c->closed_at, t1);
		ret = dbuf_addf(subj, "[%s] Case %" PRId64 " closed: %s", d->pol->registry_name, c->id, c->domain);
		if (ret == TS_OK)
			ret = dbuf_addf(body, "Case %" PRId64 " (%s, %s), your report %" PRId64 ", was closed at %s.\n\n"
			                "Outcome: %s\n", c->id, c->domain, c->threat, rep->id, t1,
			                c->outcome != NULL ? c->outcome : "no outcome stated");
		if (ret == TS_OK)
			ret = desk_case_actions_all(d, a, c->id, &acts, &n);
		size_t shown = 0;
		for (size_t i = 0; i < n && ret == TS_OK; i++) {
			if (acts[i].undone_at != 0)
				continue;
			ts_time_format(acts[i].created_at, t2);
			ret = dbuf_addf(body, "%s%s at %s\n", shown++ == 0 ? "\nActions taken:\n" : "", acts[i].kind, t2);
		}
		if (ret == TS_OK && shown == 0)
			ret = dbuf_adds(body, "\nNo action was taken on the name.\n");
	}
	if (ret == TS_OK && extra != NULL && extra[0] != '\0')
		ret = dbuf_addf(body, "\n%s\n", extra);
	if (ret == TS_OK)
		ret = dbuf_addf(body, "\n-- \n%s abuse desk <%s>\n", d->pol->registry_name, d->pol->abuse_email);
	return ret;
}

int outbox_to_reporters(desk_t *d, arena_t *a, const store_case_t *c, const char *kind, const char *extra,
                        int64_t only_report, int64_t now)
{
	store_report_t *reps = NULL;
	size_t n = 0;
	int ret = desk_case_reports_all(d, a, c->id, &reps, &n);
	int64_t *seen_rep = arena_calloc(a, (n + 1) * sizeof(int64_t));
	const char **seen_addr = arena_calloc(a, (n + 1) * sizeof(char *));
	size_t n_rep = 0, n_addr = 0;
	if (ret != TS_OK)
		return ret;
	if (seen_rep == NULL || seen_addr == NULL)
		return TS_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const store_report_t *r = &reps[i];
		store_msg_t m = { .case_id = c->id, .report_id = r->id, .created_at = now, .kind = kind,
			          .recipient = "reporter" };
		bool dup = false;
		if (only_report != 0 && r->id != only_report)
			continue;
		if (r->reporter_id != 0) {
			store_reporter_t who;
			for (size_t k = 0; k < n_rep; k++)
				dup |= seen_rep[k] == r->reporter_id;
			if (dup)
				continue;
			if ((ret = store_reporter_get(d->st, r->reporter_id, a, &who)) != TS_OK)
				return ret;
			seen_rep[n_rep++] = r->reporter_id;
			if (!who.has_token && who.email == NULL)
				continue; /* a feed: nobody to answer */
			m.reporter_id = who.id;
			m.to_name = who.name;
			m.to_addr = who.email;
		} else if (r->contact_email != NULL) {
			for (size_t k = 0; k < n_addr; k++)
				dup |= strcmp(seen_addr[k], r->contact_email) == 0;
			if (dup)
				continue;
			seen_addr[n_addr++] = r->contact_email;
			m.to_name = r->contact_name;
			m.to_addr = r->contact_email;
		} else {
			continue; /* anonymous, no address */
		}
		dbuf_t subj, body;
		dbuf_init(&subj, 1024);
		dbuf_init(&body, 64 * 1024);
		int64_t id;
		ret = compose(d, a, c, kind, extra, r, &subj, &body);
		if (ret == TS_OK) {
			m.subject = dbuf_str(&subj);
			m.body = dbuf_str(&body);
			ret = store_msg_add(d->st, &m, &id);
		}
		dbuf_free(&subj);
		dbuf_free(&body);
		if (ret != TS_OK)
			return ret;
	}
	return TS_OK;
}

static const char *xarf_type(const char *threat, const char **klass)
{
	*klass = "Content";
	if (strcmp(threat, "phishing") == 0 || strcmp(threat, "pharming") == 0)
		return "Phishing";
	if (strcmp(threat, "malware") == 0)
		return "Malware";
	if (strcmp(threat, "spam") == 0) {
		*klass = "Activity";
		return "Spam";
	}
	if (strcmp(threat, "botnet") == 0 || strcmp(threat, "dga") == 0) {
		*klass = "Infrastructure";
		return "Botnet";
	}
	return "Other";
}

/* Adds a URL to the XARF samples once; 100 at most. */
static void add_sample(json_t *samples, json_t *v)
{
	size_t i;
	json_t *have;
	if (!json_is_string(v) || json_array_size(samples) >= 100)
		return;
	json_array_foreach(samples, i, have) {
		if (json_equal(have, v))
			return;
	}
	(void)json_array_append(samples, v);
}

int outbox_referral(desk_t *d, arena_t *a, const store_case_t *c, int64_t action_id, const char *reason,
                    int64_t now)
{
	store_report_t *reps = NULL;
	size_t n = 0;
	char when[TS_TIME_TEXT];
	const char *klass, *type = xarf_type(c->threat, &klass);
	const char *at = strchr(d->pol->abuse_email, '@');
	int ret = desk_case_reports_all(d, a, c->id, &reps, &n);
	if (ret != TS_OK)
		return ret;
	ts_time_format(now, when);
	desk_json_reset();
	json_t *samples = json_array();
	json_t *root = json_pack("{s:s, s:{s:s, s:s, s:s, s:s, s:s}, s:b, s:{s:s, s:s, s:s, s:s, s:s, s:s, s:o}}",
	                         "Version", "3",
	                         "ReporterInfo", "ReporterOrg", d->pol->registry_name, "ReporterOrgDomain",
	                         at != NULL ? at + 1 : "", "ReporterOrgEmail", d->pol->abuse_email,
	                         "ReporterContactEmail", d->pol->abuse_email, "ReporterContactName",
	                         "abuse desk",
	                         "Disclosure", 0,
	                         "Report", "ReportClass", klass, "ReportType", type, "Date", when, "SourceType",
	                         "Domain", "Source", c->domain, "Ongoing", "Yes", "Samples", samples);
	if (root == NULL)
		return TS_ENOMEM;
	/* the URLs of the reports' evidence and indicators: facts, not personal data */
	for (size_t i = 0; i < n; i++) {
		json_t *body = json_loads(reps[i].body, 0, NULL);
		json_t *urls = body != NULL ? json_object_get(body, "urls") : NULL;
		json_t *ev = body != NULL ? json_object_get(body, "evidence") : NULL;
		size_t k;
		json_t *v;
		json_array_foreach(urls, k, v) {
			add_sample(samples, v);
		}
		json_array_foreach(ev, k, v) {
			json_t *kind = json_object_get(v, "kind");
			if (json_is_string(kind) && strcmp(json_string_value(kind), "url") == 0)
				add_sample(samples, json_object_get(v, "value"));
		}
		json_decref(body);
	}
	char *xarf = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (xarf == NULL || desk_json_alloc_failed()) {
		ts_free(xarf); /* a sample or a report body was lost to a failed allocation */
		return TS_ENOMEM;
	}
	dbuf_t subj, body;
	dbuf_init(&subj, 1024);
	dbuf_init(&body, 256 * 1024);
	ret = dbuf_addf(&subj, "[%s] Abuse referral: %s (%s, case %" PRId64 ")", d->pol->registry_name, c->domain,
	                c->threat, c->id);
	if (ret == TS_OK)
		ret = dbuf_addf(&body, "To the sponsoring registrar of %s:\n\n"
		                "%s has assessed %s as used for %s (validity: %s; registration: %s) and refers it to "
		                "you, as the registrar holding the registrant relationship, for investigation and "
		                "remediation under your abuse policy.\n",
		                c->domain, d->pol->registry_name, c->domain, c->threat,
		                c->validity != NULL ? c->validity : "not assessed",
		                c->registration != NULL ? c->registration : "unknown");
	if (ret == TS_OK && reason != NULL && reason[0] != '\0')
		ret = dbuf_addf(&body, "\nNote: %s\n", reason);
	if (ret == TS_OK)
		ret = dbuf_addf(&body, "\nThe report in XARF form is attached. Please answer to %s quoting case %" PRId64
		                ".\n\n-- \n%s abuse desk <%s>\n", d->pol->abuse_email, c->id, d->pol->registry_name,
		                d->pol->abuse_email);
	if (ret == TS_OK) {
		store_msg_t m = { .case_id = c->id, .action_id = action_id, .created_at = now, .kind = "referral",
			          .recipient = "registrar", .to_name = NULL, .to_addr = NULL,
			          .subject = dbuf_str(&subj), .body = dbuf_str(&body), .xarf = xarf };
		int64_t id;
		ret = store_msg_add(d->st, &m, &id);
	}
	dbuf_free(&subj);
	dbuf_free(&body);
	ts_free(xarf);
	return ret;
}

/* ---- RFC 5322 export -------------------------------------------------- */

static void rfc5322_date(int64_t t, char *buf, size_t cap)
{
	static const char *const days[] = { "Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
		                              "Oct", "Nov", "Dec" };
	int64_t day = t >= 0 ? t / 86400 : (t - 86399) / 86400;
	int64_t sec = t - day * 86400, y;
	unsigned m, dd;
	ts_civil_from_days(day, &y, &m, &dd);
	snprintf(buf, cap, "%s, %02u %s %04" PRId64 " %02d:%02d:%02d +0000", days[((day % 7) + 7) % 7], dd,
	         months[m - 1], y, (int)(sec / 3600), (int)(sec / 60 % 60), (int)(sec % 60));
}

/* A display name as an RFC 5322 quoted string. */
static int add_quoted(dbuf_t *b, const char *s)
{
	int ret = dbuf_addc(b, '"');
	for (; ret == TS_OK && *s != '\0'; s++) {
		if (*s == '\r' || *s == '\n')
			continue;
		if (*s == '"' || *s == '\\')
			ret = dbuf_addc(b, '\\');
		if (ret == TS_OK)
			ret = dbuf_addc(b, *s);
	}
	return ret == TS_OK ? dbuf_addc(b, '"') : ret;
}

int desk_msg_eml(const desk_t *d, const store_msg_t *m, bool show_personal, char **out)
{
	dbuf_t b;
	char date[64];
	const char *at = strchr(d->pol->abuse_email, '@');
	dbuf_init(&b, TS_MAX_OUTPUT_BUF);
	rfc5322_date(m->created_at, date, sizeof(date));
	char from[POLICY_TEXT + 16];
	snprintf(from, sizeof(from), "%s abuse desk", d->pol->registry_name);
	int ret = dbuf_adds(&b, "From: ");
	if (ret == TS_OK)
		ret = add_quoted(&b, from);
	if (ret == TS_OK)
		ret = dbuf_addf(&b, " <%s>\r\n", d->pol->abuse_email);
	if (ret == TS_OK) {
		if (m->to_addr != NULL && show_personal) {
			ret = dbuf_adds(&b, "To: ");
			if (ret == TS_OK && m->to_name != NULL)
				ret = add_quoted(&b, m->to_name);
			if (ret == TS_OK)
				ret = dbuf_addf(&b, "%s<%s>\r\n", m->to_name != NULL ? " " : "", m->to_addr);
		}
		else
			ret = dbuf_addf(&b, "To: undisclosed-recipients:;\r\nX-Tldsec-Recipient: %s\r\n",
			                m->to_addr != NULL ? "[redacted]" :
			                strcmp(m->recipient, "registrar") == 0 ? "sponsoring registrar (no address on file)"
			                                                       : "reporter (no address on file)");
	}
	if (ret == TS_OK)
		ret = dbuf_addf(&b, "Subject: %s\r\nDate: %s\r\nMessage-ID: <tldsec.%" PRId64 ".case%" PRId64 "@%s>\r\n"
		                "MIME-Version: 1.0\r\nX-Tldsec-Case: %" PRId64 "\r\nX-Tldsec-Kind: %s\r\n", m->subject, date,
		                m->id, m->case_id, at != NULL ? at + 1 : "localhost", m->case_id, m->kind);
	if (ret == TS_OK && m->xarf == NULL)
		ret = dbuf_addf(&b, "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n");
	else if (ret == TS_OK)
		ret = dbuf_addf(&b, "Content-Type: multipart/mixed; boundary=\"tldsec-%" PRId64 "\"\r\n\r\n"
		                "--tldsec-%" PRId64 "\r\nContent-Type: text/plain; charset=utf-8\r\n"
		                "Content-Transfer-Encoding: 8bit\r\n\r\n", m->id, m->id);
	/* body lines end in CRLF */
	for (const char *p = m->body; ret == TS_OK && *p != '\0'; p++)
		ret = *p == '\n' ? dbuf_add(&b, "\r\n", 2) : dbuf_addc(&b, *p);
	if (ret == TS_OK && m->xarf != NULL) {
		ret = dbuf_addf(&b, "\r\n--tldsec-%" PRId64 "\r\nContent-Type: application/json; charset=utf-8\r\n"
		                "Content-Disposition: attachment; filename=\"xarf.json\"\r\n"
		                "Content-Transfer-Encoding: 8bit\r\n\r\n", m->id);
		for (const char *p = m->xarf; ret == TS_OK && *p != '\0'; p++)
			ret = *p == '\n' ? dbuf_add(&b, "\r\n", 2) : dbuf_addc(&b, *p);
		if (ret == TS_OK)
			ret = dbuf_addf(&b, "\r\n--tldsec-%" PRId64 "--\r\n", m->id);
	}
	if (ret != TS_OK) {
		dbuf_free(&b);
		return ret;
	}
	*out = dbuf_take(&b);
	return *out != NULL ? TS_OK : TS_ENOMEM;
}

struct export_ctx {
	arena_t *a;
	store_msg_t *msgs;
	size_t n, cap;
};

static int collect(void *user, const store_msg_t *m)
{
	struct export_ctx *x = user;
	if (x->n == x->cap) {
		size_t ncap = x->cap > 0 ? x->cap * 2 : 16;
		store_msg_t *nm = arena_alloc(x->a, ncap * sizeof(*nm));
		if (nm == NULL)
			return TS_ENOMEM;
		if (x->n > 0)
			memcpy(nm, x->msgs, x->n * sizeof(*nm));
		x->msgs = nm;
		x->cap = ncap;
	}
	store_msg_t *c = &x->msgs[x->n];
	*c = *m;
	const char **f[] = { &c->kind, &c->recipient, &c->to_name, &c->to_addr, &c->subject, &c->body, &c->xarf };
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		if (*f[i] != NULL && (*f[i] = arena_strdup(x->a, *f[i])) == NULL)
			return TS_ENOMEM;
	}
	x->n++;
	return TS_OK;
}

int desk_outbox_export(desk_t *d, const char *dir, bool show_personal, uint64_t *written, desk_err_t *err)
{
	struct export_ctx x = { .a = arena_new(256 * 1024) };
	int64_t now;
	int ret;
	*written = 0;
	if (x.a == NULL)
		return desk_fail(err, TS_ENOMEM, "out of memory");
	if ((ret = desk_now(&now, err)) != TS_OK)
		goto out;
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		ret = desk_fail(err, TS_EIO, "%s: cannot create the directory", dir);
		goto out;
	}
	if ((ret = store_msg_list(d->st, 0, true, collect, &x)) != TS_OK) {
		ret = desk_store_fail(d, err, ret, "reading the outbox");
		goto out;
	}
	for (size_t i = 0; i < x.n; i++) {
		char path[4096], *eml = NULL;
		afile_t af;
		snprintf(path, sizeof(path), "%s/%06" PRId64 ".eml", dir, x.msgs[i].id);
		if ((ret = desk_msg_eml(d, &x.msgs[i], show_personal, &eml)) != TS_OK) {
			ret = desk_fail(err, ret, "message %" PRId64 ": out of memory", x.msgs[i].id);
			goto out;
		}
		if ((ret = afile_open(&af, path)) != TS_OK) {
			ts_free(eml);
			ret = desk_fail(err, TS_EIO, "%s: cannot write", path);
			goto out;
		}
		fputs(eml, af.fp);
		ts_free(eml);
		if ((ret = afile_commit(&af)) != TS_OK) {
			ret = desk_fail(err, TS_EIO, "%s: writing failed", path);
			goto out;
		}
		if ((ret = store_begin(d->st)) != TS_OK || (ret = store_msg_set_exported(d->st, x.msgs[i].id, now)) != TS_OK ||
		    (ret = store_commit(d->st)) != TS_OK) {
			store_rollback(d->st);
			ret = desk_store_fail(d, err, ret, "marking the message exported");
			goto out;
		}
		(*written)++;
	}
	if (*written > 0) {
		char detail[96];
		snprintf(detail, sizeof(detail), "{\"exported\":%" PRIu64 ",\"personal_data\":%s}", *written,
		         show_personal ? "true" : "false");
		if ((ret = store_begin(d->st)) != TS_OK || (ret = audit_append(d, now, 0, "outbox.export", detail)) != TS_OK ||
		    (ret = store_commit(d->st)) != TS_OK) {
			store_rollback(d->st);
			ret = desk_store_fail(d, err, ret, "recording the export");
		}
	}
out:
	arena_free(&x.a);
	return ret;
}
