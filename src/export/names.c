/* names.c — host-name checks and the sorted, unique name sets of the export
 * writers. */
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/log.h"
#include "export/names.h"

static int is_ldh(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

int export_name_norm(const char *in, char out[EXPORT_NAME_MAX + 1], size_t *len)
{
	if (in == NULL)
		return TS_EINPUT;
	size_t n = strlen(in);
	if (n > 0 && in[n - 1] == '.')
		n--;
	if (n == 0 || n > EXPORT_NAME_MAX)
		return TS_EINPUT;
	size_t label = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)in[i];
		if (c == '.') {
			/* an empty label, or one ending in a hyphen */
			if (label == 0 || in[i - 1] == '-')
				return TS_EINPUT;
			label = 0;
			out[i] = '.';
			continue;
		}
		if (!is_ldh(c))
			return TS_EINPUT;
		if (label == 0 && c == '-')
			return TS_EINPUT;
		if (++label > 63)
			return TS_EINPUT;
		out[i] = (char)((c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c);
	}
	if (label == 0 || in[n - 1] == '-')
		return TS_EINPUT;
	out[n] = '\0';
	*len = n;
	return TS_OK;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void export_names_free(export_names_t *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->n; i++)
		ts_free(s->v[i]);
	ts_free(s->v);
	s->v = NULL;
	s->n = 0;
}

int export_names_sorted(const char *const *names, size_t n, const char *what,
                        export_names_t *out)
{
	out->v = NULL;
	out->n = 0;
	if (n == 0)
		return TS_OK;
	out->v = ts_calloc(n, sizeof(*out->v));
	if (out->v == NULL)
		return TS_ENOMEM;
	char buf[EXPORT_NAME_MAX + 1];
	size_t len;
	for (size_t i = 0; i < n; i++) {
		if (export_name_norm(names[i], buf, &len) != TS_OK) {
			ts_log(TS_LOG_ERR, "%s %zu: not a host name: \"%.80s\"", what, i + 1,
			       names[i] != NULL ? names[i] : "");
			export_names_free(out);
			return TS_EINPUT;
		}
		out->v[i] = ts_strndup(buf, len);
		if (out->v[i] == NULL) {
			export_names_free(out);
			return TS_ENOMEM;
		}
		out->n = i + 1;
	}
	qsort(out->v, out->n, sizeof(*out->v), cmp_str);
	size_t w = 1;
	for (size_t i = 1; i < out->n; i++) {
		if (strcmp(out->v[i], out->v[w - 1]) == 0)
			ts_free(out->v[i]);
		else
			out->v[w++] = out->v[i];
	}
	out->n = w;
	return TS_OK;
}
