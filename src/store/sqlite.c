/* sqlite.c — the SQLite backend of the store: WAL journal, synchronous=FULL,
 * foreign keys, a busy timeout, schema versions in PRAGMA user_version with
 * forward migrations. SQLite allocates through ts_malloc, so out-of-memory
 * tests reach inside it. Statements run often are prepared once and kept. */
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "store/store_int.h"

/* ---- schema ---------------------------------------------------------- */

/* Migration i brings the schema from version i to i+1. Never edit a shipped
 * migration: append a new one. */
static const char *const migrations[] = {
	/* 0 → 1 */
	"CREATE TABLE reporters ("
	" id INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL,"
	" tier TEXT NOT NULL,"
	" jurisdiction TEXT,"
	" email TEXT,"
	" origin TEXT UNIQUE,"
	" verified INTEGER NOT NULL DEFAULT 0,"
	" disabled INTEGER NOT NULL DEFAULT 0,"
	" token_hash TEXT UNIQUE,"
	" created_at INTEGER NOT NULL);"
	"CREATE TABLE reports ("
	" id INTEGER PRIMARY KEY,"
	" reporter_id INTEGER REFERENCES reporters(id),"
	" tier TEXT NOT NULL,"
	" verified INTEGER NOT NULL,"
	" origin TEXT NOT NULL,"
	" received_at INTEGER NOT NULL,"
	" threat TEXT NOT NULL,"
	" flags TEXT NOT NULL,"
	" priority TEXT NOT NULL,"
	" urgent_claim INTEGER NOT NULL,"
	" confidential INTEGER NOT NULL,"
	" body TEXT NOT NULL,"
	" contact_name TEXT,"
	" contact_email TEXT,"
	" contact_org TEXT,"
	" contact_jurisdiction TEXT,"
	" scan_batch TEXT);"
	"CREATE TABLE cases ("
	" id INTEGER PRIMARY KEY,"
	" domain TEXT NOT NULL,"
	" threat TEXT NOT NULL,"
	" state TEXT NOT NULL,"
	" priority TEXT NOT NULL,"
	" prio_rank INTEGER NOT NULL,"
	" urgent_claim INTEGER NOT NULL,"
	" confidential INTEGER NOT NULL,"
	" registered INTEGER NOT NULL,"
	" purged INTEGER NOT NULL DEFAULT 0,"
	" received_at INTEGER NOT NULL,"
	" ack_due INTEGER NOT NULL,"
	" response_due INTEGER NOT NULL,"
	" next_due INTEGER,"
	" acked_at INTEGER,"
	" assessed_at INTEGER,"
	" closed_at INTEGER,"
	" validity TEXT, registration TEXT, responsible TEXT, note TEXT, outcome TEXT);"
	/* the running clocks: a partial index covering every column a listing
	 * reads, so `case list --overdue` reads this index only */
	"CREATE INDEX cases_next_due ON cases(next_due, prio_rank, urgent_claim, domain, threat, state,"
	" priority, confidential, registered, purged, received_at, ack_due, response_due)"
	" WHERE next_due IS NOT NULL;"
	"CREATE INDEX cases_open ON cases(domain, threat) WHERE state <> 'closed';"
	"CREATE INDEX cases_closed_at ON cases(closed_at) WHERE closed_at IS NOT NULL;"
	"CREATE TABLE case_reports ("
	" case_id INTEGER NOT NULL REFERENCES cases(id),"
	" report_id INTEGER NOT NULL REFERENCES reports(id),"
	" PRIMARY KEY (case_id, report_id)) WITHOUT ROWID;"
	"CREATE INDEX case_reports_report ON case_reports(report_id);"
	"CREATE TABLE actions ("
	" id INTEGER PRIMARY KEY,"
	" case_id INTEGER NOT NULL REFERENCES cases(id),"
	" kind TEXT NOT NULL,"
	" actor TEXT NOT NULL,"
	" created_at INTEGER NOT NULL,"
	" court_order TEXT, reason TEXT, sinkhole_ns TEXT, gaining_registrar TEXT,"
	" forced INTEGER NOT NULL,"
	" prior_case_state TEXT NOT NULL,"
	" prior_domain TEXT NOT NULL,"
	" undo_command TEXT NOT NULL,"
	" undone_at INTEGER,"
	" exported_at INTEGER);"
	"CREATE INDEX actions_case ON actions(case_id);"
	"CREATE TABLE domains ("
	" name TEXT PRIMARY KEY,"
	" statuses TEXT, sinkhole_ns TEXT, registrar TEXT,"
	" deleted INTEGER NOT NULL DEFAULT 0,"
	" blocked INTEGER NOT NULL DEFAULT 0,"
	" reserved INTEGER NOT NULL DEFAULT 0,"
	" registry_registered INTEGER NOT NULL DEFAULT 0,"
	" updated_at INTEGER) WITHOUT ROWID;"
	"CREATE TABLE outbox ("
	" id INTEGER PRIMARY KEY,"
	" case_id INTEGER NOT NULL REFERENCES cases(id),"
	" action_id INTEGER REFERENCES actions(id),"
	" reporter_id INTEGER REFERENCES reporters(id),"
	" report_id INTEGER REFERENCES reports(id),"
	" created_at INTEGER NOT NULL,"
	" exported_at INTEGER,"
	" kind TEXT NOT NULL, recipient TEXT NOT NULL,"
	" to_name TEXT, to_addr TEXT, subject TEXT NOT NULL, body TEXT NOT NULL, xarf TEXT);"
	"CREATE INDEX outbox_case ON outbox(case_id);"
	"CREATE TABLE audit ("
	" id INTEGER PRIMARY KEY,"
	" at INTEGER NOT NULL,"
	" case_id INTEGER,"
	" actor TEXT NOT NULL,"
	" kind TEXT NOT NULL,"
	" detail TEXT NOT NULL,"
	" prev_hash TEXT NOT NULL,"
	" hash TEXT NOT NULL);"
	"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
	" BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",
	/* 1 → 2: recorded scans, registration data, indexes of the statistics */
	"CREATE TABLE scans ("
	" id INTEGER PRIMARY KEY,"
	" at INTEGER NOT NULL,"
	" origin TEXT NOT NULL,"
	" feeds TEXT NOT NULL,"
	" records INTEGER NOT NULL, delegations INTEGER NOT NULL, ds_delegations INTEGER NOT NULL,"
	" findings INTEGER NOT NULL, domains INTEGER NOT NULL,"
	" single_ns INTEGER NOT NULL, in_bailiwick INTEGER NOT NULL, distinct_ns_hosts INTEGER NOT NULL,"
	" providers INTEGER NOT NULL, ns_provider_hhi REAL NOT NULL, top_providers TEXT);"
	"CREATE INDEX scans_at ON scans(at);"
	"CREATE TABLE registrations ("
	" domain TEXT PRIMARY KEY,"
	" registrar_id TEXT NOT NULL,"
	" created INTEGER) WITHOUT ROWID;"
	"CREATE TABLE registrars ("
	" id TEXT PRIMARY KEY,"
	" name TEXT NOT NULL,"
	" domains INTEGER NOT NULL) WITHOUT ROWID;"
	/* covers what the statistics read of a report */
	"CREATE INDEX reports_received ON reports(received_at, origin, tier);"
	"CREATE INDEX actions_created ON actions(created_at);",
	/* 2 → 3: who a token holder is (the daemon's roles) */
	"ALTER TABLE reporters ADD COLUMN role TEXT NOT NULL DEFAULT 'reporter';",
};
#define N_MIGRATIONS (sizeof(migrations) / sizeof(migrations[0]))

_Static_assert(N_MIGRATIONS == STORE_SCHEMA_VERSION, "one migration per schema version");

/* ---- statements kept prepared ----------------------------------------- */

/* what a listing reads (covered by cases_next_due for the running clocks) */
#define LIST_COLS "id, domain, threat, state, priority, prio_rank, urgent_claim, confidential," \
	" registered, purged, received_at, ack_due, response_due, next_due"
/* LIST_COLS first: row_case reads them with row_case_summary */
#define CASE_COLS LIST_COLS ", acked_at," \
	" assessed_at, closed_at, validity, registration, responsible, note, outcome"
#define REPORT_COLS "r.id, r.reporter_id, r.tier, r.verified, r.origin, r.received_at, r.threat," \
	" r.flags, r.priority, r.urgent_claim, r.confidential, r.body, r.contact_name," \
	" r.contact_email, r.contact_org, r.contact_jurisdiction, r.scan_batch"
#define REPORTER_COLS "id, name, tier, jurisdiction, email, origin, verified, disabled," \
	" token_hash IS NOT NULL, created_at, role, token_hash"
#define ACTION_COLS "a.id, a.case_id, a.kind, a.actor, a.created_at, a.court_order, a.reason," \
	" a.sinkhole_ns, a.gaining_registrar, a.forced, a.prior_case_state, a.prior_domain, a.undo_command," \
	" a.undone_at, c.domain, a.exported_at"
#define ACTION_FROM " FROM actions a JOIN cases c ON c.id = a.case_id"
#define MSG_COLS "id, case_id, action_id, reporter_id, report_id, created_at, exported_at," \
	" kind, recipient, to_name, to_addr, subject, body, xarf"

enum q {
	Q_BEGIN, Q_COMMIT, Q_ROLLBACK, Q_SAVEPOINT, Q_RELEASE, Q_ROLLBACK_TO,
	Q_REPORTER_ADD, Q_REPORTER_GET, Q_REPORTER_TOKEN, Q_REPORTER_ORIGIN, Q_REPORTER_LIST,
	Q_REPORTER_DISABLE,
	Q_REPORT_ADD, Q_REPORT_GET, Q_REPORT_BODY, Q_LINK, Q_REPORT_BATCH, Q_CASE_REPORTS,
	Q_REPORT_CASES,
	Q_CASE_ADD, Q_CASE_UPDATE, Q_CASE_GET, Q_CASE_OPEN,
	Q_ACTION_ADD, Q_ACTION_GET, Q_ACTION_UNDONE, Q_CASE_ACTIONS, Q_ACTION_LIST, Q_ACTION_LIST_PENDING,
	Q_ACTION_EXPORTED,
	Q_DOMAIN_GET, Q_DOMAIN_PUT, Q_DOMAIN_LIST,
	Q_MSG_ADD, Q_MSG_EXPORTED,
	Q_EVENT_ADD, Q_EVENT_LAST, Q_EVENT_LIST,
	Q_SCAN_ADD, Q_SCAN_LIST, Q_REG_PUT, Q_REGISTRAR_PUT, Q_REG_COUNTS, Q_REG_REGISTRAR,
	Q_COUNT_
};

static const char *const sql_text[Q_COUNT_] = {
	[Q_BEGIN] = "BEGIN IMMEDIATE",
	[Q_COMMIT] = "COMMIT",
	[Q_ROLLBACK] = "ROLLBACK",
	[Q_SAVEPOINT] = "SAVEPOINT one",
	[Q_RELEASE] = "RELEASE one",
	[Q_ROLLBACK_TO] = "ROLLBACK TO one",
	[Q_REPORTER_ADD] = "INSERT INTO reporters (name, tier, jurisdiction, email, origin, verified,"
	                   " disabled, token_hash, created_at, role) VALUES (?,?,?,?,?,?,?,?,?,?)",
	[Q_REPORTER_GET] = "SELECT " REPORTER_COLS " FROM reporters WHERE id = ?",
	[Q_REPORTER_TOKEN] = "SELECT " REPORTER_COLS " FROM reporters WHERE token_hash = ?",
	[Q_REPORTER_ORIGIN] = "SELECT " REPORTER_COLS " FROM reporters WHERE origin = ?",
	[Q_REPORTER_LIST] = "SELECT " REPORTER_COLS " FROM reporters ORDER BY id",
	[Q_REPORTER_DISABLE] = "UPDATE reporters SET disabled = 1 WHERE id = ?",
	[Q_REPORT_ADD] = "INSERT INTO reports (reporter_id, tier, verified, origin, received_at, threat,"
	                 " flags, priority, urgent_claim, confidential, body, contact_name, contact_email,"
	                 " contact_org, contact_jurisdiction, scan_batch)"
	                 " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	[Q_REPORT_GET] = "SELECT " REPORT_COLS " FROM reports r WHERE r.id = ?",
	[Q_REPORT_BODY] = "UPDATE reports SET body = ? WHERE id = ?",
	[Q_LINK] = "INSERT OR IGNORE INTO case_reports (case_id, report_id) VALUES (?,?)",
	[Q_REPORT_BATCH] = "SELECT r.id FROM case_reports cr JOIN reports r ON r.id = cr.report_id"
	                   " WHERE cr.case_id = ? AND r.scan_batch = ? ORDER BY r.id LIMIT 1",
	[Q_CASE_REPORTS] = "SELECT " REPORT_COLS " FROM case_reports cr JOIN reports r ON r.id = cr.report_id"
	                   " WHERE cr.case_id = ? ORDER BY r.id",
	[Q_REPORT_CASES] = "SELECT case_id FROM case_reports WHERE report_id = ? ORDER BY case_id",
	[Q_CASE_ADD] = "INSERT INTO cases (domain, threat, state, priority, prio_rank, urgent_claim,"
	               " confidential, registered, purged, received_at, ack_due, response_due, next_due,"
	               " acked_at, assessed_at, closed_at, validity, registration, responsible, note, outcome)"
	               " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	[Q_CASE_UPDATE] = "UPDATE cases SET state=?, priority=?, prio_rank=?, urgent_claim=?, confidential=?,"
	                  " registered=?, purged=?, received_at=?, ack_due=?, response_due=?, next_due=?,"
	                  " acked_at=?, assessed_at=?, closed_at=?, validity=?, registration=?, responsible=?,"
	                  " note=?, outcome=? WHERE id = ?",
	[Q_CASE_GET] = "SELECT " CASE_COLS " FROM cases WHERE id = ?",
	[Q_CASE_OPEN] = "SELECT " CASE_COLS " FROM cases WHERE domain = ? AND threat = ?"
	                " AND state <> 'closed' ORDER BY id LIMIT 1",
	[Q_ACTION_ADD] = "INSERT INTO actions (case_id, kind, actor, created_at, court_order, reason,"
	                 " sinkhole_ns, gaining_registrar, forced, prior_case_state, prior_domain,"
	                 " undo_command, undone_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
	[Q_ACTION_GET] = "SELECT " ACTION_COLS ACTION_FROM " WHERE a.id = ?",
	[Q_ACTION_UNDONE] = "UPDATE actions SET undone_at = ? WHERE id = ? AND undone_at IS NULL",
	[Q_CASE_ACTIONS] = "SELECT " ACTION_COLS ACTION_FROM " WHERE a.case_id = ? ORDER BY a.id",
	[Q_ACTION_LIST] = "SELECT " ACTION_COLS ACTION_FROM " ORDER BY a.id",
	[Q_ACTION_LIST_PENDING] = "SELECT " ACTION_COLS ACTION_FROM " WHERE a.exported_at IS NULL ORDER BY a.id",
	[Q_ACTION_EXPORTED] = "UPDATE actions SET exported_at = ? WHERE id = ?",
	[Q_DOMAIN_GET] = "SELECT name, statuses, sinkhole_ns, registrar, deleted, blocked, reserved,"
	                 " registry_registered, updated_at FROM domains WHERE name = ?",
	[Q_DOMAIN_LIST] = "SELECT name, statuses, sinkhole_ns, registrar, deleted, blocked, reserved,"
	                  " registry_registered, updated_at FROM domains ORDER BY name",
	[Q_DOMAIN_PUT] = "INSERT OR REPLACE INTO domains (name, statuses, sinkhole_ns, registrar, deleted,"
	                 " blocked, reserved, registry_registered, updated_at) VALUES (?,?,?,?,?,?,?,?,?)",
	[Q_MSG_ADD] = "INSERT INTO outbox (case_id, action_id, reporter_id, report_id, created_at,"
	              " exported_at, kind, recipient, to_name, to_addr, subject, body, xarf)"
	              " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
	[Q_MSG_EXPORTED] = "UPDATE outbox SET exported_at = ? WHERE id = ?",
	[Q_EVENT_ADD] = "INSERT INTO audit (at, case_id, actor, kind, detail, prev_hash, hash)"
	                " VALUES (?,?,?,?,?,?,?)",
	[Q_EVENT_LAST] = "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1",
	[Q_EVENT_LIST] = "SELECT id, at, case_id, actor, kind, detail, prev_hash, hash FROM audit ORDER BY id",
	[Q_SCAN_ADD] = "INSERT INTO scans (at, origin, feeds, records, delegations, ds_delegations, findings,"
	               " domains, single_ns, in_bailiwick, distinct_ns_hosts, providers, ns_provider_hhi,"
	               " top_providers) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	[Q_SCAN_LIST] = "SELECT id, at, origin, feeds, records, delegations, ds_delegations, findings, domains,"
	                " single_ns, in_bailiwick, distinct_ns_hosts, providers, ns_provider_hhi, top_providers"
	                " FROM scans WHERE at >= ? AND at < ? ORDER BY at, id",
	[Q_REG_PUT] = "INSERT OR REPLACE INTO registrations (domain, registrar_id, created) VALUES (?,?,?)",
	[Q_REGISTRAR_PUT] = "INSERT OR IGNORE INTO registrars (id, name, domains) VALUES (?,?,0)",
	[Q_REG_COUNTS] = "SELECT coalesce(sum(domains), 0), count(*) FROM registrars",
	[Q_REG_REGISTRAR] = "SELECT registrar_id FROM registrations WHERE domain = ?",
};

typedef struct sq {
	struct store base;
	sqlite3 *db;
	sqlite3_stmt *stmt[Q_COUNT_];
	bool batch;                /* inside store_batch_begin: begin/commit are a savepoint */
} sq_t;

static sq_t *SQ(store_t *st)
{
	return (sq_t *)st;
}

/* ---- SQLite's memory through ts_malloc -------------------------------- */

/* Each block carries its size in an 8-byte header, as xSize needs it. */
static void *mem_malloc(int n)
{
	uint64_t *p = ts_malloc((size_t)n + 8);
	if (p == NULL)
		return NULL;
	p[0] = (uint64_t)n;
	return p + 1;
}

static void mem_free(void *p)
{
	if (p != NULL)
		ts_free((uint64_t *)p - 1);
}

static void *mem_realloc(void *p, int n)
{
	uint64_t *b = ts_realloc((uint64_t *)p - 1, (size_t)n + 8);
	if (b == NULL)
		return NULL;
	b[0] = (uint64_t)n;
	return b + 1;
}

static int mem_size(void *p)
{
	return p != NULL ? (int)((uint64_t *)p)[-1] : 0;
}

static int mem_roundup(int n)
{
	return (n + 7) & ~7;
}

static int mem_init(void *u)
{
	(void)u;
	return SQLITE_OK;
}

static void mem_shutdown(void *u)
{
	(void)u;
}

static pthread_once_t mem_once = PTHREAD_ONCE_INIT;

static void mem_setup(void)
{
	static const sqlite3_mem_methods m = {
		mem_malloc, mem_free, mem_realloc, mem_size, mem_roundup, mem_init, mem_shutdown, NULL
	};
	/* Fails harmlessly (SQLITE_MISUSE) when SQLite was initialised first. */
	(void)sqlite3_config(SQLITE_CONFIG_MALLOC, &m);
	/* no allocation statistics: they take a global mutex on every allocation */
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* ---- helpers ---------------------------------------------------------- */

static int map_rc(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK: case SQLITE_ROW: case SQLITE_DONE:
		return TS_OK;
	case SQLITE_BUSY: case SQLITE_LOCKED:
		return TS_EBUSY;
	case SQLITE_NOMEM:
		return TS_ENOMEM;
	case SQLITE_IOERR: case SQLITE_FULL: case SQLITE_CANTOPEN: case SQLITE_READONLY:
		return TS_EIO;
	case SQLITE_NOTADB: case SQLITE_CORRUPT:
		return TS_EINPUT;
	default:
		return TS_EDB;
	}
}

static int fail(sq_t *s, int rc)
{
	const char *msg = s->db != NULL ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc);
	snprintf(s->base.err, sizeof(s->base.err), "%s", msg);
	return map_rc(rc);
}

static int prep(sq_t *s, enum q q, sqlite3_stmt **out)
{
	if (s->stmt[q] == NULL) {
		int rc = sqlite3_prepare_v3(s->db, sql_text[q], -1, SQLITE_PREPARE_PERSISTENT, &s->stmt[q], NULL);
		if (rc != SQLITE_OK) {
			s->stmt[q] = NULL;
			return fail(s, rc);
		}
	}
	*out = s->stmt[q];
	return TS_OK;
}

static void done(sqlite3_stmt *q)
{
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
}

static int bind_text(sqlite3_stmt *q, int i, const char *v)
{
	return v != NULL ? sqlite3_bind_text(q, i, v, -1, SQLITE_STATIC) : sqlite3_bind_null(q, i);
}

static int bind_time(sqlite3_stmt *q, int i, int64_t v)
{
	return v != 0 ? sqlite3_bind_int64(q, i, v) : sqlite3_bind_null(q, i);
}

static int bind_id(sqlite3_stmt *q, int i, int64_t v)
{
	return bind_time(q, i, v);
}

/* A column's text: borrowed (a == NULL) or copied into the arena. NULL for
 * SQL NULL; *oom set when the copy failed. */
static const char *col_text(sqlite3_stmt *q, int i, arena_t *a, bool *oom)
{
	if (sqlite3_column_type(q, i) == SQLITE_NULL)
		return NULL;
	const char *t = (const char *)sqlite3_column_text(q, i);
	if (t == NULL) {
		*oom = true;
		return NULL;
	}
	if (a == NULL)
		return t;
	char *c = arena_strndup(a, t, (size_t)sqlite3_column_bytes(q, i));
	if (c == NULL)
		*oom = true;
	return c;
}

static int64_t col_i64(sqlite3_stmt *q, int i)
{
	return sqlite3_column_int64(q, i);
}

/* Runs a statement with no result rows. */
static int run(sq_t *s, sqlite3_stmt *q)
{
	int rc = sqlite3_step(q);
	int ret = rc == SQLITE_DONE ? TS_OK : fail(s, rc);
	done(q);
	return ret;
}

static int run_insert(sq_t *s, sqlite3_stmt *q, int64_t *id)
{
	int ret = run(s, q);
	if (ret == TS_OK && id != NULL)
		*id = sqlite3_last_insert_rowid(s->db);
	return ret;
}

static int exec_sql(sq_t *s, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		snprintf(s->base.err, sizeof(s->base.err), "%s", msg != NULL ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return map_rc(rc);
	}
	return TS_OK;
}

static int get_int_pragma(sq_t *s, const char *sql, int *out)
{
	sqlite3_stmt *q = NULL;
	int rc = sqlite3_prepare_v2(s->db, sql, -1, &q, NULL);
	if (rc != SQLITE_OK)
		return fail(s, rc);
	rc = sqlite3_step(q);
	int ret = TS_OK;
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int(q, 0);
	else
		ret = fail(s, rc);
	sqlite3_finalize(q);
	return ret;
}

/* ---- open, close, transactions --------------------------------------- */

static void sq_close(store_t *st)
{
	sq_t *s = SQ(st);
	for (int i = 0; i < Q_COUNT_; i++)
		sqlite3_finalize(s->stmt[i]);
	sqlite3_close_v2(s->db);
	ts_free(s);
}

static void sq_rollback(store_t *st);

/* Steps a statement prepared at open (needs no memory). */
static int step_kept(sq_t *s, enum q which)
{
	sqlite3_stmt *q = NULL;
	int ret = prep(s, which, &q);
	return ret != TS_OK ? ret : run(s, q);
}

static int sq_begin(store_t *st)
{
	sq_t *s = SQ(st);
	if (s->batch) {
		if (sqlite3_get_autocommit(s->db)) {
			snprintf(s->base.err, sizeof(s->base.err), "the batch's transaction was rolled back");
			return TS_EDB;
		}
		return step_kept(s, Q_SAVEPOINT);
	}
	if (!sqlite3_get_autocommit(s->db)) {
		/* a rollback that failed for want of memory: finish it first */
		sq_rollback(st);
		if (!sqlite3_get_autocommit(s->db)) {
			snprintf(s->base.err, sizeof(s->base.err), "an earlier transaction could not be rolled back");
			return TS_EDB;
		}
	}
	return step_kept(s, Q_BEGIN);
}

static int sq_commit(store_t *st)
{
	sq_t *s = SQ(st);
	if (s->batch) {
		if (sqlite3_get_autocommit(s->db)) {
			snprintf(s->base.err, sizeof(s->base.err), "the batch's transaction was rolled back");
			return TS_EDB;
		}
		return step_kept(s, Q_RELEASE);
	}
	return step_kept(s, Q_COMMIT);
}

static void sq_rollback_all(sq_t *s)
{
	if (sqlite3_get_autocommit(s->db))
		return; /* SQLite already rolled back (after an I/O error or OOM) */
	/* the statement was prepared at open: rolling back after running out of
	 * memory must not need memory */
	if (s->stmt[Q_ROLLBACK] != NULL) {
		sqlite3_step(s->stmt[Q_ROLLBACK]);
		sqlite3_reset(s->stmt[Q_ROLLBACK]);
	}
	if (!sqlite3_get_autocommit(s->db))
		(void)exec_sql(s, "ROLLBACK");
}

static void sq_rollback(store_t *st)
{
	sq_t *s = SQ(st);
	if (!s->batch) {
		sq_rollback_all(s);
		return;
	}
	if (sqlite3_get_autocommit(s->db))
		return; /* the whole batch is gone; batch_commit will say so */
	/* undo this call's work, keep the batch's: ROLLBACK TO leaves the savepoint open */
	int rc = SQLITE_ERROR;
	if (s->stmt[Q_ROLLBACK_TO] != NULL) {
		rc = sqlite3_step(s->stmt[Q_ROLLBACK_TO]);
		sqlite3_reset(s->stmt[Q_ROLLBACK_TO]);
	}
	if (rc == SQLITE_DONE && s->stmt[Q_RELEASE] != NULL) {
		rc = sqlite3_step(s->stmt[Q_RELEASE]);
		sqlite3_reset(s->stmt[Q_RELEASE]);
	}
	if (rc != SQLITE_DONE) /* cannot undo this call alone: the batch fails */
		sq_rollback_all(s);
}

static int sq_batch_begin(store_t *st)
{
	sq_t *s = SQ(st);
	if (s->batch) {
		snprintf(s->base.err, sizeof(s->base.err), "a batch is already open");
		return TS_EINTERNAL;
	}
	int ret = sq_begin(st);
	if (ret == TS_OK)
		s->batch = true;
	return ret;
}

static int sq_batch_end(store_t *st, bool commit)
{
	sq_t *s = SQ(st);
	s->batch = false;
	if (commit && sqlite3_get_autocommit(s->db)) {
		snprintf(s->base.err, sizeof(s->base.err), "the batch's transaction was rolled back");
		return TS_EDB;
	}
	if (commit) {
		int ret = step_kept(s, Q_COMMIT);
		if (ret != TS_OK)
			sq_rollback_all(s);
		return ret;
	}
	sq_rollback_all(s);
	return TS_OK;
}

static int migrate(sq_t *s, bool create)
{
	int v = 0;
	int ret = get_int_pragma(s, "PRAGMA user_version", &v);
	if (ret != TS_OK)
		return ret;
	if (v == 0 && !create) {
		snprintf(s->base.err, sizeof(s->base.err), "not a tldsec database (no schema): run 'tldsec init'");
		return TS_ENOTFOUND;
	}
	if (v > (int)N_MIGRATIONS) {
		snprintf(s->base.err, sizeof(s->base.err),
		         "the database has schema version %d, newer than this tldsec knows (%d)", v,
		         (int)N_MIGRATIONS);
		return TS_EINPUT;
	}
	for (; v < (int)N_MIGRATIONS; v++) {
		char pragma[64];
		if ((ret = exec_sql(s, "BEGIN IMMEDIATE")) != TS_OK)
			return ret;
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", v + 1);
		if ((ret = exec_sql(s, migrations[v])) != TS_OK || (ret = exec_sql(s, pragma)) != TS_OK ||
		    (ret = exec_sql(s, "COMMIT")) != TS_OK) {
			char keep[STORE_ERR_TEXT];
			memcpy(keep, s->base.err, sizeof(keep));
			sq_rollback(&s->base);
			snprintf(s->base.err, sizeof(s->base.err), "migration to schema %d failed: %s", v + 1, keep);
			return ret;
		}
	}
	s->base.version = v;
	return TS_OK;
}

static const store_ops_t sqlite_ops;

int store_sqlite_open(store_t **st, const char *path, bool create, unsigned busy_ms,
                      char *err, size_t errlen)
{
	*st = NULL;
	pthread_once(&mem_once, mem_setup);
	sq_t *s = ts_calloc(1, sizeof(*s));
	if (s == NULL)
		return TS_ENOMEM;
	s->base.ops = &sqlite_ops;
	/* a connection is used by one thread at a time (the daemon's database
	 * thread, or a command's only thread): no per-call connection mutex */
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
	int rc = sqlite3_open_v2(path, &s->db, flags, NULL);
	int ret;
	if (rc != SQLITE_OK) {
		ret = (rc & 0xff) == SQLITE_CANTOPEN && !create ? TS_ENOTFOUND : fail(s, rc);
		if (ret == TS_ENOTFOUND)
			snprintf(s->base.err, sizeof(s->base.err), "no database: run 'tldsec init'");
		else if (ret == TS_EIO)
			snprintf(s->base.err, sizeof(s->base.err), "cannot open: %s", sqlite3_errstr(rc));
		goto out;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, (int)busy_ms);
	int mode_ok = 0;
	if ((ret = exec_sql(s, "PRAGMA foreign_keys = ON")) != TS_OK ||
	    (ret = exec_sql(s, "PRAGMA journal_mode = WAL")) != TS_OK ||
	    (ret = exec_sql(s, "PRAGMA synchronous = FULL")) != TS_OK ||
	    (ret = get_int_pragma(s, "PRAGMA foreign_keys", &mode_ok)) != TS_OK)
		goto out;
	if (mode_ok != 1) {
		snprintf(s->base.err, sizeof(s->base.err), "foreign keys could not be enabled");
		ret = TS_EDB;
		goto out;
	}
	ret = migrate(s, create);
	sqlite3_stmt *q = NULL;
	if (ret == TS_OK)
		ret = prep(s, Q_ROLLBACK, &q);
	if (ret == TS_OK)
		ret = prep(s, Q_BEGIN, &q);
	if (ret == TS_OK)
		ret = prep(s, Q_COMMIT, &q);
	if (ret == TS_OK)
		ret = prep(s, Q_SAVEPOINT, &q);
	if (ret == TS_OK)
		ret = prep(s, Q_RELEASE, &q);
	if (ret == TS_OK)
		ret = prep(s, Q_ROLLBACK_TO, &q);
out:
	if (ret != TS_OK) {
		if (errlen > 0)
			snprintf(err, errlen, "%s", s->base.err[0] != '\0' ? s->base.err : ts_strerror(ret));
		sq_close(&s->base);
		return ret;
	}
	*st = &s->base;
	return TS_OK;
}

/* ---- row readers ------------------------------------------------------ */

static int row_reporter(sqlite3_stmt *q, arena_t *a, store_reporter_t *r)
{
	bool oom = false;
	r->id = col_i64(q, 0);
	r->name = col_text(q, 1, a, &oom);
	r->tier = col_text(q, 2, a, &oom);
	r->jurisdiction = col_text(q, 3, a, &oom);
	r->email = col_text(q, 4, a, &oom);
	r->origin = col_text(q, 5, a, &oom);
	r->verified = col_i64(q, 6) != 0;
	r->disabled = col_i64(q, 7) != 0;
	r->has_token = col_i64(q, 8) != 0;
	r->created_at = col_i64(q, 9);
	r->role = col_text(q, 10, a, &oom);
	r->token_hash = col_text(q, 11, a, &oom);
	return oom ? TS_ENOMEM : TS_OK;
}

static int row_report(sqlite3_stmt *q, arena_t *a, store_report_t *r)
{
	bool oom = false;
	r->id = col_i64(q, 0);
	r->reporter_id = col_i64(q, 1);
	r->tier = col_text(q, 2, a, &oom);
	r->verified = col_i64(q, 3) != 0;
	r->origin = col_text(q, 4, a, &oom);
	r->received_at = col_i64(q, 5);
	r->threat = col_text(q, 6, a, &oom);
	r->flags = col_text(q, 7, a, &oom);
	r->priority = col_text(q, 8, a, &oom);
	r->urgent_claim = col_i64(q, 9) != 0;
	r->confidential = col_i64(q, 10) != 0;
	r->body = col_text(q, 11, a, &oom);
	r->contact_name = col_text(q, 12, a, &oom);
	r->contact_email = col_text(q, 13, a, &oom);
	r->contact_org = col_text(q, 14, a, &oom);
	r->contact_jurisdiction = col_text(q, 15, a, &oom);
	r->scan_batch = col_text(q, 16, a, &oom);
	return oom ? TS_ENOMEM : TS_OK;
}

/* The columns of LIST_COLS; the others are left empty. */
static int row_case_summary(sqlite3_stmt *q, arena_t *a, store_case_t *c)
{
	bool oom = false;
	memset(c, 0, sizeof(*c));
	c->id = col_i64(q, 0);
	c->domain = col_text(q, 1, a, &oom);
	c->threat = col_text(q, 2, a, &oom);
	c->state = col_text(q, 3, a, &oom);
	c->priority = col_text(q, 4, a, &oom);
	c->prio_rank = (int)col_i64(q, 5);
	c->urgent_claim = col_i64(q, 6) != 0;
	c->confidential = col_i64(q, 7) != 0;
	c->registered = col_i64(q, 8) != 0;
	c->purged = col_i64(q, 9) != 0;
	c->received_at = col_i64(q, 10);
	c->ack_due = col_i64(q, 11);
	c->response_due = col_i64(q, 12);
	c->next_due = col_i64(q, 13);
	return oom ? TS_ENOMEM : TS_OK;
}

static int row_case(sqlite3_stmt *q, arena_t *a, store_case_t *c)
{
	bool oom = row_case_summary(q, a, c) != TS_OK;
	c->acked_at = col_i64(q, 14);
	c->assessed_at = col_i64(q, 15);
	c->closed_at = col_i64(q, 16);
	c->validity = col_text(q, 17, a, &oom);
	c->registration = col_text(q, 18, a, &oom);
	c->responsible = col_text(q, 19, a, &oom);
	c->note = col_text(q, 20, a, &oom);
	c->outcome = col_text(q, 21, a, &oom);
	return oom ? TS_ENOMEM : TS_OK;
}

static int row_action(sqlite3_stmt *q, arena_t *a, store_action_t *x)
{
	bool oom = false;
	x->id = col_i64(q, 0);
	x->case_id = col_i64(q, 1);
	x->kind = col_text(q, 2, a, &oom);
	x->actor = col_text(q, 3, a, &oom);
	x->created_at = col_i64(q, 4);
	x->court_order = col_text(q, 5, a, &oom);
	x->reason = col_text(q, 6, a, &oom);
	x->sinkhole_ns = col_text(q, 7, a, &oom);
	x->gaining_registrar = col_text(q, 8, a, &oom);
	x->forced = col_i64(q, 9) != 0;
	x->prior_case_state = col_text(q, 10, a, &oom);
	x->prior_domain = col_text(q, 11, a, &oom);
	x->undo_command = col_text(q, 12, a, &oom);
	x->undone_at = col_i64(q, 13);
	x->domain = col_text(q, 14, a, &oom);
	x->exported_at = col_i64(q, 15);
	return oom ? TS_ENOMEM : TS_OK;
}

static int row_msg(sqlite3_stmt *q, arena_t *a, store_msg_t *m)
{
	bool oom = false;
	m->id = col_i64(q, 0);
	m->case_id = col_i64(q, 1);
	m->action_id = col_i64(q, 2);
	m->reporter_id = col_i64(q, 3);
	m->report_id = col_i64(q, 4);
	m->created_at = col_i64(q, 5);
	m->exported_at = col_i64(q, 6);
	m->kind = col_text(q, 7, a, &oom);
	m->recipient = col_text(q, 8, a, &oom);
	m->to_name = col_text(q, 9, a, &oom);
	m->to_addr = col_text(q, 10, a, &oom);
	m->subject = col_text(q, 11, a, &oom);
	m->body = col_text(q, 12, a, &oom);
	m->xarf = col_text(q, 13, a, &oom);
	return oom ? TS_ENOMEM : TS_OK;
}

static int row_event(sqlite3_stmt *q, arena_t *a, store_event_t *e)
{
	bool oom = false;
	e->id = col_i64(q, 0);
	e->at = col_i64(q, 1);
	e->case_id = col_i64(q, 2);
	e->actor = col_text(q, 3, a, &oom);
	e->kind = col_text(q, 4, a, &oom);
	e->detail = col_text(q, 5, a, &oom);
	e->prev_hash = col_text(q, 6, a, &oom);
	e->hash = col_text(q, 7, a, &oom);
	if (!oom && (e->actor == NULL || e->kind == NULL || e->detail == NULL || e->prev_hash == NULL ||
	             e->hash == NULL)) {
		/* NOT NULL columns: a NULL here means the file was edited. */
		if (e->actor == NULL) e->actor = "";
		if (e->kind == NULL) e->kind = "";
		if (e->detail == NULL) e->detail = "";
		if (e->prev_hash == NULL) e->prev_hash = "";
		if (e->hash == NULL) e->hash = "";
	}
	return oom ? TS_ENOMEM : TS_OK;
}

typedef int (*row_fn)(sqlite3_stmt *q, arena_t *a, void *out);

/* Steps a bound statement expecting at most one row. */
static int get_one(sq_t *s, sqlite3_stmt *q, arena_t *a, void *out, row_fn fn)
{
	int rc = sqlite3_step(q);
	int ret;
	if (rc == SQLITE_ROW)
		ret = fn(q, a, out);
	else if (rc == SQLITE_DONE)
		ret = TS_ENOTFOUND;
	else
		ret = fail(s, rc);
	done(q);
	return ret;
}

/* Steps a bound statement, calling cb with a borrowed record per row; a
 * non-zero return of cb stops and is returned. */
static int each(sq_t *s, sqlite3_stmt *q, void *rec, row_fn fn, int (*cb)(void *, const void *),
                void *user)
{
	int ret = TS_OK;
	for (;;) {
		int rc = sqlite3_step(q);
		if (rc == SQLITE_DONE)
			break;
		if (rc != SQLITE_ROW) {
			ret = fail(s, rc);
			break;
		}
		if ((ret = fn(q, NULL, rec)) != TS_OK || (ret = cb(user, rec)) != TS_OK)
			break;
	}
	done(q);
	return ret;
}

#define ROW(fn) ((row_fn)(void (*)(void))(fn))
#define CB(fn) ((int (*)(void *, const void *))(void (*)(void))(fn))

/* Reads the one row of `which` for integer parameter `id`. */
static int get_id(sq_t *s, enum q which, int64_t id, arena_t *a, void *out, row_fn fn)
{
	sqlite3_stmt *q = NULL;
	int ret = prep(s, which, &q);
	if (ret != TS_OK)
		return ret;
	sqlite3_bind_int64(q, 1, id);
	return get_one(s, q, a, out, fn);
}

/* Calls cb for every row of `which` (no parameters). */
static int each_q(sq_t *s, enum q which, void *rec, row_fn fn, int (*cb)(void *, const void *), void *user)
{
	sqlite3_stmt *q = NULL;
	int ret = prep(s, which, &q);
	return ret != TS_OK ? ret : each(s, q, rec, fn, cb, user);
}

/* Calls cb for every row of `which` for integer parameter `id`. */
static int each_id(sq_t *s, enum q which, int64_t id, void *rec, row_fn fn, int (*cb)(void *, const void *),
                   void *user)
{
	sqlite3_stmt *q = NULL;
	int ret = prep(s, which, &q);
	if (ret != TS_OK)
		return ret;
	sqlite3_bind_int64(q, 1, id);
	return each(s, q, rec, fn, cb, user);
}

/* Runs `which` with its n integer parameters v; with `one`, a run that
 * changed no row (or several) is TS_ENOTFOUND. */
static int run_ints(sq_t *s, enum q which, const int64_t *v, int n, bool one)
{
	sqlite3_stmt *q = NULL;
	int ret = prep(s, which, &q);
	if (ret != TS_OK)
		return ret;
	for (int i = 0; i < n; i++)
		sqlite3_bind_int64(q, i + 1, v[i]);
	if ((ret = run(s, q)) != TS_OK || !one)
		return ret;
	return sqlite3_changes(s->db) == 1 ? TS_OK : TS_ENOTFOUND;
}

/* ---- reporters -------------------------------------------------------- */

static int sq_reporter_add(store_t *st, const store_reporter_t *r, const char *token_hash, int64_t *id)
{
	sq_t *s = SQ(st);
	sqlite3_stmt *q = NULL;
	int ret = prep(s, Q_REPORTER_ADD, &q);
	if (ret != TS_OK)
		return ret;
	bind_text(q, 1, r->name);
	bind_text(q, 2, r->tier);
	bind_text(q, 3, r->jurisdiction);
	bind_text(q, 4, r->email);
	bind_text(q, 5, r->origin);
	sqlite3_bind_int(q, 6, r->verified);
	sqlite3_bind_int(q, 7, r->disabled);
	bind_text(q, 8, token_hash);
	sqlite3_bind_int64(q, 9, r->created_at);
	bind_text(q, 10, r->role != NULL ? r->role : "reporter");
	return run_insert(s, q, id);
}

static int reporter_by(sq_t *s, enum q which, int64_t id, const char *text, arena_t *a,
                       store_reporter_t *out)
{
	sqlite3_stmt *q = NULL;
	int ret = prep(s, which, &q);
	if (ret != TS_OK)
		return ret;
	if (text != NULL)
		bind_text(q, 1, text);
	else
		sqlite3_bind_int64(q, 1, id);
	return get_one(s, q, a, out, ROW(row_reporter));
}

static int sq_reporter_get(store_t *st, int64_t id, arena_t *a, store_reporter_t *out)
{
	return reporter_by(SQ(st), Q_REPORTER_GET, id, NULL, a, out);
}

static int sq_reporter_by_token(store_t *st, const char *token_hash, arena_t *a, store_reporter_t *out)
{
	return reporter_by(SQ(st), Q_REPORTER_TOKEN, 0, token_hash, a, out);
}

static int sq_reporter_by_origin(store_t *st, const char *origin, arena_t *a, store_reporter_t *out)
{
	return reporter_by(SQ(st), Q_REPORTER_ORIGIN, 0, origin, a, out);
}

static int sq_reporter_list(store_t *st, store_reporter_cb cb, void *user)
{
	store_reporter_t r;
	return each_q(SQ(st), Q_REPORTER_LIST, &r, ROW(row_reporter), CB(cb), user);
}

static int sq_reporter_disable(store_t *st, int64_t id)
{
	return run_ints(SQ(st), Q_REPORTER_DISABLE, (int64_t[]){id}, 1, true);
}

/* ---- reports ---------------------------------------------------------- */

static int sq_report_add(store_t *st, const store_report_t *r, int64_t *id)
{
	sq_t *s = SQ(st);
	sqlite3_stmt *q = NULL;
	int ret = prep(s, Q_REPORT_ADD, &q);
	if (ret != TS_OK)
		return ret;
	bind_id(q, 1, r->reporter_id);
	bind_text(q, 2, r->tier);
	sqlite3_bind_int(q, 3, r->verified);
	bind_text(q, 4, r->origin);
	sqlite3_bind_int64(q, 5, r->received_at);
	bind_text(q, 6, r->threat);
	bind_text(q, 7, r->flags != NULL ? r->flags : "");
	bind_text(q, 8, r->priority);
	sqlite3_bind_int(q, 9, r->urgent_claim);
	sqlite3_bind_int(q, 10, r->confidential);
	bind_text(q, 11, r->body != NULL ? r->body : "{}");
	bind_text(q, 12, r->contact_name);
	bind_text(q, 13, r->contact_email);
	bind_text(q, 14, r->contact_org);
	bind_text(q, 15, r->contact_jurisdiction);
	bind_text(q, 16, r->scan_batch);
	return run_insert(s, q, id);
}

static int sq_report_get(store_t *st, int64_t id, arena_t *a, store_report_t *out)
{
	return get_id(SQ(st), Q_REPORT_GET, id, a, out, ROW(row_report));
}

static int sq_report_set_body(store_t *st, int64_t id, const char *body)
{
	sq_t *s = SQ(st);
	sqlite3_stmt *q = NULL;
	int ret = prep(s, Q_REPORT_BODY, &q);
	if (ret != TS_OK)
		return ret;
	bind_text(q, 1, body);
	sqlite3_bind_int64(q, 2, id);
	return run(s, q);
}

static int sq_case_link(store_t *st, int64_t case_id, int64_t report_id)
{
	return run_ints(SQ(st), Q_LINK, (int64_t[]){case_id, report_id}, 2, false);
}

static int sq_report_in_batch(store_t *st, int64_t case_id, const char *batch, int64_t *report_id)
{
	sq_t *s = SQ(st);
	sqlite3_stmt *q = NULL;
	int ret = prep(s, Q_REPORT_BATCH, &q);
	if (ret != TS_OK)
		return ret;
	sqlite3_bind_int64(q, 1, case_id);
	bind_text(q, 2, batch);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		*report_id = col_i64(q, 0);
	ret = rc == SQLITE_ROW ? TS_OK : rc == SQLITE_DONE ? TS_ENOTFOUND : fail(s, rc);
	done(q);
	return ret;
}

static int sq_case_reports(store_t *st, int64_t case_id, store_report_cb cb, void *user)
{
	store_report_t r;
	return each_id(SQ(st), Q_CASE_REPORTS, case_id, &r, ROW(row_report), CB(cb), user);
}

static int sq_report_cases(store_t *st, int64_t report_id, int64_t *ids, size_t cap, size_t *n)
{
	sq_t *s = SQ(st);
	sqlite3_stmt *q = NULL;
	int ret = prep(s, Q_REPORT_CASES, &q);
	*n = 0;
	if (ret != TS_OK)
		return ret;
	sqlite3_bind_int64(q, 1, report_id);
	for (;;) {
		int rc = sqlite3_step(q);
		if (rc == SQLITE_DONE)
			break;
		if (rc != SQLITE_ROW) {
			ret = fail(s, rc);
			break;
		}
		if (*n < cap)
			ids[*n] = col_i64(q, 0);
		(*n)++;
	}
	done(q);
	return ret;
}

/* ---- cases ------------------------------------------------------------ */

/* Binds the fields from `state` on, in the order of Q_CASE_UPDATE, from
 * parameter `i`. */
static int bind_case_fields(sqlite3_stmt *q, int i, const store_case_t *c)
{
	bind_text(q, i++, c->state);
	bind_text(q, i++, c->priority);
	sqlite3_bind_int(q, i++, c->prio_rank);
	sqlite3_bind_int(q, i++, c->urgent_claim);
	sqlite3_bind_int(q, i++, c->confidential);
	sqlite3_bind_int(q, i++, c->registered);
	sqlite3_bind_int(q, i++, c->purged);
	sqlite3_bind_int64(q, i++, c->received_at);
	sqlite3_bind_int64(q, i++, c->ack_due);
	sqlite3_bind_int64(q, i++, c->response_due);
	bind_time(q, i++, c->next_due);
	bind_time(q, i++, c->acked_at);
	bind_time(q, i++, c->assessed_at);
	bind_time(q, i++, c->closed_at);
	bind_text(q, i++, c->validity);
	bind_text(q, i++, c->registration);
	bind_text(q, i++, c->responsible);
	bind_text(q, i++, c->note);
	bind_text(q, i++, c->outcome);
	return i;
}

static int sq_case_add(store_t *st, const store_case_t *c, int64_t *id)
{
	sq_t *s = SQ(st);
	sqlite3_stmt *q = NULL;
	int ret = prep(s, Q_CASE_ADD, &q);
	if (ret != TS_OK)
		return ret;
	bind_text(q, 1, c->domain);
	bind_text(q, 2, c->threat);
	bind_case_fields(q, 3, c);
	return run_insert(s, q, id);
}

static int sq_case_update(store_t *st, const store_case_t *c)
{
	sq_t *s = SQ(st);
	sqlite3_stmt *q = NULL;
	int ret = prep(s, Q_CASE_UPDATE, &q);
	if (ret != TS_OK)
		return ret;
	int i = bind_case_fields(q, 1, c);
	sqlite3_bind_int64(q, i, c->id);
	if ((ret = run(s, q)) != TS_OK)
		return ret;
	return sqlite3_changes(s->db) == 1 ? TS_OK : TS_ENOTFOUND;
}

static int sq_case_get(store_t *st, int64_t id, arena_t *a, store_case_t *out)
{
	return get_id(SQ(st), Q_CASE_GET, id, a, out, ROW(row_case));
}

static int sq_case_find_open(store_t *st, const char *domain, const char *threat, arena_t *a,
                             store_case_t *out)
{
	sq_t *s = SQ(st);
	sqlite3_stmt *q = NULL;
	int ret = prep(s, Q_CASE_OPEN, &q);
	if (ret != TS_OK)
		return ret;
	bind_text(q, 1, domain);
	bind_text(q, 2, threat);
	return get_one(s, q, a, out, ROW(row_case));
}

/* Builds the WHERE clause of a case filter; binds with bind_filter. */
static void filter_sql(char *buf, size_t cap, const char *head, const store_case_filter_t *f,
                       const char *tail)
{
	snprintf(buf, cap, "%s WHERE 1%s%s%s%s %s", head,
	         f->overdue ? " AND next_due IS NOT NULL AND next_due < :now" : "",
	         f->state != NULL ? " AND state = :state" : "",
	         f->priority != NULL ? " AND priority = :prio" : "",
	         f->domain != NULL ? " AND domain = :domain" : "", tail);
}

static void bind_filter(sqlite3_stmt *q, const store_case_filter_t *f)
{
	if (f->overdue)
		sqlite3_bind_int64(q, sqlite3_bind_parameter_index(q, ":now"), f->now);
	if (f->state != NULL)
		bind_text(q, sqlite3_bind_parameter_index(q, ":state"), f->state);
	if (f->priority != NULL)
		bind_text(q, sqlite3_bind_parameter_index(q, ":prio"), f->priority);
	if (f->domain != NULL)
		bind_text(q, sqlite3_bind_parameter_index(q, ":domain"), f->domain);
}

static int sq_case_list(store_t *st, const store_case_filter_t *f, store_case_cb cb, void *user)
{
	sq_t *s = SQ(st);
	char sql[1024];
	sqlite3_stmt *q = NULL;
	store_case_t c;
	filter_sql(sql, sizeof(sql), "SELECT " LIST_COLS " FROM cases", f,
	           "ORDER BY prio_rank, urgent_claim DESC, next_due IS NULL, next_due, id");
	int rc = sqlite3_prepare_v2(s->db, sql, -1, &q, NULL);
	if (rc != SQLITE_OK)
		return fail(s, rc);
	bind_filter(q, f);
	int ret = each(s, q, &c, ROW(row_case_summary), CB(cb), user);
	sqlite3_finalize(q);
	return ret;
}

static int sq_case_count(store_t *st, const store_case_filter_t *f, uint64_t *n)
{
	sq_t *s = SQ(st);
	char sql[1024];
	sqlite3_stmt *q = NULL;
	filter_sql(sql, sizeof(sql), "SELECT count(*) FROM cases", f, "");
	int rc = sqlite3_prepare_v2(s->db, sql, -1, &q, NULL);
	if (rc != SQLITE_OK)
		return fail(s, rc);
	bind_filter(q, f);
	rc = sqlite3_step(q);
	int ret = rc == SQLITE_ROW ? TS_OK : fail(s, rc);
	if (ret == TS_OK)
		*n = (uint64_t)col_i64(q, 0);
	sqlite3_finalize(q);
	return ret;
}

/* ---- actions and domains --------------------------------------------- */

static int sq_action_add(store_t *st, const store_action_t *a, int64_t *id)
{
	sq_t *s = SQ(st);
	sqlite3_stmt *q = NULL;
	int ret = prep(s, Q_ACTION_ADD, &q);
	if (ret != TS_OK)
		return ret;
	sqlite3_bind_int64(q, 1, a->case_id);
	bind_text(q, 2, a->kind);
	bind_text(q, 3, a->actor);
	sqlite3_bind_int64(q, 4, a->created_at);
	bind_text(q, 5, a->court_order);
	bind_text(q, 6, a->reason);
	bind_text(q, 7, a->sinkhole_ns);
	bind_text(q, 8, a->gaining_registrar);
	sqlite3_bind_int(q, 9, a->forced);
	bind_text(q, 10, a->prior_case_state);
	bind_text(q, 11, a->prior_domain);
	bind_text(q, 12, a->undo_command);
	bind_time(q, 13, a->undone_at);
	return run_insert(s, q, id);
}

static int sq_action_get(store_t *st, int64_t id, arena_t *a, store_action_t *out)
{
	return get_id(SQ(st), Q_ACTION_GET, id, a, out, ROW(row_action));
}

static int sq_action_set_undone(store_t *st, int64_t id, int64_t at)
{
	return run_ints(SQ(st), Q_ACTION_UNDONE, (int64_t[]){at, id}, 2, true);
}

static int sq_case_actions(store_t *st, int64_t case_id, store_action_cb cb, void *user)
{
	store_action_t a;
	return each_id(SQ(st), Q_CASE_ACTIONS, case_id, &a, ROW(row_action), CB(cb), user);
}

static int sq_action_list(store_t *st, bool pending_only, store_action_cb cb, void *user)
{
	store_action_t a;
	enum q which = pending_only ? Q_ACTION_LIST_PENDING : Q_ACTION_LIST;
	return each_q(SQ(st), which, &a, ROW(row_action), CB(cb), user);
}

static int sq_action_set_exported(store_t *st, int64_t id, int64_t at)
{
	return run_ints(SQ(st), Q_ACTION_EXPORTED, (int64_t[]){at, id}, 2, true);
}

static int row_domain(sqlite3_stmt *q, arena_t *a, store_domain_t *d)
{
	bool oom = false;
	d->name = col_text(q, 0, a, &oom);
	d->statuses = col_text(q, 1, a, &oom);
	d->sinkhole_ns = col_text(q, 2, a, &oom);
	d->registrar = col_text(q, 3, a, &oom);
	d->deleted = col_i64(q, 4) != 0;
	d->blocked = col_i64(q, 5) != 0;
	d->reserved = col_i64(q, 6) != 0;
	d->registry_registered = col_i64(q, 7) != 0;
	d->updated_at = col_i64(q, 8);
	return oom ? TS_ENOMEM : TS_OK;
}

static int sq_domain_get(store_t *st, const char *name, arena_t *a, store_domain_t *out)
{
	sq_t *s = SQ(st);
	sqlite3_stmt *q = NULL;
	int ret = prep(s, Q_DOMAIN_GET, &q);
	if (ret != TS_OK)
		return ret;
	bind_text(q, 1, name);
	ret = get_one(s, q, a, out, ROW(row_domain));
	if (ret == TS_ENOTFOUND) {
		memset(out, 0, sizeof(*out));
		out->name = arena_strdup(a, name);
		ret = out->name != NULL ? TS_OK : TS_ENOMEM;
	}
	return ret;
}

static int sq_domain_list(store_t *st, store_domain_cb cb, void *user)
{
	store_domain_t d;
	return each_q(SQ(st), Q_DOMAIN_LIST, &d, ROW(row_domain), CB(cb), user);
}

static int sq_domain_put(store_t *st, const store_domain_t *d)
{
	sq_t *s = SQ(st);
	sqlite3_stmt *q = NULL;
	int ret = prep(s, Q_DOMAIN_PUT, &q);
	if (ret != TS_OK)
		return ret;
	bind_text(q, 1, d->name);
	bind_text(q, 2, d->statuses);
	bind_text(q, 3, d->sinkhole_ns);
	bind_text(q, 4, d->registrar);
	sqlite3_bind_int(q, 5, d->deleted);
	sqlite3_bind_int(q, 6, d->blocked);
	sqlite3_bind_int(q, 7, d->reserved);
	sqlite3_bind_int(q, 8, d->registry_registered);
	bind_time(q, 9, d->updated_at);
	return run(s, q);
}

/* ---- outbox ----------------------------------------------------------- */

static int sq_msg_add(store_t *st, const store_msg_t *m, int64_t *id)
{
	sq_t *s = SQ(st);
	sqlite3_stmt *q = NULL;
	int ret = prep(s, Q_MSG_ADD, &q);
	if (ret != TS_OK)
		return ret;
	sqlite3_bind_int64(q, 1, m->case_id);
	bind_id(q, 2, m->action_id);
	bind_id(q, 3, m->reporter_id);
	bind_id(q, 4, m->report_id);
	sqlite3_bind_int64(q, 5, m->created_at);
	bind_time(q, 6, m->exported_at);
	bind_text(q, 7, m->kind);
	bind_text(q, 8, m->recipient);
	bind_text(q, 9, m->to_name);
	bind_text(q, 10, m->to_addr);
	bind_text(q, 11, m->subject);
	bind_text(q, 12, m->body);
	bind_text(q, 13, m->xarf);
	return run_insert(s, q, id);
}

static int sq_msg_list(store_t *st, int64_t case_id, bool pending_only, store_msg_cb cb, void *user)
{
	sq_t *s = SQ(st);
	char sql[512];
	sqlite3_stmt *q = NULL;
	store_msg_t m;
	snprintf(sql, sizeof(sql), "SELECT " MSG_COLS " FROM outbox WHERE 1%s%s ORDER BY id",
	         case_id != 0 ? " AND case_id = :case" : "", pending_only ? " AND exported_at IS NULL" : "");
	int rc = sqlite3_prepare_v2(s->db, sql, -1, &q, NULL);
	if (rc != SQLITE_OK)
		return fail(s, rc);
	if (case_id != 0)
		sqlite3_bind_int64(q, 1, case_id);
	int ret = each(s, q, &m, ROW(row_msg), CB(cb), user);
	sqlite3_finalize(q);
	return ret;
}

static int sq_msg_set_exported(store_t *st, int64_t id, int64_t at)
{
	return run_ints(SQ(st), Q_MSG_EXPORTED, (int64_t[]){at, id}, 2, false);
}

/* ---- audit ------------------------------------------------------------ */

static int sq_event_add(store_t *st, const store_event_t *e, int64_t *id)
{
	sq_t *s = SQ(st);
	sqlite3_stmt *q = NULL;
	int ret = prep(s, Q_EVENT_ADD, &q);
	if (ret != TS_OK)
		return ret;
	sqlite3_bind_int64(q, 1, e->at);
	bind_id(q, 2, e->case_id);
	bind_text(q, 3, e->actor);
	bind_text(q, 4, e->kind);
	bind_text(q, 5, e->detail);
	bind_text(q, 6, e->prev_hash);
	bind_text(q, 7, e->hash);
	return run_insert(s, q, id);
}

static int sq_event_last(store_t *st, int64_t *id, char hash[STORE_HASH_HEX])
{
	sq_t *s = SQ(st);
	sqlite3_stmt *q = NULL;
	int ret = prep(s, Q_EVENT_LAST, &q);
	*id = 0;
	hash[0] = '\0';
	if (ret != TS_OK)
		return ret;
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		*id = col_i64(q, 0);
		const char *h = (const char *)sqlite3_column_text(q, 1);
		snprintf(hash, STORE_HASH_HEX, "%s", h != NULL ? h : "");
	} else if (rc != SQLITE_DONE) {
		ret = fail(s, rc);
	}
	done(q);
	return ret;
}

static int sq_event_list(store_t *st, store_event_cb cb, void *user)
{
	store_event_t e;
	return each_q(SQ(st), Q_EVENT_LIST, &e, ROW(row_event), CB(cb), user);
}

/* ---- privacy ---------------------------------------------------------- */

static int sq_purge_personal(store_t *st, int64_t closed_before, const char *redacted_body,
                             store_purge_counts_t *n)
{
	sq_t *s = SQ(st);
	/* no temporary table: DDL inside the transaction would make a rollback
	 * need memory (to reload the schema) */
#define PURGEABLE(c) c ".state = 'closed' AND " c ".purged = 0 AND " c ".closed_at IS NOT NULL AND " \
	c ".closed_at < :before"
	static const char *const steps[] = {
		/* reports that belong only to cases being purged (or purged before) */
		"UPDATE reports SET body = :body, contact_name = NULL, contact_email = NULL,"
		" contact_org = NULL, contact_jurisdiction = NULL"
		" WHERE id IN (SELECT cr.report_id FROM case_reports cr JOIN cases c ON c.id = cr.case_id"
		"  WHERE " PURGEABLE("c") ")"
		" AND NOT EXISTS (SELECT 1 FROM case_reports cr JOIN cases c ON c.id = cr.case_id"
		"  WHERE cr.report_id = reports.id AND c.purged = 0 AND NOT (" PURGEABLE("c") "))",
		"UPDATE outbox SET to_name = NULL, to_addr = NULL, body = '[personal data purged]',"
		" xarf = NULL WHERE case_id IN (SELECT c.id FROM cases c WHERE " PURGEABLE("c") ")",
		"UPDATE cases SET purged = 1, note = NULL WHERE " PURGEABLE("cases"),
		/* feed reporters and reporters with a live token stay; contacts of
		 * disabled reporters whose every report is purged go */
		"UPDATE reporters SET email = NULL, jurisdiction = NULL WHERE disabled = 1 AND email IS NOT NULL"
		" AND NOT EXISTS (SELECT 1 FROM reports r JOIN case_reports cr ON cr.report_id = r.id"
		"  JOIN cases c ON c.id = cr.case_id WHERE r.reporter_id = reporters.id AND c.purged = 0)",
	};
#undef PURGEABLE
	uint64_t *counts[] = { &n->reports, &n->messages, &n->cases, &n->reporters };
	memset(n, 0, sizeof(*n));
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		sqlite3_stmt *q = NULL;
		int rc = sqlite3_prepare_v2(s->db, steps[i], -1, &q, NULL);
		if (rc != SQLITE_OK)
			return fail(s, rc);
		int k = sqlite3_bind_parameter_index(q, ":before");
		if (k > 0)
			sqlite3_bind_int64(q, k, closed_before);
		k = sqlite3_bind_parameter_index(q, ":body");
		if (k > 0)
			bind_text(q, k, redacted_body);
		rc = sqlite3_step(q);
		sqlite3_finalize(q);
		if (rc != SQLITE_DONE)
			return fail(s, rc);
		if (counts[i] != NULL)
			*counts[i] = (uint64_t)sqlite3_changes(s->db);
	}
	return TS_OK;
}

/* ---- recorded scans, registration data, statistics ------------------- */

static int sq_scan_add(store_t *st, const store_scan_t *x, int64_t *id)
{
	sq_t *s = SQ(st);
	sqlite3_stmt *q = NULL;
	int ret = prep(s, Q_SCAN_ADD, &q);
	if (ret != TS_OK)
		return ret;
	sqlite3_bind_int64(q, 1, x->at);
	bind_text(q, 2, x->origin);
	bind_text(q, 3, x->feeds);
	const uint64_t v[] = { x->records, x->delegations, x->ds_delegations, x->findings, x->domains,
		               x->single_ns, x->in_bailiwick, x->distinct_ns_hosts, x->providers };
	for (int i = 0; i < (int)(sizeof(v) / sizeof(v[0])); i++)
		sqlite3_bind_int64(q, 4 + i, (sqlite3_int64)v[i]);
	sqlite3_bind_double(q, 13, x->ns_provider_hhi);
	bind_text(q, 14, x->top_providers);
	return run_insert(s, q, id);
}

static int row_scan(sqlite3_stmt *q, arena_t *a, store_scan_t *x)
{
	bool oom = false;
	x->id = col_i64(q, 0);
	x->at = col_i64(q, 1);
	x->origin = col_text(q, 2, a, &oom);
	x->feeds = col_text(q, 3, a, &oom);
	uint64_t *v[] = { &x->records, &x->delegations, &x->ds_delegations, &x->findings, &x->domains,
		          &x->single_ns, &x->in_bailiwick, &x->distinct_ns_hosts, &x->providers };
	for (int i = 0; i < (int)(sizeof(v) / sizeof(v[0])); i++)
		*v[i] = (uint64_t)col_i64(q, 4 + i);
	x->ns_provider_hhi = sqlite3_column_double(q, 13);
	x->top_providers = col_text(q, 14, a, &oom);
	return oom ? TS_ENOMEM : TS_OK;
}

static int sq_scan_list(store_t *st, int64_t from, int64_t to, store_scan_cb cb, void *user)
{
	sq_t *s = SQ(st);
	sqlite3_stmt *q = NULL;
	store_scan_t x;
	int ret = prep(s, Q_SCAN_LIST, &q);
	if (ret != TS_OK)
		return ret;
	sqlite3_bind_int64(q, 1, from);
	sqlite3_bind_int64(q, 2, to);
	return each(s, q, &x, ROW(row_scan), CB(cb), user);
}

static int sq_reg_clear(store_t *st)
{
	sq_t *s = SQ(st);
	int ret = exec_sql(s, "DELETE FROM registrations");
	return ret != TS_OK ? ret : exec_sql(s, "DELETE FROM registrars");
}

static int sq_reg_put(store_t *st, const store_registration_t *r)
{
	sq_t *s = SQ(st);
	sqlite3_stmt *q = NULL;
	int ret = prep(s, Q_REG_PUT, &q);
	if (ret != TS_OK)
		return ret;
	bind_text(q, 1, r->domain);
	bind_text(q, 2, r->registrar_id);
	bind_time(q, 3, r->created);
	if ((ret = run(s, q)) != TS_OK || (ret = prep(s, Q_REGISTRAR_PUT, &q)) != TS_OK)
		return ret;
	bind_text(q, 1, r->registrar_id);
	bind_text(q, 2, r->registrar_name);
	return run(s, q);
}

static int sq_reg_counts(store_t *st, uint64_t *domains, uint64_t *registrars)
{
	sq_t *s = SQ(st);
	sqlite3_stmt *q = NULL;
	int ret = prep(s, Q_REG_COUNTS, &q);
	if (ret != TS_OK)
		return ret;
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		*domains = (uint64_t)col_i64(q, 0);
		*registrars = (uint64_t)col_i64(q, 1);
	} else {
		ret = fail(s, rc);
	}
	done(q);
	return ret;
}

static int sq_reg_registrar(store_t *st, const char *domain, arena_t *a, const char **registrar_id)
{
	sq_t *s = SQ(st);
	sqlite3_stmt *q = NULL;
	bool oom = false;
	int ret = prep(s, Q_REG_REGISTRAR, &q);
	if (ret != TS_OK)
		return ret;
	bind_text(q, 1, domain);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		*registrar_id = col_text(q, 0, a, &oom);
		ret = oom ? TS_ENOMEM : TS_OK;
	} else {
		ret = rc == SQLITE_DONE ? TS_ENOTFOUND : fail(s, rc);
	}
	done(q);
	return ret;
}

static int sq_reg_summarise(store_t *st, uint64_t *domains, uint64_t *registrars)
{
	sq_t *s = SQ(st);
	int ret = exec_sql(s, "UPDATE registrars SET domains = g.n FROM"
	                      " (SELECT registrar_id, count(*) AS n FROM registrations GROUP BY registrar_id) AS g"
	                      " WHERE g.registrar_id = registrars.id");
	if (ret == TS_OK)
		ret = exec_sql(s, "DELETE FROM registrars WHERE domains = 0");
	return ret != TS_OK ? ret : sq_reg_counts(st, domains, registrars);
}

/* Prepares a one-off statement and binds ?1 = from, ?2 = to. */
static int prep_range(sq_t *s, const char *sql, int64_t from, int64_t to, sqlite3_stmt **q)
{
	int rc = sqlite3_prepare_v2(s->db, sql, -1, q, NULL);
	if (rc != SQLITE_OK)
		return fail(s, rc);
	sqlite3_bind_int64(*q, 1, from);
	sqlite3_bind_int64(*q, 2, to);
	return TS_OK;
}

/* Every row of `sql` for the range [from, to) ?1 ?2, read by fn into rec
 * and handed to cb. */
static int each_range(sq_t *s, const char *sql, int64_t from, int64_t to, void *rec, row_fn fn,
                      int (*cb)(void *, const void *), void *user)
{
	sqlite3_stmt *q = NULL;
	int ret = prep_range(s, sql, from, to, &q);
	if (ret != TS_OK)
		return ret;
	ret = each(s, q, rec, fn, cb, user);
	sqlite3_finalize(q);
	return ret;
}

static int row_stats_case(sqlite3_stmt *q, arena_t *a, store_stats_case_t *c)
{
	bool oom = false;
	c->threat = col_text(q, 0, a, &oom);
	c->priority = col_text(q, 1, a, &oom);
	c->received_at = col_i64(q, 2);
	c->ack_due = col_i64(q, 3);
	c->response_due = col_i64(q, 4);
	c->acked_at = col_i64(q, 5);
	c->assessed_at = col_i64(q, 6);
	c->closed_at = col_i64(q, 7);
	return oom ? TS_ENOMEM : TS_OK;
}

static int sq_stats_cases(store_t *st, int64_t from, int64_t to, store_stats_case_cb cb, void *user)
{
	store_stats_case_t c;
	return each_range(SQ(st), "SELECT threat, priority, received_at, ack_due, response_due, acked_at,"
	                  " assessed_at, closed_at FROM cases"
	                  " WHERE received_at < ?2 AND (closed_at IS NULL OR closed_at >= ?1)",
	                  from, to, &c, ROW(row_stats_case), CB(cb), user);
}

/* The (origin, tier) groups of the links, counted here: a handful of groups
 * over up to millions of rows, so a linear search beats SQLite's sorter. */
typedef struct origin_group {
	char *origin;
	char *tier;
	uint64_t n;
} origin_group_t;

#define MAX_ORIGIN_GROUPS 4096

static int origin_count(origin_group_t **g, size_t *n, size_t *cap, const char *origin, const char *tier)
{
	for (size_t i = 0; i < *n; i++) {
		if (strcmp((*g)[i].origin, origin) == 0 && strcmp((*g)[i].tier, tier) == 0) {
			(*g)[i].n++;
			return TS_OK;
		}
	}
	if (*n == MAX_ORIGIN_GROUPS)
		return TS_ELIMIT;
	if (*n == *cap) {
		size_t c = *cap != 0 ? *cap * 2 : 16;
		origin_group_t *v = ts_realloc(*g, c * sizeof(*v));
		if (v == NULL)
			return TS_ENOMEM;
		*g = v;
		*cap = c;
	}
	origin_group_t *x = &(*g)[*n];
	x->origin = ts_malloc(strlen(origin) + 1);
	x->tier = ts_malloc(strlen(tier) + 1);
	if (x->origin == NULL || x->tier == NULL) {
		ts_free(x->origin);
		ts_free(x->tier);
		return TS_ENOMEM;
	}
	memcpy(x->origin, origin, strlen(origin) + 1);
	memcpy(x->tier, tier, strlen(tier) + 1);
	x->n = 1;
	(*n)++;
	return TS_OK;
}

static int sq_stats_origins(store_t *st, int64_t from, int64_t to, store_stats_origin_cb cb, void *user)
{
	sq_t *s = SQ(st);
	sqlite3_stmt *q = NULL;
	origin_group_t *g = NULL;
	size_t n = 0, cap = 0;
	int ret = prep_range(s, "SELECT r.origin, r.tier FROM reports r"
	                        " JOIN case_reports cr ON cr.report_id = r.id"
	                        " WHERE r.received_at >= ?1 AND r.received_at < ?2", from, to, &q);
	if (ret != TS_OK)
		return ret;
	for (;;) {
		int rc = sqlite3_step(q);
		if (rc == SQLITE_DONE)
			break;
		if (rc != SQLITE_ROW) {
			ret = fail(s, rc);
			break;
		}
		const char *o = (const char *)sqlite3_column_text(q, 0);
		const char *t = (const char *)sqlite3_column_text(q, 1);
		if (o == NULL || t == NULL) {
			ret = TS_ENOMEM;
			break;
		}
		if ((ret = origin_count(&g, &n, &cap, o, t)) != TS_OK)
			break;
	}
	sqlite3_finalize(q);
	for (size_t i = 0; i < n; i++) {
		store_stats_origin_t x = { .origin = g[i].origin, .tier = g[i].tier, .n = g[i].n };
		if (ret == TS_OK)
			ret = cb(user, &x);
		ts_free(g[i].origin);
		ts_free(g[i].tier);
	}
	ts_free(g);
	return ret;
}

static int row_stats_action(sqlite3_stmt *q, arena_t *a, store_action_t *x)
{
	bool oom = false;
	memset(x, 0, sizeof(*x));
	x->id = col_i64(q, 0);
	x->case_id = col_i64(q, 1);
	x->kind = col_text(q, 2, a, &oom);
	x->created_at = col_i64(q, 3);
	x->undone_at = col_i64(q, 4);
	return oom ? TS_ENOMEM : TS_OK;
}

static int sq_stats_actions(store_t *st, int64_t from, int64_t to, store_action_cb cb, void *user)
{
	store_action_t x;
	return each_range(SQ(st), "SELECT id, case_id, kind, created_at, undone_at FROM actions"
	                  " WHERE created_at >= ?1 AND created_at < ?2 ORDER BY id",
	                  from, to, &x, ROW(row_stats_action), CB(cb), user);
}

static int row_stats_registrar(sqlite3_stmt *q, arena_t *a, store_stats_registrar_t *r)
{
	bool oom = false;
	r->id = col_text(q, 0, a, &oom);
	r->name = col_text(q, 1, a, &oom);
	r->domains = (uint64_t)col_i64(q, 2);
	return oom ? TS_ENOMEM : TS_OK;
}

static int sq_stats_registrars(store_t *st, store_stats_registrar_cb cb, void *user)
{
	sq_t *s = SQ(st);
	sqlite3_stmt *q = NULL;
	store_stats_registrar_t r;
	int rc = sqlite3_prepare_v2(s->db, "SELECT id, name, domains FROM registrars ORDER BY id", -1, &q, NULL);
	if (rc != SQLITE_OK)
		return fail(s, rc);
	int ret = each(s, q, &r, ROW(row_stats_registrar), CB(cb), user);
	sqlite3_finalize(q);
	return ret;
}

static int row_stats_reg_hit(sqlite3_stmt *q, arena_t *a, store_stats_reg_hit_t *h)
{
	bool oom = false;
	h->registrar_id = col_text(q, 0, a, &oom);
	h->created = col_i64(q, 1);
	h->received_at = col_i64(q, 2);
	return oom ? TS_ENOMEM : TS_OK;
}

/* No GROUP BY: the caller counts (a sort of every hit costs more than
 * a binary search per hit among a few hundred registrars). */
static int sq_stats_reg_hits(store_t *st, int64_t from, int64_t to, store_stats_reg_hit_cb cb, void *user)
{
	store_stats_reg_hit_t h;
	return each_range(SQ(st), "SELECT r.registrar_id, r.created, c.received_at"
	                  " FROM cases c JOIN registrations r ON r.domain = c.domain"
	                  " WHERE c.received_at >= ?1 AND c.received_at < ?2",
	                  from, to, &h, ROW(row_stats_reg_hit), CB(cb), user);
}

static const store_ops_t sqlite_ops = {
	.close = sq_close,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.batch_begin = sq_batch_begin,
	.batch_end = sq_batch_end,
	.reporter_add = sq_reporter_add,
	.reporter_get = sq_reporter_get,
	.reporter_by_token = sq_reporter_by_token,
	.reporter_by_origin = sq_reporter_by_origin,
	.reporter_list = sq_reporter_list,
	.reporter_disable = sq_reporter_disable,
	.report_add = sq_report_add,
	.report_get = sq_report_get,
	.report_set_body = sq_report_set_body,
	.case_link = sq_case_link,
	.report_in_batch = sq_report_in_batch,
	.case_reports = sq_case_reports,
	.report_cases = sq_report_cases,
	.case_add = sq_case_add,
	.case_update = sq_case_update,
	.case_get = sq_case_get,
	.case_find_open = sq_case_find_open,
	.case_list = sq_case_list,
	.case_count = sq_case_count,
	.action_add = sq_action_add,
	.action_get = sq_action_get,
	.action_set_undone = sq_action_set_undone,
	.case_actions = sq_case_actions,
	.action_list = sq_action_list,
	.action_set_exported = sq_action_set_exported,
	.domain_get = sq_domain_get,
	.domain_put = sq_domain_put,
	.domain_list = sq_domain_list,
	.msg_add = sq_msg_add,
	.msg_list = sq_msg_list,
	.msg_set_exported = sq_msg_set_exported,
	.event_add = sq_event_add,
	.event_last = sq_event_last,
	.event_list = sq_event_list,
	.purge_personal = sq_purge_personal,
	.scan_add = sq_scan_add,
	.scan_list = sq_scan_list,
	.reg_clear = sq_reg_clear,
	.reg_put = sq_reg_put,
	.reg_summarise = sq_reg_summarise,
	.reg_counts = sq_reg_counts,
	.reg_registrar = sq_reg_registrar,
	.stats_cases = sq_stats_cases,
	.stats_origins = sq_stats_origins,
	.stats_actions = sq_stats_actions,
	.stats_registrars = sq_stats_registrars,
	.stats_reg_hits = sq_stats_reg_hits,
};
