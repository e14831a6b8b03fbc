/* fuzz_feed_domains.c — the domains reader on arbitrary bytes. */
#include "feed_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_feed("domains", FEED_THREAT_SPAM, data, size);
}
