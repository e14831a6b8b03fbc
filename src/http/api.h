/* api.h — the HTTP API of tldsec serve as plain calls: a request struct in,
 * a response struct out, no sockets. server.c feeds it from libmicrohttpd;
 * the fuzz target and the tests call it directly.
 *
 * A request is answered in three steps so that the database work of many
 * requests can share one commit (commit.c): api_begin (any thread) routes
 * the request and answers what needs no database; api_job_run (the one
 * database thread, inside a store batch) authenticates and does the desk
 * work; api_job_finish, after the batch's commit, hands out the response (a
 * 503 when the commit failed: nothing of it is stored). api_handle does the
 * three in a batch of one.
 *
 * Every body the desk validates goes through the desk (desk_report_submit
 * for reports): the CLI and the API share one validation path. */
#ifndef TS_HTTP_API_H
#define TS_HTTP_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "desk/desk.h"
#include "http/metrics.h"
#include "http/ratelimit.h"

#define API_MAX_ARGS 8

/* Borrowed by the API until api_job_finish returns. */
typedef struct http_req {
	const char *method;
	const char *path;          /* decoded, without the query */
	const char *args_k[API_MAX_ARGS], *args_v[API_MAX_ARGS];  /* query arguments, decoded */
	size_t n_args;
	bool too_many_args;
	const char *authorization; /* the header, or NULL */
	const char *content_type;  /* the header, or NULL */
	const char *client;        /* the peer's address as text */
	const char *body;
	size_t body_len;
	bool body_too_large;       /* the body went past max_body_bytes (body is then partial) */
} http_req_t;

/* Owned by the caller after api_job_finish / api_handle: free with http_resp_free. */
typedef struct http_resp {
	int status;
	char *body;                /* ts_malloc'ed, NUL-terminated */
	size_t len;
	const char *content_type;  /* static */
	unsigned retry_after;      /* seconds, for 429; 0: no header */
	http_route_t route;
} http_resp_t;

typedef struct api api_t;
typedef struct api_job api_job_t;

/* The desk, policy and metrics are borrowed. */
TS_WUR int api_new(api_t **api, desk_t *d, const policy_t *pol, metrics_t *m);
void api_free(api_t **api);

/* Step 1. Returns a job for the database thread, or NULL with resp filled. */
api_job_t *api_begin(api_t *api, const http_req_t *req, http_resp_t *resp);
/* Step 2, on the database thread inside store_batch_begin/end. */
void api_job_run(api_t *api, api_job_t *job);
/* Step 3: frees the job; `committed`: the batch's commit succeeded. */
void api_job_finish(api_t *api, api_job_t *job, bool committed, http_resp_t *resp);

/* The three steps, with a batch of one around step 2. */
void api_handle(api_t *api, const http_req_t *req, http_resp_t *resp);

/* Fills resp with the API's error body. */
void api_error(http_resp_t *resp, int status, const char *code, const char *message);
void http_resp_free(http_resp_t *resp);

#endif
