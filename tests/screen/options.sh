#!/bin/sh
# hubkiosk's command line and config file: without a display it says how to
# render headless; bad values and usage errors exit 1 and 2 with one line
# naming the value, and touch no database; the config file is applied and
# its mistakes are named with file and line.
#
# Run by tests/run with HK_BUILD (hubkiosk, hubctl) and HK_TMP.
. "$(dirname "$0")/lib.inc"
K=$B/hubkiosk

# expect STATUS PATTERN SENTENCE -- ARGS: runs hubkiosk, wants that exit
# status and exactly one stderr line matching PATTERN.
expect() {
	want=$1 pat=$2 what=$3
	shift 4
	timeout 20 "$K" "$@" >"$T/out" 2>"$T/err"
	rc=$?
	lines=$(wc -l <"$T/err")
	if [ "$rc" -eq "$want" ] && [ "$lines" -eq 1 ] && grep -q -- "$pat" "$T/err"; then
		ok "$what"
	else
		notok "$what (exit $rc, stderr: $(cat "$T/err"))"
	fi
}

nodb=$T/never.db
if [ -e /dev/dri/card0 ]; then
	ok "# SKIP a DRM device is present, so hubkiosk would really open the screen"
else
	expect 1 'no display: SDL could not open kmsdrm.*--screenshot FILE.png' \
		"without a display and without --screenshot it exits 1 and points to --screenshot" \
		-- --db "$nodb"
fi
if [ ! -e /dev/dri/card0 ]; then
	expect 1 'no display:.*--screenshot' \
		"--windowed without a display exits 1 with the same advice" -- --windowed --db "$nodb"
fi
export SDL_VIDEODRIVER=nosuchdriver
expect 1 "no display: SDL could not open nosuchdriver" \
	"a video driver SDL does not have exits 1 naming it" -- --db "$nodb"
unset SDL_VIDEODRIVER
expect 2 "--size abc: give the size as WIDTHxHEIGHT" "a malformed --size is a usage error (2)" \
	-- --db "$nodb" --screenshot "$T/x.png" --size abc
expect 1 "--size 100x100: the board needs at least 640x400" \
	"a --size the board cannot lay out exits 1 naming it" \
	-- --db "$nodb" --screenshot "$T/x.png" --size 100x100
expect 1 "--at yesterday-ish: not a time" "an unreadable --at exits 1 naming it" \
	-- --db "$nodb" --screenshot "$T/x.png" --at yesterday-ish
expect 1 "--at 2026-03-29T01:30: that local time does not exist" \
	"an --at the clocks skip exits 1 saying so" \
	-- --db "$nodb" --screenshot "$T/x.png" --at 2026-03-29T01:30
expect 2 "unknown option '--colour'" "an unknown option is a usage error" -- --colour
expect 2 "unexpected argument 'now'" "a stray argument is a usage error" -- --db "$nodb" now
expect 2 "--at only goes with --screenshot" "--at without --screenshot is a usage error" \
	-- --db "$nodb" --at 2026-11-24T14:20
expect 2 "--screenshot needs a value" "--screenshot without a file is a usage error" -- --screenshot
if [ -e "$nodb" ] || [ -e "$T/x.png" ]; then
	notok "refused command lines created a database or a picture"
else
	ok "refused command lines create no database and no picture"
fi
if "$K" --help >"$T/out" 2>&1 && grep -q '^Usage: hubkiosk' "$T/out" \
	&& grep -q -- '--screenshot FILE' "$T/out"; then
	ok "--help prints the usage and exits 0"
else
	notok "--help prints the usage and exits 0"
fi

# --- the config file ---------------------------------------------------------
db=$T/hub.db
"$B/hubctl" --db "$db" demo --date 2026-11-24 >/dev/null || notok "hubctl demo"
shot() { "$K" --db "$db" --screenshot "$T/c.png" --size 800x480 "$@"; }

printf '[hub]\nname = Willow Cottage\n[board]\ndim_at_night = no\n' >"$T/good.conf"
if shot --config "$T/good.conf" --at 2026-11-24T14:20 --dump-scene "$T/c.tsv" 2>"$T/err" \
	&& awk -F '\t' '$2 == "header.hub" { print $8 }' "$T/c.tsv" | grep -qx 'Willow Cottage'; then
	ok "[hub] name in the config is the name on the board"
else
	notok "[hub] name in the config is the name on the board ($(cat "$T/err"))"
fi

printf '# hub\n[hub]\nname = X\ncolour = red\n' >"$T/unknown.conf"
expect 1 "unknown.conf:4: unknown key 'colour' in \[hub\]" \
	"an unknown key is refused with the file and its line" \
	-- --db "$db" --config "$T/unknown.conf" --screenshot "$T/c.png"
printf '[board]\ndim_at_night = sometimes\n' >"$T/bool.conf"
expect 1 "bool.conf:2: dim_at_night = sometimes: say yes or no" \
	"a bad yes/no value is refused with the file and its line" \
	-- --db "$db" --config "$T/bool.conf" --screenshot "$T/c.png"
printf '[display]\ncec = perhaps\n' >"$T/cec.conf"
expect 1 "cec.conf:2: cec = perhaps: say yes or no" \
	"a bad cec value is refused with the file and its line" \
	-- --db "$db" --config "$T/cec.conf" --screenshot "$T/c.png"
printf '[display]\ncec = no\ncec_adapter = /dev/cec1\n' >"$T/cecok.conf"
if timeout 20 "$K" --db "$db" --config "$T/cecok.conf" --screenshot "$T/c.png" 2>"$T/err"; then
	ok "cec = no and a cec_adapter are taken"
else
	notok "cec = no and a cec_adapter are taken ($(cat "$T/err"))"
fi
expect 1 "nothere.conf: cannot be read" "a missing config file exits 1 naming it" \
	-- --db "$db" --config "$T/nothere.conf" --screenshot "$T/c.png"
printf '[fonts]\nchain = /nonexistent/Font-Regular.ttf\n' >"$T/font.conf"
expect 1 "font '/nonexistent/Font-Regular.ttf' cannot be read" \
	"a font chain naming a missing file exits 1 naming it" \
	-- --db "$db" --config "$T/font.conf" --screenshot "$T/c.png"
printf '[fonts]\nchain = /usr/share/fonts/truetype/noto/NotoSans-Regular.ttf , \n' >"$T/one.conf"
if shot --config "$T/one.conf" 2>"$T/err"; then
	ok "a chain of one font still draws the board"
else
	notok "a chain of one font still draws the board ($(cat "$T/err"))"
fi

# Quiet hours: the night colours, unless the config turns dimming off.
pngcheck_build
px() { "$T/pngcheck" pixel "$T/c.png" 2 2; }
shot --at 2026-11-24T14:20 && day=$(px)
shot --at 2026-11-24T23:30 && night=$(px)
shot --at 2026-11-24T23:30 --config "$T/good.conf" && undimmed=$(px)
if [ -n "${day:-}" ] && [ "$day" != "${night:-}" ] && [ "$day" = "${undimmed:-}" ]; then
	ok "the board dims in quiet hours, and dim_at_night = no keeps the day colours"
else
	notok "night dimming: day ${day:-?}, night ${night:-?}, undimmed ${undimmed:-?}"
fi
exit $fail
