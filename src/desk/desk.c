/* desk.c — opening the desk, shared helpers. */
#include <pthread.h>
#include <stdarg.h>
#include <string.h>

#include <jansson.h>

#include "base/alloc.h"
#include "base/clock.h"
#include "desk/desk_int.h"

static pthread_once_t json_once = PTHREAD_ONCE_INIT;
static _Thread_local bool json_failed;

static void *json_alloc(size_t n)
{
	void *p = ts_malloc(n);
	if (p == NULL)
		json_failed = true;
	return p;
}

static void json_setup(void)
{
	json_set_alloc_funcs(json_alloc, ts_free);
}

void desk_json_init(void)
{
	pthread_once(&json_once, json_setup);
}

void desk_json_reset(void)
{
	json_failed = false;
}

bool desk_json_alloc_failed(void)
{
	return json_failed;
}

int desk_fail(desk_err_t *err, int code, const char *fmt, ...)
{
	va_list ap;
	if (err == NULL)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

int desk_store_fail(desk_t *d, desk_err_t *err, int code, const char *doing)
{
	if (code == TS_ENOMEM)
		return desk_fail(err, code, "%s: out of memory", doing);
	if (code == TS_EBUSY)
		return desk_fail(err, code, "%s: the database stayed locked for %llu ms (busy_timeout_ms)", doing,
		                 (unsigned long long)d->pol->busy_timeout_ms);
	return desk_fail(err, code, "%s: %s", doing, store_error(d->st)[0] != '\0' ? store_error(d->st)
	                                                                            : ts_strerror(code));
}

int desk_now(int64_t *now, desk_err_t *err)
{
	if (ts_now(now) != TS_OK)
		return desk_fail(err, TS_EINPUT, "TLDSEC_NOW is not an ISO 8601 time");
	return TS_OK;
}

int desk_open(desk_t **d, const policy_t *pol, const char *db, bool create, const char *actor,
              desk_err_t *err)
{
	char why[512];
	desk_json_init();
	*d = ts_calloc(1, sizeof(**d));
	if (*d == NULL)
		return desk_fail(err, TS_ENOMEM, "out of memory");
	(*d)->pol = pol;
	snprintf((*d)->actor, sizeof((*d)->actor), "%s", actor != NULL ? actor : "unknown");
	int ret = store_open(&(*d)->st, db, create, (unsigned)pol->busy_timeout_ms, why, sizeof(why));
	if (ret != TS_OK) {
		ts_free(*d);
		*d = NULL;
		return desk_fail(err, ret, "%s: %s", db, why);
	}
	return TS_OK;
}

void desk_close(desk_t **d)
{
	if (d == NULL || *d == NULL)
		return;
	if ((*d)->in_scan)
		store_rollback((*d)->st);
	store_close(&(*d)->st);
	ts_free(*d);
	*d = NULL;
}

store_t *desk_store(desk_t *d)
{
	return d->st;
}

const policy_t *desk_policy(const desk_t *d)
{
	return d->pol;
}
