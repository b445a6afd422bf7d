#!/bin/sh
# A title is read whole from across the room (issue 14): at 1920x1080 every
# event of the next seven days (today and the six after) still to come has its whole title on the
# board - on a second line rather than cut with "…" - and OCR (tesseract)
# reads each one back whole from the picture. At 1280x720, 800x480 and a
# portrait 1080x1920 the titles and visiting notes stay inside their panels
# and overlap nothing. Pictures in $HK_BUILD/screen/titles/ to look at.
#
# Run by tests/run with HK_BUILD (hubkiosk, hubctl) and HK_TMP.
. "$(dirname "$0")/lib.inc"
check() { s=$1; shift; if "$@"; then ok "$s"; else notok "$s"; fi; }
shots=$B/screen/titles
rm -rf "$shots"
mkdir -p "$shots"
db=$T/hub.db
day=2026-11-24
at=${day}T14:20
demo_db "$db" "$day"
"$B/hubctl" --db "$db" event list --from "$day" --to 2026-12-01 --tsv >"$T/events.tsv"
atsec=$(date -d "$at" +%s)

shot() { # SIZE
	"$B/hubkiosk" --db "$db" --at "$at" --size "$1" --screenshot "$shots/$1.png" \
		--dump-scene "$shots/$1.tsv" 2>>"$T/err"
}

# The title ops of event ID, one line: "x0 y0 x1 y1<TAB>text joined by spaces".
title_of() {
	awk -F '\t' -v id="$2" '
	$1 == "text" && ($2 == "event." id ".title" || $2 ~ "^event\\." id "\\.title[0-9]$") {
		if (n++ == 0) { x0 = $3; y0 = $4; x1 = $3 + $5; y1 = $4 + $6 }
		if ($3 < x0) x0 = $3
		if ($3 + $5 > x1) x1 = $3 + $5
		if ($4 + $6 > y1) y1 = $4 + $6
		t = t (t == "" ? "" : " ") $8
	}
	END { if (n) printf "%d %d %d %d\t%s\n", x0, y0, x1, y1, t }' "$1"
}

norm() { tr '’‘\n' "'' " | tr -s ' ' | sed 's/^ //; s/ $//'; }

shot 1920x1080 || notok "the board draws the demo day at 1920x1080"
ocr=1
command -v tesseract >/dev/null 2>&1 || ocr=0
[ $ocr = 1 ] && pngcheck_build
n=0
# the events of the next seven days that are not over at the instant drawn
tail -n +2 "$T/events.tsv" >"$T/week.tsv"
while IFS='	' read -r id from until allday cat title loc status; do
	[ "$status" = planned ] || continue
	[ "$(date -d "$until" +%s)" -gt "$atsec" ] || continue
	n=$((n + 1))
	got=$(title_of "$shots/1920x1080.tsv" "$id")
	text=${got#*	}
	check "1920x1080: '$title' is on the board whole (drawn: '$text')" [ "$text" = "$title" ]
	if [ $ocr = 0 ]; then
		ok "1920x1080: # SKIP '$title' read back by OCR (tesseract is not installed)"
		continue
	fi
	set -- ${got%%	*}
	"$T/pngcheck" crop "$shots/1920x1080.png" $(($1 - 8)) $(($2 - 4)) $(($3 - $1 + 16)) \
		$(($4 - $2 + 8)) "$T/title-$id.png"
	tesseract "$T/title-$id.png" "$T/title-$id" --psm 6 >/dev/null 2>&1
	read_back=$(norm <"$T/title-$id.txt")
	check "1920x1080: OCR reads '$title' whole (read: '$read_back')" \
		[ "$read_back" = "$(printf '%s' "$title" | norm)" ]
done <"$T/week.tsv"
check "the next seven days have titles to read ($n)" [ "$n" -ge 3 ]

# Text boxes that overlap another or leave their panel's column.
bad_boxes() {
	awk -F '\t' -v W="$2" -v H="$3" '
	$1 == "text" && $2 !~ /^(header|notice|storage|banner|ring|pairing|progress)/ {
		n++; x[n] = $3; y[n] = $4; w[n] = $5; h[n] = $6; tag[n] = $2
		if ($3 < 0 || $4 < 0 || $3 + $5 > W || $4 + $6 > H)
			print "outside: " $2
	}
	END {
		for (i = 1; i <= n; i++)
			for (j = i + 1; j <= n; j++)
				if (x[i] < x[j] + w[j] && x[j] < x[i] + w[i] &&
				    y[i] < y[j] + h[j] && y[j] < y[i] + h[i])
					print "overlap: " tag[i] " and " tag[j]
	}' "$1"
}
for size in 1920x1080 1280x720 800x480 1080x1920; do
	[ -s "$shots/$size.tsv" ] || shot "$size"
	bad=$(bad_boxes "$shots/$size.tsv" "${size%x*}" "${size#*x}")
	check "$size: no text overlaps another or leaves the screen${bad:+ ($bad)}" [ -z "$bad" ]
	# (a portrait row is wide enough for every title on one line)
	[ "$size" = 1080x1920 ] ||
		check "$size: a long title goes on to a second line" \
			grep -q '^text	event\.[0-9]*\.title2	' "$shots/$size.tsv"
done
# portrait: the panels are rows the width of the screen, not three columns
check "1080x1920: the panels are full-width rows in reading order" sh -c "
	awk -F '\t' '\$1 == \"fill\" && (\$2 == \"beds\" || \$2 == \"today\" || \$2 == \"events\") {
		print \$2, \$3, \$4, \$5 }' '$shots/1080x1920.tsv' |
	awk '{ if (\$4 < 1000) bad = 1; if (\$3 <= last) bad = 1; last = \$3 }
	     END { exit bad || NR != 3 }'"
exit $fail
