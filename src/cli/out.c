/* out.c — table, JSON and CSV writers for listings. */
#include <string.h>

#include "cli/out.h"

void out_json_str(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
		switch (*p) {
		case '"': fputs("\\\"", fp); break;
		case '\\': fputs("\\\\", fp); break;
		case '\n': fputs("\\n", fp); break;
		case '\r': fputs("\\r", fp); break;
		case '\t': fputs("\\t", fp); break;
		default:
			if (*p < 0x20)
				fprintf(fp, "\\u%04x", *p);
			else
				fputc(*p, fp);
		}
	}
	fputc('"', fp);
}

void out_csv_field(FILE *fp, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, fp);
		return;
	}
	fputc('"', fp);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', fp);
		fputc(*s, fp);
	}
	fputc('"', fp);
}

void out_begin(out_t *o, FILE *fp, int fmt, const out_col_t *cols, size_t ncols)
{
	o->fp = fp;
	o->fmt = fmt;
	o->cols = cols;
	o->ncols = ncols;
	o->rows = 0;
	if (fmt == OUT_JSON) {
		fputc('[', fp);
		return;
	}
	for (size_t i = 0; i < ncols; i++) {
		if (fmt == OUT_CSV)
			fprintf(fp, "%s%s", i > 0 ? "," : "", cols[i].name);
		else if (i + 1 < ncols)
			fprintf(fp, "%-*s ", cols[i].width, cols[i].name);
		else
			fputs(cols[i].name, fp);
	}
	fputc('\n', fp);
}

void out_row(out_t *o, const char *const *vals)
{
	FILE *fp = o->fp;
	if (o->fmt == OUT_JSON) {
		fputs(o->rows > 0 ? ",\n{" : "\n{", fp);
		for (size_t i = 0; i < o->ncols; i++) {
			if (i > 0)
				fputc(',', fp);
			out_json_str(fp, o->cols[i].name);
			fputc(':', fp);
			if (vals[i] == NULL)
				fputs("null", fp);
			else if (o->cols[i].type == OUT_STR)
				out_json_str(fp, vals[i]);
			else
				fputs(vals[i], fp);
		}
		fputc('}', fp);
	} else {
		for (size_t i = 0; i < o->ncols; i++) {
			const char *v = vals[i] != NULL ? vals[i] : o->fmt == OUT_TABLE ? "-" : "";
			if (o->fmt == OUT_CSV) {
				if (i > 0)
					fputc(',', fp);
				out_csv_field(fp, v);
			} else {
				if (i + 1 < o->ncols)
					fprintf(fp, "%-*s ", o->cols[i].width, v);
				else
					fputs(v, fp);
			}
		}
		fputc('\n', fp);
	}
	o->rows++;
}

int out_end(out_t *o)
{
	if (o->fmt == OUT_JSON)
		fputs(o->rows > 0 ? "\n]\n" : "]\n", o->fp);
	if (fflush(o->fp) != 0 || ferror(o->fp))
		return 4;
	return 0;
}
