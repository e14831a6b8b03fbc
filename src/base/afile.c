/* afile.c — temporary file, fsync, rename. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/afile.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "base/log.h"

int afile_open(afile_t *af, const char *path)
{
	memset(af, 0, sizeof(*af));
	if (path == NULL || strcmp(path, "-") == 0) {
		af->fp = stdout;
		return TS_OK;
	}
	dbuf_t b;
	dbuf_init(&b, 4096);
	if (dbuf_addf(&b, "%s.tmp.XXXXXX", path) != TS_OK)
		return TS_ENOMEM;
	af->tmp = dbuf_take(&b);
	af->path = ts_strdup(path);
	if (af->path == NULL) {
		afile_abort(af);
		return TS_ENOMEM;
	}
	int fd = mkstemp(af->tmp);
	if (fd < 0) {
		ts_log(TS_LOG_ERR, "%s: cannot create: %s", path, strerror(errno));
		ts_free(af->tmp);
		af->tmp = NULL;
		afile_abort(af);
		return TS_EIO;
	}
	(void)fchmod(fd, 0644);
	af->fp = fdopen(fd, "w");
	if (af->fp == NULL) {
		close(fd);
		afile_abort(af);
		return TS_EIO;
	}
	return TS_OK;
}

int afile_commit(afile_t *af)
{
	int ret = TS_OK;
	if (af->fp == stdout) {
		if (fflush(stdout) != 0 || ferror(stdout))
			ret = TS_EIO;
		af->fp = NULL;
		return ret;
	}
	if (af->fp == NULL)
		return TS_EIO;
	if (fflush(af->fp) != 0 || ferror(af->fp) || fsync(fileno(af->fp)) != 0)
		ret = TS_EIO;
	if (fclose(af->fp) != 0)
		ret = TS_EIO;
	af->fp = NULL;
	if (ret == TS_OK && rename(af->tmp, af->path) != 0)
		ret = TS_EIO;
	if (ret != TS_OK) {
		ts_log(TS_LOG_ERR, "%s: cannot write: %s", af->path, strerror(errno));
		afile_abort(af);
		return ret;
	}
	ts_free(af->tmp);
	ts_free(af->path);
	af->tmp = af->path = NULL;
	return TS_OK;
}

void afile_abort(afile_t *af)
{
	if (af->fp != NULL && af->fp != stdout)
		fclose(af->fp);
	af->fp = NULL;
	if (af->tmp != NULL)
		unlink(af->tmp);
	ts_free(af->tmp);
	ts_free(af->path);
	af->tmp = af->path = NULL;
}
