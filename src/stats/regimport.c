/* regimport.c — `registrations import`: a registry's registration data as
 * CSV (domain,registrar_id,registrar_name,created), streamed row by row into
 * the store as the new snapshot, in one transaction. */
#include <string.h>

#include "base/clock.h"
#include "base/csv.h"
#include "base/input.h"
#include "base/limits.h"
#include "base/log.h"
#include "dns/name.h"
#include "stats/stats.h"

enum { COL_DOMAIN, COL_RID, COL_RNAME, COL_CREATED, N_COLS };
static const char *const col_names[N_COLS] = { "domain", "registrar_id", "registrar_name", "created" };

/* The domain as the desk keeps it: canonical text without the final dot. */
static int domain_norm(const csv_field_t *f, const char *file, char *out, size_t cap)
{
	name_t n;
	const char *why = "empty";
	size_t at = 0;
	char buf[TS_MAX_NAME_TEXT + 2];
	if (f->len == 0 || f->len > TS_MAX_NAME_TEXT)
		goto bad;
	memcpy(buf, f->p, f->len);
	size_t len = f->len;
	if (buf[len - 1] != '.')
		buf[len++] = '.';
	if (name_from_text(buf, len, NULL, &n, &why, &at) != TS_OK || n.len < 2 || n.len >= cap)
		goto bad;
	size_t k = n.text[n.len - 1] == '.' ? n.len - 1 : n.len;
	if (k == 0 || memchr(n.text, '.', k) == NULL) {
		why = "not below a TLD";
		goto bad;
	}
	memcpy(out, n.text, k);
	out[k] = '\0';
	return TS_OK;
bad:
	ts_log_pos(TS_LOG_ERR, file, f->line, f->col + at, "bad domain '%.*s': %s", (int)(f->len > 80 ? 80 : f->len),
	           f->p, why);
	return TS_EINPUT;
}

static int text_field(const csv_field_t *f, const char *file, const char *what, size_t max)
{
	if (f->len == 0 || f->len > max || memchr(f->p, '\0', f->len) != NULL) {
		ts_log_pos(TS_LOG_ERR, file, f->line, f->col, "%s: 1 to %zu characters wanted", what, max);
		return TS_EINPUT;
	}
	return TS_OK;
}

int stats_registrations_import(store_t *st, const char *path, stats_import_t *out)
{
	ts_input_t *in = NULL;
	csv_reader_t *r = NULL;
	csv_record_t rec;
	bool eof = false, begun = false;
	int idx[N_COLS];
	char domain[TS_MAX_NAME_TEXT];
	memset(out, 0, sizeof(*out));
	int ret = ts_input_open(&in, path);
	if (ret != TS_OK)
		return ret;
	const char *file = ts_input_name(in);
	if ((ret = csv_open(&r, in, 0)) != TS_OK)
		goto out;
	if ((ret = csv_next(r, &rec, &eof)) != TS_OK || eof) {
		unsigned long line = 1, col = 1;
		const char *why = ret != TS_OK ? csv_error(r, &line, &col) : "empty file: a header row is needed";
		ts_log_pos(TS_LOG_ERR, file, line, col, "%s", why);
		ret = ret == TS_ENOMEM ? ret : TS_EINPUT;
		goto out;
	}
	for (int i = 0; i < N_COLS; i++) {
		idx[i] = csv_header_index(&rec, col_names[i]);
		if (idx[i] < 0) {
			ts_log_pos(TS_LOG_ERR, file, rec.line, 1,
			           "the header lacks the column '%s' (domain,registrar_id,registrar_name,created)",
			           col_names[i]);
			ret = TS_EINPUT;
			goto out;
		}
	}
	if ((ret = store_begin(st)) != TS_OK)
		goto db;
	begun = true;
	if ((ret = store_reg_clear(st)) != TS_OK)
		goto db;
	for (;;) {
		if ((ret = csv_next(r, &rec, &eof)) != TS_OK) {
			unsigned long line, col;
			const char *why = csv_error(r, &line, &col);
			if (ret != TS_ENOMEM) {
				ts_log_pos(TS_LOG_ERR, file, line, col, "%s", why);
				ret = TS_EINPUT;
			}
			goto out;
		}
		if (eof)
			break;
		for (int i = 0; i < N_COLS; i++) {
			if ((size_t)idx[i] >= rec.n) {
				ts_log_pos(TS_LOG_ERR, file, rec.line, 1, "%zu fields, the column '%s' is missing", rec.n,
				           col_names[i]);
				ret = TS_EINPUT;
				goto out;
			}
		}
		const csv_field_t *f = rec.f;
		if ((ret = domain_norm(&f[idx[COL_DOMAIN]], file, domain, sizeof(domain))) != TS_OK ||
		    (ret = text_field(&f[idx[COL_RID]], file, "registrar_id", 128)) != TS_OK ||
		    (ret = text_field(&f[idx[COL_RNAME]], file, "registrar_name", 512)) != TS_OK)
			goto out;
		store_registration_t reg = { .domain = domain, .registrar_id = f[idx[COL_RID]].p,
			                     .registrar_name = f[idx[COL_RNAME]].p };
		const csv_field_t *c = &f[idx[COL_CREATED]];
		if (c->len > 0 && ts_time_parse(c->p, c->len, &reg.created) != TS_OK) {
			ts_log_pos(TS_LOG_ERR, file, c->line, c->col,
			           "created: a date (YYYY-MM-DD) or an ISO 8601 time wanted, not '%.*s'",
			           (int)(c->len > 40 ? 40 : c->len), c->p);
			ret = TS_EINPUT;
			goto out;
		}
		if ((ret = store_reg_put(st, &reg)) != TS_OK)
			goto db;
		out->rows++;
	}
	if ((ret = store_reg_summarise(st, &out->domains, &out->registrars)) != TS_OK ||
	    (ret = store_commit(st)) != TS_OK)
		goto db;
	begun = false;
	goto out;
db:
	ts_log(TS_LOG_ERR, "%s: the database: %s", file, store_error(st));
out:
	if (begun)
		store_rollback(st);
	csv_close(&r);
	ts_input_close(&in);
	return ret;
}
