#!/bin/sh
# test_powercut.sh - the CI's handful of power cuts (issue 15 item 4): five
# cycles of tests/vm/powercut on the gpio-vm VM, each a hard power cut 2-12
# s into presses on the real hubkiosk, hubctl record add and hubctl backup,
# then the checks (every acknowledged entry there once, integrity_check,
# hubctl verify, every backup under its final name whole and a prefix of
# the live journal). `make powercut` runs a hundred, with cuts up to 20 s.
# About 2.5 minutes with a cached kernel. The seed is printed: POWERCUT_SEED
# replays the cut moments.
#
#   sh tests/vm/test_powercut.sh       (HK_BUILD: build directory, default ./build)
set -u
cd "$(dirname "$0")/../.." || exit 1
B=${HK_BUILD:-$(pwd)/build}
T=${HK_TMP:-$(mktemp -d)}
start=$(date +%s)
HK_BUILD=$B POWERCUT_DIR=$T/powercut POWERCUT_N=${POWERCUT_N:-5} POWERCUT_MAX=${POWERCUT_MAX:-12} \
	tests/vm/powercut
rc=$?
echo "# the power cut test took $(( $(date +%s) - start )) s"
exit $rc
