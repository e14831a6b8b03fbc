/* reserved.h — the list of names the registry blocks or reserves (DGA names
 * queued for block or reserve): one normalised name per line, in byte order,
 * each once. The registry's reserved-names list takes it as it is. Nothing
 * here prints except through ts_log. */
#ifndef TS_EXPORT_RESERVED_H
#define TS_EXPORT_RESERVED_H

#include <stddef.h>
#include <stdio.h>

#include "base/err.h"

/* Writes names[0..n) to `fp`. TS_EINPUT (logged, naming the entry) when one
 * is not a host name; TS_ENOMEM; TS_EIO when writing fails. */
TS_WUR int reserved_write_fp(const char *const *names, size_t n, FILE *fp);

/* reserved_write_fp into `path` atomically (NULL or "-": stdout). */
TS_WUR int reserved_write(const char *const *names, size_t n, const char *path);

#endif
