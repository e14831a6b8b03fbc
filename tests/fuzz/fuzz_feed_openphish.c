/* fuzz_feed_openphish.c — the openphish reader on arbitrary bytes. */
#include "feed_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_feed("openphish", FEED_THREAT_NONE, data, size);
}
