/* afile.h — atomic output files: write to a temporary file beside the
 * target, then fsync and rename, so a failed run leaves nothing half-written. */
#ifndef TS_AFILE_H
#define TS_AFILE_H

#include <stdio.h>

#include "base/err.h"

typedef struct afile {
	FILE *fp;          /* write here */
	char *path;        /* the target; NULL for stdout */
	char *tmp;         /* the temporary file */
} afile_t;

/* Opens `path` for atomic writing; NULL or "-" writes to stdout directly. */
TS_WUR int afile_open(afile_t *af, const char *path);
/* Flushes, syncs and renames into place. TS_EIO when anything failed
 * (then the temporary file is removed and the target is untouched). */
TS_WUR int afile_commit(afile_t *af);
/* Removes the temporary file; the target is untouched. Accepts a closed afile. */
void afile_abort(afile_t *af);

#endif
