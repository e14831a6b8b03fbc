/* fuzz_feed_rpz.c — the rpz reader (a zone through the master-file
 * scanner) on arbitrary bytes. */
#include "feed_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_feed("rpz", FEED_THREAT_MALWARE, data, size);
}
