#!/bin/sh
# The buttons on the running board (SDL's offscreen window, no GPIO here, so
# the keys stand in), driven by the test hook HUBKIOSK_TEST_KEYS through the
# same path as a key press: NEXT moves the highlight, CHECK-IN checks the
# highlighted visitor in and says so only once it is recorded, a repeat is
# ignored and counted, EMERGENCY fills a ring while held, let go early
# records nothing, held 2 s records an arrival in the free bed; a press the
# database refuses says plainly it was NOT saved; the notice line says why
# the buttons are unavailable. Pictures and scenes are kept in
# $HK_BUILD/screen/buttons/ to look at.
#
# Run by tests/run with HK_BUILD (hubkiosk, hubctl) and HK_TMP.
. "$(dirname "$0")/lib.inc"
# check "sentence" command...
check() { s=$1; shift; if "$@"; then ok "$s"; else notok "$s"; fi; }
shots=$B/screen/buttons
rm -rf "$shots"
mkdir -p "$shots"

# Two visitors early today (late by now, both still to be checked in: the
# first is highlighted), two beds, Willow free.
db=$T/hub.db
today=$(date +%F)
{
	"$B/hubctl" --db "$db" hub name "Rowan House" &&
	"$B/hubctl" --db "$db" bed add Willow --room "Garden room" &&
	"$B/hubctl" --db "$db" bed add Oak --room "Attic room" &&
	"$B/hubctl" --db "$db" person add Saoirse --role visitor &&
	"$B/hubctl" --db "$db" person add Aoife --role visitor &&
	"$B/hubctl" --db "$db" visit add Saoirse --at "${today}T00:01" &&
	"$B/hubctl" --db "$db" visit add Aoife --at "${today}T00:02"
} >/dev/null || { notok "hubctl makes the test database"; exit 1; }

# SDL's offscreen driver loads Mesa's EGL, which leaks by itself (loop.sh).
board() {
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 SDL_VIDEODRIVER=offscreen \
	HUBKIOSK_TEST_SHOTS=$shots HUBKIOSK_TEST_KEYS=$1 \
		timeout 30 "$B/hubkiosk" --db "$db" --windowed --size 1280x720 2>>"$T/log"
}

# field TSV TAG COLUMN: a column of the first op with that tag (1 kind, 2 tag,
# 3 x, 4 y, 5 w, 6 h, 8 text)
field() { awk -F '\t' -v t="$2" -v c="$3" '$2 == t { print $c; exit }' "$1"; }
# The visitor whose row the highlight frames.
highlighted() {
	awk -F '\t' '
	$2 == "item.highlight" { y0 = $4; y1 = $4 + $6 }
	$2 ~ /^visit\.[0-9]+\.who$/ { who[$4] = $8 }
	END { for (y in who) if (y + 0 >= y0 && y + 0 < y1) print who[y] }' "$1"
}
q() { sqlite3 "$db" "$1"; }

board "shot:idle@0.4, n@0.6, shot:next@1.0, c@1.6, c@2.0, shot:checkin@2.6,
	e-down@3.2, shot:ring@4.2, e-up@4.5, shot:cancelled@4.8,
	e-down@5.2, e-up@7.6, shot:emergency@7.9, quit@8.2"
rc=$?
check "the board runs the key script and closes with status 0 (got $rc)" [ $rc -eq 0 ]

check "the notice says why the buttons are unavailable and which keys stand in" \
	grep -q 'Buttons unavailable: no GPIO chips.*keys C, N, E stand in' "$shots/idle.tsv"
check "the first visitor still to check in is highlighted at the start (Saoirse)" \
	[ "$(highlighted "$shots/idle.tsv")" = Saoirse ]
check "NEXT moves the highlight to the next visitor (Aoife), at once" \
	[ "$(highlighted "$shots/next.tsv")" = Aoife ]
check "CHECK-IN checks the highlighted visitor in and says so on a banner" \
	grep -q 'banner.text.*Aoife checked in at [0-2][0-9]:[0-5][0-9]' "$shots/checkin.tsv"
check "after the check-in the highlight goes back to whoever is still to come (Saoirse)" \
	[ "$(highlighted "$shots/checkin.tsv")" = Saoirse ]
check "the record says Aoife is in" \
	[ "$(q "select count(*) from visit v join person p on p.id = v.person_id
		where p.display = 'Aoife' and v.arrived_at is not null")" = 1 ]
# The ring fills clockwise from 12 o'clock: half full, its 3 o'clock point
# is in the arc's strong colour and its 9 o'clock point in the faint track.
arc_at() { # TSV PNG 3|9: "arc" or "track" for that point of the ring
	set -- $(awk -F '\t' '$1 == "ring" { print $3, $4, $5, $6; exit }' "$1") "$2" "$3"
	[ $# -eq 6 ] || { echo none; return; }
	x=$(($1 + $3 / 12)); [ "$6" = 3 ] && x=$(($1 + $3 - $3 / 12))
	c=$("$T/pngcheck" pixel "$5" "$x" $(($2 + $4 / 2)))
	r=$(printf '%d' "0x$(echo "$c" | cut -c1-2)"); g=$(printf '%d' "0x$(echo "$c" | cut -c3-4)")
	if [ $((r - g)) -gt 100 ]; then echo arc; else echo track; fi
}
if cc -o "$T/pngcheck" "$(dirname "$0")/pngcheck.c" \
	$(pkg-config --cflags --libs sdl2 SDL2_image) 2>"$T/cc.log"; then
	a3=$(arc_at "$shots/ring.tsv" "$shots/ring.png" 3)
	a9=$(arc_at "$shots/ring.tsv" "$shots/ring.png" 9)
	check "EMERGENCY held 1 s of 2 shows the ring half full (3 o'clock $a3, 9 o'clock $a9)" \
		[ "$a3 $a9" = "arc track" ]
else
	notok "the PNG checker builds: $(cat "$T/cc.log")"
fi
check "no banner sits under the ring" sh -c "! grep -q '^fill	banner' '$shots/ring.tsv'"
check "letting EMERGENCY go early takes the ring away" \
	sh -c "! grep -q '^ring' '$shots/cancelled.tsv'"
check "EMERGENCY held 2 s says at once which bed the arrival has (Willow)" \
	grep -q 'banner.text.*Emergency arrival: bed Willow' "$shots/emergency.tsv"
check "the board shows Willow occupied by the emergency arrival" \
	grep -q 'bed.1.state.*occupied' "$shots/emergency.tsv"
got=$(q "select group_concat(kind || ':' || outcome || ':' || line, ' ')
	from (select * from press order by id)")
want="next:moved:key:n checkin:checked-in:key:c ignored:counted:key:c emergency:emergency-bed:key:e"
check "the record has each key press once, the repeat counted, the early let-go nothing ($got)" \
	[ "$got" = "$want" ]
check "the emergency press is dated by the key going down, 2.4 s before it was let go" \
	[ "$(q "select count(*) from press p join journal j on j.seq = p.journal_seq
		where p.kind = 'emergency' and j.at = p.wall_ns / 1000000000")" = 1 ]
check "the journal has the check-in by the button" \
	sh -c "'$B/hubctl' --db '$db' journal --tsv | grep -q 'button:key:c.*press.checked-in'"

# --- a press the database refuses ---------------------------------------------
n0=$(q "select count(*) from journal")
# another program holds the write lock for 6 s, from 1 s after the start
(sleep 1; { echo "BEGIN IMMEDIATE;"; echo "INSERT INTO setting VALUES ('t', '1');";
	sleep 6; echo "ROLLBACK;"; } | sqlite3 "$db") &
lock=$!
board "c@2.5, shot:notsaved@5.2, quit@5.5"
wait $lock
check "a press the locked database refuses is said to be NOT saved, and why" \
	grep -q 'banner.text.*NOT saved' "$shots/notsaved.tsv"
check "the refusal says what to do (press again)" \
	grep -q 'banner.detail.*busy.*Press again' "$shots/notsaved.tsv"
check "the refusal is in red, not in the confirmation's green" \
	grep -q '^fill	banner.error' "$shots/notsaved.tsv"
check "nothing was written for the refused press" [ "$(q "select count(*) from journal")" = "$n0" ]
check "the log says the press was NOT saved" grep -q 'was NOT saved' "$T/log"

# --- the [buttons] section of the configuration ----------------------------------
printf '[buttons]\nchip =\ncheckin = GPIO5\nled_red =\ndebounce_ms = 40\n' >"$T/ok.conf"
printf '[buttons]\ndebounce_ms = soon\n' >"$T/bad.conf"
printf '[buttons]\nemergancy = GPIO27\n' >"$T/typo.conf"
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 SDL_VIDEODRIVER=offscreen \
HUBKIOSK_TEST_KEYS="quit@0.2" "$B/hubkiosk" --db "$db" --config "$T/ok.conf" --windowed \
	2>"$T/conf.log"
check "a [buttons] section with pins, an empty line and a debounce is accepted" [ $? -eq 0 ]
"$B/hubkiosk" --db "$db" --config "$T/bad.conf" 2>"$T/conf.log"
rc=$?
check "a debounce that is not a number is refused with the file and line" \
	grep -q 'bad.conf:2: debounce_ms = soon' "$T/conf.log"
check "... with status 1 (got $rc)" [ $rc -eq 1 ]
"$B/hubkiosk" --db "$db" --config "$T/typo.conf" 2>"$T/conf.log"
rc=$?
check "a misspelt [buttons] key is refused, naming it" \
	grep -q "typo.conf:2: unknown key 'emergancy' in \[buttons\]" "$T/conf.log"
check "... with status 1 (got $rc)" [ $rc -eq 1 ]
exit $fail
