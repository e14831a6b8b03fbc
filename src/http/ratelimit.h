/* ratelimit.h — token buckets keyed by text ("token:12", "tier:public",
 * "addr:127.0.0.1"), for the daemon's per-token, per-tier and per-address
 * limits. Thread-safe. The table has a fixed size: when it is full, a key
 * shares the bucket of another (the limit then errs on the strict side). */
#ifndef TS_HTTP_RATELIMIT_H
#define TS_HTTP_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"

typedef struct rl rl_t;

TS_WUR int rl_new(rl_t **rl);
void rl_free(rl_t **rl);

/* Takes one request from the bucket of `key` (rate per second, holding at
 * most `burst`), at `now` (seconds, monotonic). False when the bucket is
 * empty; then *retry_after is the whole seconds until one request fits. */
bool rl_take(rl_t *rl, const char *key, double rate, double burst, double now, unsigned *retry_after);

/* Seconds on the monotonic clock. */
double rl_now(void);

#endif
