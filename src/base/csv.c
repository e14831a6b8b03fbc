/* csv.c — CSV records built from lines; quoted fields may span lines. */
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/csv.h"
#include "base/limits.h"

struct csv_reader {
	ts_lines_t *lines;
	char comment;
	dbuf_t data;                 /* unescaped field contents, NUL-separated */
	csv_field_t fields[TS_MAX_CSV_FIELDS];
	size_t offsets[TS_MAX_CSV_FIELDS];
	char err[160];
	unsigned long err_line, err_col;
};

int csv_open(csv_reader_t **out, ts_input_t *in, char comment)
{
	*out = NULL;
	csv_reader_t *r = ts_calloc(1, sizeof(*r));
	if (r == NULL)
		return TS_ENOMEM;
	int ret = ts_lines_open(&r->lines, in, TS_MAX_LINE);
	if (ret != TS_OK) {
		ts_free(r);
		return ret;
	}
	r->comment = comment;
	dbuf_init(&r->data, TS_MAX_CSV_RECORD);
	*out = r;
	return TS_OK;
}

void csv_close(csv_reader_t **rp)
{
	if (rp == NULL || *rp == NULL)
		return;
	ts_lines_close(&(*rp)->lines);
	dbuf_free(&(*rp)->data);
	ts_free(*rp);
	*rp = NULL;
}

const char *csv_error(const csv_reader_t *r, unsigned long *line, unsigned long *col)
{
	if (line != NULL)
		*line = r->err_line;
	if (col != NULL)
		*col = r->err_col;
	return r->err;
}

static int fail(csv_reader_t *r, int code, unsigned long line, unsigned long col, const char *msg)
{
	size_t n = strlen(msg);
	if (n >= sizeof(r->err))
		n = sizeof(r->err) - 1;
	memcpy(r->err, msg, n);
	r->err[n] = '\0';
	r->err_line = line;
	r->err_col = col;
	return code;
}

int csv_next(csv_reader_t *r, csv_record_t *rec, bool *eof)
{
	const char *line;
	size_t len;
	unsigned long lineno;
	int ret;

	*eof = false;
	/* Skip blank and comment lines. */
	for (;;) {
		ret = ts_lines_next(r->lines, &line, &len, &lineno, eof);
		if (ret == TS_ELIMIT)
			return fail(r, TS_ELIMIT, lineno, 1, "line too long");
		if (ret != TS_OK || *eof)
			return ret;
		if (len == 0 || (r->comment != 0 && line[0] == r->comment))
			continue;
		break;
	}

	dbuf_reset(&r->data);
	size_t nf = 0;
	size_t i = 0;
	unsigned long first_line = lineno;
	bool more = true;
	while (more) {
		if (nf == TS_MAX_CSV_FIELDS)
			return fail(r, TS_ELIMIT, lineno, i + 1, "too many fields");
		r->offsets[nf] = r->data.len;
		r->fields[nf].line = lineno;
		r->fields[nf].col = i + 1;
		if (i < len && line[i] == '"') {
			/* Quoted field: runs to a lone quote, across lines if need be. */
			unsigned long qline = lineno, qcol = i + 1;
			i++;
			for (;;) {
				const char *q = i < len ? memchr(line + i, '"', len - i) : NULL;
				size_t upto = q != NULL ? (size_t)(q - line) : len;
				if ((ret = dbuf_add(&r->data, line + i, upto - i)) != TS_OK)
					return fail(r, ret, lineno, i + 1, "record too long");
				if (q == NULL) {
					/* The field goes on on the next line. */
					bool e;
					if ((ret = dbuf_addc(&r->data, '\n')) != TS_OK)
						return fail(r, ret, lineno, len + 1, "record too long");
					ret = ts_lines_next(r->lines, &line, &len, &lineno, &e);
					if (ret == TS_ELIMIT)
						return fail(r, ret, lineno, 1, "line too long");
					if (ret != TS_OK)
						return ret;
					if (e)
						return fail(r, TS_ESYNTAX, qline, qcol, "unterminated quoted field");
					i = 0;
					continue;
				}
				i = upto + 1;
				if (i < len && line[i] == '"') {
					if ((ret = dbuf_addc(&r->data, '"')) != TS_OK)
						return fail(r, ret, lineno, i + 1, "record too long");
					i++;
					continue;
				}
				break;
			}
			if (i < len && line[i] != ',')
				return fail(r, TS_ESYNTAX, lineno, i + 1, "unexpected character after closing quote");
		} else {
			const char *c = i < len ? memchr(line + i, ',', len - i) : NULL;
			size_t upto = c != NULL ? (size_t)(c - line) : len;
			if ((ret = dbuf_add(&r->data, line + i, upto - i)) != TS_OK)
				return fail(r, ret, lineno, i + 1, "record too long");
			i = upto;
		}
		if ((ret = dbuf_addc(&r->data, '\0')) != TS_OK)
			return fail(r, ret, lineno, i + 1, "record too long");
		r->fields[nf].len = r->data.len - 1 - r->offsets[nf];
		nf++;
		if (i < len && line[i] == ',')
			i++;
		else
			more = false;
	}
	for (size_t k = 0; k < nf; k++)
		r->fields[k].p = r->data.p + r->offsets[k];
	rec->f = r->fields;
	rec->n = nf;
	rec->line = first_line;
	return TS_OK;
}

int csv_header_index(const csv_record_t *h, const char *name)
{
	size_t nlen = strlen(name);
	for (size_t k = 0; k < h->n; k++) {
		const char *p = h->f[k].p;
		size_t len = h->f[k].len;
		if (k == 0 && len >= 3 && (unsigned char)p[0] == 0xef &&
		    (unsigned char)p[1] == 0xbb && (unsigned char)p[2] == 0xbf) {
			p += 3;
			len -= 3;
		}
		while (len > 0 && (*p == ' ' || *p == '#')) {
			p++;
			len--;
		}
		while (len > 0 && p[len - 1] == ' ')
			len--;
		if (len == nlen && memcmp(p, name, nlen) == 0)
			return (int)k;
	}
	return -1;
}
