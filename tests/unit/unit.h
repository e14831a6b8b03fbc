/* unit.h — what every cmocka test file includes. */
#ifndef TS_UNIT_H
#define TS_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

/* Directory of the source tree's test data, for tests that read files. */
#ifndef TS_TEST_DATA
#define TS_TEST_DATA "tests/data"
#endif

#endif
