/* fuzz_feed_phishtank.c — the phishtank reader on arbitrary bytes. */
#include "feed_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_feed("phishtank", FEED_THREAT_NONE, data, size);
}
