/* fuzz_url.c — url_to_host on arbitrary bytes: never a crash, and what it
 * accepts is a well-formed host that reduces to itself. */
#include <stdint.h>
#include <string.h>

#include "feeds/url.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char out[URL_HOST_CAP], again[URL_HOST_CAP];
	size_t len, len2;
	url_host_kind_t kind, kind2;
	int ret = url_to_host((const char *)data, size, out, sizeof(out), &len, &kind);
	if (ret != TS_OK) {
		if (ret != TS_EINPUT && ret != TS_ENOMEM)
			__builtin_trap();
		return 0;
	}
	if (len == 0 || len != strlen(out) || (kind == URL_HOST_NAME && len > URL_HOST_MAX_NAME))
		__builtin_trap();
	/* a host is its own host */
	if (url_to_host(out, len, again, sizeof(again), &len2, &kind2) != TS_OK ||
	    len2 != len || kind2 != kind || memcmp(out, again, len) != 0)
		__builtin_trap();
	return 0;
}
