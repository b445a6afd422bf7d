#!/bin/sh
# Dark when no one looks, on the running board (SDL's offscreen window): a
# [display] schedule whose dark hours cover now paints the screen black
# (the test hook says "off"; without DRM there is no DPMS, which the log
# says), and a key press meanwhile is still recorded and acknowledged by
# the green LED. Pictures in $HK_BUILD/screen/display/.
#
# Run by tests/run with HK_BUILD (hubkiosk, hubctl) and HK_TMP.
. "$(dirname "$0")/lib.inc"
check() { s=$1; shift; if "$@"; then ok "$s"; else notok "$s"; fi; }
shots=$B/screen/display
rm -rf "$shots"
mkdir -p "$shots"
pngcheck_build
db=$T/hub.db
today=$(date +%F)
# Saoirse is expected today, hours from now: a visitor's arrival window
# (from 30 min before to an hour after) would light the board
if [ "$(date +%H)" -lt 12 ]; then expected=23:59; else expected=00:01; fi
{
	"$B/hubctl" --db "$db" person add Saoirse --role visitor &&
	"$B/hubctl" --db "$db" visit add Saoirse --at "${today}T$expected"
} >/dev/null || { notok "hubctl makes the test database"; exit 1; }
# dark hours from an hour ago to an hour from now (across midnight too)
from=$(date -d '-1 hour' +%H:%M); to=$(date -d '+1 hour' +%H:%M)
printf '[display]\noff = %s-%s\nidle = 0\n' "$from" "$to" >"$T/dark.conf"
printf '[display]\nschedule = no\n' >"$T/lit.conf"
board() {
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 SDL_VIDEODRIVER=offscreen \
	HUBKIOSK_TEST_SHOTS=$shots HUBKIOSK_TEST_KEYS=$2 \
		timeout 30 "$B/hubkiosk" --db "$db" --config "$1" --windowed --size 1280x720 \
		2>>"$T/log"
}
board "$T/dark.conf" "shot:dark@0.5, c@0.7, shot:pressed@1.0, quit@1.2"
check "the board runs in its dark hours and closes with status 0" [ $? -eq 0 ]
check "the test hook says the display is off" [ "$(cat "$shots/dark.display")" = off ]
c=$("$T/pngcheck" pixel "$shots/dark.png" 640 60)
check "the screen is black (got $c at the clock)" [ "$c" = 000000 ]
check "a press while dark is still recorded: Saoirse is in" \
	[ "$(sqlite3 "$db" "select count(*) from visit where arrived_at is not null")" = 1 ]
check "and acknowledged by the green LED" grep -q '^green 1' "$shots/pressed.leds"
check "the log says the schedule turned the screen off" \
	grep -q 'the display schedule turns the screen off' "$T/log"
check "and, with no DRM under SDL's offscreen video, that dark is a black frame (no DPMS)" \
	grep -q 'in the dark hours the screen is painted black (no DPMS: SDL video offscreen' "$T/log"
if ! ls /dev/cec* >/dev/null 2>&1; then
	check "and, on a machine with no HDMI-CEC adapter, that there is no TV to tell" \
		grep -q 'no HDMI-CEC: this machine has no HDMI-CEC adapter' "$T/log"
fi
board "$T/lit.conf" "shot:lit@0.5, quit@0.7"
check "with the schedule off the screen is lit" [ "$(cat "$shots/lit.display")" = on ]
exit $fail
