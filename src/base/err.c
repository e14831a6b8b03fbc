/* err.c — messages and exit codes of the project's error codes. */
#include "base/err.h"

const char *ts_strerror(int err)
{
	switch ((ts_err_t)err) {
	case TS_OK:        return "success";
	case TS_ENOMEM:    return "out of memory";
	case TS_EIO:       return "input/output error";
	case TS_EINPUT:    return "invalid input";
	case TS_ESYNTAX:   return "syntax error";
	case TS_ELIMIT:    return "limit exceeded";
	case TS_ENOTFOUND: return "not found";
	case TS_EUSAGE:    return "usage error";
	case TS_ECHECK:    return "check failed";
	case TS_ESTATE:    return "not allowed in the current state";
	case TS_EREFUSED:  return "refused by policy";
	case TS_EDENIED:   return "permission denied";
	case TS_EDB:       return "database error";
	case TS_EBUSY:     return "database busy";
	case TS_EINTERNAL: return "internal error";
	case TS_ERR_LAST_: break;
	}
	return "unknown error";
}

int ts_exit_code(int err)
{
	switch ((ts_err_t)err) {
	case TS_OK:
		return 0;
	case TS_EINPUT: case TS_ESYNTAX: case TS_ELIMIT: case TS_ENOTFOUND:
	case TS_ESTATE: case TS_EREFUSED: case TS_EDENIED:
		return 1;
	case TS_EUSAGE:
		return 2;
	case TS_ECHECK:
		return 3;
	default:
		return 4;
	}
}
