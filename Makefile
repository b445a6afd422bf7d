# hubkiosk - a plain Makefile: pkg-config for every library, strict warnings.
#
#   make              build hubkiosk and hubctl into build/
#   make demo         install what is missing, fill a demo database, show the board
#   make test         install what is missing, build, run every test (also under ASan+UBSan)
#   make check        the tests, without installing anything (and the fuzzer, FUZZ_SECS)
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

# Which libraries each part links. The record side (store, export,
# calendar) is shared by hubctl, the board and the tests; the screen side
# (SDL, GPIO, DRM, systemd) only by the board.
RECORD_PC  = sqlite3 libical libcurl libcrypto libarchive nettle
ADMIN_PC   = libqrencode
BOARD_PC   = sdl2 SDL2_ttf libpng fribidi inih libgpiod libqrencode libdrm
TEST_PC    = cmocka

pc_cflags = $(shell $(PKG_CONFIG) --cflags $(1) 2>/dev/null)
pc_libs   = $(shell $(PKG_CONFIG) --libs $(1) 2>/dev/null)
RECORD_CFLAGS := $(call pc_cflags,$(RECORD_PC))
RECORD_LIBS   := $(call pc_libs,$(RECORD_PC))
BOARD_CFLAGS  := $(call pc_cflags,$(BOARD_PC))
BOARD_LIBS    := $(call pc_libs,$(BOARD_PC))
ADMIN_CFLAGS  := $(call pc_cflags,$(ADMIN_PC))
ADMIN_LIBS    := $(call pc_libs,$(ADMIN_PC))
TEST_CFLAGS   := $(call pc_cflags,$(TEST_PC))
TEST_LIBS     := $(call pc_libs,$(TEST_PC))

# One folder per part; every .c in it belongs to that part.
CORE_SRC   := $(wildcard kiosk/core/*.c)
RECORD_SRC := $(wildcard kiosk/store/*.c kiosk/export/*.c kiosk/calendar/*.c kiosk/backup/*.c \
                          kiosk/seal/*.c)
ADMIN_SRC  := $(wildcard kiosk/admin/*.c)
BOARD_SRC  := $(wildcard kiosk/board/*.c kiosk/buttons/*.c kiosk/service/*.c)
UNIT_SRC   := $(wildcard tests/unit/test_*.c)
BENCH_SRC  := $(wildcard tests/bench/bench_*.c)
# Beside those, the code several tests or benchmarks share (the store
# tests' fixture, the ten years that bench_day and bench_export read).
UNIT_SHARED_SRC  := $(filter-out $(UNIT_SRC),$(wildcard tests/unit/*.c))
BENCH_SHARED_SRC := $(filter-out $(BENCH_SRC) tests/bench/runstat.c,$(wildcard tests/bench/*.c))

obj = $(patsubst %.c,$(B)/obj/%.o,$(1))
CORE_OBJ   := $(call obj,$(CORE_SRC))
RECORD_OBJ := $(call obj,$(RECORD_SRC))
ADMIN_OBJ  := $(call obj,$(ADMIN_SRC))
BOARD_OBJ  := $(call obj,$(BOARD_SRC))
UNIT_BIN   := $(patsubst tests/unit/%.c,$(B)/tests/%,$(UNIT_SRC))
# The record and the core as archives: a program links only the objects it
# uses, and with --as-needed only their libraries, so the board, which never
# exports or imports, maps no libical or libcurl.
RECORD_LIB := $(B)/librecord.a
CORE_LIB   := $(B)/libcore.a
LINK_LIBS   = $(RECORD_LIB) $(CORE_LIB) -Wl,--as-needed
BENCH_BIN  := $(patsubst tests/bench/%.c,$(B)/bench/%,$(BENCH_SRC))
# The code tests share as archives too: a test links only what it uses.
UNIT_LIB   := $(B)/libunit.a
BENCH_LIB  := $(B)/libbench.a

.PHONY: all demo test check asan bench style install uninstall clean deps test-deps fuzz \
        pictures
# Keep objects that pattern chains make along the way: no rebuilds, and no
# "rm ..." after the tests' closing tally.
.SECONDARY:
all: $(B)/hubkiosk $(B)/hubctl $(UNIT_BIN)

$(B)/obj/kiosk/%.o: ALL_CFLAGS += $(RECORD_CFLAGS)
$(B)/obj/kiosk/board/%.o $(B)/obj/kiosk/buttons/%.o $(B)/obj/kiosk/service/%.o: \
	ALL_CFLAGS += $(BOARD_CFLAGS)
$(B)/obj/kiosk/admin/%.o: ALL_CFLAGS += $(ADMIN_CFLAGS)
$(B)/obj/tests/%.o: ALL_CFLAGS += $(TEST_CFLAGS) $(RECORD_CFLAGS)

$(B)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c $< -o $@

$(RECORD_LIB): $(RECORD_OBJ)
$(CORE_LIB): $(CORE_OBJ)
$(UNIT_LIB): $(call obj,$(UNIT_SHARED_SRC))
$(BENCH_LIB): $(call obj,$(BENCH_SHARED_SRC))
$(RECORD_LIB) $(CORE_LIB) $(UNIT_LIB) $(BENCH_LIB):
	rm -f $@
	$(AR) rcs $@ $^

$(B)/hubctl: $(ADMIN_OBJ) $(RECORD_LIB) $(CORE_LIB)
	$(CC) $(CFLAGS) $(SAN) $(LDFLAGS) -o $@ $(ADMIN_OBJ) $(LINK_LIBS) $(ADMIN_LIBS) \
		$(RECORD_LIBS) -lm

$(B)/hubkiosk: $(BOARD_OBJ) $(RECORD_LIB) $(CORE_LIB)
	$(CC) $(CFLAGS) $(SAN) $(LDFLAGS) -o $@ $(BOARD_OBJ) $(LINK_LIBS) $(BOARD_LIBS) \
		$(RECORD_LIBS) -lm

$(B)/tests/%: $(B)/obj/tests/unit/%.o $(UNIT_LIB) $(RECORD_LIB) $(CORE_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN) $(LDFLAGS) -o $@ $< $(UNIT_LIB) $(LINK_LIBS) $(TEST_LIBS) \
		$(RECORD_LIBS) -lm

# The board benchmark drives the board module without its main().
BOARD_LIB_OBJ := $(filter-out %/main.o,$(BOARD_OBJ))
$(B)/obj/tests/bench/bench_board.o: ALL_CFLAGS += $(BOARD_CFLAGS)
$(B)/bench/bench_board: $(B)/obj/tests/bench/bench_board.o $(BOARD_LIB_OBJ) $(RECORD_LIB) \
		$(CORE_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BOARD_LIB_OBJ) $(LINK_LIBS) $(BOARD_LIBS) \
		$(RECORD_LIBS) -lm

$(B)/obj/tests/bench/bench_press_frame.o: ALL_CFLAGS += $(BOARD_CFLAGS)
$(B)/bench/bench_press_frame: $(B)/obj/tests/bench/bench_press_frame.o $(BOARD_LIB_OBJ) \
		$(RECORD_LIB) $(CORE_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BOARD_LIB_OBJ) $(LINK_LIBS) $(BOARD_LIBS) \
		$(RECORD_LIBS) -lm

$(B)/bench/runstat: $(B)/obj/tests/bench/runstat.o
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^

$(B)/bench/%: $(B)/obj/tests/bench/%.o $(BENCH_LIB) $(RECORD_LIB) $(CORE_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN) $(LDFLAGS) -o $@ $< $(BENCH_LIB) $(LINK_LIBS) $(RECORD_LIBS) -lm

# --- the two README commands -------------------------------------------
deps:
	tools/install-deps
test-deps:
	tools/install-deps test

demo: deps
	$(MAKE) all
	tools/demo

# The README's pictures of the board, drawn again from the demo day.
pictures: all
	B=$(B) tools/pictures

test: test-deps
	$(MAKE) check

# The fuzzer runs first so that the last line of a check is the tests' tally.
check: all fuzz
	tests/run $(B)
	$(MAKE) --no-print-directory asan

# Seconds for each fuzz target (eight of them), two at a time: 4 minutes
# of the CI's 30, as four targets took one at a time before. fuzz-long runs
# each for half an hour and keeps the table (build/fuzz/table.txt) that
# `make bench` prints.
FUZZ_SECS ?= 60
FUZZ_JOBS ?= 2
FUZZ_LONG_SECS ?= 1800
fuzz:
	tests/fuzz/run -j$(FUZZ_JOBS) $(FUZZ_SECS)

.PHONY: fuzz-long
fuzz-long:
	tests/fuzz/run -j$(FUZZ_JOBS) --table build/fuzz/table.txt $(FUZZ_LONG_SECS)

asan:
	$(MAKE) B=build/asan SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" CFLAGS="-O1 -g" all
	HK_SKIP_VM=1 ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 tests/run build/asan

bench: all $(BENCH_BIN) $(B)/bench/runstat
	tools/bench $(B)

style:
	tools/checkstyle

# The units name /usr/bin and /usr/libexec: install them with PREFIX=/usr
# (as the package does); systemd and udev look in /usr/lib.
LIBEXECDIR ?= $(PREFIX)/libexec
MANDIR     ?= $(DATADIR)/man
SYSCONFDIR ?= /etc
UNITDIR    ?= /usr/lib/systemd/system
UDEVDIR    ?= /usr/lib/udev/rules.d
SYSUSERSDIR ?= /usr/lib/sysusers.d
UNITS       = system/hubkiosk.service system/hubkiosk-export@.service \
              system/hubkiosk-calendar.service system/hubkiosk-calendar.timer \
              system/hubkiosk-retention.service system/hubkiosk-retention.timer \
              system/hubkiosk-backup.service system/hubkiosk-backup.timer \
              system/hubkiosk-backup.path
RULES       = system/60-hubkiosk-gpio.rules system/61-hubkiosk-export.rules

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBEXECDIR)/hubkiosk $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(UNITDIR) $(DESTDIR)$(UDEVDIR) $(DESTDIR)$(SYSUSERSDIR) \
		$(DESTDIR)$(SYSCONFDIR)/hubkiosk $(DESTDIR)$(DATADIR)/hubkiosk
	install -m 0755 $(B)/hubkiosk $(B)/hubctl $(DESTDIR)$(BINDIR)/
	install -m 0755 system/hubkiosk-export-stick $(DESTDIR)$(LIBEXECDIR)/hubkiosk/
	install -m 0644 doc/hubkiosk.1 doc/hubctl.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 $(UNITS) $(DESTDIR)$(UNITDIR)/
	install -m 0644 $(RULES) $(DESTDIR)$(UDEVDIR)/
	install -m 0644 system/hubkiosk.sysusers $(DESTDIR)$(SYSUSERSDIR)/hubkiosk.conf
	test -e $(DESTDIR)$(SYSCONFDIR)/hubkiosk/hubkiosk.conf || \
		install -m 0644 system/hubkiosk.conf $(DESTDIR)$(SYSCONFDIR)/hubkiosk/hubkiosk.conf
	install -m 0644 assets/hubkiosk.conf $(DESTDIR)$(DATADIR)/hubkiosk/hubkiosk.conf.example

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/hubkiosk $(DESTDIR)$(BINDIR)/hubctl
	rm -rf $(DESTDIR)$(LIBEXECDIR)/hubkiosk $(DESTDIR)$(DATADIR)/hubkiosk
	rm -f $(DESTDIR)$(MANDIR)/man1/hubkiosk.1 $(DESTDIR)$(MANDIR)/man1/hubctl.1
	rm -f $(addprefix $(DESTDIR)$(UNITDIR)/,$(notdir $(UNITS)))
	rm -f $(addprefix $(DESTDIR)$(UDEVDIR)/,$(notdir $(RULES)))
	rm -f $(DESTDIR)$(SYSUSERSDIR)/hubkiosk.conf

clean:
	rm -rf build

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)

# Larger areas keep their targets in mk/*.mk (packaging, image, VM tests).
-include $(wildcard mk/*.mk)
