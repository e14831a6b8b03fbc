/* record.c — scan --record: findings of the zone analysis become reports
 * from the feed's reporter (tier trusted_third_party, verified, origin
 * "feed:NAME"), opening or joining the case of (registered domain, threat).
 * The domain given is the zone's delegation and is kept as it is (it must be
 * below one of the registry's TLDs).
 * One transaction per scan; the indicators one scan finds for one case
 * through one feed gather in one report. */
#include <inttypes.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "base/alloc.h"
#include "desk/desk_int.h"
#include "desk/names.h"
#include "desk/report.h"

int desk_scan_begin(desk_t *d, desk_err_t *err)
{
	int64_t now;
	int ret = desk_now(&now, err);
	if (ret != TS_OK)
		return ret;
	if (d->in_scan)
		return desk_fail(err, TS_EINTERNAL, "a scan is already being recorded");
	if ((ret = store_begin(d->st)) != TS_OK)
		return desk_store_fail(d, err, ret, "recording the scan");
	d->in_scan = true;
	d->scan_opened = d->scan_joined = 0;
	/* the second and a random tag: two scans in one second stay apart */
	snprintf(d->scan_batch, sizeof(d->scan_batch), "scan-%" PRId64 "-%08" PRIx32, now, randombytes_random());
	return TS_OK;
}

static int feed_reporter(desk_t *d, arena_t *a, const char *feed, int64_t now, int64_t *id)
{
	char origin[128];
	store_reporter_t r;
	snprintf(origin, sizeof(origin), "feed:%s", feed);
	int ret = store_reporter_by_origin(d->st, origin, a, &r);
	if (ret == TS_OK) {
		*id = r.id;
		return TS_OK;
	}
	if (ret != TS_ENOTFOUND)
		return ret;
	store_reporter_t nr = { .name = origin, .tier = "trusted_third_party", .origin = origin, .verified = true,
		                .created_at = now };
	char detail[192];
	if ((ret = store_reporter_add(d->st, &nr, NULL, id)) != TS_OK)
		return ret;
	snprintf(detail, sizeof(detail), "{\"reporter\":%" PRId64 ",\"tier\":\"trusted_third_party\",\"feed\":true}", *id);
	return audit_append(d, now, 0, "reporter.add", detail);
}

static int finding(desk_t *d, const char *feed, const char *domain, const char *threat, const char *indicator,
                   bool registered, int64_t *case_id, bool *opened, desk_err_t *err)
{
	arena_t *a = NULL;
	int64_t now, rid;
	char reg[256], why[160], norm[256], origin[128];
	size_t nl;
	int ret;
	if (!d->in_scan)
		return desk_fail(err, TS_EINTERNAL, "desk_scan_finding outside desk_scan_begin/end");
	if (feed == NULL || feed[0] == '\0' || strlen(feed) > 64)
		return desk_fail(err, TS_EINPUT, "feed name: 1 to 64 characters");
	if (!report_threat_known(threat))
		return desk_fail(err, TS_EINPUT, "unknown threat '%s'", threat);
	/* the scan's domain is a delegation of the zone: a registered domain by
	 * definition (also below second levels the policy does not list) */
	if (names_normalize(domain, strlen(domain), norm, sizeof(norm), &nl, why, sizeof(why)) != TS_OK ||
	    names_registered(d->pol, norm, reg, sizeof(reg), why, sizeof(why)) != TS_OK)
		return desk_fail(err, TS_EINPUT, "%s: %s", domain, why);
	snprintf(reg, sizeof(reg), "%s", norm);
	if ((ret = desk_now(&now, err)) != TS_OK)
		return ret;
	if ((a = arena_new(16 * 1024)) == NULL)
		return desk_fail(err, TS_ENOMEM, "out of memory");
	if ((ret = feed_reporter(d, a, feed, now, &rid)) != TS_OK)
		goto fail;
	snprintf(origin, sizeof(origin), "feed:%s", feed);
	/* an open case already holding this scan's report from this feed: add the indicator */
	store_case_t c;
	ret = store_case_find_open(d->st, reg, threat, a, &c);
	if (ret == TS_OK) {
		char batch[160];
		int64_t report_id;
		snprintf(batch, sizeof(batch), "%s/%s", d->scan_batch, feed);
		ret = store_report_in_batch(d->st, c.id, batch, &report_id);
		if (ret == TS_OK) {
			store_report_t r;
			if ((ret = store_report_get(d->st, report_id, a, &r)) != TS_OK)
				goto fail;
			desk_json_reset();
			json_t *body = json_loads(r.body, 0, NULL);
			json_t *ev = body != NULL ? json_object_get(body, "evidence") : NULL;
			if (body == NULL && desk_json_alloc_failed()) {
				ret = TS_ENOMEM;
				goto fail;
			}
			if (ev == NULL || json_array_size(ev) >= 1000) {
				json_decref(body);
				*case_id = c.id;
				*opened = false;
				arena_free(&a);
				return TS_OK; /* enough indicators recorded for this case */
			}
			json_t *item = json_pack("{s:s, s:s}", "kind", "url", "value", indicator != NULL ? indicator : reg);
			char *text = NULL;
			if (item == NULL || json_array_append_new(ev, item) != 0 ||
			    (text = json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER)) == NULL) {
				json_decref(body);
				ret = TS_ENOMEM;
				goto fail;
			}
			json_decref(body);
			ret = store_report_set_body(d->st, report_id, text);
			ts_free(text);
			if (ret != TS_OK)
				goto fail;
			*case_id = c.id;
			*opened = false;
			arena_free(&a);
			return TS_OK;
		}
		if (ret != TS_ENOTFOUND)
			goto fail;
	} else if (ret != TS_ENOTFOUND) {
		goto fail;
	}
	json_t *body = json_pack("{s:[s], s:s, s:[{s:s, s:s}]}", "domains", reg, "threat", threat, "evidence", "kind",
	                         "url", "value", indicator != NULL ? indicator : reg);
	char *text = body != NULL ? json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(body);
	if (text == NULL) {
		ret = TS_ENOMEM;
		goto fail;
	}
	char batch[160];
	snprintf(batch, sizeof(batch), "%s/%s", d->scan_batch, feed);
	bool urgent;
	store_report_t rep = { .reporter_id = rid, .tier = "trusted_third_party", .verified = true, .origin = origin,
		               .received_at = now, .threat = threat, .flags = "",
		               .priority = clock_priority("trusted_third_party", true, 0, &urgent), .body = text,
		               .scan_batch = batch };
	rep.urgent_claim = urgent;
	ret = store_report_add(d->st, &rep, &rep.id);
	if (ret == TS_OK)
		ret = case_open_or_join(d, a, &rep, reg, registered, case_id, opened);
	ts_free(text);
	if (ret != TS_OK)
		goto fail;
	if (*opened)
		d->scan_opened++;
	else
		d->scan_joined++;
	arena_free(&a);
	return TS_OK;
fail:
	arena_free(&a);
	return desk_store_fail(d, err, ret, "recording the finding");
}

int desk_scan_finding(desk_t *d, const char *feed, const char *domain, const char *threat, const char *indicator,
                      int64_t *case_id, bool *opened, desk_err_t *err)
{
	return finding(d, feed, domain, threat, indicator, true, case_id, opened, err);
}

int desk_scan_unregistered(desk_t *d, const char *source, const char *domain, const char *threat,
                           const char *indicator, int64_t *case_id, bool *opened, desk_err_t *err)
{
	return finding(d, source, domain, threat, indicator, false, case_id, opened, err);
}

int desk_scan_end(desk_t *d, bool commit, uint64_t *opened, uint64_t *joined, desk_err_t *err)
{
	int64_t now;
	int ret;
	if (!d->in_scan)
		return desk_fail(err, TS_EINTERNAL, "no scan is being recorded");
	*opened = d->scan_opened;
	*joined = d->scan_joined;
	if (!commit) {
		store_rollback(d->st);
		d->in_scan = false;
		return TS_OK;
	}
	char detail[192];
	snprintf(detail, sizeof(detail), "{\"batch\":\"%s\",\"opened\":%" PRIu64 ",\"joined\":%" PRIu64 "}",
	         d->scan_batch, d->scan_opened, d->scan_joined);
	if ((ret = desk_now(&now, err)) != TS_OK || (ret = audit_append(d, now, 0, "scan.record", detail)) != TS_OK ||
	    (ret = store_commit(d->st)) != TS_OK) {
		store_rollback(d->st);
		d->in_scan = false;
		return ret == TS_EINPUT ? ret : desk_store_fail(d, err, ret, "recording the scan");
	}
	d->in_scan = false;
	return TS_OK;
}
