# The crash test of the buttons (tests/crash/press_crash.c): built with
# every build, linked like the unit tests against the record and core
# libraries, and run by tests/cli/crash.sh (so `make check` and
# `make asan` run it). tests/cli/presses.sh uses its feed mode.

CRASH_BIN := $(B)/crash/press_crash

all: $(CRASH_BIN)

$(CRASH_BIN): $(B)/obj/tests/crash/press_crash.o $(RECORD_LIB) $(CORE_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN) $(LDFLAGS) -o $@ $< $(LINK_LIBS) $(RECORD_LIBS) -lm
