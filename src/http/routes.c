/* routes.c — routing, authentication, roles, limits and the handlers of the
 * API (product.md §2.7). Errors are {"error":{"code","message","field"}} with
 * "line"/"col" for malformed JSON. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stddef.h>
#include <string.h>

#include <jansson.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/num.h"
#include "http/api.h"
#include "stats/stats.h"

#define RESP_MAX (64u * 1024 * 1024)

struct api {
	desk_t *d;
	const policy_t *pol;
	metrics_t *m;
	rl_t *rl;
};

struct api_job {
	const http_req_t *req;
	http_route_t route;
	int64_t id;                /* the {id} of the path */
	http_resp_t resp;
	bool ran;
	const char *tier;          /* of a stored report (static strings), for the metrics */
	const char *priority;
};

int api_new(api_t **api, desk_t *d, const policy_t *pol, metrics_t *m)
{
	*api = ts_calloc(1, sizeof(**api));
	if (*api == NULL)
		return TS_ENOMEM;
	(*api)->d = d;
	(*api)->pol = pol;
	(*api)->m = m;
	if (rl_new(&(*api)->rl) != TS_OK) {
		ts_free(*api);
		*api = NULL;
		return TS_ENOMEM;
	}
	return TS_OK;
}

void api_free(api_t **api)
{
	if (api == NULL || *api == NULL)
		return;
	rl_free(&(*api)->rl);
	ts_free(*api);
	*api = NULL;
}

void http_resp_free(http_resp_t *resp)
{
	ts_free(resp->body);
	resp->body = NULL;
	resp->len = 0;
}

/* ---- answers ------------------------------------------------------------ */

/* A JSON string with its quotes. */
static int add_json_str(dbuf_t *b, const char *s, size_t n)
{
	int ret = dbuf_addc(b, '"');
	if (ret == TS_OK)
		ret = dbuf_add_json_str(b, s, n);
	return ret != TS_OK ? ret : dbuf_addc(b, '"');
}

static const char fallback_oom[] = "{\"error\":{\"code\":\"unavailable\",\"message\":\"out of memory\"}}\n";

static void set_body(http_resp_t *resp, int status, const char *ctype, dbuf_t *b, int built)
{
	http_resp_free(resp);
	resp->content_type = ctype;
	if (built == TS_OK && dbuf_addc(b, '\n') == TS_OK) {
		resp->len = b->len;
		resp->body = dbuf_take(b);
		resp->status = status;
		if (resp->body != NULL)
			return;
	}
	dbuf_free(b);
	/* no memory for the answer: a static one, copied if that is possible */
	resp->status = 503;
	resp->content_type = "application/json";
	resp->body = ts_malloc(sizeof(fallback_oom));
	resp->len = 0;
	if (resp->body != NULL) {
		memcpy(resp->body, fallback_oom, sizeof(fallback_oom));
		resp->len = sizeof(fallback_oom) - 1;
	}
}

static void error_full(http_resp_t *resp, int status, const char *code, const char *field, unsigned long line,
                       unsigned long col, const char *message)
{
	dbuf_t b;
	dbuf_init(&b, RESP_MAX);
	int ret = dbuf_addf(&b, "{\"error\":{\"code\":\"%s\",\"message\":", code);
	if (ret == TS_OK)
		ret = add_json_str(&b, message, strlen(message));
	if (ret == TS_OK && field != NULL && field[0] != '\0') {
		ret = dbuf_adds(&b, ",\"field\":");
		if (ret == TS_OK)
			ret = add_json_str(&b, field, strlen(field));
	}
	if (ret == TS_OK && line > 0)
		ret = dbuf_addf(&b, ",\"line\":%lu,\"col\":%lu", line, col);
	if (ret == TS_OK)
		ret = dbuf_adds(&b, "}}");
	set_body(resp, status, "application/json", &b, ret);
}

void api_error(http_resp_t *resp, int status, const char *code, const char *message)
{
	error_full(resp, status, code, NULL, 0, 0, message);
}

static void errorf(http_resp_t *resp, int status, const char *code, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static void errorf(http_resp_t *resp, int status, const char *code, const char *field, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	error_full(resp, status, code, field, 0, 0, msg);
}

/* A desk failure as an answer. */
static void desk_answer(http_resp_t *resp, const desk_err_t *e)
{
	int status = 500;
	const char *code = "internal";
	switch (e->code) {
	case TS_EINPUT:
	case TS_ESYNTAX:
	case TS_ELIMIT:
		status = e->bad_names ? 422 : 400;
		code = e->bad_names                              ? "bad_names"
		       : e->line > 0                             ? "malformed_json"
		       : strncmp(e->msg, "unknown field", 13) == 0 ? "unknown_field"
		                                                 : "invalid";
		break;
	case TS_ENOTFOUND: status = 404; code = "not_found"; break;
	case TS_ESTATE: status = 409; code = "wrong_state"; break;
	case TS_EREFUSED: status = 409; code = "refused"; break;
	case TS_EDENIED: status = 403; code = "forbidden"; break;
	case TS_ENOMEM:
	case TS_EBUSY: status = 503; code = "unavailable"; break;
	default: break;
	}
	error_full(resp, status, code, e->path, e->line, e->col, e->msg);
}

static int add_time(dbuf_t *b, const char *key, int64_t t, bool comma)
{
	char ts[TS_TIME_TEXT];
	if (t == 0)
		return dbuf_addf(b, "%s\"%s\":null", comma ? "," : "", key);
	ts_time_format(t, ts);
	return dbuf_addf(b, "%s\"%s\":\"%s\"", comma ? "," : "", key, ts);
}

static int add_str(dbuf_t *b, const char *key, const char *v, bool comma)
{
	int ret = dbuf_addf(b, "%s\"%s\":", comma ? "," : "", key);
	if (ret != TS_OK)
		return ret;
	return v == NULL ? dbuf_adds(b, "null") : add_json_str(b, v, strlen(v));
}

/* A member of a store struct written as ,"key":value: a string (NULL as
 * null), a time (0 as null) or a boolean. The key is the member's name. */
enum { JF_STR, JF_TIME, JF_BOOL };
typedef struct jfield {
	const char *key;
	unsigned char kind;
	size_t off;
} jfield_t;
#define JF(type, kind, member) { #member, kind, offsetof(type, member) }
#define NFIELDS(f) (sizeof(f) / sizeof((f)[0]))

static int add_fields(dbuf_t *b, const void *obj, const jfield_t *f, size_t n)
{
	int ret = TS_OK;
	for (size_t i = 0; i < n && ret == TS_OK; i++) {
		const char *p = (const char *)obj + f[i].off;
		if (f[i].kind == JF_STR) {
			const char *v;
			memcpy(&v, p, sizeof(v));
			ret = add_str(b, f[i].key, v, true);
		} else if (f[i].kind == JF_TIME) {
			int64_t t;
			memcpy(&t, p, sizeof(t));
			ret = add_time(b, f[i].key, t, true);
		} else {
			bool v;
			memcpy(&v, p, sizeof(v));
			ret = dbuf_addf(b, ",\"%s\":%s", f[i].key, v ? "true" : "false");
		}
	}
	return ret;
}

/* ,"name":[{"ID_KEY":id, fields...}, ...] of the n structs of `size` bytes
 * at `arr`, whose int64_t id is at id_off. */
static int add_array(dbuf_t *b, const char *name, const void *arr, size_t n, size_t size, const char *id_key,
                     size_t id_off, const jfield_t *f, size_t nf)
{
	int ret = dbuf_addf(b, ",\"%s\":[", name);
	for (size_t i = 0; i < n && ret == TS_OK; i++) {
		const char *obj = (const char *)arr + i * size;
		int64_t id;
		memcpy(&id, obj + id_off, sizeof(id));
		ret = dbuf_addf(b, "%s{\"%s\":%" PRId64, i > 0 ? "," : "", id_key, id);
		if (ret == TS_OK)
			ret = add_fields(b, obj, f, nf);
		if (ret == TS_OK)
			ret = dbuf_adds(b, "}");
	}
	return ret == TS_OK ? dbuf_adds(b, "]") : ret;
}

/* ---- routing ------------------------------------------------------------ */

static bool parse_id(const char *s, size_t n, int64_t *id)
{
	return n > 0 && n <= 19 && s[0] != '0' && ts_parse_i64(s, n, 1, INT64_MAX, id) == TS_OK;
}

/* Matches "/v1/cases/{id}" + "/verb"; returns the route or ROUTE_OTHER. */
static http_route_t route_of(const char *method, const char *path, int64_t *id, bool *method_ok)
{
	static const struct { const char *verb; http_route_t r; } verbs[] = {
		{ "/ack", ROUTE_CASE_ACK }, { "/assess", ROUTE_CASE_ASSESS }, { "/actions", ROUTE_CASE_ACTIONS },
		{ "/close", ROUTE_CASE_CLOSE },
	};
	bool get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0, post = strcmp(method, "POST") == 0;
	http_route_t r = ROUTE_OTHER;
	bool want_post = false;
	*id = 0;
	if (strcmp(path, "/v1/reports") == 0) {
		r = ROUTE_REPORTS_POST;
		want_post = true;
	} else if (strncmp(path, "/v1/reports/", 12) == 0 && parse_id(path + 12, strlen(path + 12), id)) {
		r = ROUTE_REPORT_GET;
	} else if (strcmp(path, "/v1/cases") == 0) {
		r = ROUTE_CASES;
	} else if (strncmp(path, "/v1/cases/", 10) == 0) {
		const char *s = path + 10, *slash = strchr(s, '/');
		size_t n = slash != NULL ? (size_t)(slash - s) : strlen(s);
		if (!parse_id(s, n, id))
			return ROUTE_OTHER;
		if (slash == NULL)
			r = ROUTE_CASE;
		else
			for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
				if (strcmp(slash, verbs[i].verb) == 0) {
					r = verbs[i].r;
					want_post = true;
				}
	} else if (strcmp(path, "/v1/stats") == 0) {
		r = ROUTE_STATS;
	} else if (strcmp(path, "/healthz") == 0) {
		r = ROUTE_HEALTHZ;
	} else if (strcmp(path, "/metrics") == 0) {
		r = ROUTE_METRICS;
	}
	*method_ok = want_post ? post : get;
	return r;
}

api_job_t *api_begin(api_t *api, const http_req_t *req, http_resp_t *resp)
{
	int64_t id;
	bool method_ok = false;
	memset(resp, 0, sizeof(*resp));
	http_route_t r = route_of(req->method, req->path, &id, &method_ok);
	resp->route = r;
	if (r == ROUTE_OTHER) {
		errorf(resp, 404, "not_found", NULL, "no such resource: %s", req->path);
		return NULL;
	}
	if (!method_ok) {
		errorf(resp, 405, "method_not_allowed", NULL, "%s is not allowed on %s", req->method, req->path);
		return NULL;
	}
	if (req->body_too_large) {
		errorf(resp, 413, "too_large", NULL, "the body is larger than %llu bytes (max_body_bytes)",
		       (unsigned long long)api->pol->max_body_bytes);
		return NULL;
	}
	if (req->too_many_args) {
		errorf(resp, 400, "invalid", NULL, "more than %d query arguments", API_MAX_ARGS);
		return NULL;
	}
	api_job_t *job = ts_calloc(1, sizeof(*job));
	if (job == NULL) {
		api_error(resp, 503, "unavailable", "out of memory");
		return NULL;
	}
	job->req = req;
	job->route = r;
	job->id = id;
	job->resp.route = r;
	return job;
}

/* ---- authentication, roles, limits --------------------------------------- */

typedef struct caller {
	bool anonymous;
	int64_t id;
	const char *role;
	const char *tier;
	store_reporter_t who;
} caller_t;

enum { ROLES_REPORTER = 1, ROLES_ANALYST = 2, ROLES_ADMIN = 4, ROLES_AUDITOR = 8 };

static unsigned role_bit(const char *role)
{
	if (strcmp(role, "reporter") == 0)
		return ROLES_REPORTER;
	if (strcmp(role, "analyst") == 0)
		return ROLES_ANALYST;
	if (strcmp(role, "admin") == 0)
		return ROLES_ADMIN;
	if (strcmp(role, "auditor") == 0)
		return ROLES_AUDITOR;
	return 0;
}

static unsigned route_roles(http_route_t r)
{
	switch (r) {
	case ROUTE_REPORTS_POST:
	case ROUTE_REPORT_GET: return ROLES_REPORTER;
	case ROUTE_CASES:
	case ROUTE_CASE:
	case ROUTE_STATS: return ROLES_ANALYST | ROLES_ADMIN | ROLES_AUDITOR;
	case ROUTE_CASE_ACK:
	case ROUTE_CASE_ASSESS:
	case ROUTE_CASE_ACTIONS:
	case ROUTE_CASE_CLOSE: return ROLES_ANALYST | ROLES_ADMIN;
	default: return 0;
	}
}

static double tier_rate(const policy_t *p, const char *role, const char *tier)
{
	if (strcmp(role, "reporter") != 0)
		return (double)p->rate_staff;
	if (strcmp(tier, "law_enforcement") == 0)
		return (double)p->rate_law_enforcement;
	if (strcmp(tier, "government") == 0)
		return (double)p->rate_government;
	if (strcmp(tier, "trusted_third_party") == 0)
		return (double)p->rate_trusted_third_party;
	if (strcmp(tier, "public") == 0)
		return (double)p->rate_public;
	return (double)p->rate_anonymous;
}

static bool limited(api_t *api, http_resp_t *resp, const char *key, double rate, const char *what)
{
	unsigned retry;
	if (rl_take(api->rl, key, rate, rate * (double)api->pol->burst_seconds, rl_now(), &retry))
		return false;
	errorf(resp, 429, "rate_limited", NULL, "too many requests (%s: %.0f per second); retry in %u s", what, rate,
	       retry);
	resp->retry_after = retry;
	return true;
}

/* The bearer token of the request; false (answer filled) when the caller
 * may not go on. */
static bool authenticate(api_t *api, api_job_t *job, arena_t *a, caller_t *c)
{
	http_resp_t *resp = &job->resp;
	const char *h = job->req->authorization;
	desk_err_t err = { 0 };
	char key[96];
	memset(c, 0, sizeof(*c));
	if (h == NULL) {
		if (job->route == ROUTE_REPORTS_POST && api->pol->allow_anonymous) {
			c->anonymous = true;
			c->role = "reporter";
			desk_set_actor(api->d, "api:anonymous");
			c->tier = "anonymous";
			snprintf(key, sizeof(key), "addr:%.80s", job->req->client != NULL ? job->req->client : "");
			return !limited(api, resp, key, (double)api->pol->rate_anonymous, "per address");
		}
		api_error(resp, 401, "unauthorized", "missing bearer token (Authorization: Bearer TOKEN)");
		return false;
	}
	if (strncasecmp(h, "Bearer ", 7) != 0 || strlen(h + 7) >= DESK_TOKEN_TEXT || h[7] == '\0') {
		api_error(resp, 401, "unauthorized", "the Authorization header is not 'Bearer TOKEN'");
		return false;
	}
	int ret = desk_reporter_auth(api->d, h + 7, a, &c->who, &err);
	if (ret == TS_EDENIED) {
		api_error(resp, 401, "unauthorized", "unknown or disabled token");
		return false;
	}
	if (ret != TS_OK) {
		desk_answer(resp, &err);
		return false;
	}
	c->id = c->who.id;
	c->role = c->who.role != NULL ? c->who.role : "reporter";
	c->tier = c->who.tier;
	if ((route_roles(job->route) & role_bit(c->role)) == 0) {
		errorf(resp, 403, "forbidden", NULL, "role %s may not use %s", c->role, metrics_route_name(job->route));
		return false;
	}
	snprintf(key, sizeof(key), "token:%" PRId64, c->id);
	if (limited(api, resp, key, tier_rate(api->pol, c->role, c->tier), "per token"))
		return false;
	snprintf(key, sizeof(key), "tier:%s:%.40s", c->role, c->tier);
	if (limited(api, resp, key, (double)api->pol->tier_rate, "per tier"))
		return false;
	snprintf(key, sizeof(key), "api:%s:%" PRId64, c->role, c->id);
	desk_set_actor(api->d, key);
	return true;
}

/* ---- bodies of the case verbs ----------------------------------------------- */

/* Parses an object body (empty: {}); checks every key is in `allowed`. */
static json_t *parse_object(const http_req_t *req, const char *const *allowed, http_resp_t *resp)
{
	json_error_t je;
	json_t *o;
	if (req->body_len == 0)
		o = json_object();
	else
		o = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &je);
	if (o == NULL) {
		if (req->body_len == 0)
			api_error(resp, 503, "unavailable", "out of memory");
		else
			error_full(resp, 400, "malformed_json", "$", (unsigned long)je.line, (unsigned long)je.column,
			           je.text);
		return NULL;
	}
	if (!json_is_object(o)) {
		error_full(resp, 400, "invalid", "$", 0, 0, "the body is not a JSON object");
		json_decref(o);
		return NULL;
	}
	const char *k;
	json_t *v;
	json_object_foreach(o, k, v) {
		bool known = false;
		for (size_t i = 0; allowed[i] != NULL; i++)
			known |= strcmp(k, allowed[i]) == 0;
		if (!known) {
			char path[128];
			snprintf(path, sizeof(path), "$.%.100s", k);
			error_full(resp, 400, "unknown_field", path, 0, 0, "unknown field");
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

/* A string member (NULL when absent); false with the answer when not a string. */
static bool get_str(json_t *o, const char *k, const char **out, http_resp_t *resp)
{
	json_t *v = json_object_get(o, k);
	*out = NULL;
	if (v == NULL || json_is_null(v))
		return true;
	if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v)) {
		char path[64];
		snprintf(path, sizeof(path), "$.%s", k);
		error_full(resp, 400, "invalid", path, 0, 0, "must be a string without NUL characters");
		return false;
	}
	*out = json_string_value(v);
	return true;
}

static bool need(const char *v, const char *k, http_resp_t *resp)
{
	if (v != NULL)
		return true;
	char path[64];
	snprintf(path, sizeof(path), "$.%s", k);
	error_full(resp, 400, "invalid", path, 0, 0, "required");
	return false;
}

/* ---- handlers ------------------------------------------------------------- */

static void ok_body(http_resp_t *resp, int status, dbuf_t *b, int ret)
{
	set_body(resp, status, "application/json", b, ret);
}

static void h_report_post(api_t *api, api_job_t *job, const caller_t *c)
{
	desk_receipt_t rc;
	desk_err_t err = { 0 };
	const http_req_t *req = job->req;
	int ret = desk_report_submit(api->d, req->body != NULL ? req->body : "", req->body_len, c->id, "api", &rc,
	                             &err);
	if (ret != TS_OK) {
		desk_answer(&job->resp, &err);
		return;
	}
	dbuf_t b;
	dbuf_init(&b, RESP_MAX);
	ret = dbuf_addf(&b, "{\"report_id\":%" PRId64 ",\"case_ids\":[", rc.report_id);
	for (size_t i = 0; i < rc.n_cases && ret == TS_OK; i++)
		ret = dbuf_addf(&b, "%s%" PRId64, i > 0 ? "," : "", rc.case_ids[i]);
	if (ret == TS_OK)
		ret = dbuf_addf(&b, "],\"priority\":\"%s\",\"urgent_claim\":%s", rc.priority,
		                rc.urgent_claim ? "true" : "false");
	static const jfield_t receipt_fields[] = {
		JF(desk_receipt_t, JF_TIME, received_at), JF(desk_receipt_t, JF_TIME, ack_due),
		JF(desk_receipt_t, JF_TIME, response_due),
	};
	if (ret == TS_OK)
		ret = add_fields(&b, &rc, receipt_fields, NFIELDS(receipt_fields));
	if (ret == TS_OK)
		ret = dbuf_adds(&b, "}");
	ok_body(&job->resp, 201, &b, ret);
	job->tier = rc.tier;
	job->priority = rc.priority;
}

static const jfield_t case_fields[] = {
	JF(store_case_t, JF_STR, domain),        JF(store_case_t, JF_STR, threat),
	JF(store_case_t, JF_STR, state),         JF(store_case_t, JF_STR, priority),
	JF(store_case_t, JF_BOOL, urgent_claim), JF(store_case_t, JF_BOOL, confidential),
	JF(store_case_t, JF_BOOL, registered),   JF(store_case_t, JF_TIME, received_at),
	JF(store_case_t, JF_TIME, ack_due),      JF(store_case_t, JF_TIME, response_due),
};

static int case_summary(dbuf_t *b, const store_case_t *c)
{
	int64_t due;
	const char *clock = desk_case_clock(c, &due);
	int ret = dbuf_addf(b, "{\"id\":%" PRId64, c->id);
	if (ret == TS_OK)
		ret = add_fields(b, c, case_fields, NFIELDS(case_fields));
	if (ret == TS_OK)
		ret = add_str(b, "clock", clock, true);
	if (ret == TS_OK)
		ret = add_time(b, "clock_due", clock != NULL ? due : 0, true);
	return ret;
}

static void h_report_get(api_t *api, api_job_t *job, const caller_t *c)
{
	arena_t *a = arena_new(16 * 1024);
	desk_report_view_t v;
	desk_err_t err = { 0 };
	if (a == NULL) {
		api_error(&job->resp, 503, "unavailable", "out of memory");
		return;
	}
	if (desk_report_show(api->d, job->id, c->id, a, &v, &err) != TS_OK) {
		if (err.code == TS_ENOTFOUND)
			errorf(&job->resp, 404, "not_found", NULL, "no report %" PRId64 " of yours", job->id);
		else
			desk_answer(&job->resp, &err);
		arena_free(&a);
		return;
	}
	dbuf_t b;
	dbuf_init(&b, RESP_MAX);
	static const jfield_t report_fields[] = {
		JF(store_report_t, JF_TIME, received_at), JF(store_report_t, JF_STR, threat),
		JF(store_report_t, JF_STR, priority),     JF(store_report_t, JF_STR, flags),
	};
	static const jfield_t answer_fields[] = {
		JF(store_msg_t, JF_STR, kind),    JF(store_msg_t, JF_TIME, created_at),
		JF(store_msg_t, JF_STR, subject), JF(store_msg_t, JF_STR, body),
	};
	int ret = dbuf_addf(&b, "{\"report_id\":%" PRId64, v.r.id);
	if (ret == TS_OK)
		ret = add_fields(&b, &v.r, report_fields, NFIELDS(report_fields));
	if (ret == TS_OK)
		ret = dbuf_adds(&b, ",\"cases\":[");
	for (size_t i = 0; i < v.n_cases && ret == TS_OK; i++) {
		ret = dbuf_adds(&b, i > 0 ? "," : "");
		if (ret == TS_OK)
			ret = case_summary(&b, &v.cases[i]);
		if (ret == TS_OK)
			ret = dbuf_adds(&b, "}");
	}
	if (ret == TS_OK)
		ret = dbuf_adds(&b, "]");
	if (ret == TS_OK)
		ret = add_array(&b, "answers", v.answers, v.n_answers, sizeof(*v.answers), "case_id",
		                offsetof(store_msg_t, case_id), answer_fields, NFIELDS(answer_fields));
	if (ret == TS_OK)
		ret = dbuf_adds(&b, "}");
	ok_body(&job->resp, 200, &b, ret);
	arena_free(&a);
}

struct list_ctx {
	dbuf_t *b;
	uint64_t n, limit;
	int ret;
};

static int list_one(void *user, const store_case_t *c)
{
	struct list_ctx *x = user;
	if (x->n >= x->limit)
		return TS_OK;
	int ret = dbuf_adds(x->b, x->n > 0 ? "," : "");
	if (ret == TS_OK)
		ret = case_summary(x->b, c);
	if (ret == TS_OK)
		ret = dbuf_adds(x->b, "}");
	x->n++;
	return ret;
}

static const char *arg(const http_req_t *req, const char *k)
{
	for (size_t i = 0; i < req->n_args; i++)
		if (req->args_k[i] != NULL && strcmp(req->args_k[i], k) == 0)
			return req->args_v[i] != NULL ? req->args_v[i] : "";
	return NULL;
}

static void h_cases(api_t *api, api_job_t *job)
{
	const http_req_t *req = job->req;
	store_case_filter_t f = { 0 };
	uint64_t limit = 100;
	desk_err_t err = { 0 };
	static const char *const known[] = { "state", "priority", "overdue", "domain", "limit", NULL };
	for (size_t i = 0; i < req->n_args; i++) {
		bool ok = false;
		for (size_t k = 0; known[k] != NULL; k++)
			ok |= req->args_k[i] != NULL && strcmp(req->args_k[i], known[k]) == 0;
		if (!ok) {
			errorf(&job->resp, 400, "unknown_field", req->args_k[i] != NULL ? req->args_k[i] : "",
			       "unknown query argument (state, priority, overdue, domain, limit)");
			return;
		}
	}
	f.state = arg(req, "state");
	f.priority = arg(req, "priority");
	f.domain = arg(req, "domain");
	const char *ov = arg(req, "overdue"), *lim = arg(req, "limit");
	if (ov != NULL) {
		if (strcmp(ov, "true") != 0 && strcmp(ov, "1") != 0 && strcmp(ov, "false") != 0 && strcmp(ov, "0") != 0) {
			errorf(&job->resp, 400, "invalid", "overdue", "'%.40s' is not true or false", ov);
			return;
		}
		f.overdue = strcmp(ov, "true") == 0 || strcmp(ov, "1") == 0;
	}
	if (lim != NULL && ts_parse_u64(lim, strlen(lim), 10000, &limit) != TS_OK) {
		errorf(&job->resp, 400, "invalid", "limit", "'%.40s' is not a whole number from 0 to 10000", lim);
		return;
	}
	dbuf_t b;
	dbuf_init(&b, RESP_MAX);
	struct list_ctx x = { .b = &b, .limit = limit };
	int ret = dbuf_adds(&b, "{\"cases\":[");
	if (ret == TS_OK && desk_case_list(api->d, &f, list_one, &x, &err) != TS_OK) {
		dbuf_free(&b);
		if (err.code == 0)
			api_error(&job->resp, 503, "unavailable", "out of memory");
		else
			desk_answer(&job->resp, &err);
		return;
	}
	if (ret == TS_OK)
		ret = dbuf_addf(&b, "],\"count\":%llu}", (unsigned long long)x.n);
	ok_body(&job->resp, 200, &b, ret);
}

static void h_case(api_t *api, api_job_t *job)
{
	arena_t *a = arena_new(16 * 1024);
	desk_case_view_t v;
	desk_err_t err = { 0 };
	if (a == NULL) {
		api_error(&job->resp, 503, "unavailable", "out of memory");
		return;
	}
	if (desk_case_show(api->d, job->id, a, &v, &err) != TS_OK) {
		desk_answer(&job->resp, &err);
		arena_free(&a);
		return;
	}
	dbuf_t b;
	dbuf_init(&b, RESP_MAX);
	static const jfield_t detail_fields[] = {
		JF(store_case_t, JF_TIME, acked_at),    JF(store_case_t, JF_TIME, assessed_at),
		JF(store_case_t, JF_TIME, closed_at),   JF(store_case_t, JF_STR, validity),
		JF(store_case_t, JF_STR, registration), JF(store_case_t, JF_STR, responsible),
		JF(store_case_t, JF_STR, note),         JF(store_case_t, JF_STR, outcome),
	};
	static const jfield_t report_fields[] = {
		JF(store_report_t, JF_STR, tier),         JF(store_report_t, JF_BOOL, verified),
		JF(store_report_t, JF_STR, origin),       JF(store_report_t, JF_TIME, received_at),
		JF(store_report_t, JF_STR, priority),     JF(store_report_t, JF_STR, flags),
	};
	static const jfield_t action_fields[] = {
		JF(store_action_t, JF_STR, kind),        JF(store_action_t, JF_STR, actor),
		JF(store_action_t, JF_TIME, created_at), JF(store_action_t, JF_STR, court_order),
		JF(store_action_t, JF_STR, reason),      JF(store_action_t, JF_TIME, undone_at),
	};
	static const jfield_t msg_fields[] = {
		JF(store_msg_t, JF_STR, kind),        JF(store_msg_t, JF_STR, recipient),
		JF(store_msg_t, JF_TIME, created_at), JF(store_msg_t, JF_STR, subject),
	};
	int ret = case_summary(&b, &v.c);
	if (ret == TS_OK)
		ret = add_fields(&b, &v.c, detail_fields, NFIELDS(detail_fields));
	if (ret == TS_OK)
		ret = add_array(&b, "reports", v.reports, v.n_reports, sizeof(*v.reports), "id",
		                offsetof(store_report_t, id), report_fields, NFIELDS(report_fields));
	if (ret == TS_OK)
		ret = add_array(&b, "actions", v.actions, v.n_actions, sizeof(*v.actions), "id",
		                offsetof(store_action_t, id), action_fields, NFIELDS(action_fields));
	if (ret == TS_OK)
		ret = add_array(&b, "messages", v.msgs, v.n_msgs, sizeof(*v.msgs), "id",
		                offsetof(store_msg_t, id), msg_fields, NFIELDS(msg_fields));
	if (ret == TS_OK)
		ret = dbuf_adds(&b, "}");
	ok_body(&job->resp, 200, &b, ret);
	arena_free(&a);
}

/* The case after a verb: its summary. */
static void answer_case(api_t *api, api_job_t *job, int status, int64_t action_id, const char *undo)
{
	arena_t *a = arena_new(4096);
	store_case_t c;
	if (a == NULL || store_case_get(desk_store(api->d), job->id, a, &c) != TS_OK) {
		arena_free(&a);
		api_error(&job->resp, 503, "unavailable", "the case could not be read back");
		return;
	}
	dbuf_t b;
	dbuf_init(&b, RESP_MAX);
	int ret = case_summary(&b, &c);
	if (ret == TS_OK && action_id != 0)
		ret = dbuf_addf(&b, ",\"action_id\":%" PRId64, action_id);
	if (ret == TS_OK && undo != NULL)
		ret = add_str(&b, "undo", undo, true);
	if (ret == TS_OK)
		ret = dbuf_adds(&b, "}");
	ok_body(&job->resp, status, &b, ret);
	arena_free(&a);
}

static void h_verb(api_t *api, api_job_t *job)
{
	static const char *const ack_keys[] = { "message", NULL };
	static const char *const assess_keys[] = { "validity", "registration", "responsible", "note", NULL };
	static const char *const act_keys[] = { "kind", "court_order", "sinkhole_ns", "gaining_registrar", "reason",
		                                "force", NULL };
	static const char *const close_keys[] = { "outcome", NULL };
	http_resp_t *resp = &job->resp;
	desk_err_t err = { 0 };
	const char *const *keys = job->route == ROUTE_CASE_ACK      ? ack_keys
	                          : job->route == ROUTE_CASE_ASSESS ? assess_keys
	                          : job->route == ROUTE_CASE_ACTIONS ? act_keys
	                                                             : close_keys;
	json_t *o = parse_object(job->req, keys, resp);
	int ret = TS_OK;
	int64_t action_id = 0;
	char undo[DESK_UNDO_TEXT] = "";
	if (o == NULL)
		return;
	if (job->route == ROUTE_CASE_ACK) {
		const char *msg;
		if (!get_str(o, "message", &msg, resp))
			goto out;
		ret = desk_case_ack(api->d, job->id, msg, &err);
	} else if (job->route == ROUTE_CASE_ASSESS) {
		const char *v, *r, *who, *note;
		if (!get_str(o, "validity", &v, resp) || !get_str(o, "registration", &r, resp) ||
		    !get_str(o, "responsible", &who, resp) || !get_str(o, "note", &note, resp) ||
		    !need(v, "validity", resp))
			goto out;
		ret = desk_case_assess(api->d, job->id, v, r, who, note, &err);
	} else if (job->route == ROUTE_CASE_CLOSE) {
		const char *outcome;
		if (!get_str(o, "outcome", &outcome, resp) || !need(outcome, "outcome", resp))
			goto out;
		ret = desk_case_close(api->d, job->id, outcome, &err);
	} else {
		desk_action_in_t in = { 0 };
		json_t *ns = json_object_get(o, "sinkhole_ns"), *force = json_object_get(o, "force");
		if (!get_str(o, "kind", &in.kind, resp) || !get_str(o, "court_order", &in.court_order, resp) ||
		    !get_str(o, "gaining_registrar", &in.gaining_registrar, resp) ||
		    !get_str(o, "reason", &in.reason, resp) || !need(in.kind, "kind", resp))
			goto out;
		if (force != NULL && !json_is_boolean(force)) {
			error_full(resp, 400, "invalid", "$.force", 0, 0, "must be true or false");
			goto out;
		}
		in.force = force != NULL && json_is_true(force);
		if (ns != NULL) {
			if (!json_is_array(ns) || json_array_size(ns) > 8) {
				error_full(resp, 400, "invalid", "$.sinkhole_ns", 0, 0, "must be an array of at most 8 names");
				goto out;
			}
			for (size_t i = 0; i < json_array_size(ns); i++) {
				json_t *e = json_array_get(ns, i);
				if (!json_is_string(e) || strlen(json_string_value(e)) != json_string_length(e)) {
					char path[64];
					snprintf(path, sizeof(path), "$.sinkhole_ns[%zu]", i);
					error_full(resp, 400, "invalid", path, 0, 0, "must be a host name");
					goto out;
				}
				in.sinkhole_ns[in.n_sinkhole++] = json_string_value(e);
			}
		}
		ret = desk_case_act(api->d, job->id, &in, &action_id, undo, &err);
	}
	if (ret != TS_OK)
		desk_answer(resp, &err);
	else
		answer_case(api, job, job->route == ROUTE_CASE_ACTIONS ? 201 : 200, action_id,
		            action_id != 0 ? undo : NULL);
out:
	json_decref(o);
}

/* GET /v1/stats?from=&to=: the document of `tldsec stats --format json`.
 * Both bounds default so that the period is the 30 days ending now. The
 * handler runs on the database thread inside the batch, so the reads see the
 * same connection as the writes before them and need no lock of their own. */
#define STATS_DEFAULT_DAYS 30

static void h_stats(api_t *api, api_job_t *job)
{
	const http_req_t *req = job->req;
	static const char *const names[] = { "from", "to" };
	int64_t t[2] = { 0, 0 };
	stats_t *s = NULL;
	for (size_t i = 0; i < req->n_args; i++)
		if (req->args_k[i] == NULL || (strcmp(req->args_k[i], "from") != 0 && strcmp(req->args_k[i], "to") != 0)) {
			errorf(&job->resp, 400, "unknown_field", req->args_k[i] != NULL ? req->args_k[i] : "",
			       "unknown query argument (from, to)");
			return;
		}
	for (int i = 0; i < 2; i++) {
		const char *v = arg(req, names[i]);
		if (v != NULL && ts_time_parse(v, strlen(v), &t[i]) != TS_OK) {
			errorf(&job->resp, 400, "invalid", names[i], "'%.40s' is not a date (YYYY-MM-DD) or an ISO 8601 time",
			       v);
			return;
		}
	}
	if (arg(req, "to") == NULL && ts_now(&t[1]) != TS_OK) {
		api_error(&job->resp, 503, "unavailable", "the clock cannot be read");
		return;
	}
	if (arg(req, "from") == NULL)
		t[0] = t[1] - (int64_t)STATS_DEFAULT_DAYS * 86400;
	if (t[0] >= t[1]) {
		errorf(&job->resp, 400, "invalid", arg(req, "from") != NULL ? "from" : "to", "from must be before to");
		return;
	}
	int ret = stats_compute(desk_store(api->d), t[0], t[1], &s);
	if (ret == TS_ELIMIT) {
		errorf(&job->resp, 400, "invalid", "from", "the period spans more than %u months", STATS_MAX_MONTHS);
		return;
	}
	if (ret != TS_OK) {
		api_error(&job->resp, 503, "unavailable", ret == TS_ENOMEM ? "out of memory" :
		          "the statistics could not be read from the database");
		return;
	}
	dbuf_t b;
	dbuf_init(&b, RESP_MAX);
	ret = stats_json(s, &b);
	stats_free(&s);
	if (ret == TS_OK && b.len > 0 && b.p[b.len - 1] == '\n')
		b.len--; /* set_body adds the final newline */
	ok_body(&job->resp, 200, &b, ret);
}

static void h_healthz(api_t *api, api_job_t *job)
{
	uint64_t n;
	store_case_filter_t f = { .state = "closed" };
	if (store_case_count(desk_store(api->d), &f, &n) != TS_OK) {
		api_error(&job->resp, 503, "unavailable", "the database does not answer");
		return;
	}
	dbuf_t b;
	dbuf_init(&b, 64);
	ok_body(&job->resp, 200, &b, dbuf_adds(&b, "{\"status\":\"ok\"}"));
}

static void h_metrics(api_t *api, api_job_t *job)
{
	desk_sla_t sla;
	desk_err_t err = { 0 };
	if (desk_sla(api->d, &sla, NULL, NULL, &err) != TS_OK) {
		desk_answer(&job->resp, &err);
		return;
	}
	dbuf_t b;
	dbuf_init(&b, RESP_MAX);
	int ret = metrics_render(api->m, sla.open, sla.overdue, &b);
	if (ret == TS_OK)
		b.len--; /* set_body adds the final newline */
	set_body(&job->resp, 200, "text/plain; version=0.0.4", &b, ret);
}

void api_job_run(api_t *api, api_job_t *job)
{
	caller_t c;
	arena_t *a;
	job->ran = true;
	if (job->route == ROUTE_HEALTHZ) {
		h_healthz(api, job);
		return;
	}
	if (job->route == ROUTE_METRICS) {
		h_metrics(api, job);
		return;
	}
	if ((a = arena_new(1024)) == NULL) {
		api_error(&job->resp, 503, "unavailable", "out of memory");
		return;
	}
	if (authenticate(api, job, a, &c)) {
		switch (job->route) {
		case ROUTE_REPORTS_POST: h_report_post(api, job, &c); break;
		case ROUTE_REPORT_GET: h_report_get(api, job, &c); break;
		case ROUTE_CASES: h_cases(api, job); break;
		case ROUTE_CASE: h_case(api, job); break;
		case ROUTE_STATS: h_stats(api, job); break;
		default: h_verb(api, job); break;
		}
	}
	desk_set_actor(api->d, "api");
	arena_free(&a);
}

void api_job_finish(api_t *api, api_job_t *job, bool committed, http_resp_t *resp)
{
	*resp = job->resp;
	if (!job->ran || !committed || resp->status == 0) {
		api_error(resp, 503, "unavailable", "the database could not commit; nothing of this request is stored");
	} else if (resp->status == 201 && job->route == ROUTE_REPORTS_POST) {
		metrics_report(api->m, job->tier, job->priority);
	}
	resp->route = job->route;
	ts_free(job);
}

void api_handle(api_t *api, const http_req_t *req, http_resp_t *resp)
{
	api_job_t *job = api_begin(api, req, resp);
	if (job == NULL)
		return;
	bool committed = store_batch_begin(desk_store(api->d)) == TS_OK;
	if (committed) {
		api_job_run(api, job);
		committed = store_batch_end(desk_store(api->d), true) == TS_OK;
	}
	api_job_finish(api, job, committed, resp);
}
