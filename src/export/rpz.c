/* rpz.c — the Response Policy Zone writer. */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "base/afile.h"
#include "base/log.h"
#include "export/names.h"
#include "export/rpz.h"

int rpz_sinkhole_parse(const char *addr, char canon[RPZ_ADDR_TEXT], int *family)
{
	unsigned char bin[16];
	if (addr == NULL)
		return TS_EINPUT;
	if (inet_pton(AF_INET, addr, bin) == 1) {
		if (inet_ntop(AF_INET, bin, canon, RPZ_ADDR_TEXT) == NULL)
			return TS_EINPUT;
		*family = 4;
		return TS_OK;
	}
	if (inet_pton(AF_INET6, addr, bin) == 1) {
		if (inet_ntop(AF_INET6, bin, canon, RPZ_ADDR_TEXT) == NULL)
			return TS_EINPUT;
		*family = 6;
		return TS_OK;
	}
	return TS_EINPUT;
}

/* One trigger owner (`prefix` is "" or "*.") and its action records. */
static int trigger(FILE *fp, const char *prefix, const char *name, const char *origin,
                   uint32_t ttl, char addr[][RPZ_ADDR_TEXT], const int *fam, size_t naddr)
{
	if (naddr == 0)
		return fprintf(fp, "%s%s.%s\t%" PRIu32 "\tIN\tCNAME\t.\n", prefix, name, origin, ttl) < 0
		       ? TS_EIO : TS_OK;
	for (size_t i = 0; i < naddr; i++) {
		if (fprintf(fp, "%s%s.%s\t%" PRIu32 "\tIN\t%s\t%s\n", prefix, name, origin, ttl,
		            fam[i] == 4 ? "A" : "AAAA", addr[i]) < 0)
			return TS_EIO;
	}
	return TS_OK;
}

int rpz_write_fp(const rpz_opts_t *o, const char *const *names, size_t n, FILE *fp)
{
	char origin[EXPORT_NAME_MAX + 2];
	char ns[EXPORT_NAME_MAX + 2];
	char addr[RPZ_MAX_SINKHOLE][RPZ_ADDR_TEXT];
	int fam[RPZ_MAX_SINKHOLE];
	size_t olen, nslen;
	export_names_t set = { NULL, 0 };
	int ret;

	if (export_name_norm(o->origin, origin, &olen) != TS_OK) {
		ts_log(TS_LOG_ERR, "RPZ: the origin is not a domain name: \"%.80s\"",
		       o->origin != NULL ? o->origin : "");
		return TS_EINPUT;
	}
	origin[olen++] = '.';
	origin[olen] = '\0';
	if (export_name_norm(o->ns != NULL ? o->ns : RPZ_DEFAULT_NS, ns, &nslen) != TS_OK) {
		ts_log(TS_LOG_ERR, "RPZ: the name server is not a host name: \"%.80s\"", o->ns);
		return TS_EINPUT;
	}
	ns[nslen++] = '.';
	ns[nslen] = '\0';
	if (o->now < 0 || o->now > (int64_t)UINT32_MAX) {
		ts_log(TS_LOG_ERR, "RPZ: the time %" PRId64 " does not fit a zone serial", o->now);
		return TS_EINPUT;
	}
	if (o->nsinkhole > RPZ_MAX_SINKHOLE) {
		ts_log(TS_LOG_ERR, "RPZ: %zu sinkhole addresses, at most %u", o->nsinkhole, RPZ_MAX_SINKHOLE);
		return TS_EINPUT;
	}
	for (size_t i = 0; i < o->nsinkhole; i++) {
		if (rpz_sinkhole_parse(o->sinkhole[i], addr[i], &fam[i]) != TS_OK) {
			ts_log(TS_LOG_ERR, "RPZ: not an IPv4 or IPv6 address: \"%.80s\"",
			       o->sinkhole[i] != NULL ? o->sinkhole[i] : "");
			return TS_EINPUT;
		}
	}
	uint32_t ttl = o->ttl != 0 ? o->ttl : RPZ_DEFAULT_TTL;

	if ((ret = export_names_sorted(names, n, "RPZ name", &set)) != TS_OK)
		return ret;
	/* "*." + name + "." + origin must stay within 253 characters + the root dot */
	for (size_t i = 0; i < set.n; i++) {
		if (2 + strlen(set.v[i]) + 1 + olen > EXPORT_NAME_MAX + 1) {
			ts_log(TS_LOG_ERR, "RPZ: %s is too long to be listed below %s", set.v[i], origin);
			ret = TS_EINPUT;
			goto out;
		}
	}
	if (fprintf(fp,
	            "; Response policy zone written by tldsec: %zu names%s\n"
	            "$TTL %" PRIu32 "\n"
	            "%s\t%" PRIu32 "\tIN\tSOA\t%s hostmaster.%s %" PRId64 " 3600 600 604800 %" PRIu32 "\n"
	            "%s\t%" PRIu32 "\tIN\tNS\t%s\n",
	            set.n, o->nsinkhole > 0 ? ", answered with the sinkhole" : ", answered NXDOMAIN",
	            ttl, origin, ttl, ns, origin, o->now, ttl, origin, ttl, ns) < 0) {
		ret = TS_EIO;
		goto out;
	}
	for (size_t i = 0; i < set.n; i++) {
		if ((ret = trigger(fp, "", set.v[i], origin, ttl, addr, fam, o->nsinkhole)) != TS_OK ||
		    (ret = trigger(fp, "*.", set.v[i], origin, ttl, addr, fam, o->nsinkhole)) != TS_OK)
			goto out;
	}
	ret = TS_OK;
out:
	export_names_free(&set);
	return ret;
}

int rpz_write(const rpz_opts_t *o, const char *const *names, size_t n, const char *path)
{
	afile_t af;
	int ret = afile_open(&af, path);
	if (ret != TS_OK)
		return ret;
	ret = rpz_write_fp(o, names, n, af.fp);
	if (ret != TS_OK) {
		if (ret == TS_EIO)
			ts_log(TS_LOG_ERR, "%s: cannot write: %s", path != NULL ? path : "stdout",
			       strerror(errno));
		afile_abort(&af);
		return ret;
	}
	return afile_commit(&af);
}
