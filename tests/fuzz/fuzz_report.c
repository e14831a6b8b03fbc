/* fuzz_report.c — the report body parser on arbitrary bytes: a report or a
 * rejection with a message, never a crash; accepted names are registered
 * domains under the policy. */
#include <stdint.h>
#include <string.h>

#include "base/arena.h"
#include "desk/policy.h"
#include "desk/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static policy_t pol;
	static int ready;
	if (!ready) {
		policy_err_t e;
		if (policy_load_string(&pol, "[registry]\ntlds = example, test\nsecond_levels = co.example\n"
		                       "[intake]\nmax_names_per_report = 50\n", &e) != TS_OK)
			__builtin_trap();
		ready = 1;
	}
	arena_t *a = arena_new(4096);
	if (a == NULL)
		return 0;
	report_t r;
	report_err_t err;
	int ret = report_parse(&pol, (const char *)data, size, a, &r, &err);
	if (ret == TS_OK) {
		if (r.n_names == 0 || r.n_names > r.n_given || r.n_given > 50 || r.threat == NULL)
			__builtin_trap();
		for (size_t i = 0; i < r.n_names; i++) {
			size_t n = strlen(r.names[i].registered);
			if (n == 0 || n > 253 || r.names[i].path[0] != '$' || strchr(r.names[i].registered, '.') == NULL)
				__builtin_trap();
		}
	} else if (ret != TS_ENOMEM && err.msg[0] == '\0') {
		__builtin_trap(); /* every rejection says why */
	}
	arena_free(&a);
	return 0;
}
