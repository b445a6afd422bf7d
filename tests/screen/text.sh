#!/bin/sh
# The text module against names in every script the board must draw (see
# textcheck.c), and the fonts' character maps as the board reads them
# against FreeType's (cmapcheck.c). The sample sheet lands in
# $HK_KEEP/text-samples.png when HK_KEEP names a directory, to be looked at.
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
	"$here/textcheck.c" "$root/kiosk/board/text.c" "$root/kiosk/board/cmap.c" "$root/kiosk/board/fontfile.c" \
	$(pkg-config --cflags --libs sdl2 SDL2_ttf SDL2_image fribidi) -lm 2>"$T/cc.log"; then
	cat "$T/cc.log"
	echo "not ok - the text checker builds"
	exit 1
fi
"$T/textcheck" "$T/text-samples.png"
rc=$?
[ -n "${HK_KEEP:-}" ] && cp "$T/text-samples.png" "$HK_KEEP/"

# The fallback search reads each font's own character map (cmap.c) instead
# of opening it with FreeType: both must agree on every codepoint.
if cc -std=c11 -D_GNU_SOURCE -O1 -g $san -I"$root/kiosk" -o "$T/cmapcheck" \
	"$here/cmapcheck.c" "$root/kiosk/board/cmap.c" "$root/kiosk/board/text.c" "$root/kiosk/board/fontfile.c" \
	$(pkg-config --cflags --libs sdl2 SDL2_ttf fribidi) -lm 2>"$T/cc.log"; then
	if "$T/cmapcheck" "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc#2" \
		>"$T/cmap.log" && "$T/cmapcheck" >>"$T/cmap.log"; then
		echo "ok - every font of the chain says which characters it has as FreeType does" \
			"($(grep -c '^ok' "$T/cmap.log") fonts, U+0000 to U+3FFFF)"
	else
		echo "not ok - a font's character map is read differently from FreeType:"
		grep -v '^ok' "$T/cmap.log"
		rc=1
	fi
else
	cat "$T/cc.log"
	echo "not ok - the character map checker builds"
	rc=1
fi
exit $rc
