# libFuzzer builds of every tests/fuzz/fuzz_*.c (clang). Included by `make fuzz`.
# Run one:  build/fuzz/fuzz_csv -max_total_time=600 tests/fuzz/corpus/csv
BUILD     := build/fuzz
FUZZ_SRC  := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN  := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/%)
PKGS      := sqlite3 jansson libidn2 libpsl libisal libxxhash libsodium inih zlib
CFLAGS_F  := -std=c11 -D_GNU_SOURCE -g -O1 -Isrc -fsanitize=fuzzer-no-link,address,undefined \
             $(shell pkg-config --cflags $(PKGS) libmicrohttpd)
LIB_SRC   := $(filter-out src/cli/%,$(wildcard src/*/*.c))
LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)

# risk: the embedded taxonomy (see the Makefile's risk block)
.DEFAULT_GOAL := all
RISK_TAXO_C := $(BUILD)/gen/risk_taxonomy_data.c
LIB_OBJ     += $(BUILD)/obj/gen/risk_taxonomy_data.o
$(RISK_TAXO_C): src/risk/taxonomy.tsv scripts/embed-text.sh
	@bash scripts/embed-text.sh risk_taxonomy_tsv $< $@
$(BUILD)/obj/gen/risk_taxonomy_data.o: $(RISK_TAXO_C)
	@mkdir -p $(@D)
	clang $(CFLAGS_F) -c $< -o $@

all: $(FUZZ_BIN)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	clang $(CFLAGS_F) -c $< -o $@

$(BUILD)/%: tests/fuzz/%.c $(wildcard tests/fuzz/*.h) $(LIB_OBJ)
	clang $(CFLAGS_F) -fsanitize=fuzzer -o $@ $< $(LIB_OBJ) $(shell pkg-config --libs $(PKGS)) -ldl -lpthread -lm
