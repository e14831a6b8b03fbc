/* fuzz_feed_threatfox.c — the threatfox reader on arbitrary bytes. */
#include "feed_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_feed("threatfox", FEED_THREAT_NONE, data, size);
}
