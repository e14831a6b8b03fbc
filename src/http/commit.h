/* commit.h — group commit: one database thread takes every queued request,
 * runs each one's desk work inside one shared store batch (each call in its
 * own savepoint, so one bad request does not undo the others), commits once
 * (WAL, synchronous=FULL: durable when the commit returns), then calls each
 * item's `done`. A 201 is therefore sent only after its report is durable. */
#ifndef TS_HTTP_COMMIT_H
#define TS_HTTP_COMMIT_H

#include <stdbool.h>
#include <stddef.h>

#include "http/api.h"

typedef struct commit_item commit_item_t;
struct commit_item {
	api_job_t *job;
	/* called on the database thread after the commit; must not block long */
	void (*done)(commit_item_t *it, bool committed);
	commit_item_t *next;       /* the queue's link (the committer's) */
};

typedef struct committer committer_t;

/* Starts the thread; api and d are borrowed, d is used by that thread only. */
TS_WUR int commit_start(committer_t **c, api_t *api, desk_t *d, metrics_t *m, size_t batch_max);
/* Queues an item (borrowed until its done runs). */
void commit_submit(committer_t *c, commit_item_t *it);
/* Runs what is queued, then stops the thread. */
void commit_stop(committer_t **c);

#endif
