/* out.h — listings in the three formats (table, json, csv), streamed row by
 * row so a long listing never sits in memory. */
#ifndef TS_CLI_OUT_H
#define TS_CLI_OUT_H

#include <stdbool.h>
#include <stdio.h>

enum { OUT_TABLE = 0, OUT_JSON = 1, OUT_CSV = 2 };

typedef enum out_type { OUT_STR, OUT_NUM, OUT_BOOL } out_type_t;

typedef struct out_col {
	const char *name;
	out_type_t type;
	int width;                 /* table column width (values may overflow it) */
} out_col_t;

typedef struct out {
	FILE *fp;
	int fmt;
	const out_col_t *cols;
	size_t ncols;
	unsigned long rows;
} out_t;

/* Starts a listing (prints the header or the opening bracket). */
void out_begin(out_t *o, FILE *fp, int fmt, const out_col_t *cols, size_t ncols);
/* One row: ncols values, NULL for none (json null, empty otherwise). */
void out_row(out_t *o, const char *const *vals);
/* Ends the listing. Returns 0, or 4 when writing failed. */
int out_end(out_t *o);

/* Writes s as a JSON string with quotes. */
void out_json_str(FILE *fp, const char *s);
void out_csv_field(FILE *fp, const char *s);

#endif
