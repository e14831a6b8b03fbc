/* fuzz_http.c — the daemon's request handler (api_handle) on arbitrary
 * requests, without sockets: byte 0 picks the method, byte 1 the token
 * (none, reporter, analyst, auditor, garbage), then the path up to '\n', the
 * query (k=v&k=v) up to '\n', and the body. Every answer must carry a known
 * status and, for JSON, a body that parses; nothing may crash or leak. The
 * database is in memory and grows across inputs. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "base/alloc.h"
#include "desk/desk.h"
#include "http/api.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static policy_t pol;
static desk_t *desk;
static metrics_t *met;
static api_t *api;
static char tokens[3][DESK_TOKEN_TEXT + 8];

static void setup(void)
{
	policy_err_t e;
	desk_err_t err = { 0 };
	if (policy_load_string(&pol, "[registry]\ntlds = example, test\nsecond_levels = co.example\n"
	                       "[intake]\nallow_anonymous = yes\nmax_names_per_report = 20\n"
	                       "[limits]\nrate_anonymous = 1000000\nrate_staff = 1000000\n"
	                       "rate_law_enforcement = 1000000\n", &e) != TS_OK ||
	    desk_open(&desk, &pol, ":memory:", true, "fuzz", &err) != TS_OK)
		__builtin_trap();
	static const char *const roles[] = { "reporter", "analyst", "auditor" };
	for (int i = 0; i < 3; i++) {
		desk_reporter_in_t in = { .name = roles[i], .tier = "law_enforcement", .verified = true, .role = roles[i] };
		int64_t id;
		char tok[DESK_TOKEN_TEXT];
		if (desk_reporter_add(desk, &in, &id, tok, &err) != TS_OK)
			__builtin_trap();
		snprintf(tokens[i], sizeof(tokens[i]), "Bearer %s", tok);
	}
	if (metrics_new(&met) != TS_OK || api_new(&api, desk, &pol, met) != TS_OK)
		__builtin_trap();
}

static size_t line(const uint8_t *d, size_t n, size_t at, char *out, size_t cap)
{
	size_t j = 0;
	while (at < n && d[at] != '\n') {
		if (j + 1 < cap && d[at] != '\0')
			out[j++] = (char)d[at];
		at++;
	}
	out[j] = '\0';
	return at < n ? at + 1 : at;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const methods[] = { "GET", "POST", "HEAD", "DELETE" };
	static const int known[] = { 200, 201, 400, 401, 403, 404, 405, 409, 413, 422, 429, 503 };
	if (desk == NULL)
		setup();
	if (size < 2)
		return 0;
	char path[512], query[512];
	size_t at = line(data, size, 2, path, sizeof(path));
	at = line(data, size, at, query, sizeof(query));
	http_req_t req = { .method = methods[data[0] % 4], .path = path, .client = "192.0.2.1",
		           .body = (const char *)data + at, .body_len = size - at,
		           .body_too_large = size - at > pol.max_body_bytes };
	unsigned t = data[1] % 5;
	req.authorization = t == 0 ? NULL : t == 4 ? "Bearer tsk_not-a-token" : tokens[t - 1];
	char *save = NULL;
	for (char *kv = strtok_r(query, "&", &save); kv != NULL; kv = strtok_r(NULL, "&", &save)) {
		if (req.n_args == API_MAX_ARGS) {
			req.too_many_args = true;
			break;
		}
		char *eq = strchr(kv, '=');
		if (eq != NULL)
			*eq++ = '\0';
		req.args_k[req.n_args] = kv;
		req.args_v[req.n_args++] = eq != NULL ? eq : "";
	}
	http_resp_t resp;
	api_handle(api, &req, &resp);
	bool ok = false;
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		ok |= resp.status == known[i];
	if (!ok || resp.body == NULL || resp.len != strlen(resp.body))
		__builtin_trap();
	if (strcmp(resp.content_type, "application/json") == 0) {
		json_error_t je;
		json_t *j = json_loadb(resp.body, resp.len, 0, &je);
		if (j == NULL && resp.status != 503) /* 503: maybe out of memory */
			__builtin_trap();
		json_decref(j);
	}
	http_resp_free(&resp);
	return 0;
}
