/* fuzz_zone.c — the master-file scanner and the statistics accumulator on
 * arbitrary bytes: every record or a clean error, never a crash. Inputs
 * are scanned with one thread and with the reader thread, and both must
 * see the same number of records; then by the parallel parse (2 threads,
 * blocks of 1 to 64 bytes), which must see the same records (a sum of
 * their hashes, as they come in any order) and log the same first error;
 * and by the parallel parse again with the guessed blocks' records in
 * journals (spec_fn), which must give the same records but their TTLs and
 * lines, and the same first error. Each record's place (pos, span, flags)
 * is part of what must be the same; in order, the places must lie inside
 * the text, at line starts, in order and not overlap; text_fn's calls must
 * increase, end at the text's length, and come after every record before
 * them (in order and in parallel). */
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "base/log.h"
#include "dns/zone.h"
#include "dns/zonestats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned long last_line, last_col;
static XXH64_hash_t last_msg;

static void quiet(void *user, ts_log_level_t level, const char *file, unsigned long line,
                  unsigned long col, const char *msg)
{
	(void)user; (void)level; (void)file;
	last_line = line;
	last_col = col;
	last_msg = XXH3_64bits(msg, strlen(msg));
}

/* A hash of everything a record says; `stable`: but its TTL and line,
 * which a record of a block parsed on a guess does not have final. */
static uint64_t rr_hash(const zone_rr_t *rr, bool stable)
{
	XXH3_state_t *st = XXH3_createState();
	if (st == NULL)
		__builtin_trap();
	XXH3_64bits_reset(st);
	XXH3_64bits_update(st, rr->owner, rr->owner_len + 1);
	XXH3_64bits_update(st, rr->origin, rr->origin_len + 1);
	/* in spec_fn, ZONE_RR_TTL_DIR is not final */
	unsigned flags = stable ? rr->flags & ~ZONE_RR_TTL_DIR : rr->flags;
	uint64_t f[7] = { rr->type, rr->rclass, stable ? 0 : rr->ttl, stable ? 0 : rr->line, rr->pos, rr->span,
	                  flags };
	XXH3_64bits_update(st, f, sizeof(f));
	if (rr->decoded && rr->type == ZONE_T_NS)
		XXH3_64bits_update(st, rr->rd.ns.name, rr->rd.ns.len);
	if (rr->decoded && rr->type == ZONE_T_DS) {
		uint64_t d[3] = { rr->rd.ds.key_tag, rr->rd.ds.algorithm, rr->rd.ds.digest_type };
		XXH3_64bits_update(st, d, sizeof(d));
		XXH3_64bits_update(st, rr->rd.ds.digest, rr->rd.ds.digest_len);
	}
	if (rr->rdata != NULL)
		XXH3_64bits_update(st, rr->rdata, rr->rdata_len + 1);
	uint64_t h = XXH3_64bits_digest(st);
	XXH3_freeState(st);
	return h;
}

typedef struct sum {
	atomic_ullong n, h, hs;    /* records, sums of their hashes and stable hashes */
	const uint8_t *text;       /* the input, its size */
	size_t size;
	bool ordered;              /* records come in order: check their places */
	uint64_t prev_end;         /* in order: the end of the last record's place */
	atomic_ullong text_end;    /* text_fn's last end (0: none yet) */
	atomic_bool text_called;
} sum_t;

/* A record's place: inside the text, at a line start, through a line end
 * (or the end of the text); in order: after the one before; not before
 * what text_fn was told. */
static void check_place(sum_t *s, const zone_rr_t *rr)
{
	if (rr->span == 0 || rr->pos > s->size || rr->span > s->size - rr->pos)
		__builtin_trap();
	if (rr->pos > 0 && s->text[rr->pos - 1] != '\n')
		__builtin_trap();
	if (rr->pos + rr->span < s->size && s->text[rr->pos + rr->span - 1] != '\n')
		__builtin_trap();
	if ((rr->flags & ZONE_RR_INCLUDED) != 0)
		__builtin_trap();  /* no $INCLUDE here */
	if (atomic_load(&s->text_called) && rr->pos < atomic_load(&s->text_end))
		__builtin_trap();
	if (s->ordered) {
		if (rr->pos < s->prev_end)
			__builtin_trap();
		s->prev_end = rr->pos + rr->span;
	}
}

/* text_fn: calls come one at a time, increasing. */
static int text_rr(void *user, uint64_t end)
{
	sum_t *s = user;
	if (end > s->size || (atomic_load(&s->text_called) && end <= atomic_load(&s->text_end)))
		__builtin_trap();
	atomic_store(&s->text_end, end);
	atomic_store(&s->text_called, true);
	return 0;
}

static int sum_rr(void *user, const zone_rr_t *rr)
{
	sum_t *s = user;
	check_place(s, rr);
	atomic_fetch_add(&s->n, 1);
	atomic_fetch_add(&s->h, rr_hash(rr, false));
	atomic_fetch_add(&s->hs, rr_hash(rr, true));
	return 0;
}

/* spec_fn: journals the record's stable hash, or (one in four) asks for
 * the whole record. */
static int spec_rr(void *user, const zone_rr_t *rr, zone_journal_t *j)
{
	(void)user;
	uint64_t h = rr_hash(rr, true);
	if ((h & 3) == 0)
		return 1;
	if (zone_journal_put(j, &h, sizeof(h)) != TS_OK)
		__builtin_trap();  /* 8 bytes always fit */
	return 0;
}

static int journal_rr(void *user, unsigned worker, const void *data, size_t len)
{
	(void)worker;
	sum_t *s = user;
	for (size_t i = 0; i + 8 <= len; i += 8) {
		uint64_t h;
		memcpy(&h, (const char *)data + i, sizeof(h));
		atomic_fetch_add(&s->n, 1);
		atomic_fetch_add(&s->hs, h);
	}
	return 0;
}

static int check_rr(void *user, const zone_rr_t *rr)
{
	if (strlen(rr->owner) != rr->owner_len || rr->line == 0)
		__builtin_trap();
	if (rr->decoded && rr->type == ZONE_T_NS && strlen(rr->rd.ns.name) != rr->rd.ns.len)
		__builtin_trap();
	return zonestats_add(user, rr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ts_log_set(quiet, NULL, TS_LOG_ERR);
	zone_totals_t t1, t2;
	int r1, r2;
	/* the fast path's event reader: AVX2 here, SSE2 in order below, the
	 * machine's best (AVX-512 where there is one) in parallel */
	setenv("TLDSEC_ZONE_SIMD", "avx2", 1);
	for (unsigned threads = 1; threads <= 2; threads++) {
		zonestats_t *st = NULL;
		if (zonestats_new(&st, 1767225600, 0) != TS_OK)
			return 0;
		if (threads == 2 && zonestats_use_thread(st) != TS_OK) {
			zonestats_free(&st);
			return 0;
		}
		zone_opts_t o = { .origin = "fuzz.", .default_ttl = 3600, .no_include = true,
		                  .decode = ZONE_DEC_ALL, .threads = threads };
		int r = zone_scan_mem("fuzz", data, size, &o, check_rr, st, threads == 1 ? &t1 : &t2);
		zonestats_result_t res;
		if (zonestats_result(st, &res) != TS_OK || res.records > (threads == 1 ? t1 : t2).records)
			__builtin_trap();
		zonestats_free(&st);
		if (threads == 1)
			r1 = r;
		else
			r2 = r;
	}
	if (r1 != r2 || t1.records != t2.records)
		__builtin_trap();

	/* in order, then in parallel with small blocks, then the same with
	 * the guessed blocks' records journaled (zone_opts_t.spec_fn) */
	sum_t want, got, jgot;
	unsigned long line[3], col[3];
	XXH64_hash_t msg[3];
	int r[3];
	for (int k = 0; k < 3; k++) {
		sum_t *s = k == 0 ? &want : k == 1 ? &got : &jgot;
		atomic_init(&s->n, 0);
		atomic_init(&s->h, 0);
		atomic_init(&s->hs, 0);
		atomic_init(&s->text_end, 0);
		atomic_init(&s->text_called, false);
		s->text = data;
		s->size = size;
		s->ordered = k == 0;
		s->prev_end = 0;
		zone_opts_t o = { .origin = "fuzz.", .default_ttl = 3600, .no_include = true,
		                  .decode = ZONE_DEC_ALL | ZONE_DEC_TEXT, .threads = k == 0 ? 1 : 2,
		                  .parallel_callback = k >= 1,
		                  .spec_fn = k == 2 ? spec_rr : NULL,
		                  .journal_fn = k == 2 ? journal_rr : NULL,
		                  .text_fn = text_rr,
		                  .block_size = 1 + (size > 0 ? data[0] % 64 : 0) };
		last_line = last_col = 0;
		last_msg = 0;
		if (k == 0)
			setenv("TLDSEC_ZONE_SIMD", "sse2", 1);
		else
			unsetenv("TLDSEC_ZONE_SIMD");
		r[k] = zone_scan_mem("fuzz", data, size, &o, sum_rr, s, NULL);
		line[k] = last_line;
		col[k] = last_col;
		msg[k] = last_msg;
	}
	for (int k = 0; k < 3; k++) {
		if (k > 0 && (r[0] != r[k] || line[0] != line[k] || col[0] != col[k] || msg[0] != msg[k]))
			__builtin_trap();
		/* the last call of text_fn: the text's end */
		sum_t *s = k == 0 ? &want : k == 1 ? &got : &jgot;
		if (r[k] == 0 && (!atomic_load(&s->text_called) || atomic_load(&s->text_end) != size))
			__builtin_trap();
	}
	if (r[0] == 0 && (atomic_load(&want.n) != atomic_load(&got.n) ||
	                  atomic_load(&want.h) != atomic_load(&got.h)))
		__builtin_trap();
	if (r[0] == 0 && (atomic_load(&want.n) != atomic_load(&jgot.n) ||
	                  atomic_load(&want.hs) != atomic_load(&jgot.hs)))
		__builtin_trap();
	return 0;
}
