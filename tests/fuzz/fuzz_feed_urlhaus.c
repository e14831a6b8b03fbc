/* fuzz_feed_urlhaus.c — the urlhaus reader on arbitrary bytes. */
#include "feed_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_feed("urlhaus", FEED_THREAT_NONE, data, size);
}
