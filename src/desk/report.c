/* report.c — the report body parser on jansson. Every rejection names the
 * JSON path of the offending value; every name outside the TLDs is named. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/limits.h"
#include "desk/action.h"
#include "desk/desk_int.h"
#include "desk/names.h"
#include "desk/report.h"
#include "feeds/url.h"

static const char *const threats[] = { "phishing", "malware", "botnet", "pharming", "spam", "dga", "other" };
static const char *const flag_names[] = { "threat_to_life", "serious_bodily_injury", "critical_infrastructure",
                                          "child_exploitation" };
static const char *const evidence_kinds[] = { "url", "text", "screenshot", "sample", "court_order", "other" };

#define N(a) (sizeof(a) / sizeof((a)[0]))

static int in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return (int)i;
	return -1;
}

bool report_threat_known(const char *threat)
{
	return in_list(threat, threats, N(threats)) >= 0;
}

void report_flags_text(unsigned flags, char *buf, size_t cap)
{
	size_t at = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < N(flag_names); i++) {
		if (!(flags & (1u << i)))
			continue;
		int w = snprintf(buf + at, cap - at, "%s%s", at > 0 ? "," : "", flag_names[i]);
		if (w < 0 || (size_t)w >= cap - at)
			return;
		at += (size_t)w;
	}
}

typedef struct ctx {
	const policy_t *pol;
	arena_t *a;
	report_t *r;
	report_err_t *err;
	dbuf_t bad;                /* names outside the TLDs, gathered */
	size_t n_bad;
} ctx_t;

static int fail(ctx_t *c, int code, const char *path, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int fail(ctx_t *c, int code, const char *path, const char *fmt, ...)
{
	va_list ap;
	snprintf(c->err->path, sizeof(c->err->path), "%s", path);
	va_start(ap, fmt);
	vsnprintf(c->err->msg, sizeof(c->err->msg), fmt, ap);
	va_end(ap);
	return code;
}

static const char *type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a number";
	case JSON_TRUE: case JSON_FALSE: return "a boolean";
	case JSON_NULL: return "null";
	}
	return "a value";
}

/* A string field into the arena; `max` bytes at most. */
static int get_str(ctx_t *c, const json_t *v, const char *path, size_t max, const char **out)
{
	if (!json_is_string(v))
		return fail(c, TS_EINPUT, path, "expected a string, got %s", type_name(v));
	size_t n = json_string_length(v);
	if (n > max)
		return fail(c, TS_EINPUT, path, "longer than %zu bytes", max);
	*out = arena_strndup(c->a, json_string_value(v), n);
	return *out != NULL ? TS_OK : TS_ENOMEM;
}

static int check_keys(ctx_t *c, const json_t *obj, const char *path, const char *const *keys, size_t n)
{
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)obj, k, v) {
		if (in_list(k, keys, n) < 0) {
			char p[128];
			snprintf(p, sizeof(p), "%s.%s", path, k);
			return fail(c, TS_EINPUT, p, "unknown field");
		}
	}
	return TS_OK;
}

/* Adds the registered domain of a normalised host, once. */
static int add_name(ctx_t *c, const char *host, const char *given, const char *path)
{
	char reg[256], why[160];
	if (names_registered(c->pol, host, reg, sizeof(reg), why, sizeof(why)) != TS_OK) {
		c->n_bad++;
		if (c->n_bad <= 20) {
			int ret = dbuf_addf(&c->bad, "%s%s '%s' (%s)", c->n_bad > 1 ? ", " : "", path, given, why);
			if (ret == TS_ENOMEM)
				return ret;
		}
		return TS_OK;
	}
	for (size_t i = 0; i < c->r->n_names; i++)
		if (strcmp(c->r->names[i].registered, reg) == 0)
			return TS_OK;
	report_name_t *n = &c->r->names[c->r->n_names];
	n->registered = arena_strdup(c->a, reg);
	n->given = arena_strdup(c->a, given);
	n->path = arena_strdup(c->a, path);
	if (n->registered == NULL || n->given == NULL || n->path == NULL)
		return TS_ENOMEM;
	c->r->n_names++;
	return TS_OK;
}

static int parse_names(ctx_t *c, const json_t *arr, const char *key, bool urls)
{
	char path[128];
	snprintf(path, sizeof(path), "$.%s", key);
	if (!json_is_array(arr))
		return fail(c, TS_EINPUT, path, "expected an array, got %s", type_name(arr));
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) {
		snprintf(path, sizeof(path), "$.%s[%zu]", key, i);
		if (++c->r->n_given > c->pol->max_names_per_report)
			return fail(c, TS_ELIMIT, path, "more than %llu names (domains and urls together) in one report",
			            (unsigned long long)c->pol->max_names_per_report);
		if (!json_is_string(v))
			return fail(c, TS_EINPUT, path, "expected a string, got %s", type_name(v));
		const char *s = json_string_value(v);
		size_t n = json_string_length(v);
		char host[TS_MAX_NAME_TEXT + 1], why[160];
		size_t hlen;
		if (urls) {
			if (n > TS_MAX_URL)
				return fail(c, TS_EINPUT, path, "URL longer than %u bytes", TS_MAX_URL);
			url_host_kind_t kind;
			char raw[TS_MAX_NAME_TEXT + 1];
			if (url_to_host(s, n, raw, sizeof(raw), &hlen, &kind) != TS_OK)
				return fail(c, TS_EINPUT, path, "'%.200s': no usable host name (%s)", s, url_error());
			if (kind == URL_HOST_IP)
				return fail(c, TS_EINPUT, path, "'%.200s': an IP address, not a name of the registry", s);
			if (names_normalize(raw, hlen, host, sizeof(host), &hlen, why, sizeof(why)) != TS_OK)
				return fail(c, TS_EINPUT, path, "'%.200s': %s", s, why);
		} else if (names_normalize(s, n, host, sizeof(host), &hlen, why, sizeof(why)) != TS_OK) {
			return fail(c, TS_EINPUT, path, "'%.200s': %s", s, why);
		}
		int ret = add_name(c, host, s, path);
		if (ret != TS_OK)
			return ret;
	}
	return TS_OK;
}

static int parse_flags(ctx_t *c, const json_t *arr)
{
	if (!json_is_array(arr))
		return fail(c, TS_EINPUT, "$.flags", "expected an array, got %s", type_name(arr));
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) {
		char path[64];
		snprintf(path, sizeof(path), "$.flags[%zu]", i);
		if (!json_is_string(v))
			return fail(c, TS_EINPUT, path, "expected a string, got %s", type_name(v));
		int k = in_list(json_string_value(v), flag_names, N(flag_names));
		if (k < 0)
			return fail(c, TS_EINPUT, path, "unknown flag '%.100s' (threat_to_life, serious_bodily_injury, "
			            "critical_infrastructure, child_exploitation)", json_string_value(v));
		c->r->flags |= 1u << k;
	}
	return TS_OK;
}

static bool is_hex64(const char *s)
{
	if (strlen(s) != 64)
		return false;
	for (size_t i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') || (s[i] >= 'A' && s[i] <= 'F')))
			return false;
	return true;
}

static int parse_evidence(ctx_t *c, const json_t *arr)
{
	static const char *const keys[] = { "kind", "value", "sha256" };
	if (!json_is_array(arr))
		return fail(c, TS_EINPUT, "$.evidence", "expected an array, got %s", type_name(arr));
	size_t n = json_array_size(arr);
	if (n > 1000)
		return fail(c, TS_ELIMIT, "$.evidence", "more than 1000 items");
	c->r->evidence = arena_calloc(c->a, (n > 0 ? n : 1) * sizeof(report_evidence_t));
	if (c->r->evidence == NULL)
		return TS_ENOMEM;
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) {
		char path[64], p2[80];
		int ret;
		report_evidence_t *e = &c->r->evidence[i];
		snprintf(path, sizeof(path), "$.evidence[%zu]", i);
		if (!json_is_object(v))
			return fail(c, TS_EINPUT, path, "expected an object, got %s", type_name(v));
		if ((ret = check_keys(c, v, path, keys, N(keys))) != TS_OK)
			return ret;
		json_t *k = json_object_get(v, "kind"), *val = json_object_get(v, "value"),
		       *h = json_object_get(v, "sha256");
		if (k == NULL || val == NULL)
			return fail(c, TS_EINPUT, path, "'kind' and 'value' are required");
		snprintf(p2, sizeof(p2), "%s.kind", path);
		if ((ret = get_str(c, k, p2, 64, &e->kind)) != TS_OK)
			return ret;
		if (in_list(e->kind, evidence_kinds, N(evidence_kinds)) < 0)
			return fail(c, TS_EINPUT, p2, "unknown kind '%.64s' (url, text, screenshot, sample, court_order, other)",
			            e->kind);
		snprintf(p2, sizeof(p2), "%s.value", path);
		if ((ret = get_str(c, val, p2, 65536, &e->value)) != TS_OK)
			return ret;
		if (h != NULL) {
			snprintf(p2, sizeof(p2), "%s.sha256", path);
			if ((ret = get_str(c, h, p2, 64, &e->sha256)) != TS_OK)
				return ret;
			if (!is_hex64(e->sha256))
				return fail(c, TS_EINPUT, p2, "not 64 hexadecimal digits");
		}
		c->r->n_evidence++;
	}
	return TS_OK;
}

static int parse_object(ctx_t *c, const json_t *obj, const char *path, const char *const *keys, size_t n,
                        const char **fields[], const char *required)
{
	int ret;
	if (!json_is_object(obj))
		return fail(c, TS_EINPUT, path, "expected an object, got %s", type_name(obj));
	if ((ret = check_keys(c, obj, path, keys, n)) != TS_OK)
		return ret;
	for (size_t i = 0; i < n; i++) {
		json_t *v = json_object_get(obj, keys[i]);
		char p[128];
		snprintf(p, sizeof(p), "%s.%s", path, keys[i]);
		if (v == NULL) {
			if (required != NULL && strcmp(required, keys[i]) == 0)
				return fail(c, TS_EINPUT, p, "required");
			continue;
		}
		if ((ret = get_str(c, v, p, 1024, fields[i])) != TS_OK)
			return ret;
	}
	return TS_OK;
}

static int parse_body(ctx_t *c, const json_t *root)
{
	static const char *const keys[] = { "domains", "urls", "threat", "flags", "description", "evidence",
		                            "requested_action", "court_order", "confidential", "reporter" };
	report_t *r = c->r;
	int ret;
	if (!json_is_object(root))
		return fail(c, TS_EINPUT, "$", "expected an object, got %s", type_name(root));
	if ((ret = check_keys(c, root, "$", keys, N(keys))) != TS_OK)
		return ret;
	json_t *domains = json_object_get(root, "domains"), *urls = json_object_get(root, "urls");
	size_t cap = (domains != NULL && json_is_array(domains) ? json_array_size(domains) : 0) +
	             (urls != NULL && json_is_array(urls) ? json_array_size(urls) : 0);
	if (cap > c->pol->max_names_per_report)
		cap = c->pol->max_names_per_report;
	r->names = arena_calloc(c->a, (cap > 0 ? cap : 1) * sizeof(report_name_t));
	if (r->names == NULL)
		return TS_ENOMEM;
	if (domains != NULL && (ret = parse_names(c, domains, "domains", false)) != TS_OK)
		return ret;
	if (urls != NULL && (ret = parse_names(c, urls, "urls", true)) != TS_OK)
		return ret;
	if (c->n_bad > 0) {
		if (c->n_bad > 20 && dbuf_addf(&c->bad, ", and %zu more", c->n_bad - 20) == TS_ENOMEM)
			return TS_ENOMEM;
		c->err->bad_names = true;
		return fail(c, TS_EINPUT, "", "%zu name%s outside the registry's TLDs: %s", c->n_bad,
		            c->n_bad > 1 ? "s" : "", dbuf_str(&c->bad));
	}
	if (r->n_given == 0)
		return fail(c, TS_EINPUT, domains != NULL ? "$.domains" : urls != NULL ? "$.urls" : "$",
		            "at least one name is needed in 'domains' or 'urls'");
	json_t *v = json_object_get(root, "threat");
	if (v == NULL)
		return fail(c, TS_EINPUT, "$.threat", "required (phishing, malware, botnet, pharming, spam, dga, other)");
	if ((ret = get_str(c, v, "$.threat", 32, &r->threat)) != TS_OK)
		return ret;
	if (!report_threat_known(r->threat))
		return fail(c, TS_EINPUT, "$.threat", "unknown threat '%.32s' (phishing, malware, botnet, pharming, spam, "
		            "dga, other)", r->threat);
	if ((v = json_object_get(root, "flags")) != NULL && (ret = parse_flags(c, v)) != TS_OK)
		return ret;
	if ((v = json_object_get(root, "description")) != NULL &&
	    (ret = get_str(c, v, "$.description", 65536, &r->description)) != TS_OK)
		return ret;
	if ((v = json_object_get(root, "evidence")) != NULL && (ret = parse_evidence(c, v)) != TS_OK)
		return ret;
	if ((v = json_object_get(root, "requested_action")) != NULL) {
		if ((ret = get_str(c, v, "$.requested_action", 32, &r->requested_action)) != TS_OK)
			return ret;
		if (!action_kind_known_n(r->requested_action, strlen(r->requested_action)))
			return fail(c, TS_EINPUT, "$.requested_action", "unknown action '%.32s'", r->requested_action);
	}
	if ((v = json_object_get(root, "court_order")) != NULL) {
		static const char *const ck[] = { "reference", "court", "jurisdiction" };
		const char **cf[] = { &r->court_reference, &r->court_name, &r->court_jurisdiction };
		if ((ret = parse_object(c, v, "$.court_order", ck, N(ck), cf, "reference")) != TS_OK)
			return ret;
		r->has_court_order = true;
	}
	if ((v = json_object_get(root, "confidential")) != NULL) {
		if (!json_is_boolean(v))
			return fail(c, TS_EINPUT, "$.confidential", "expected a boolean, got %s", type_name(v));
		r->confidential = json_is_true(v);
	}
	if ((v = json_object_get(root, "reporter")) != NULL) {
		static const char *const rk[] = { "name", "email", "organization", "jurisdiction" };
		const char **rf[] = { &r->reporter_name, &r->reporter_email, &r->reporter_org, &r->reporter_jurisdiction };
		if ((ret = parse_object(c, v, "$.reporter", rk, N(rk), rf, NULL)) != TS_OK)
			return ret;
		if (r->reporter_email != NULL && (strchr(r->reporter_email, '@') == NULL ||
		                                  strpbrk(r->reporter_email, " \t\r\n<>\",;") != NULL))
			return fail(c, TS_EINPUT, "$.reporter.email", "not an e-mail address");
		if (r->reporter_name != NULL && strpbrk(r->reporter_name, "\r\n") != NULL)
			return fail(c, TS_EINPUT, "$.reporter.name", "line breaks are not allowed");
		r->has_reporter = true;
	}
	return TS_OK;
}

int report_parse(const policy_t *pol, const char *json, size_t len, arena_t *a, report_t *out,
                 report_err_t *err)
{
	ctx_t c = { .pol = pol, .a = a, .r = out, .err = err };
	json_error_t je;
	memset(out, 0, sizeof(*out));
	memset(err, 0, sizeof(*err));
	desk_json_init();
	if (len > TS_MAX_REPORT_BODY) {
		snprintf(err->msg, sizeof(err->msg), "the report is larger than %u bytes", TS_MAX_REPORT_BODY);
		return TS_ELIMIT;
	}
	dbuf_init(&c.bad, 16384);
	desk_json_reset();
	json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
	if (root == NULL) {
		int code = json_error_code(&je);
		if (code == json_error_out_of_memory || desk_json_alloc_failed()) {
			dbuf_free(&c.bad);
			return TS_ENOMEM;
		}
		err->line = je.line > 0 ? (unsigned long)je.line : 1;
		err->col = je.column > 0 ? (unsigned long)je.column : 1;
		snprintf(err->msg, sizeof(err->msg), "malformed JSON: %s", je.text);
		dbuf_free(&c.bad);
		return TS_ESYNTAX;
	}
	int ret = parse_body(&c, root);
	json_decref(root);
	dbuf_free(&c.bad);
	if (ret == TS_ELIMIT)
		ret = TS_EINPUT;
	if (ret != TS_OK)
		memset(out, 0, sizeof(*out));
	return ret;
}
