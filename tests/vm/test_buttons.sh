#!/bin/sh
# test_buttons.sh - kiosk/buttons end to end against the kernel's gpio-sim:
# builds tests/vm/buttons_probe, boots the gpio-vm VM with it and runs
# tests/vm/guest/test_buttons.sh there (presses, holds, glitches, bounces,
# LEDs, missing and taken lines). Prints "ok - ..." / "not ok - ..." lines
# and exits non-zero on failure. About 20 s with a cached kernel (software
# emulation); the first run also fetches the kernel (~120 MB).
#
#   sh tests/vm/test_buttons.sh          (HK_BUILD: build directory, default ./build)
set -u
cd "$(dirname "$0")/../.." || exit 1
B=${HK_BUILD:-$(pwd)/build}
mkdir -p "$B/vm"
probe=$B/vm/buttons_probe

WARN="-Wall -Wextra -Wshadow -Wconversion -Wmissing-prototypes -Wstrict-prototypes
      -Wpointer-arith -Wformat=2 -Wundef -Wvla"
if ! pkg-config --atleast-version=2.0 libgpiod; then
	echo "not ok - libgpiod v2 is installed (pkg-config libgpiod >= 2.0)"
	exit 1
fi
# shellcheck disable=SC2046,SC2086
if ! ${CC:-cc} -std=c11 $WARN -O2 -g -D_GNU_SOURCE -Ikiosk -o "$probe" \
	tests/vm/buttons_probe.c kiosk/buttons/buttons.c kiosk/core/hk.c \
	$(pkg-config --cflags --libs libgpiod); then
	echo "not ok - buttons_probe builds"
	exit 1
fi

# The kiosk's lines at offsets that are not their numbers: only a lookup
# by name finds them.
log=$B/vm/test_buttons.log
rc=0
tests/vm/gpio-vm run --bin "$probe" --guest-script tests/vm/guest/test_buttons.sh \
	--lines "GPIO24 GPIO23 - GPIO27 GPIO22 - GPIO17 GPIO4 GPIO5 -" \
	--out "$B/vm/test_buttons.out" >"$log" 2>&1 || rc=$?
cat "$log"
case $rc in
0) echo "ok - the gpio-sim VM ran the button tests and every one passed" ;;
77) echo "ok - # SKIP the gpio-sim VM cannot run here (see the gpio-vm: lines above)"; exit 0 ;;
124) echo "not ok - the gpio-sim VM finished within its time limit"; exit 1 ;;
125) echo "not ok - the gpio-sim VM booted and reported a verdict"; exit 1 ;;
*) echo "not ok - every button test in the gpio-sim VM passed (guest exit $rc)"; exit 1 ;;
esac
