/* csv.h — a streaming CSV reader (RFC 4180: quoted fields, "" escapes,
 * newlines inside quotes, CRLF), with the position of every field. */
#ifndef TS_CSV_H
#define TS_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"
#include "base/input.h"

typedef struct csv_field {
	const char *p;        /* unescaped content, NUL-terminated; borrowed */
	size_t len;
	unsigned long line;   /* where the field starts, 1-based */
	unsigned long col;
} csv_field_t;

typedef struct csv_record {
	const csv_field_t *f; /* borrowed until the next csv_next */
	size_t n;
	unsigned long line;   /* first line of the record */
} csv_record_t;

typedef struct csv_reader csv_reader_t;

/* Reads records from `in` (borrowed). Lines whose first character is
 * `comment` (0: none) are skipped between records; blank lines too. */
TS_WUR int csv_open(csv_reader_t **r, ts_input_t *in, char comment);
/* Next record. *eof at the end. A malformed record (unterminated quote,
 * characters after a closing quote, too many fields, too long) returns
 * TS_ESYNTAX or TS_ELIMIT; csv_error() says what and where, and the reader
 * has moved past the record, so the caller may go on or stop. */
TS_WUR int csv_next(csv_reader_t *r, csv_record_t *rec, bool *eof);
/* The last error: message and position. Borrowed. */
const char *csv_error(const csv_reader_t *r, unsigned long *line, unsigned long *col);
void csv_close(csv_reader_t **r);

/* Index of the field named `name` in a header record (exact, after trimming
 * spaces and a leading '#' or BOM), or -1. */
int csv_header_index(const csv_record_t *header, const char *name);

#endif
