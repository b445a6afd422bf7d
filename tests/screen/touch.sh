#!/bin/sh
# Touch on the running board (SDL's offscreen window), driven by the test
# hook HUBKIOSK_TEST_KEYS, whose tap:/touch- steps push SDL_FINGERDOWN,
# SDL_FINGERMOTION and SDL_FINGERUP into SDL's queue as a touch screen
# does: a tap on a visitor highlights them and shows "Check in NAME", a
# quick second tap checks no one in, the confirm checks them in once
# (recorded as a press on "touch", the banner only once it is durable), a
# touch held on the emergency area fills the ring, let go early or slid
# away records nothing, held 2 s records an arrival in the free bed.
# Pictures and scenes are kept in $HK_BUILD/screen/touch/ to look at.
#
# Run by tests/run with HK_BUILD (hubkiosk, hubctl) and HK_TMP.
. "$(dirname "$0")/lib.inc"
check() { s=$1; shift; if "$@"; then ok "$s"; else notok "$s"; fi; }
shots=$B/screen/touch
rm -rf "$shots"
mkdir -p "$shots"
pngcheck_build

db=$T/hub.db
today=$(date +%F)
{
	"$B/hubctl" --db "$db" hub name "Rowan House" &&
	"$B/hubctl" --db "$db" bed add Willow --room "Garden room" &&
	"$B/hubctl" --db "$db" person add Saoirse --role visitor &&
	"$B/hubctl" --db "$db" person add Aoife --role visitor &&
	"$B/hubctl" --db "$db" visit add Saoirse --at "${today}T00:01" &&
	"$B/hubctl" --db "$db" visit add Aoife --at "${today}T00:02"
} >/dev/null || { notok "hubctl makes the test database"; exit 1; }
aoife=$("$B/hubctl" --db "$db" visit list --tsv | awk -F '\t' '$3 == "Aoife" { print $1 }')

# The day palette, the screen lit, at any hour: after 23:00 the night
# palette would dim the colours checked below, and the dark hours blank
# the board (night.sh and display.sh test those).
printf '[board]\ndim_at_night = no\n[display]\nschedule = no\n' >"$T/day.conf"
board() {
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 SDL_VIDEODRIVER=offscreen \
	HUBKIOSK_TEST_SHOTS=$shots HUBKIOSK_TEST_KEYS=$1 \
		timeout 30 "$B/hubkiosk" --db "$db" --config "$T/day.conf" --windowed --size 1280x720 2>>"$T/log"
}
field() { awk -F '\t' -v t="$2" -v c="$3" '$2 == t { print $c; exit }' "$1"; }
highlighted() {
	awk -F '\t' '
	$2 == "item.highlight" { y0 = $4; y1 = $4 + $6 }
	$2 ~ /^visit\.[0-9]+\.who$/ { who[$4] = $8 }
	END { for (y in who) if (y + 0 >= y0 && y + 0 < y1) print who[y] }' "$1"
}
# The colour at the centre of the first op with that tag.
colour_of() {
	set -- $(awk -F '\t' -v t="$2" '$2 == t { print $3 + int($5 / 2), $4 + 4; exit }' "$1") \
		"$3"
	[ $# -eq 3 ] && "$T/pngcheck" pixel "$3" "$1" "$2"
}
q() { sqlite3 "$db" "$1"; }
presses() { q "select kind || ':' || outcome from press where line = 'touch' order by id" |
	tr '\n' ' '; }

board "shot:first@0, shot:idle@0.4, tap:visit.$aoife.who@0.6, shot:chosen@1.0,
	tap:visit.$aoife.who@1.1, shot:double@1.4, tap:confirm@2.4, shot:checked@2.8,
	touch-down:touch.emergency@3.2, shot:ring@4.2, touch-up@4.5, shot:let-go@4.8,
	touch-down:touch.emergency@5.0, touch-move:640x60@5.4, touch-up@5.6,
	touch-down:touch.emergency@6.0, touch-up@8.4, shot:emergency@8.7, quit@9.0"
rc=$?
check "the board runs the touch script and closes with status 0 (got $rc)" [ $rc -eq 0 ]
# the first frame is built while the window opens (board/opening.h), with
# what the first turn would lay over it
check "the first frame already highlights the day's next visitor, Saoirse" \
	[ "$(highlighted "$shots/first.tsv")" = Saoirse ]
check "and already shows the emergency area" grep -q 'touch.emergency' "$shots/first.tsv"
check "a touchable board shows the area to hold for an emergency arrival" \
	grep -q 'touch.emergency.detail.*touch and hold here for 2 seconds' "$shots/idle.tsv"
check "no confirm shows before anyone is tapped" \
	[ -z "$(field "$shots/idle.tsv" confirm.text 8)" ]
check "a tap on Aoife highlights her" [ "$(highlighted "$shots/chosen.tsv")" = Aoife ]
check "and shows a large 'Check in Aoife' to tap" \
	[ "$(field "$shots/chosen.tsv" confirm.text 8)" = "✓ Check in Aoife" ]
c=$(colour_of "$shots/chosen.tsv" confirm "$shots/chosen.png")
check "the confirm is painted in the check-in green (got $c)" [ "$c" = 007A5A ]
waits() { [ -z "$(field "$1" banner.text 8)" ] && [ -n "$(field "$1" confirm.text 8)" ]; }
check "a quick second tap on her checks no one in: no banner, the confirm still waits" \
	waits "$shots/double.tsv"
check "the confirm checks Aoife in and says so on a banner" \
	grep -q 'banner.text.*Aoife checked in at [0-2][0-9]:[0-5][0-9]' "$shots/checked.tsv"
check "the record has Aoife in, once" \
	[ "$(q "select count(*) from visit where arrived_at is not null and id = $aoife")" = 1 ]
check "hubctl visit list says she is here" \
	"$B/hubctl" --db "$db" visit list --tsv | grep -q "^$aoife	.*	Aoife	.*	here	"
check "the confirm goes once acted on" [ -z "$(field "$shots/checked.tsv" confirm.text 8)" ]
check "a touch held on the emergency area fills the ring" \
	grep -q 'ring.text.*Keep holding for an emergency' "$shots/ring.tsv"
check "let go, the ring goes" [ -z "$(field "$shots/let-go.tsv" ring 1)" ]
check "held 2 s, an emergency arrival is recorded in the free bed" \
	grep -q 'banner.text.*Emergency arrival: bed Willow' "$shots/emergency.tsv"
check "the green LED acknowledged the check-in, the red one the arrival" \
	grep -q '^red 1' "$shots/emergency.leds"
p=$(presses)
check "the record names each touch press: choose, double tap swallowed, check in, arrival (got $p)" \
	[ "$p" = "next:moved ignored:counted checkin:checked-in emergency:emergency-bed " ]
check "early release and a slide away recorded no arrival" \
	[ "$(q "select count(*) from stay")" = 1 ]
exit $fail
