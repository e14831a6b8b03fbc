/* ratelimit.c — token buckets in an open-addressing table under one mutex. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "http/ratelimit.h"

#define RL_SLOTS 8192            /* a power of two */
#define RL_PROBE 8
#define RL_KEY 80

typedef struct bucket {
	char key[RL_KEY];
	double tokens;
	double last;
	double rate, burst;
} bucket_t;

struct rl {
	pthread_mutex_t mu;
	bucket_t slot[RL_SLOTS];
};

int rl_new(rl_t **rl)
{
	*rl = ts_calloc(1, sizeof(**rl));
	if (*rl == NULL)
		return TS_ENOMEM;
	pthread_mutex_init(&(*rl)->mu, NULL);
	return TS_OK;
}

void rl_free(rl_t **rl)
{
	if (rl == NULL || *rl == NULL)
		return;
	pthread_mutex_destroy(&(*rl)->mu);
	ts_free(*rl);
	*rl = NULL;
}

double rl_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

static void refill(bucket_t *b, double now)
{
	if (now > b->last) {
		b->tokens = fmin(b->burst, b->tokens + (now - b->last) * b->rate);
		b->last = now;
	}
}

/* The bucket of key: its own, a free one, one full again (idle: forgetting it
 * changes nothing), or, the table being crowded, the first probed. */
static bucket_t *find(rl_t *rl, const char *key, double now)
{
	uint64_t h = fnv1a(key);
	bucket_t *reuse = NULL;
	for (unsigned i = 0; i < RL_PROBE; i++) {
		bucket_t *b = &rl->slot[(h + i) & (RL_SLOTS - 1)];
		if (strcmp(b->key, key) == 0)
			return b;
		if (reuse == NULL) {
			if (b->key[0] == '\0')
				reuse = b;
			else {
				refill(b, now);
				if (b->tokens >= b->burst)
					reuse = b;
			}
		}
	}
	if (reuse == NULL)
		return &rl->slot[h & (RL_SLOTS - 1)];
	snprintf(reuse->key, sizeof(reuse->key), "%s", key);
	reuse->tokens = -1; /* filled below */
	return reuse;
}

bool rl_take(rl_t *rl, const char *key, double rate, double burst, double now, unsigned *retry_after)
{
	bool ok;
	if (burst < 1)
		burst = 1;
	pthread_mutex_lock(&rl->mu);
	bucket_t *b = find(rl, key, now);
	if (b->tokens < 0) {
		b->tokens = burst;
		b->last = now;
	}
	b->rate = rate;
	b->burst = burst;
	refill(b, now);
	ok = b->tokens >= 1;
	if (ok) {
		b->tokens -= 1;
		*retry_after = 0;
	} else {
		double wait = (1 - b->tokens) / rate;
		*retry_after = (unsigned)ceil(wait);
		if (*retry_after == 0)
			*retry_after = 1;
	}
	pthread_mutex_unlock(&rl->mu);
	return ok;
}
