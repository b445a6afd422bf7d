#!/bin/sh
# The text module against names in every script the board must draw (see
# textcheck.c). The sample sheet lands in $HK_KEEP/text-samples.png when
# HK_KEEP names a directory, to be looked at.
#
# Run by tests/run with HK_BUILD and HK_TMP; builds its checker with cc,
# under the sanitizers too when HK_BUILD is an ASan build.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
T=$HK_TMP
san=""
case $HK_BUILD in *asan) san="-fsanitize=address,undefined -fno-omit-frame-pointer" ;; esac

if ! cc -std=c11 -D_GNU_SOURCE -O1 -g $san -I"$root/kiosk" -o "$T/textcheck" \
	"$here/textcheck.c" "$root/kiosk/board/text.c" \
	$(pkg-config --cflags --libs sdl2 SDL2_ttf SDL2_image fribidi) -lm 2>"$T/cc.log"; then
	cat "$T/cc.log"
	echo "not ok - the text checker builds"
	exit 1
fi
"$T/textcheck" "$T/text-samples.png"
rc=$?
[ -n "${HK_KEEP:-}" ] && cp "$T/text-samples.png" "$HK_KEEP/"
exit $rc
