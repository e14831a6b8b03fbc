/* privacy.c — redaction for listings, and the purge of personal data from
 * cases closed longer ago than the retention time. A purge keeps every
 * count the statistics need: cases, reports (tier, threat, flags, priority,
 * times), actions and the audit log (which never holds personal data). */
#include <inttypes.h>
#include <stdio.h>

#include "desk/desk_int.h"

const char *desk_redact(const char *s, bool show)
{
	if (s == NULL)
		return NULL;
	return show ? s : "[redacted]";
}

int desk_privacy_purge(desk_t *d, uint64_t older_than_days, store_purge_counts_t *out, desk_err_t *err)
{
	int64_t now;
	char detail[256];
	int ret = desk_now(&now, err);
	if (ret != TS_OK)
		return ret;
	if (older_than_days > 36500)
		return desk_fail(err, TS_EINPUT, "--older-than: at most 36500 days");
	int64_t before = now - (int64_t)older_than_days * 86400;
	if ((ret = store_begin(d->st)) != TS_OK)
		return desk_store_fail(d, err, ret, "purging personal data");
	if ((ret = store_purge_personal(d->st, before, "{\"purged\":true}", out)) != TS_OK)
		goto fail;
	snprintf(detail, sizeof(detail), "{\"older_than_days\":%" PRIu64 ",\"cases\":%" PRIu64 ",\"reports\":%" PRIu64
	         ",\"messages\":%" PRIu64 ",\"reporters\":%" PRIu64 "}", older_than_days, out->cases, out->reports,
	         out->messages, out->reporters);
	if ((ret = audit_append(d, now, 0, "privacy.purge", detail)) != TS_OK || (ret = store_commit(d->st)) != TS_OK)
		goto fail;
	return TS_OK;
fail:
	store_rollback(d->st);
	return desk_store_fail(d, err, ret, "purging personal data");
}
