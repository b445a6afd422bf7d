#!/bin/sh
# The demo board drawn headless at three screen sizes: the picture is the
# asked size and not blank, the scene's text boxes neither overlap nor leave
# the screen, no full name or hidden child's name is drawn, the clock, the
# beds and every visitor are, and a bed's badge is painted in its state's
# colour.
#
# Run by tests/run with HK_BUILD (hubkiosk, hubctl) and HK_TMP.
. "$(dirname "$0")/lib.inc"
pngcheck_build
db=$T/hub.db
demo_db "$db" 2026-11-24
"$B/hubctl" --db "$db" person list --tsv >"$T/people.tsv"
"$B/hubctl" --db "$db" visit list --on 2026-11-24 --tsv >"$T/visits.tsv"
"$B/hubctl" --db "$db" bed list --tsv >"$T/beds.tsv"

# The text column of every TEXT op, one per line.
texts() { awk -F '\t' '$1 == "text" { print $8 }' "$1"; }

# Prints the TEXT boxes that overlap another or leave a W x H screen.
bad_boxes() {
	awk -F '\t' -v W="$2" -v H="$3" '
	$1 == "text" {
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

# The day palette's colour of a state word (kiosk/core/scene.c).
state_colour() {
	case $1 in
	*free*) echo 007A5A ;;
	*reserved*) echo E69F00 ;;
	*occupied*) echo 0072B2 ;;
	*unavailable*) echo 7B8794 ;;
	*) echo none ;;
	esac
}

check_privacy() {
	dump=$1 size=$2
	leaked=$(awk -F '\t' 'NR > 1 { if ($5 == "yes") print $2; if ($3 != "" && $3 != $2) print $3 }' \
		"$T/people.tsv" | while IFS= read -r name; do
			texts "$dump" | grep -qF -- "$name" && echo "$name"
		done)
	if [ -z "$leaked" ]; then
		ok "$size: no full name and no hidden person's name is drawn"
	else
		notok "$size: drawn although private: $leaked"
	fi
}

check_content() {
	dump=$1 size=$2
	if texts "$dump" | grep -qx '14:20'; then
		ok "$size: the clock shows 14:20"
	else
		notok "$size: the clock shows 14:20"
	fi
	missing=""
	for id in $(awk -F '\t' 'NR > 1 { print $1 }' "$T/beds.tsv"); do
		word=$(awk -F '\t' -v t="bed.$id.state" '$2 == t { print $8 }' "$dump")
		[ "$(state_colour "$word")" = none ] && missing="$missing bed.$id.state"
	done
	hidden=$(awk -F '\t' 'NR > 1 && $5 == "yes" { print $2 }' "$T/people.tsv")
	for name in $(awk -F '\t' 'NR > 1 { print $3 }' "$T/visits.tsv"); do
		echo "$hidden" | grep -qxF -- "$name" && continue
		texts "$dump" | grep -qxF -- "$name" || missing="$missing $name"
	done
	if [ -z "$missing" ]; then
		ok "$size: every bed shows a state word and every visitor's name is drawn"
	else
		notok "$size: missing from the board:$missing"
	fi
}

check_badges() {
	png=$1 dump=$2 size=$3
	wrong=""
	for id in $(awk -F '\t' 'NR > 1 { print $1 }' "$T/beds.tsv"); do
		word=$(awk -F '\t' -v t="bed.$id.state" '$2 == t { print $8 }' "$dump")
		set -- $(awk -F '\t' -v t="bed.$id.state.badge" '$2 == t { print $3, $4, $5, $6 }' "$dump")
		[ $# -eq 4 ] || { wrong="$wrong bed.$id(no badge)"; continue; }
		got=$("$T/pngcheck" pixel "$png" $(($1 + 3)) $(($2 + $4 / 2)))
		want=$(state_colour "$word")
		[ "$got" = "$want" ] || wrong="$wrong bed.$id($word: $got, not $want)"
	done
	if [ -z "$wrong" ]; then
		ok "$size: each bed's badge is painted in its state's colour"
	else
		notok "$size: badge colours:$wrong"
	fi
}

for size in 1920x1080 1280x720 800x480; do
	w=${size%x*} h=${size#*x}
	png=$T/board-$size.png dump=$T/board-$size.tsv
	if "$B/hubkiosk" --db "$db" --screenshot "$png" --size "$size" \
		--at 2026-11-24T14:20 --dump-scene "$dump" 2>"$T/err"; then
		ok "$size: hubkiosk --screenshot exits 0"
	else
		notok "$size: hubkiosk --screenshot exits 0 ($(cat "$T/err"))"
		continue
	fi
	got=$("$T/pngcheck" size "$png")
	if [ "$got" = "$w $h" ]; then
		ok "$size: the PNG is exactly $w x $h"
	else
		notok "$size: the PNG is exactly $w x $h (got '$got')"
	fi
	colours=$("$T/pngcheck" colours "$png")
	if [ "${colours:-0}" -gt 50 ]; then
		ok "$size: the picture is not blank ($colours colours)"
	else
		notok "$size: the picture is not blank ($colours colours)"
	fi
	bad=$(bad_boxes "$dump" "$w" "$h")
	if [ -z "$bad" ] && [ "$(texts "$dump" | wc -l)" -gt 10 ]; then
		ok "$size: no two text boxes overlap and none leaves the screen"
	else
		notok "$size: text boxes: $bad"
	fi
	check_privacy "$dump" "$size"
	check_content "$dump" "$size"
	check_badges "$png" "$dump" "$size"
	[ -n "${HK_KEEP:-}" ] && cp "$png" "$dump" "$HK_KEEP/"
done
exit $fail
