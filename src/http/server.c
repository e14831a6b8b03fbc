/* server.c — libmicrohttpd glue: one context per request; the body is
 * gathered under max_body_bytes; the request then goes through api_begin and,
 * when it needs the database, into the group commit while its connection is
 * suspended; the database thread resumes it with the answer. */
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/log.h"
#include "base/num.h"
#include "http/commit.h"
#include "http/server.h"

/* libmicrohttpd is loaded when a server starts, not linked: with the TLS
 * libraries it pulls in, loading it cost every command 1.3 ms at start,
 * and only `serve` needs it. MHD_SONAME is the library's ABI name (12
 * since libmicrohttpd 0.9.x); the Makefile may set another. */
#ifndef MHD_SONAME
#define MHD_SONAME "libmicrohttpd.so.12"
#endif

static struct {
	__typeof__(&MHD_add_response_header) add_response_header;
	__typeof__(&MHD_create_response_from_buffer) create_response_from_buffer;
	__typeof__(&MHD_destroy_response) destroy_response;
	__typeof__(&MHD_get_connection_info) get_connection_info;
	__typeof__(&MHD_get_connection_values) get_connection_values;
	__typeof__(&MHD_get_daemon_info) get_daemon_info;
	__typeof__(&MHD_is_feature_supported) is_feature_supported;
	__typeof__(&MHD_lookup_connection_value) lookup_connection_value;
	__typeof__(&MHD_queue_response) queue_response;
	__typeof__(&MHD_quiesce_daemon) quiesce_daemon;
	__typeof__(&MHD_resume_connection) resume_connection;
	__typeof__(&MHD_start_daemon) start_daemon;
	__typeof__(&MHD_stop_daemon) stop_daemon;
	__typeof__(&MHD_suspend_connection) suspend_connection;
} mhd;
_Static_assert(sizeof(void *) == sizeof(mhd.start_daemon), "function pointers are object-sized");
static pthread_once_t mhd_once = PTHREAD_ONCE_INIT;
static char mhd_error[256];

static void mhd_load_once(void)
{
	void *h = dlopen(MHD_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (h == NULL) {
		snprintf(mhd_error, sizeof(mhd_error), "cannot load %s: %s", MHD_SONAME, dlerror());
		return;
	}
	const struct { const char *name; void *fn; } syms[] = {
		{ "MHD_add_response_header", (void *)&mhd.add_response_header },
		{ "MHD_create_response_from_buffer", (void *)&mhd.create_response_from_buffer },
		{ "MHD_destroy_response", (void *)&mhd.destroy_response },
		{ "MHD_get_connection_info", (void *)&mhd.get_connection_info },
		{ "MHD_get_connection_values", (void *)&mhd.get_connection_values },
		{ "MHD_get_daemon_info", (void *)&mhd.get_daemon_info },
		{ "MHD_is_feature_supported", (void *)&mhd.is_feature_supported },
		{ "MHD_lookup_connection_value", (void *)&mhd.lookup_connection_value },
		{ "MHD_queue_response", (void *)&mhd.queue_response },
		{ "MHD_quiesce_daemon", (void *)&mhd.quiesce_daemon },
		{ "MHD_resume_connection", (void *)&mhd.resume_connection },
		{ "MHD_start_daemon", (void *)&mhd.start_daemon },
		{ "MHD_stop_daemon", (void *)&mhd.stop_daemon },
		{ "MHD_suspend_connection", (void *)&mhd.suspend_connection },
	};
	for (size_t i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
		/* POSIX: dlsym's object pointer holds the function's address */
		void *f = dlsym(h, syms[i].name);
		memcpy(syms[i].fn, &f, sizeof(f));
		if (f == NULL) {
			snprintf(mhd_error, sizeof(mhd_error), "%s has no %s", MHD_SONAME, syms[i].name);
			return;
		}
	}
}

/* TS_OK once the library is loaded; else its error in err. */
static int mhd_load(char *err, size_t errlen)
{
	pthread_once(&mhd_once, mhd_load_once);
	if (mhd_error[0] != '\0') {
		snprintf(err, errlen, "%s", mhd_error);
		return TS_EINPUT;
	}
	return TS_OK;
}

struct server {
	struct MHD_Daemon *mhd;
	desk_t *d;
	const policy_t *pol;
	metrics_t *m;
	api_t *api;
	committer_t *commit;
	atomic_long in_flight;
	atomic_bool stopping;      /* answers close their connection; new requests get 503 */
	uint16_t port;
	char *cert, *key;
};

typedef struct conn {
	server_t *srv;
	struct MHD_Connection *mc;
	double t0;
	dbuf_t body;
	bool too_large;
	uint64_t seen;             /* body bytes received */
	bool answered;             /* resp holds the answer (after the commit) */
	http_req_t req;
	http_resp_t resp;
	commit_item_t item;
	char client[INET6_ADDRSTRLEN + 8];
	char path[1024];
	char *auth;
	char *ctype;
	char *arg_buf[2 * API_MAX_ARGS];
} conn_t;

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *dup_str(const char *s)
{
	if (s == NULL)
		return NULL;
	size_t n = strlen(s);
	char *d = ts_malloc(n + 1);
	if (d != NULL)
		memcpy(d, s, n + 1);
	return d;
}

static void conn_free(conn_t *c)
{
	dbuf_free(&c->body);
	http_resp_free(&c->resp);
	ts_free(c->auth);
	ts_free(c->ctype);
	for (size_t i = 0; i < 2 * API_MAX_ARGS; i++)
		ts_free(c->arg_buf[i]);
	ts_free(c);
}

static enum MHD_Result send_resp(conn_t *c)
{
	http_resp_t *r = &c->resp;
	struct MHD_Response *mr = mhd.create_response_from_buffer(r->len, r->body != NULL ? r->body : (void *)"",
	                                                           MHD_RESPMEM_MUST_COPY);
	if (mr == NULL)
		return MHD_NO;
	mhd.add_response_header(mr, MHD_HTTP_HEADER_CONTENT_TYPE,
	                        r->content_type != NULL ? r->content_type : "application/json");
	if (r->retry_after > 0) {
		char ra[16];
		snprintf(ra, sizeof(ra), "%u", r->retry_after);
		mhd.add_response_header(mr, MHD_HTTP_HEADER_RETRY_AFTER, ra);
	}
	if (r->status == 401)
		mhd.add_response_header(mr, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
	if (atomic_load(&c->srv->stopping))
		mhd.add_response_header(mr, MHD_HTTP_HEADER_CONNECTION, "close");
	enum MHD_Result ok = mhd.queue_response(c->mc, (unsigned)r->status, mr);
	mhd.destroy_response(mr);
	return ok;
}

static void commit_done(commit_item_t *it, bool committed)
{
	conn_t *c = (conn_t *)(void *)((char *)it - offsetof(conn_t, item));
	api_job_finish(c->srv->api, it->job, committed, &c->resp);
	c->answered = true;
	mhd.resume_connection(c->mc);
}

static enum MHD_Result arg_cb(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	conn_t *c = cls;
	http_req_t *r = &c->req;
	if (r->n_args >= API_MAX_ARGS) {
		r->too_many_args = true;
		return MHD_NO;
	}
	char *k = dup_str(key), *v = dup_str(value != NULL ? value : "");
	c->arg_buf[2 * r->n_args] = k;
	c->arg_buf[2 * r->n_args + 1] = v;
	if (k == NULL || v == NULL)
		return MHD_NO;
	r->args_k[r->n_args] = k;
	r->args_v[r->n_args] = v;
	r->n_args++;
	return MHD_YES;
}

static void client_text(struct MHD_Connection *mc, char *out, size_t cap)
{
	const union MHD_ConnectionInfo *ci = mhd.get_connection_info(mc, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	snprintf(out, cap, "unknown");
	if (ci == NULL || ci->client_addr == NULL)
		return;
	if (ci->client_addr->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)ci->client_addr)->sin_addr, out,
		          (socklen_t)cap);
	else if (ci->client_addr->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)ci->client_addr)->sin6_addr, out,
		          (socklen_t)cap);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *mc, const char *url, const char *method,
                                  const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	(void)version;
	server_t *s = cls;
	conn_t *c = *con_cls;
	if (c == NULL) {
		c = ts_calloc(1, sizeof(*c));
		if (c == NULL)
			return MHD_NO;
		c->srv = s;
		c->mc = mc;
		c->t0 = now_s();
		dbuf_init(&c->body, s->pol->max_body_bytes);
		*con_cls = c;
		atomic_fetch_add(&s->in_flight, 1);
		/* a declared length over the cap: answer at once, read nothing */
		const char *cl = mhd.lookup_connection_value(mc, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl != NULL) {
			uint64_t n;
			if (ts_parse_u64(cl, strlen(cl), UINT64_MAX, &n) != TS_OK || n > s->pol->max_body_bytes)
				c->too_large = true;
		}
		if (atomic_load(&s->stopping)) {
			c->resp.route = ROUTE_OTHER;
			api_error(&c->resp, 503, "unavailable", "the daemon is shutting down");
			c->answered = true;
			return send_resp(c);
		}
		if (!c->too_large)
			return MHD_YES;
	}
	if (c->answered)
		return send_resp(c);
	if (*upload_size > 0) {
		/* libmicrohttpd takes no answer while a body is arriving: a body over
		 * the cap is read and dropped up to 16 times the cap (then the
		 * connection is closed unanswered), and answered 413 at its end */
		c->seen += *upload_size;
		if (!c->too_large && dbuf_add(&c->body, upload, *upload_size) != TS_OK) {
			c->too_large = true; /* over max_body_bytes (or no memory: same answer) */
			dbuf_free(&c->body);
		}
		*upload_size = 0;
		if (c->too_large && c->seen / 16 > s->pol->max_body_bytes)
			return MHD_NO;
		return MHD_YES;
	}
	/* the whole request is here (or it is already too large) */
	snprintf(c->path, sizeof(c->path), "%s", url);
	client_text(mc, c->client, sizeof(c->client));
	c->auth = dup_str(mhd.lookup_connection_value(mc, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION));
	c->ctype = dup_str(mhd.lookup_connection_value(mc, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE));
	http_req_t *r = &c->req;
	r->method = method;
	r->path = c->path;
	r->authorization = c->auth;
	r->content_type = c->ctype;
	r->client = c->client;
	r->body = c->body.len > 0 ? dbuf_str(&c->body) : "";
	r->body_len = c->body.len;
	r->body_too_large = c->too_large || strlen(url) >= sizeof(c->path);
	mhd.get_connection_values(mc, MHD_GET_ARGUMENT_KIND, arg_cb, c);
	if (strlen(url) >= sizeof(c->path)) {
		c->resp.route = ROUTE_OTHER;
		api_error(&c->resp, 414, "too_long", "the path is too long");
		c->answered = true;
		return send_resp(c);
	}
	api_job_t *job = api_begin(s->api, r, &c->resp);
	c->answered = true;
	if (job == NULL)
		return send_resp(c);
	c->answered = false;
	c->item.job = job;
	c->item.done = commit_done;
	mhd.suspend_connection(mc);
	commit_submit(s->commit, &c->item);
	return MHD_YES;
}

static void on_completed(void *cls, struct MHD_Connection *mc, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	(void)mc;
	server_t *s = cls;
	conn_t *c = *con_cls;
	if (c == NULL)
		return;
	double dt = now_s() - c->t0;
	int status = c->answered ? c->resp.status : 0;
	metrics_request(s->m, c->resp.route, status, dt);
	if (ts_log_level() >= TS_LOG_DEBUG)
		ts_log(TS_LOG_DEBUG, "msg=request client=%s method=%s path=\"%s\" status=%d ms=%.3f%s",
		       c->client, c->req.method != NULL ? c->req.method : "-", c->path, status, dt * 1e3,
		       toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted=true");
	conn_free(c);
	*con_cls = NULL;
	atomic_fetch_sub(&s->in_flight, 1);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char msg[512];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	size_t n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		msg[--n] = '\0';
	for (char *p = msg; *p != '\0'; p++)
		if (*p == '"')
			*p = '\'';
	ts_log(TS_LOG_DEBUG, "msg=\"%s\" source=libmicrohttpd", msg);
}

static int parse_listen(const char *text, struct sockaddr_storage *ss, socklen_t *len, char *err, size_t errlen)
{
	char host[256];
	const char *colon;
	memset(ss, 0, sizeof(*ss));
	if (text[0] == '[') {
		const char *close = strchr(text, ']');
		if (close == NULL || close[1] != ':')
			goto bad;
		snprintf(host, sizeof(host), "%.*s", (int)(close - text - 1), text + 1);
		colon = close + 1;
	} else {
		colon = strrchr(text, ':');
		if (colon == NULL || (size_t)(colon - text) >= sizeof(host))
			goto bad;
		snprintf(host, sizeof(host), "%.*s", (int)(colon - text), text);
	}
	uint64_t port;
	if (ts_parse_u64(colon + 1, strlen(colon + 1), 65535, &port) != TS_OK)
		goto bad;
	struct sockaddr_in *v4 = (struct sockaddr_in *)(void *)ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)(void *)ss;
	if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)port);
		*len = sizeof(*v4);
		return TS_OK;
	}
	if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)port);
		*len = sizeof(*v6);
		return TS_OK;
	}
bad:
	snprintf(err, errlen, "--listen: '%s' is not ADDR:PORT (127.0.0.1:8053, [::1]:8053)", text);
	return TS_EUSAGE;
}

static int slurp(const char *path, char **out, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	dbuf_t b;
	char chunk[4096];
	size_t n;
	int ret = TS_OK;
	*out = NULL;
	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return TS_EIO;
	}
	dbuf_init(&b, 1024 * 1024);
	while (ret == TS_OK && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		ret = dbuf_add(&b, chunk, n);
	if (ret == TS_OK && ferror(f))
		ret = TS_EIO;
	fclose(f);
	if (ret == TS_OK)
		ret = dbuf_addc(&b, '\0');
	if (ret != TS_OK) {
		dbuf_free(&b);
		snprintf(err, errlen, "%s: cannot read (or larger than 1 MiB)", path);
		return ret;
	}
	*out = dbuf_take(&b);
	return *out != NULL ? TS_OK : TS_ENOMEM;
}

int server_start(server_t **out, desk_t *d, const policy_t *pol, const server_opts_t *o, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t sslen;
	int ret;
	*out = NULL;
	if ((ret = parse_listen(o->listen, &ss, &sslen, err, errlen)) != TS_OK)
		return ret;
	if ((ret = mhd_load(err, errlen)) != TS_OK)
		return ret;
	server_t *s = ts_calloc(1, sizeof(*s));
	if (s == NULL)
		return TS_ENOMEM;
	s->d = d;
	s->pol = pol;
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
	if (o->tls_cert != NULL) {
		if (mhd.is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
			snprintf(err, errlen, "this libmicrohttpd has no TLS support");
			ret = TS_EINPUT;
			goto fail;
		}
		if ((ret = slurp(o->tls_cert, &s->cert, err, errlen)) != TS_OK ||
		    (ret = slurp(o->tls_key, &s->key, err, errlen)) != TS_OK)
			goto fail;
		flags |= MHD_USE_TLS;
	}
	if ((ret = metrics_new(&s->m)) != TS_OK || (ret = api_new(&s->api, d, pol, s->m)) != TS_OK) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if ((ret = commit_start(&s->commit, s->api, d, s->m, (size_t)pol->batch_max)) != TS_OK) {
		snprintf(err, errlen, "cannot start the database thread");
		goto fail;
	}
	struct MHD_OptionItem tls[] = {
		{ MHD_OPTION_HTTPS_MEM_CERT, 0, s->cert },
		{ MHD_OPTION_HTTPS_MEM_KEY, 0, s->key },
		{ MHD_OPTION_END, 0, NULL },
	};
	s->mhd = mhd.start_daemon(flags, 0, NULL, NULL, on_request, s,
	                          MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
	                          MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	                          MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(o->workers > 0 ? o->workers : 1),
	                          MHD_OPTION_CONNECTION_LIMIT, (unsigned)pol->max_connections,
	                          MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)pol->timeout_seconds,
	                          MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)pol->max_header_bytes,
	                          MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
	                          MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
	                          MHD_OPTION_ARRAY, o->tls_cert != NULL ? tls : &tls[2],
	                          MHD_OPTION_END);
	if (s->mhd == NULL) {
		snprintf(err, errlen, "cannot listen on %s (in use, or not an address of this host%s)", o->listen,
		         o->tls_cert != NULL ? ", or the certificate and key do not load" : "");
		ret = TS_EIO;
		goto fail;
	}
	const union MHD_DaemonInfo *di = mhd.get_daemon_info(s->mhd, MHD_DAEMON_INFO_BIND_PORT);
	s->port = di != NULL ? di->port : 0;
	*out = s;
	return TS_OK;
fail:
	commit_stop(&s->commit);
	api_free(&s->api);
	metrics_free(&s->m);
	ts_free(s->cert);
	ts_free(s->key);
	ts_free(s);
	return ret;
}

uint16_t server_port(const server_t *s)
{
	return s->port;
}

void server_stop(server_t **sp, unsigned grace_ms)
{
	server_t *s = *sp;
	if (s == NULL)
		return;
	atomic_store(&s->stopping, true);
	MHD_socket lfd = mhd.quiesce_daemon(s->mhd);
	if (lfd != MHD_INVALID_SOCKET)
		close(lfd);
	for (unsigned waited = 0; atomic_load(&s->in_flight) > 0 && waited < grace_ms; waited += 10)
		usleep(10 * 1000);
	long left = atomic_load(&s->in_flight);
	/* queued work is committed and its connections resumed before the stop */
	commit_stop(&s->commit);
	mhd.stop_daemon(s->mhd);
	if (left > 0)
		ts_log(TS_LOG_WARN, "msg=\"requests cut short at shutdown\" count=%ld", left);
	api_free(&s->api);
	metrics_free(&s->m);
	ts_free(s->cert);
	ts_free(s->key);
	ts_free(s);
	*sp = NULL;
}
