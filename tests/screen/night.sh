#!/bin/sh
# The colour emoji follow the night palette: on the demo board at 02:13
# each colourful emoji of the "Coming up" and "Today" panels is darker than
# the same emoji by day at 14:20 yet still in colour, and no emoji (the
# white speech bubble and football included) is brighter than the night's
# text, C8D2DC. The emoji's boxes come from the scene dump.
#
# Run by tests/run with HK_BUILD (hubkiosk, hubctl) and HK_TMP.
. "$(dirname "$0")/lib.inc"
pngcheck_build
db=$T/hub.db
demo_db "$db" 2026-11-24

# The box of the op tagged $2 in dump $1 whose text is $3, as "X Y W H".
box() { awk -F '\t' -v t="$2" -v s="$3" '$2 == t && $8 == s { print $3, $4, $5, $6 }' "$1"; }

# The text of each emoji-only op (".icon" tags), as "TAG<tab>TEXT".
icons() { awk -F '\t' '$1 == "text" && $2 ~ /\.icon$/ { print $2 "\t" $8 }' "$1"; }

for size in 1920x1080 800x480; do
	for when in day night; do
		at=2026-11-24T14:20
		[ $when = night ] && at=2026-11-25T02:13
		if ! "$B/hubkiosk" --db "$db" --screenshot "$T/$when.png" --size "$size" \
			--at "$at" --dump-scene "$T/$when.tsv" 2>"$T/err"; then
			notok "$size: hubkiosk --screenshot at $at exits 0 ($(cat "$T/err"))"
			continue 2
		fi
	done
	# Colourful emoji (not the white speech bubble or the football) have a
	# vivid pixel to compare; white ones are compared with the night text.
	compared=0 dimmed="" glaring="" faded=""
	tab=$(printf '\t')
	while IFS=$tab read -r tag text; do
		set -- $(box "$T/night.tsv" "$tag" "$text")
		bright=$("$T/pngcheck" brightest "$T/night.png" "$@")
		night=$("$T/pngcheck" vivid "$T/night.png" "$@")
		[ "${bright:-255}" -le 220 ] || glaring="$glaring $tag($bright)"
		set -- $(box "$T/day.tsv" "$tag" "$text")
		[ $# -eq 4 ] || continue
		day=$("$T/pngcheck" vivid "$T/day.png" "$@")
		[ "${day:-0}" -ge 150 ] || continue
		compared=$((compared + 1))
		# darker by a quarter at least, yet still in colour
		[ $((night * 4)) -le $((day * 3)) ] || dimmed="$dimmed $tag($day -> $night)"
		[ "$night" -ge 80 ] || faded="$faded $tag($day -> $night)"
	done <<-LIST
	$(icons "$T/night.tsv")
	LIST
	if [ "$compared" -ge 3 ] && [ -z "$dimmed" ]; then
		ok "$size: at night $compared colour emoji are darker than by day"
	else
		notok "$size: at night colour emoji are darker than by day" \
			"($compared compared; not dimmed:$dimmed)"
	fi
	if [ -z "$glaring" ] && [ "$compared" -ge 1 ]; then
		ok "$size: at night no emoji is brighter than the text"
	else
		notok "$size: at night no emoji is brighter than the text:$glaring"
	fi
	if [ -z "$faded" ] && [ "$compared" -ge 1 ]; then
		ok "$size: at night the emoji are still drawn in colour"
	else
		notok "$size: at night the emoji are still drawn in colour:$faded"
	fi
	[ -n "${HK_KEEP:-}" ] && cp "$T/day.png" "$HK_KEEP/emoji-day-$size.png" &&
		cp "$T/night.png" "$HK_KEEP/emoji-night-$size.png"
done
exit $fail
