# hubkiosk - a plain Makefile: pkg-config for every library, strict warnings.
#
#   make              build hubkiosk and hubctl into build/
#   make demo         install what is missing, fill a demo database, show the board
#   make test         install what is missing, build, run every test (also under ASan+UBSan)
#   make check        the tests, without installing anything
#   make asan         the same build with AddressSanitizer and UBSan, in build/asan/
#   make bench        benchmark figures (not a test)
#   make style        the style check
#   make install      PREFIX=/usr/local DESTDIR=

PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
DATADIR  ?= $(PREFIX)/share
DESTDIR  ?=
B        ?= build

CC       ?= cc
PKG_CONFIG ?= pkg-config
WARN     = -Wall -Wextra -Wshadow -Wconversion -Wmissing-prototypes \
           -Wstrict-prototypes -Wpointer-arith -Wformat=2 -Wundef -Wvla
CFLAGS   ?= -O2 -g
CPPFLAGS += -D_GNU_SOURCE -Ikiosk
ALL_CFLAGS = -std=c11 $(WARN) $(CFLAGS) $(SAN) -MMD -MP

CORE_LIBS  =
STORE_PC   = sqlite3
BOARD_PC   = sdl2 SDL2_ttf SDL2_image fribidi inih
TEST_PC    = cmocka

STORE_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(STORE_PC) 2>/dev/null)
STORE_LIBS   := $(shell $(PKG_CONFIG) --libs $(STORE_PC) 2>/dev/null)
BOARD_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(BOARD_PC) 2>/dev/null)
BOARD_LIBS   := $(shell $(PKG_CONFIG) --libs $(BOARD_PC) 2>/dev/null)
TEST_CFLAGS  := $(shell $(PKG_CONFIG) --cflags $(TEST_PC) 2>/dev/null)
TEST_LIBS    := $(shell $(PKG_CONFIG) --libs $(TEST_PC) 2>/dev/null)

CORE_SRC  := $(wildcard kiosk/core/*.c)
STORE_SRC := $(wildcard kiosk/store/*.c)
ADMIN_SRC := $(wildcard kiosk/admin/*.c)
BOARD_SRC := $(wildcard kiosk/board/*.c)
UNIT_SRC  := $(wildcard tests/unit/test_*.c)
BENCH_SRC := $(wildcard tests/bench/bench_*.c)

obj = $(patsubst %.c,$(B)/obj/%.o,$(1))
CORE_OBJ  := $(call obj,$(CORE_SRC))
STORE_OBJ := $(call obj,$(STORE_SRC))
ADMIN_OBJ := $(call obj,$(ADMIN_SRC))
BOARD_OBJ := $(call obj,$(BOARD_SRC))
UNIT_BIN  := $(patsubst tests/unit/%.c,$(B)/tests/%,$(UNIT_SRC))
BENCH_BIN := $(patsubst tests/bench/%.c,$(B)/bench/%,$(BENCH_SRC))

.PHONY: all demo test check asan bench style install uninstall clean deps test-deps
all: $(B)/hubkiosk $(B)/hubctl $(UNIT_BIN)

$(B)/obj/kiosk/store/%.o: ALL_CFLAGS += $(STORE_CFLAGS)
$(B)/obj/kiosk/board/%.o: ALL_CFLAGS += $(BOARD_CFLAGS) $(STORE_CFLAGS)
$(B)/obj/tests/%.o: ALL_CFLAGS += $(TEST_CFLAGS) $(STORE_CFLAGS)

$(B)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c $< -o $@

$(B)/hubctl: $(ADMIN_OBJ) $(STORE_OBJ) $(CORE_OBJ)
	$(CC) $(CFLAGS) $(SAN) $(LDFLAGS) -o $@ $^ $(STORE_LIBS) -lm

$(B)/hubkiosk: $(BOARD_OBJ) $(STORE_OBJ) $(CORE_OBJ)
	$(CC) $(CFLAGS) $(SAN) $(LDFLAGS) -o $@ $^ $(BOARD_LIBS) $(STORE_LIBS) -lm

$(B)/tests/%: $(B)/obj/tests/unit/%.o $(STORE_OBJ) $(CORE_OBJ)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN) $(LDFLAGS) -o $@ $^ $(TEST_LIBS) $(STORE_LIBS) -lm

$(B)/bench/%: $(B)/obj/tests/bench/%.o $(STORE_OBJ) $(CORE_OBJ)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN) $(LDFLAGS) -o $@ $^ $(STORE_LIBS) -lm

# --- the two README commands -------------------------------------------
deps:
	tools/install-deps
test-deps:
	tools/install-deps test

demo: deps
	$(MAKE) all
	tools/demo

test: test-deps
	$(MAKE) check

check: all
	tests/run $(B)
	$(MAKE) asan

asan:
	$(MAKE) B=build/asan SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" CFLAGS="-O1 -g" all
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 tests/run build/asan

bench: all $(BENCH_BIN)
	tools/bench $(B)

style:
	tools/checkstyle

install: all
	install -d $(DESTDIR)$(BINDIR)
	install -m 0755 $(B)/hubkiosk $(B)/hubctl $(DESTDIR)$(BINDIR)/
	install -d $(DESTDIR)$(DATADIR)/hubkiosk
	install -m 0644 assets/hubkiosk.conf $(DESTDIR)$(DATADIR)/hubkiosk/hubkiosk.conf.example

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/hubkiosk $(DESTDIR)$(BINDIR)/hubctl
	rm -rf $(DESTDIR)$(DATADIR)/hubkiosk

clean:
	rm -rf build

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)

# Larger areas keep their targets in mk/*.mk (packaging, image, VM tests).
-include $(wildcard mk/*.mk)
