/* err.h — the project's error codes and the exit codes they map to. */
#ifndef TS_ERR_H
#define TS_ERR_H

#define TS_WUR __attribute__((warn_unused_result))

/* Every fallible function returns one of these; data comes back through
 * out-parameters. Codes are spaced negatives so they never collide with a
 * count or an errno value. */
typedef enum ts_err {
	TS_OK = 0,
	TS_ENOMEM = -1000,  /* an allocation failed */
	TS_EIO,             /* reading or writing a file or socket failed */
	TS_EINPUT,          /* the input or the data is wrong */
	TS_ESYNTAX,         /* a parser met malformed text */
	TS_ELIMIT,          /* a hard cap was exceeded (line length, depth, count) */
	TS_ENOTFOUND,       /* a named object does not exist */
	TS_EUSAGE,          /* the command line is wrong */
	TS_ECHECK,          /* a check failed on purpose */
	TS_ESTATE,          /* the operation is not allowed in the object's state */
	TS_EREFUSED,        /* policy refuses the operation */
	TS_EDENIED,         /* the caller lacks the right */
	TS_EDB,             /* the database failed */
	TS_EBUSY,           /* the database stayed locked past the timeout */
	TS_EINTERNAL,       /* a bug or an environment fault */
	TS_ERR_LAST_        /* not a code: one past the last */
} ts_err_t;

/* A short static message for a code; never NULL. */
const char *ts_strerror(int err);

/* The process exit code for an error (product.md: 0, 1 input, 2 usage,
 * 3 check, 4 internal or environment). */
int ts_exit_code(int err);

#endif
