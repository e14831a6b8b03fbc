/* commit.c — the database thread and its queue. */
#include <pthread.h>

#include "base/alloc.h"
#include "base/log.h"
#include "http/commit.h"

struct committer {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	commit_item_t *head, *tail;
	bool stopping;
	pthread_t thread;
	api_t *api;
	desk_t *d;
	metrics_t *m;
	size_t batch_max;
};

static void run_batch(committer_t *c, commit_item_t *list, size_t n)
{
	store_t *st = desk_store(c->d);
	int ret = store_batch_begin(st);
	bool committed = false;
	if (ret == TS_OK) {
		for (commit_item_t *it = list; it != NULL; it = it->next)
			api_job_run(c->api, it->job);
		ret = store_batch_end(st, true);
		committed = ret == TS_OK;
	}
	if (!committed)
		ts_log(TS_LOG_ERR, "msg=\"commit failed\" requests=%zu error=\"%s\"", n, store_error(st));
	else
		metrics_batch(c->m, n);
	while (list != NULL) {
		commit_item_t *next = list->next;
		list->done(list, committed);
		list = next;
	}
}

static void *loop(void *arg)
{
	committer_t *c = arg;
	for (;;) {
		pthread_mutex_lock(&c->mu);
		while (c->head == NULL && !c->stopping)
			pthread_cond_wait(&c->cv, &c->mu);
		if (c->head == NULL) {
			pthread_mutex_unlock(&c->mu);
			return NULL;
		}
		commit_item_t *list = c->head, *last = list;
		size_t n = 1;
		while (last->next != NULL && n < c->batch_max) {
			last = last->next;
			n++;
		}
		c->head = last->next;
		if (c->head == NULL)
			c->tail = NULL;
		last->next = NULL;
		pthread_mutex_unlock(&c->mu);
		run_batch(c, list, n);
	}
}

int commit_start(committer_t **c, api_t *api, desk_t *d, metrics_t *m, size_t batch_max)
{
	*c = ts_calloc(1, sizeof(**c));
	if (*c == NULL)
		return TS_ENOMEM;
	pthread_mutex_init(&(*c)->mu, NULL);
	pthread_cond_init(&(*c)->cv, NULL);
	(*c)->api = api;
	(*c)->d = d;
	(*c)->m = m;
	(*c)->batch_max = batch_max > 0 ? batch_max : 1;
	if (pthread_create(&(*c)->thread, NULL, loop, *c) != 0) {
		pthread_cond_destroy(&(*c)->cv);
		pthread_mutex_destroy(&(*c)->mu);
		ts_free(*c);
		*c = NULL;
		return TS_EINTERNAL;
	}
	return TS_OK;
}

void commit_submit(committer_t *c, commit_item_t *it)
{
	it->next = NULL;
	pthread_mutex_lock(&c->mu);
	if (c->tail != NULL)
		c->tail->next = it;
	else
		c->head = it;
	c->tail = it;
	pthread_cond_signal(&c->cv);
	pthread_mutex_unlock(&c->mu);
}

void commit_stop(committer_t **c)
{
	if (c == NULL || *c == NULL)
		return;
	pthread_mutex_lock(&(*c)->mu);
	(*c)->stopping = true;
	pthread_cond_signal(&(*c)->cv);
	pthread_mutex_unlock(&(*c)->mu);
	pthread_join((*c)->thread, NULL);
	pthread_cond_destroy(&(*c)->cv);
	pthread_mutex_destroy(&(*c)->mu);
	ts_free(*c);
	*c = NULL;
}
