# tldsec — one Makefile.
#
#   make            build build/release/tldsec (installs missing Debian packages first)
#   make run        build and run the main job on the shipped sample data
#   make test       unit, golden, integration and fuzz-corpus tests, then all again under ASan/UBSan
#   make bench      benchmarks against the anchors (see bench/README.md)
#   make lint       cppcheck and clang-tidy
#   make fuzz       libFuzzer builds of every fuzz target (clang)
#   make check      the banned-function check (part of make test)
#
# Sources are found by wildcard: every src/*/*.c but src/cli/main.c goes into
# libtldsec.a; every tests/unit/test_*.c is one cmocka program; every
# tests/fuzz/fuzz_*.c is one fuzz target, built twice (replay main, libFuzzer).

SHELL       := /bin/bash
BUILD       ?= build/release
ifeq ($(origin CC),default)
CC          := gcc
endif
SAN         ?=
PKGS        := sqlite3 jansson libidn2 libpsl libisal libxxhash libsodium inih zlib
# libmicrohttpd: its headers only; src/http/server.c loads the library when a
# server starts (dlopen), so other commands do not pay for loading it
DL_PKGS     := libmicrohttpd
TEST_PKGS   := cmocka libzscanner

STD_CFLAGS  := -std=c11 -D_GNU_SOURCE -g -Wall -Wextra -Wshadow -Wstrict-prototypes \
               -Wmissing-prototypes -Wformat=2 -Wno-format-nonliteral -Werror -Isrc
ifeq ($(SAN),1)
OPT_CFLAGS  := -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
OPT_LDFLAGS := -fsanitize=address,undefined
else
OPT_CFLAGS  := -O2
OPT_LDFLAGS :=
endif

DEPS_STAMP  := build/.deps-ok
PKG_CFLAGS   = $(shell pkg-config --cflags $(PKGS) $(DL_PKGS) 2>/dev/null)
PKG_LIBS     = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -ldl -lpthread -lm
TEST_CFLAGS  = $(shell pkg-config --cflags $(TEST_PKGS) 2>/dev/null)
TEST_LIBS    = $(shell pkg-config --libs $(TEST_PKGS) 2>/dev/null)

CFLAGS_ALL   = $(STD_CFLAGS) $(OPT_CFLAGS) $(PKG_CFLAGS) $(CFLAGS)
LDFLAGS_ALL  = $(OPT_LDFLAGS) $(LDFLAGS)

LIB_SRC     := $(filter-out src/cli/%,$(wildcard src/*/*.c))
CLI_SRC     := $(wildcard src/cli/*.c)
UNIT_SRC    := $(wildcard tests/unit/test_*.c)
FUZZ_SRC    := $(wildcard tests/fuzz/fuzz_*.c)
BENCH_SRC   := $(wildcard bench/*.c)

LIB_OBJ     := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
CLI_OBJ     := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
LIB         := $(BUILD)/libtldsec.a
BIN         := $(BUILD)/tldsec
UNIT_BIN    := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_BIN    := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz-replay/%)
BENCH_BIN   := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

# ---- risk: embedded taxonomy ------------------------------------------------
# src/risk/taxonomy.tsv is the catalogue's source of truth; it is turned into a
# generated C file (a string constant) and linked into libtldsec.a, so the
# binary never reads the repository at run time.
RISK_TAXO_C   := $(BUILD)/gen/risk_taxonomy_data.c
RISK_TAXO_OBJ := $(BUILD)/obj/gen/risk_taxonomy_data.o
LIB_OBJ       += $(RISK_TAXO_OBJ)

$(RISK_TAXO_C): src/risk/taxonomy.tsv scripts/embed-text.sh
	@bash scripts/embed-text.sh risk_taxonomy_tsv $< $@

$(RISK_TAXO_OBJ): $(RISK_TAXO_C) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -c $< -o $@
# ---- end of risk block -------------------------------------------------------

.PHONY: all deps run test test-one bench lint fuzz check clean
.DEFAULT_GOAL := all

all: $(BIN)

$(DEPS_STAMP): scripts/deps.sh
	@bash scripts/deps.sh
	@mkdir -p $(@D) && touch $@

deps: $(DEPS_STAMP)

$(BUILD)/obj/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -MMD -MP -c $< -o $@

$(LIB): $(LIB_OBJ)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(BIN): $(CLI_OBJ) $(LIB)
	$(CC) $(LDFLAGS_ALL) -o $@ $(CLI_OBJ) $(LIB) $(PKG_LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIB) $(wildcard tests/unit/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) $(TEST_CFLAGS) -Itests/unit -o $@ $< $(LIB) $(LDFLAGS_ALL) $(PKG_LIBS) $(TEST_LIBS)

$(BUILD)/fuzz-replay/%: tests/fuzz/%.c tests/fuzz/replay.c $(wildcard tests/fuzz/*.h) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -o $@ $< tests/fuzz/replay.c $(LIB) $(LDFLAGS_ALL) $(PKG_LIBS)

$(BUILD)/bench/%: bench/%.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) $(TEST_CFLAGS) -o $@ $< $(LIB) $(LDFLAGS_ALL) $(PKG_LIBS) $(TEST_LIBS)

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)

# One build directory's worth of tests (used twice by `make test`).
test-one: $(BIN) $(UNIT_BIN) $(FUZZ_BIN)
	@bash tests/run.sh $(BUILD)

run: $(BIN)
	@bash scripts/run.sh $(BUILD)

test: check
	@$(MAKE) --no-print-directory BUILD=build/release CC=gcc test-one
	@$(MAKE) --no-print-directory BUILD=build/asan CC=clang SAN=1 test-one
	@echo "make test: release (gcc) and sanitizer (clang ASan/UBSan) suites passed"

check:
	@bash scripts/check-banned.sh

bench: $(BIN) $(BENCH_BIN)
	@bash bench/run.sh $(BUILD)

lint: $(DEPS_STAMP)
	@bash scripts/lint.sh

fuzz: $(DEPS_STAMP)
	@$(MAKE) --no-print-directory -f tests/fuzz/fuzz.mk

clean:
	rm -rf build
