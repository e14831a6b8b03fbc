/* fuzz_csv.c — the CSV reader on arbitrary bytes: every record or error,
 * never a crash. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "base/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ts_input_t *in = NULL;
	csv_reader_t *r = NULL;
	if (ts_input_open_mem(&in, "fuzz", data, size) != TS_OK)
		return 0;
	if (csv_open(&r, in, '#') == TS_OK) {
		for (int guard = 0; guard < 100000; guard++) {
			csv_record_t rec;
			bool eof;
			int ret = csv_next(r, &rec, &eof);
			if (ret == TS_ESYNTAX || ret == TS_ELIMIT)
				continue;
			if (ret != TS_OK || eof)
				break;
			for (size_t i = 0; i < rec.n; i++)
				if (strlen(rec.f[i].p) > rec.f[i].len)
					__builtin_trap();
		}
	}
	csv_close(&r);
	ts_input_close(&in);
	return 0;
}
