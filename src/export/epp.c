/* epp.c — EPP command documents for the registry's actions and their undo. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "base/afile.h"
#include "base/log.h"
#include "export/epp.h"
#include "export/names.h"

#define EPP_DOC_MAX (64u * 1024u)   /* one command document */

static const char *const kind_names[EPP_KIND_COUNT_] = {
	"suspend", "lock", "redirect", "transfer", "delete", "register", "block", "reserve",
};

/* The server statuses in the order they are written. */
static const struct { unsigned bit; const char *name; } statuses[] = {
	{ EPP_ST_HOLD, "serverHold" },
	{ EPP_ST_UPDATE_PROHIBITED, "serverUpdateProhibited" },
	{ EPP_ST_DELETE_PROHIBITED, "serverDeleteProhibited" },
	{ EPP_ST_TRANSFER_PROHIBITED, "serverTransferProhibited" },
	{ EPP_ST_RENEW_PROHIBITED, "serverRenewProhibited" },
};

#define LOCK_STATUSES (EPP_ST_UPDATE_PROHIBITED | EPP_ST_DELETE_PROHIBITED | EPP_ST_TRANSFER_PROHIBITED)

const char *epp_kind_name(epp_kind_t kind)
{
	if ((unsigned)kind >= EPP_KIND_COUNT_)
		return "?";
	return kind_names[kind];
}

int epp_kind_parse(const char *s, epp_kind_t *out)
{
	for (unsigned k = 0; k < EPP_KIND_COUNT_; k++) {
		if (s != NULL && strcmp(s, kind_names[k]) == 0) {
			*out = (epp_kind_t)k;
			return TS_OK;
		}
	}
	return TS_EINPUT;
}

bool epp_kind_has_command(epp_kind_t kind)
{
	return kind < EPP_BLOCK;
}

/* ---- text checks and escaping ---- */

static bool prefix_ok(const char *p)
{
	size_t n = strlen(p);
	if (n == 0 || n > EPP_MAX_PREFIX)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return false;
	}
	return true;
}

/* A client identifier (RFC 5730 clIDType: a token of 3 to 16 characters)
 * limited to characters that are safe in an XML comment. */
static bool clid_ok(const char *p)
{
	if (p == NULL)
		return false;
	size_t n = strlen(p);
	if (n < 3 || n > 16 || p[n - 1] == '-')
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return false;
		if (c == '-' && p[i + 1] == '-')
			return false;
	}
	return true;
}

/* Length of the UTF-8 sequence at s[0..n), 0 when it is not valid UTF-8
 * (overlong forms, surrogates and values above U+10FFFF are invalid). */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len;
	uint32_t cp;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) { len = 2; cp = c & 0x1fu; }
	else if (c >= 0xe0 && c <= 0xef) { len = 3; cp = c & 0x0fu; }
	else if (c >= 0xf0 && c <= 0xf4) { len = 4; cp = c & 0x07u; }
	else return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0u) != 0x80u)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3fu);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	/* U+FFFE and U+FFFF are not XML characters */
	if (cp == 0xfffe || cp == 0xffff)
		return 0;
	return len;
}

/* Appends `s` as XML character data or attribute text: the five markup
 * characters as entities, tab, CR and LF as a space (the element types are
 * normalizedString), other control characters and invalid UTF-8 refused. */
static int xml_text(dbuf_t *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		unsigned char c = p[i];
		int ret;
		switch (c) {
		case '&': ret = dbuf_adds(b, "&amp;"); break;
		case '<': ret = dbuf_adds(b, "&lt;"); break;
		case '>': ret = dbuf_adds(b, "&gt;"); break;
		case '"': ret = dbuf_adds(b, "&quot;"); break;
		case '\'': ret = dbuf_adds(b, "&apos;"); break;
		case '\t': case '\n': case '\r': ret = dbuf_addc(b, ' '); break;
		default:
			if (c < 0x20 || c == 0x7f)
				return TS_EINPUT;
			if (c < 0x80) {
				ret = dbuf_addc(b, (char)c);
			} else {
				size_t len = utf8_seq(p + i, n - i);
				if (len == 0)
					return TS_EINPUT;
				ret = dbuf_add(b, p + i, len);
				if (ret != TS_OK)
					return ret;
				i += len;
				continue;
			}
		}
		if (ret != TS_OK)
			return ret;
		i++;
	}
	return TS_OK;
}

/* ---- name-server lists ---- */

typedef struct ns_list {
	char name[EPP_MAX_NS][EXPORT_NAME_MAX + 1];
	size_t n;
} ns_list_t;

static bool ns_has(const ns_list_t *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->name[i], name) == 0)
			return true;
	return false;
}

/* Normalises a caller's list, dropping repeats, keeping the order. */
static int ns_load(ns_list_t *l, const char *const *v, size_t n, const char *what)
{
	l->n = 0;
	if (n > EPP_MAX_NS) {
		ts_log(TS_LOG_ERR, "EPP: %zu %s name servers, at most %u", n, what, EPP_MAX_NS);
		return TS_EINPUT;
	}
	for (size_t i = 0; i < n; i++) {
		char buf[EXPORT_NAME_MAX + 1];
		size_t len;
		if (v == NULL || export_name_norm(v[i], buf, &len) != TS_OK) {
			ts_log(TS_LOG_ERR, "EPP: %s name server %zu is not a host name: \"%.80s\"", what,
			       i + 1, v != NULL && v[i] != NULL ? v[i] : "");
			return TS_EINPUT;
		}
		if (!ns_has(l, buf))
			memcpy(l->name[l->n++], buf, len + 1);
	}
	return TS_OK;
}

/* Appends <domain:ns>, indented by `indent` spaces, with the names of `l`
 * that are not in `skip` (NULL: none skipped); writes nothing when no name
 * remains. *count receives how many were written. */
static int ns_xml(dbuf_t *b, int indent, const ns_list_t *l, const ns_list_t *skip, size_t *count)
{
	int ret = TS_OK;
	*count = 0;
	for (size_t i = 0; i < l->n; i++) {
		if (skip != NULL && ns_has(skip, l->name[i]))
			continue;
		if (*count == 0 && (ret = dbuf_addf(b, "%*s<domain:ns>\n", indent, "")) != TS_OK)
			return ret;
		if ((ret = dbuf_addf(b, "%*s<domain:hostObj>%s</domain:hostObj>\n", indent + 2, "",
		                     l->name[i])) != TS_OK)
			return ret;
		(*count)++;
	}
	if (*count > 0)
		ret = dbuf_addf(b, "%*s</domain:ns>\n", indent, "");
	return ret;
}

/* ---- the document ---- */

int epp_cltrid(const epp_action_t *a, epp_dir_t dir, char out[EPP_TRID_SIZE])
{
	const char *prefix = a->trid_prefix != NULL ? a->trid_prefix : EPP_DEFAULT_PREFIX;
	if (!prefix_ok(prefix)) {
		ts_log(TS_LOG_ERR, "EPP: the clTRID prefix must be 1 to %u of A-Z a-z 0-9 . _ -",
		       EPP_MAX_PREFIX);
		return TS_EINPUT;
	}
	/* at most 16 + 1 + 20 + 1 + 20 + 5 = 63 characters */
	int n = snprintf(out, EPP_TRID_SIZE, "%s-%" PRIu64 "-%" PRIu64 "-%s", prefix, a->case_id,
	                 a->action_id, dir == EPP_DO ? "do" : "undo");
	if (n < 3 || (size_t)n >= EPP_TRID_SIZE)
		return TS_EINTERNAL;
	return TS_OK;
}

static int doc_open(dbuf_t *b, const char *verb, const char *attrs)
{
	return dbuf_addf(b,
	                 "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
	                 "<epp xmlns=\"urn:ietf:params:xml:ns:epp-1.0\">\n"
	                 "  <command>\n"
	                 "    <%s%s>\n",
	                 verb, attrs);
}

static int doc_close(dbuf_t *b, const char *verb, const char *extension, const char *trid)
{
	return dbuf_addf(b,
	                 "    </%s>\n%s"
	                 "    <clTRID>%s</clTRID>\n"
	                 "  </command>\n"
	                 "</epp>\n",
	                 verb, extension, trid);
}

static int domain_open(dbuf_t *b, const char *elem, const char *domain)
{
	return dbuf_addf(b,
	                 "      <domain:%s xmlns:domain=\"urn:ietf:params:xml:ns:domain-1.0\">\n"
	                 "        <domain:name>%s</domain:name>\n",
	                 elem, domain);
}

/* <domain:update> adding `add` (with the reason) and removing `rem`. */
static int status_update(dbuf_t *b, const char *domain, unsigned add, unsigned rem,
                         const char *reason, const char *trid)
{
	int ret;
	if ((ret = doc_open(b, "update", "")) != TS_OK ||
	    (ret = domain_open(b, "update", domain)) != TS_OK)
		return ret;
	for (int pass = 0; pass < 2; pass++) {
		unsigned set = pass == 0 ? add : rem;
		if (set == 0)
			continue;
		if ((ret = dbuf_adds(b, pass == 0 ? "        <domain:add>\n" : "        <domain:rem>\n")) != TS_OK)
			return ret;
		for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
			if ((set & statuses[i].bit) == 0)
				continue;
			if (pass == 0) {
				if ((ret = dbuf_addf(b, "          <domain:status s=\"%s\" lang=\"en\">",
				                     statuses[i].name)) != TS_OK ||
				    (ret = xml_text(b, reason)) != TS_OK ||
				    (ret = dbuf_adds(b, "</domain:status>\n")) != TS_OK)
					return ret;
			} else if ((ret = dbuf_addf(b, "          <domain:status s=\"%s\"/>\n",
			                            statuses[i].name)) != TS_OK) {
				return ret;
			}
		}
		if ((ret = dbuf_adds(b, pass == 0 ? "        </domain:add>\n" : "        </domain:rem>\n")) != TS_OK)
			return ret;
	}
	if ((ret = dbuf_adds(b, "      </domain:update>\n")) != TS_OK)
		return ret;
	return doc_close(b, "update", "", trid);
}

/* <domain:update> adding the name servers of `add` and removing those of
 * `rem`, leaving out the ones in both. */
static int ns_update(dbuf_t *b, const char *domain, const ns_list_t *add, const ns_list_t *rem,
                     const char *trid)
{
	int ret;
	size_t nadd, nrem;
	if ((ret = doc_open(b, "update", "")) != TS_OK ||
	    (ret = domain_open(b, "update", domain)) != TS_OK)
		return ret;
	size_t mark = b->len;
	if ((ret = dbuf_adds(b, "        <domain:add>\n")) != TS_OK ||
	    (ret = ns_xml(b, 10, add, rem, &nadd)) != TS_OK)
		return ret;
	if (nadd == 0)
		b->len = mark;
	else if ((ret = dbuf_adds(b, "        </domain:add>\n")) != TS_OK)
		return ret;
	mark = b->len;
	if ((ret = dbuf_adds(b, "        <domain:rem>\n")) != TS_OK ||
	    (ret = ns_xml(b, 10, rem, add, &nrem)) != TS_OK)
		return ret;
	if (nrem == 0)
		b->len = mark;
	else if ((ret = dbuf_adds(b, "        </domain:rem>\n")) != TS_OK)
		return ret;
	b->p[b->len] = '\0';
	if (nadd == 0 && nrem == 0) {
		ts_log(TS_LOG_ERR, "EPP: %s: the name servers would not change", domain);
		return TS_ESTATE;
	}
	if ((ret = dbuf_adds(b, "      </domain:update>\n")) != TS_OK)
		return ret;
	return doc_close(b, "update", "", trid);
}

static int transfer_request(dbuf_t *b, const char *domain, const char *registrar, const char *trid)
{
	int ret;
	if ((ret = dbuf_addf(b,
	                     "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
	                     "<!-- Submit in an EPP session of registrar %s, the gaining sponsor; "
	                     "the registry approves it. -->\n"
	                     "<epp xmlns=\"urn:ietf:params:xml:ns:epp-1.0\">\n"
	                     "  <command>\n"
	                     "    <transfer op=\"request\">\n",
	                     registrar)) != TS_OK ||
	    (ret = domain_open(b, "transfer", domain)) != TS_OK ||
	    (ret = dbuf_adds(b, "      </domain:transfer>\n")) != TS_OK)
		return ret;
	return doc_close(b, "transfer", "", trid);
}

static int delete_domain(dbuf_t *b, const char *domain, const char *trid)
{
	int ret;
	if ((ret = doc_open(b, "delete", "")) != TS_OK ||
	    (ret = domain_open(b, "delete", domain)) != TS_OK ||
	    (ret = dbuf_adds(b, "      </domain:delete>\n")) != TS_OK)
		return ret;
	return doc_close(b, "delete", "", trid);
}

/* The undo of a delete: RFC 3915 restore request, while the name is in its
 * redemption grace period. */
static int restore_domain(dbuf_t *b, const char *domain, const char *trid)
{
	int ret;
	if ((ret = doc_open(b, "update", "")) != TS_OK ||
	    (ret = domain_open(b, "update", domain)) != TS_OK ||
	    (ret = dbuf_adds(b, "        <domain:chg/>\n      </domain:update>\n")) != TS_OK)
		return ret;
	return doc_close(b, "update",
	                 "    <extension>\n"
	                 "      <rgp:update xmlns:rgp=\"urn:ietf:params:xml:ns:rgp-1.0\">\n"
	                 "        <rgp:restore op=\"request\"/>\n"
	                 "      </rgp:update>\n"
	                 "    </extension>\n",
	                 trid);
}

/* Random authInfo: letters, digits and a few punctuation marks, chosen
 * without bias from the kernel's generator. */
static int random_authinfo(char out[EPP_AUTHINFO_LEN + 1])
{
	static const char alphabet[] =
		"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789+-=.:_";
	const size_t na = sizeof(alphabet) - 1;   /* 63 */
	size_t have = 0;
	while (have < EPP_AUTHINFO_LEN) {
		unsigned char r[32];
		ssize_t got = getrandom(r, sizeof(r), 0);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			ts_log(TS_LOG_ERR, "EPP: cannot read random bytes: %s", strerror(errno));
			return TS_EIO;
		}
		for (ssize_t i = 0; i < got && have < EPP_AUTHINFO_LEN; i++) {
			unsigned v = r[i] & 0x3fu;   /* 0..63; 63 is rejected */
			if (v < na)
				out[have++] = alphabet[v];
		}
	}
	out[have] = '\0';
	return TS_OK;
}

static int create_domain(dbuf_t *b, const epp_action_t *a, const char *domain,
                         const ns_list_t *ns, const char *trid)
{
	int ret;
	char generated[EPP_AUTHINFO_LEN + 1];
	const char *auth = a->auth_info;
	const char *registrant = a->registrant != NULL ? a->registrant : EPP_DEFAULT_REGISTRANT;
	unsigned period = a->period_years != 0 ? a->period_years : EPP_DEFAULT_PERIOD;
	size_t count;

	if (period > EPP_MAX_PERIOD) {
		ts_log(TS_LOG_ERR, "EPP: %s: a registration period of %u years, at most %u", domain,
		       period, EPP_MAX_PERIOD);
		return TS_EINPUT;
	}
	if (!clid_ok(registrant)) {
		ts_log(TS_LOG_ERR, "EPP: %s: the registrant must be a contact identifier of 3 to 16 "
		       "of A-Z a-z 0-9 . _ -", domain);
		return TS_EINPUT;
	}
	if (auth == NULL) {
		if ((ret = random_authinfo(generated)) != TS_OK)
			return ret;
		auth = generated;
	} else if (auth[0] == '\0' || strlen(auth) > EPP_MAX_AUTHINFO) {
		ts_log(TS_LOG_ERR, "EPP: %s: the authInfo must have 1 to %u characters", domain,
		       EPP_MAX_AUTHINFO);
		return TS_EINPUT;
	}
	if ((ret = doc_open(b, "create", "")) != TS_OK ||
	    (ret = domain_open(b, "create", domain)) != TS_OK ||
	    (ret = dbuf_addf(b, "        <domain:period unit=\"y\">%u</domain:period>\n", period)) != TS_OK ||
	    (ret = ns_xml(b, 8, ns, NULL, &count)) != TS_OK ||
	    (ret = dbuf_addf(b, "        <domain:registrant>%s</domain:registrant>\n"
	                        "        <domain:authInfo>\n"
	                        "          <domain:pw>", registrant)) != TS_OK)
		return ret;
	if ((ret = xml_text(b, auth)) != TS_OK) {
		if (ret == TS_EINPUT)
			ts_log(TS_LOG_ERR, "EPP: %s: the authInfo holds a control character or invalid UTF-8",
			       domain);
		return ret;
	}
	if ((ret = dbuf_adds(b, "</domain:pw>\n"
	                        "        </domain:authInfo>\n"
	                        "      </domain:create>\n")) != TS_OK)
		return ret;
	return doc_close(b, "create", "", trid);
}

int epp_command(const epp_action_t *a, epp_dir_t dir, dbuf_t *out)
{
	char domain[EXPORT_NAME_MAX + 1];
	char trid[EPP_TRID_SIZE];
	char reason_buf[48];
	size_t len;
	int ret;

	if ((unsigned)a->kind >= EPP_KIND_COUNT_ || (dir != EPP_DO && dir != EPP_UNDO)) {
		ts_log(TS_LOG_ERR, "EPP: unknown action kind or direction");
		return TS_EINPUT;
	}
	if (!epp_kind_has_command(a->kind)) {
		ts_log(TS_LOG_ERR, "EPP: %s has no EPP command: it goes into the reserved list%s",
		       epp_kind_name(a->kind), a->kind == EPP_BLOCK ? " and the RPZ" : "");
		return TS_EINPUT;
	}
	if (export_name_norm(a->domain, domain, &len) != TS_OK || strchr(domain, '.') == NULL) {
		ts_log(TS_LOG_ERR, "EPP: not a registered domain name: \"%.80s\"",
		       a->domain != NULL ? a->domain : "");
		return TS_EINPUT;
	}
	if ((ret = epp_cltrid(a, dir, trid)) != TS_OK)
		return ret;
	const char *reason = a->reason;
	if (reason == NULL) {
		(void)snprintf(reason_buf, sizeof(reason_buf), "case %" PRIu64, a->case_id);
		reason = reason_buf;
	}
	if (strlen(reason) > EPP_MAX_REASON) {
		ts_log(TS_LOG_ERR, "EPP: %s: the reason is longer than %u bytes", domain, EPP_MAX_REASON);
		return TS_EINPUT;
	}
	if ((a->prior_status & ~EPP_ST_ALL) != 0) {
		ts_log(TS_LOG_ERR, "EPP: %s: unknown prior status bits", domain);
		return TS_EINPUT;
	}

	dbuf_t doc;
	dbuf_init(&doc, EPP_DOC_MAX);
	ns_list_t ns, prior;
	switch (a->kind) {
	case EPP_SUSPEND:
	case EPP_LOCK: {
		unsigned want = a->kind == EPP_SUSPEND ? EPP_ST_HOLD : LOCK_STATUSES;
		unsigned set = want & ~a->prior_status;
		if (set == 0) {
			ts_log(TS_LOG_ERR, "EPP: %s: every status of %s was set before: nothing to %s",
			       domain, epp_kind_name(a->kind), dir == EPP_DO ? "add" : "remove");
			ret = TS_ESTATE;
			break;
		}
		ret = status_update(&doc, domain, dir == EPP_DO ? set : 0, dir == EPP_DO ? 0 : set,
		                    reason, trid);
		if (ret == TS_EINPUT)
			ts_log(TS_LOG_ERR, "EPP: %s: the reason holds a control character or invalid UTF-8",
			       domain);
		break;
	}
	case EPP_REDIRECT:
		if ((ret = ns_load(&ns, a->ns, a->nns, "sinkhole")) != TS_OK ||
		    (ret = ns_load(&prior, a->prior_ns, a->nprior_ns, "prior")) != TS_OK)
			break;
		if (ns.n == 0) {
			ts_log(TS_LOG_ERR, "EPP: %s: a redirect needs at least one sinkhole name server", domain);
			ret = TS_EINPUT;
			break;
		}
		ret = dir == EPP_DO ? ns_update(&doc, domain, &ns, &prior, trid)
		                    : ns_update(&doc, domain, &prior, &ns, trid);
		break;
	case EPP_TRANSFER: {
		const char *to = dir == EPP_DO ? a->gaining_registrar : a->prior_registrar;
		if (!clid_ok(to)) {
			ts_log(TS_LOG_ERR, "EPP: %s: the %s registrar must be an identifier of 3 to 16 "
			       "of A-Z a-z 0-9 . _ -", domain, dir == EPP_DO ? "gaining" : "prior");
			ret = TS_EINPUT;
			break;
		}
		if (a->gaining_registrar != NULL && a->prior_registrar != NULL &&
		    strcmp(a->gaining_registrar, a->prior_registrar) == 0) {
			ts_log(TS_LOG_ERR, "EPP: %s: registrar %s sponsors it already", domain, to);
			ret = TS_ESTATE;
			break;
		}
		ret = transfer_request(&doc, domain, to, trid);
		break;
	}
	case EPP_DELETE:
		ret = dir == EPP_DO ? delete_domain(&doc, domain, trid) : restore_domain(&doc, domain, trid);
		break;
	case EPP_REGISTER:
		if (dir == EPP_UNDO) {
			ret = delete_domain(&doc, domain, trid);
			break;
		}
		if ((ret = ns_load(&ns, a->ns, a->nns, "new")) != TS_OK)
			break;
		ret = create_domain(&doc, a, domain, &ns, trid);
		break;
	default:
		ret = TS_EINTERNAL;
		break;
	}
	if (ret == TS_OK)
		ret = dbuf_add(out, doc.p, doc.len);
	dbuf_free(&doc);
	return ret;
}

int epp_write(const epp_action_t *a, epp_dir_t dir, const char *path)
{
	dbuf_t b;
	afile_t af;
	dbuf_init(&b, EPP_DOC_MAX);
	int ret = epp_command(a, dir, &b);
	if (ret != TS_OK)
		goto out;
	if ((ret = afile_open(&af, path)) != TS_OK)
		goto out;
	if (fwrite(b.p, 1, b.len, af.fp) != b.len) {
		ts_log(TS_LOG_ERR, "%s: cannot write: %s", path != NULL ? path : "stdout", strerror(errno));
		afile_abort(&af);
		ret = TS_EIO;
		goto out;
	}
	ret = afile_commit(&af);
out:
	dbuf_free(&b);
	return ret;
}
