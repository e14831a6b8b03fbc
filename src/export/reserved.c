/* reserved.c — the reserved/blocked names list. */
#include <errno.h>
#include <string.h>

#include "base/afile.h"
#include "base/log.h"
#include "export/names.h"
#include "export/reserved.h"

int reserved_write_fp(const char *const *names, size_t n, FILE *fp)
{
	export_names_t set;
	int ret = export_names_sorted(names, n, "reserved name", &set);
	if (ret != TS_OK)
		return ret;
	for (size_t i = 0; i < set.n; i++) {
		if (fputs(set.v[i], fp) == EOF || fputc('\n', fp) == EOF) {
			ret = TS_EIO;
			break;
		}
	}
	export_names_free(&set);
	return ret;
}

int reserved_write(const char *const *names, size_t n, const char *path)
{
	afile_t af;
	int ret = afile_open(&af, path);
	if (ret != TS_OK)
		return ret;
	ret = reserved_write_fp(names, n, af.fp);
	if (ret != TS_OK) {
		if (ret == TS_EIO)
			ts_log(TS_LOG_ERR, "%s: cannot write: %s", path != NULL ? path : "stdout",
			       strerror(errno));
		afile_abort(&af);
		return ret;
	}
	return afile_commit(&af);
}
