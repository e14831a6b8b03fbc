/* input.h — byte input from a file or stdin, plain or gzip (detected by the
 * magic bytes 1f 8b; ISA-L's igzip inflates, multi-member streams included). */
#ifndef TS_INPUT_H
#define TS_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

typedef struct ts_input ts_input_t;

/* Opens `path` ("-" is stdin). Logs "PATH: cannot open: …" and returns
 * TS_EINPUT when it cannot be opened or is a directory. */
TS_WUR int ts_input_open(ts_input_t **in, const char *path);
/* An input over a copy of `data` (for tests and fuzz targets); gzip is
 * detected as for files. */
TS_WUR int ts_input_open_mem(ts_input_t **in, const char *name, const void *data, size_t len);
/* Reads up to `cap` bytes of the (decompressed) content; *got is 0 at the end.
 * Corrupt or truncated gzip data: logged with the file name, TS_EINPUT. */
TS_WUR int ts_input_read(ts_input_t *in, void *buf, size_t cap, size_t *got);
/* The name used in messages ("-" reads as "<stdin>"). Borrowed. */
const char *ts_input_name(const ts_input_t *in);
/* Size of the file on disk (0 when unknown, e.g. a pipe) and how many of its
 * bytes were consumed so far: the progress bar's numbers. */
uint64_t ts_input_raw_size(const ts_input_t *in);
uint64_t ts_input_raw_pos(const ts_input_t *in);
/* Bytes of content delivered so far. */
uint64_t ts_input_pos(const ts_input_t *in);
bool ts_input_is_gzip(const ts_input_t *in);
/* Closes and frees; sets *in to NULL; accepts NULL. */
void ts_input_close(ts_input_t **in);

/* A line reader on top of an input. Lines end in LF (a CR before it is
 * dropped); the last line may lack its LF. */
typedef struct ts_lines ts_lines_t;

TS_WUR int ts_lines_open(ts_lines_t **lr, ts_input_t *in, size_t max_line);
/* Next line into *line and *len (borrowed until the next call), its 1-based
 * number in *lineno. *eof is set at the end. A line longer than max_line is
 * skipped to its end and reported as TS_ELIMIT with its number. */
TS_WUR int ts_lines_next(ts_lines_t *lr, const char **line, size_t *len,
                         unsigned long *lineno, bool *eof);
void ts_lines_close(ts_lines_t **lr);

#endif
