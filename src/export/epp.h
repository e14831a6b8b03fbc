/* epp.h — EPP commands (RFC 5730 envelope, RFC 5731 domain mapping, RFC 3915
 * restore) for the registry's actions on domains, and the command that undoes
 * each one.
 *
 * The input is a plain description of one action (epp_action_t), independent
 * of where actions are stored. epp_command renders the command that performs
 * it (EPP_DO) or the one that returns the domain to the state recorded in the
 * description (EPP_UNDO). Every text is checked and XML-escaped; the client
 * transaction identifier is "<prefix>-<case>-<action>-do" or "...-undo", so
 * it is unique as long as action identifiers are. What each kind writes is in
 * docs/internals/export.md.
 *
 * block and reserve have no EPP command: they are registry-side lists
 * (reserved.h, rpz.h); epp_command refuses them with TS_EINPUT. Nothing here
 * prints except through ts_log. */
#ifndef TS_EXPORT_EPP_H
#define TS_EXPORT_EPP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"

typedef enum epp_kind {
	EPP_SUSPEND = 0,  /* add serverHold: the delegation leaves the zone */
	EPP_LOCK,         /* add serverUpdate/Delete/TransferProhibited */
	EPP_REDIRECT,     /* replace the name servers by sinkhole name servers */
	EPP_TRANSFER,     /* move the domain to a gaining registrar */
	EPP_DELETE,       /* delete the domain (undo: RGP restore) */
	EPP_REGISTER,     /* create a name for the registry (DGA names) */
	EPP_BLOCK,        /* no EPP command: the reserved list and the RPZ */
	EPP_RESERVE,      /* no EPP command: the reserved list */
	EPP_KIND_COUNT_   /* not a kind */
} epp_kind_t;

typedef enum epp_dir { EPP_DO = 0, EPP_UNDO = 1 } epp_dir_t;

/* Server statuses, as a bit mask (epp_action_t.prior_status). */
#define EPP_ST_HOLD                (1u << 0)  /* serverHold */
#define EPP_ST_UPDATE_PROHIBITED   (1u << 1)  /* serverUpdateProhibited */
#define EPP_ST_DELETE_PROHIBITED   (1u << 2)  /* serverDeleteProhibited */
#define EPP_ST_TRANSFER_PROHIBITED (1u << 3)  /* serverTransferProhibited */
#define EPP_ST_RENEW_PROHIBITED    (1u << 4)  /* serverRenewProhibited */
#define EPP_ST_ALL                 0x1fu

#define EPP_MAX_NS          13u    /* name servers in one list */
#define EPP_MAX_REASON      1000u  /* bytes of the status reason */
#define EPP_MAX_PREFIX      16u    /* characters of the clTRID prefix */
#define EPP_TRID_SIZE       65u    /* a clTRID (3 to 64 characters) and its NUL */
#define EPP_MAX_PERIOD      10u    /* years of a registration */
#define EPP_AUTHINFO_LEN    16u    /* characters of a generated authInfo */
#define EPP_MAX_AUTHINFO    64u    /* characters of a given authInfo */

#define EPP_DEFAULT_PREFIX      "tldsec"
#define EPP_DEFAULT_REGISTRANT  "registry-hold"  /* the registry's own contact */
#define EPP_DEFAULT_PERIOD      1u

/* One action. Every pointer is borrowed for the duration of a call. */
typedef struct epp_action {
	epp_kind_t kind;
	const char *domain;           /* the registered domain, "x.example" */
	uint64_t case_id;             /* the desk's case */
	uint64_t action_id;           /* the desk's action: makes the clTRID unique */
	const char *reason;           /* status text; NULL: "case <case_id>" */
	const char *trid_prefix;      /* [A-Za-z0-9._-]{1,16}; NULL: EPP_DEFAULT_PREFIX */
	unsigned prior_status;        /* EPP_ST_* the domain had before the action:
	                               * never added again, never removed by an undo */
	const char *const *ns;        /* redirect: the sinkhole name servers (1..13);
	                               * register: name servers to create with (0..13) */
	size_t nns;
	const char *const *prior_ns;  /* redirect: the name servers before (0..13) */
	size_t nprior_ns;
	const char *gaining_registrar;  /* transfer: the registrar that receives it */
	const char *prior_registrar;    /* transfer: the sponsor before (needed by the undo;
	                                 * the same as the gaining one: TS_ESTATE) */
	const char *registrant;       /* register: NULL: EPP_DEFAULT_REGISTRANT */
	unsigned period_years;        /* register: 0: EPP_DEFAULT_PERIOD */
	const char *auth_info;        /* register: NULL: EPP_AUTHINFO_LEN random characters */
} epp_action_t;

/* "suspend", "lock", ... (the desk's action names); "?" out of range. */
const char *epp_kind_name(epp_kind_t kind);
/* The kind named `s`; TS_EINPUT for other names. */
TS_WUR int epp_kind_parse(const char *s, epp_kind_t *out);
/* False for block and reserve, which have no EPP command. */
bool epp_kind_has_command(epp_kind_t kind);

/* Writes the client transaction identifier of the action's command. */
TS_WUR int epp_cltrid(const epp_action_t *a, epp_dir_t dir, char out[EPP_TRID_SIZE]);

/* Appends the <epp> document (with its XML declaration and a final newline)
 * to `out`. TS_EINPUT (logged) when the description is incomplete or a text
 * is invalid, or for a kind without a command; TS_ESTATE (logged) when the
 * command would change nothing (the statuses are all there already, the name
 * servers are the same); TS_ENOMEM, TS_ELIMIT from the buffer, TS_EIO when
 * random bytes for an authInfo cannot be read. On error `out` may hold a
 * partial document: reset it. */
TS_WUR int epp_command(const epp_action_t *a, epp_dir_t dir, dbuf_t *out);

/* epp_command into the file `path`, atomically (NULL or "-": stdout). */
TS_WUR int epp_write(const epp_action_t *a, epp_dir_t dir, const char *path);

#endif
