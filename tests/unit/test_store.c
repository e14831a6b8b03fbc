/* test_store.c — the store: schema, records round trip, filters, the
 * overdue index, the audit log's append-only trigger, and every
 * out-of-memory point of a typical transaction (SQLite allocates through
 * ts_malloc). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"

#include "base/alloc.h"
#include "base/arena.h"
#include "store/store.h"

static char dir[64];
static char path[128];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/tldsec-store-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/t.db", dir);
	return 0;
}

static void rm_db(void)
{
	char p[160];
	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
}

static int teardown(void **state)
{
	(void)state;
	rm_db();
	rmdir(dir);
	return 0;
}

static int count_cb(void *user, const store_case_t *c)
{
	(void)c;
	(*(int *)user)++;
	return TS_OK;
}

static int count_actions(void *user, const store_action_t *x)
{
	int *n = user;
	assert_string_equal(x->domain, "c.example");
	(*n)++;
	return TS_OK;
}

struct dlist {
	char names[4][32];
	int n;
};

static int list_domains(void *user, const store_domain_t *d)
{
	struct dlist *l = user;
	if (l->n < 4)
		snprintf(l->names[l->n], sizeof(l->names[0]), "%s:%s", d->name, d->statuses != NULL ? d->statuses : "-");
	l->n++;
	return TS_OK;
}

static int64_t add_case(store_t *st, const char *domain, const char *state, int64_t next_due, int rank)
{
	store_case_t c = { .domain = domain, .threat = "phishing", .state = state, .priority = "low",
		           .prio_rank = rank, .registered = true, .received_at = 1000, .ack_due = 2000,
		           .response_due = 3000, .next_due = next_due };
	int64_t id = 0;
	assert_int_equal(store_case_add(st, &c, &id), TS_OK);
	return id;
}

static void test_open_requires_init(void **state)
{
	(void)state;
	store_t *st = NULL;
	char err[256];
	rm_db();
	assert_int_equal(store_open(&st, path, false, 100, err, sizeof(err)), TS_ENOTFOUND);
	assert_null(st);
	assert_int_equal(store_open(&st, "postgresql://db/x", false, 100, err, sizeof(err)), TS_EINPUT);
	assert_non_null(strstr(err, "PostgreSQL"));
	assert_int_equal(store_open(&st, path, true, 100, err, sizeof(err)), TS_OK);
	assert_int_equal(store_schema_version(st), STORE_SCHEMA_VERSION);
	store_close(&st);
	assert_null(st);
	/* reopening migrates nothing and keeps the version */
	assert_int_equal(store_open(&st, path, false, 100, err, sizeof(err)), TS_OK);
	assert_int_equal(store_schema_version(st), STORE_SCHEMA_VERSION);
	store_close(&st);
}

static void test_records_and_filters(void **state)
{
	(void)state;
	store_t *st = NULL;
	char err[256];
	arena_t *a = arena_new(4096);
	rm_db();
	assert_int_equal(store_open(&st, path, true, 100, err, sizeof(err)), TS_OK);
	assert_int_equal(store_begin(st), TS_OK);
	store_reporter_t r = { .name = "CERT", .tier = "government", .email = "c@x.example", .verified = true,
		               .created_at = 5 };
	int64_t rid, rid2;
	assert_int_equal(store_reporter_add(st, &r, "abc", &rid), TS_OK);
	assert_int_equal(store_reporter_add(st, &r, "abc", &rid2), TS_EDB); /* token hashes are unique */
	int64_t c1 = add_case(st, "a.example", "new", 2000, 2);
	int64_t c2 = add_case(st, "b.example", "acknowledged", 5000, 0);
	int64_t c3 = add_case(st, "c.example", "assessed", 0, 1);
	assert_int_equal(store_commit(st), TS_OK);

	store_reporter_t got;
	assert_int_equal(store_reporter_by_token(st, "abc", a, &got), TS_OK);
	assert_int_equal(got.id, rid);
	assert_string_equal(got.email, "c@x.example");
	assert_true(got.has_token && got.verified && !got.disabled);
	assert_int_equal(store_reporter_by_token(st, "nope", a, &got), TS_ENOTFOUND);

	store_case_t c;
	assert_int_equal(store_case_find_open(st, "b.example", "phishing", a, &c), TS_OK);
	assert_int_equal(c.id, c2);
	assert_int_equal(c.next_due, 5000);
	assert_int_equal(store_case_find_open(st, "b.example", "malware", a, &c), TS_ENOTFOUND);

	/* overdue: next_due strictly before now */
	store_case_filter_t f = { .overdue = true, .now = 2000 };
	uint64_t n;
	assert_int_equal(store_case_count(st, &f, &n), TS_OK);
	assert_int_equal(n, 0);
	f.now = 2001;
	assert_int_equal(store_case_count(st, &f, &n), TS_OK);
	assert_int_equal(n, 1);
	f.now = 5001;
	assert_int_equal(store_case_count(st, &f, &n), TS_OK);
	assert_int_equal(n, 2);
	int k = 0;
	assert_int_equal(store_case_list(st, &f, count_cb, &k), TS_OK);
	assert_int_equal(k, 2);
	store_case_filter_t g = { .state = "assessed" };
	assert_int_equal(store_case_count(st, &g, &n), TS_OK);
	assert_int_equal(n, 1);
	(void)c1;

	/* case update, then closed cases are not "open" */
	assert_int_equal(store_case_get(st, c2, a, &c), TS_OK);
	c.state = "closed";
	c.next_due = 0;
	assert_int_equal(store_case_update(st, &c), TS_OK);
	assert_int_equal(store_case_find_open(st, "b.example", "phishing", a, &c), TS_ENOTFOUND);

	/* domains default to empty */
	store_domain_t dm;
	assert_int_equal(store_domain_get(st, "z.example", a, &dm), TS_OK);
	assert_string_equal(dm.name, "z.example");
	assert_null(dm.statuses);
	dm.statuses = "serverHold";
	assert_int_equal(store_domain_put(st, &dm), TS_OK);
	assert_int_equal(store_domain_get(st, "z.example", a, &dm), TS_OK);
	assert_string_equal(dm.statuses, "serverHold");
	/* every domain acted on, in name order, with its current state */
	store_domain_t dm2 = { .name = "a.example", .blocked = true };
	assert_int_equal(store_domain_put(st, &dm2), TS_OK);
	struct dlist dl = { .n = 0 };
	assert_int_equal(store_domain_list(st, list_domains, &dl), TS_OK);
	assert_int_equal(dl.n, 2);
	assert_string_equal(dl.names[0], "a.example:-");
	assert_string_equal(dl.names[1], "z.example:serverHold");

	/* actions: listed with their case's domain, pending until exported */
	store_action_t x = { .case_id = c3, .kind = "suspend", .actor = "t", .created_at = 7,
		             .prior_case_state = "assessed", .prior_domain = "{}", .undo_command = "u" };
	int64_t aid;
	assert_int_equal(store_action_add(st, &x, &aid), TS_OK);
	int nact = 0;
	assert_int_equal(store_action_list(st, true, count_actions, &nact), TS_OK);
	assert_int_equal(nact, 1);
	assert_int_equal(store_action_set_exported(st, aid, 9), TS_OK);
	nact = 0;
	assert_int_equal(store_action_list(st, true, count_actions, &nact), TS_OK);
	assert_int_equal(nact, 0);
	assert_int_equal(store_action_list(st, false, count_actions, &nact), TS_OK);
	assert_int_equal(nact, 1);
	store_action_t ga;
	assert_int_equal(store_action_get(st, aid, a, &ga), TS_OK);
	assert_string_equal(ga.domain, "c.example");
	assert_int_equal(ga.exported_at, 9);
	assert_int_equal(store_action_set_exported(st, 999, 9), TS_ENOTFOUND);

	/* the audit log refuses deletion */
	store_event_t e = { .at = 1, .actor = "t", .kind = "k", .detail = "{}", .prev_hash = "", .hash = "h" };
	int64_t eid;
	char hash[STORE_HASH_HEX];
	assert_int_equal(store_event_add(st, &e, &eid), TS_OK);
	assert_int_equal(store_event_last(st, &eid, hash), TS_OK);
	assert_int_equal(eid, 1);
	assert_string_equal(hash, "h");
	store_close(&st);
	arena_free(&a);
}

/* One transaction of the kind the desk runs, from open to close. */
static int one_transaction(void)
{
	store_t *st = NULL;
	char err[256];
	int64_t id;
	int ret = store_open(&st, path, false, 100, err, sizeof(err));
	if (ret != TS_OK)
		return ret;
	if ((ret = store_begin(st)) != TS_OK)
		goto out;
	store_reporter_t r = { .name = "X", .tier = "public", .created_at = 1 };
	store_case_t c = { .domain = "oom.example", .threat = "spam", .state = "new", .priority = "low",
		           .received_at = 1, .ack_due = 2, .response_due = 3, .next_due = 2 };
	store_event_t e = { .at = 1, .actor = "t", .kind = "k", .detail = "{}", .prev_hash = "", .hash = "h" };
	if ((ret = store_reporter_add(st, &r, NULL, &id)) != TS_OK || (ret = store_case_add(st, &c, &id)) != TS_OK ||
	    (ret = store_event_add(st, &e, &id)) != TS_OK || (ret = store_commit(st)) != TS_OK) {
		store_rollback(st);
		goto out;
	}
	uint64_t n;
	store_case_filter_t f = { .overdue = true, .now = 10 };
	ret = store_case_count(st, &f, &n);
out:
	store_close(&st);
	return ret;
}

static void test_store_oom(void **state)
{
	(void)state;
	store_t *st = NULL;
	char err[256];
	rm_db();
	assert_int_equal(store_open(&st, path, true, 100, err, sizeof(err)), TS_OK);
	store_close(&st);
	ts_alloc_fail_at(0);
	assert_int_equal(one_transaction(), TS_OK);
	unsigned long total = ts_alloc_fail_at(0);
	assert_true(total > 10);
	unsigned long failures = 0;
	for (unsigned long n = 1; n <= total + 1; n++) {
		ts_alloc_fail_at(n);
		int ret = one_transaction();
		ts_alloc_fail_at(0);
		if (ret != TS_OK) {
			/* out of memory, nothing else; the file stays usable */
			assert_int_equal(ret, TS_ENOMEM);
			failures++;
		}
		assert_int_equal(one_transaction(), TS_OK);
	}
	assert_true(failures > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_requires_init),
		cmocka_unit_test(test_records_and_filters),
		cmocka_unit_test(test_store_oom),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
