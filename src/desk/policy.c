/* policy.c — the options table and the tldsec.conf parser (libinih). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <ini.h>

#include "base/num.h"
#include "desk/action.h"
#include "desk/names.h"
#include "desk/policy.h"

#define OFF(f) offsetof(policy_t, f)

static const policy_option_t options[] = {
	{ "registry", "name", POLICY_STR, OFF(registry_name), 0, 0, "Example Registry", NULL,
	  "the registry's name, used in messages to reporters and registrars" },
	{ "registry", "abuse_email", POLICY_STR, OFF(abuse_email), 0, 0, "abuse@nic.example", NULL,
	  "the abuse desk's address: the sender of every message" },
	{ "registry", "tlds", POLICY_NAMES, OFF(tlds), 1, POLICY_MAX_NAMES, "example", NULL,
	  "the TLDs this registry operates, comma-separated" },
	{ "registry", "second_levels", POLICY_NAMES, OFF(second_levels), 0, POLICY_MAX_NAMES, "", NULL,
	  "registry-operated second levels (co.example), under which names are registered" },
	{ "clocks", "ack_hours", POLICY_UINT, OFF(ack_hours), 1, 8760, "24", "hours",
	  "acknowledge a report within this time of its receipt" },
	{ "clocks", "response_hours_high", POLICY_UINT, OFF(response_hours_high), 1, 8760, "24", "hours",
	  "respond to a high-priority case within this time of the acknowledgement" },
	{ "clocks", "response_hours_standard", POLICY_UINT, OFF(response_hours_standard), 1, 8760, "72", "hours",
	  "the same for standard priority" },
	{ "clocks", "response_hours_low", POLICY_UINT, OFF(response_hours_low), 1, 8760, "168", "hours",
	  "the same for low priority" },
	{ "actions", "court_order_required", POLICY_ACTIONS, OFF(court_order_required), 0, POLICY_MAX_NAMES,
	  "lock, redirect, transfer, delete, register", NULL,
	  "actions refused without --court-order, comma-separated" },
	{ "intake", "allow_anonymous", POLICY_BOOL, OFF(allow_anonymous), 0, 1, "no", NULL,
	  "accept reports that name no reporter (yes or no)" },
	{ "intake", "max_names_per_report", POLICY_UINT, OFF(max_names_per_report), 1, 1000, "1000", NULL,
	  "domains and URLs in one report, at most" },
	{ "privacy", "retain_personal_data_days", POLICY_UINT, OFF(retain_personal_data_days), 1, 36500, "365",
	  "days", "privacy purge removes personal data of cases closed longer ago than this" },
	{ "database", "busy_timeout_ms", POLICY_UINT, OFF(busy_timeout_ms), 0, 600000, "5000", "ms",
	  "wait this long for a locked database before giving up (exit 4)" },
};

const policy_option_t *policy_options(size_t *n)
{
	*n = sizeof(options) / sizeof(options[0]);
	return options;
}

static void trim(const char **s, size_t *n)
{
	while (*n > 0 && isspace((unsigned char)(*s)[0])) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && isspace((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

static int set_value(policy_t *p, const policy_option_t *o, const char *value, char *msg, size_t cap)
{
	char *field = (char *)p + o->offset;
	size_t vlen = strlen(value);
	trim(&value, &vlen);
	switch (o->type) {
	case POLICY_STR:
		if (vlen >= POLICY_TEXT) {
			snprintf(msg, cap, "%s: longer than %d characters", o->name, POLICY_TEXT - 1);
			return TS_EINPUT;
		}
		memcpy(field, value, vlen);
		field[vlen] = '\0';
		return TS_OK;
	case POLICY_UINT: {
		uint64_t v;
		if (ts_parse_u64(value, vlen, UINT64_MAX, &v) != TS_OK || v < o->min || v > o->max) {
			snprintf(msg, cap, "%s: '%.*s' is not a whole number from %llu to %llu", o->name, (int)vlen,
			         value, (unsigned long long)o->min, (unsigned long long)o->max);
			return TS_EINPUT;
		}
		*(uint64_t *)(void *)field = v;
		return TS_OK;
	}
	case POLICY_BOOL: {
		bool *b = (bool *)(void *)field;
		if ((vlen == 3 && strncasecmp(value, "yes", 3) == 0) || (vlen == 4 && strncasecmp(value, "true", 4) == 0) ||
		    (vlen == 1 && value[0] == '1'))
			*b = true;
		else if ((vlen == 2 && strncasecmp(value, "no", 2) == 0) ||
		         (vlen == 5 && strncasecmp(value, "false", 5) == 0) || (vlen == 1 && value[0] == '0'))
			*b = false;
		else {
			snprintf(msg, cap, "%s: '%.*s' is not yes or no", o->name, (int)vlen, value);
			return TS_EINPUT;
		}
		return TS_OK;
	}
	case POLICY_NAMES:
	case POLICY_ACTIONS: {
		policy_names_t *l = (policy_names_t *)(void *)field;
		l->n = 0;
		const char *s = value, *end = value + vlen;
		while (s < end) {
			const char *comma = memchr(s, ',', (size_t)(end - s));
			const char *e = comma != NULL ? comma : end;
			const char *w = s;
			size_t wn = (size_t)(e - s);
			trim(&w, &wn);
			s = comma != NULL ? comma + 1 : end;
			if (wn == 0)
				continue;
			if (l->n >= POLICY_MAX_NAMES) {
				snprintf(msg, cap, "%s: more than %d entries", o->name, POLICY_MAX_NAMES);
				return TS_EINPUT;
			}
			char *slot = l->v[l->n];
			if (o->type == POLICY_ACTIONS) {
				if (wn >= POLICY_NAME_TEXT || !action_kind_known_n(w, wn)) {
					snprintf(msg, cap, "%s: '%.*s' is not an action", o->name, (int)wn, w);
					return TS_EINPUT;
				}
				memcpy(slot, w, wn);
				slot[wn] = '\0';
			} else {
				size_t len;
				char why[128];
				if (names_normalize(w, wn, slot, POLICY_NAME_TEXT, &len, why, sizeof(why)) != TS_OK) {
					snprintf(msg, cap, "%s: '%.*s': %s", o->name, (int)wn, w, why);
					return TS_EINPUT;
				}
			}
			l->n++;
		}
		if (l->n < o->min) {
			snprintf(msg, cap, "%s: at least %llu needed", o->name, (unsigned long long)o->min);
			return TS_EINPUT;
		}
		return TS_OK;
	}
	}
	return TS_EINTERNAL;
}

void policy_defaults(policy_t *p)
{
	char msg[256];
	memset(p, 0, sizeof(*p));
	for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++)
		(void)set_value(p, &options[i], options[i].def, msg, sizeof(msg));
}

struct load_ctx {
	policy_t *p;
	policy_err_t *err;
	int ret;
	unsigned long lineno;
};

static int handler(void *user, const char *section, const char *name, const char *value)
{
	struct load_ctx *c = user;
	for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++) {
		if (strcasecmp(section, options[i].section) != 0 || strcasecmp(name, options[i].name) != 0)
			continue;
		c->ret = set_value(c->p, &options[i], value, c->err->msg, sizeof(c->err->msg));
		return c->ret == TS_OK;
	}
	bool known_section = false;
	for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++)
		known_section |= strcasecmp(section, options[i].section) == 0;
	if (known_section)
		snprintf(c->err->msg, sizeof(c->err->msg), "unknown key '%s' in [%s]", name, section);
	else
		snprintf(c->err->msg, sizeof(c->err->msg), "unknown section [%s]", section);
	c->ret = TS_EINPUT;
	return 0;
}

static int finish(struct load_ctx *c, int rc)
{
	if (rc == 0)
		return TS_OK;
	if (rc < 0) {
		c->err->line = 0;
		if (c->err->msg[0] == '\0')
			snprintf(c->err->msg, sizeof(c->err->msg), rc == -1 ? "cannot open" : "out of memory");
		return rc == -1 ? TS_EINPUT : TS_ENOMEM;
	}
	c->err->line = (unsigned long)rc;
	if (c->ret == TS_OK)
		snprintf(c->err->msg, sizeof(c->err->msg), "not a 'key = value' line, a [section] or a comment");
	return TS_EINPUT;
}

int policy_load(policy_t *p, const char *path, policy_err_t *err)
{
	struct load_ctx c = { p, err, TS_OK, 0 };
	memset(err, 0, sizeof(*err));
	policy_defaults(p);
	ini_stop_on_first_error = true;
	return finish(&c, ini_parse(path, handler, &c));
}

int policy_load_string(policy_t *p, const char *text, policy_err_t *err)
{
	struct load_ctx c = { p, err, TS_OK, 0 };
	memset(err, 0, sizeof(*err));
	policy_defaults(p);
	ini_stop_on_first_error = true;
	return finish(&c, ini_parse_string(text, handler, &c));
}

bool policy_needs_court_order(const policy_t *p, const char *action)
{
	for (size_t i = 0; i < p->court_order_required.n; i++)
		if (strcmp(p->court_order_required.v[i], action) == 0)
			return true;
	return false;
}

uint64_t policy_response_hours(const policy_t *p, const char *priority)
{
	if (strcmp(priority, "high") == 0)
		return p->response_hours_high;
	if (strcmp(priority, "standard") == 0)
		return p->response_hours_standard;
	return p->response_hours_low;
}

int policy_help(dbuf_t *out)
{
	int ret = TS_OK;
	const char *section = "";
	for (size_t i = 0; i < sizeof(options) / sizeof(options[0]) && ret == TS_OK; i++) {
		const policy_option_t *o = &options[i];
		if (strcmp(section, o->section) != 0) {
			section = o->section;
			ret = dbuf_addf(out, "  [%s]\n", section);
		}
		if (ret == TS_OK)
			ret = dbuf_addf(out, "    %-26s %s%s%s (default: %s)\n", o->name, o->help,
			                o->unit != NULL ? ", in " : "", o->unit != NULL ? o->unit : "",
			                o->def[0] != '\0' ? o->def : "none");
	}
	return ret;
}
