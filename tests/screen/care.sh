#!/bin/sh
# Support care on the shared screen: the demo day at 14:20, when Kacper is
# at the hub for the afternoon, with records, a correction, the child's own
# statement and an immediate concern written for him in words nobody would
# use on a board, a second child in care from a family the board may not
# name, and carers with names as unusual. Read back by OCR (tesseract) from
# the PNG, and exactly from the scene dump: the children's display names
# are there; no word of any record, addendum or concern, no carer's name
# and no unnamed family's name is.
#
# Run by tests/run with HK_BUILD (hubkiosk, hubctl) and HK_TMP.
. "$(dirname "$0")/lib.inc"
db=$T/hub.db
demo_db "$db" 2026-11-24
hub() { "$B/hubctl" --db "$db" "$@" >"$T/out" 2>"$T/err"; }

# Words that appear nowhere else: each is written below into a record, an
# addendum, a statement, a concern, a care session's note or a carer's name.
secret="zebracorn xylophone quagmirish periwinkle marmalade glockenspiel
Ignatius Fairweather Quibblethorpe Hawthorn Wobblesworth"

setup() {
	hub record add Kacper --at 2026-11-24T14:00 \
		--activities "Built a zebracorn out of boxes and played the xylophone" \
		--wellbeing "Quagmirish mood after lunch" \
		--words "The periwinkle one is mine" \
		--concern "Spoke about the marmalade cupboard at home" --level immediate \
		--action "Kept him close" --told "duty team" &&
	id=$(sed -n 's/^record \([0-9]*\).*/\1/p' "$T/out" | head -n 1) &&
	[ -n "$id" ] &&
	hub record addendum "$id" "Correction: a glockenspiel, not a xylophone" &&
	hub record statement "$id" "Kacper says the zebracorn is called Wobblesworth" &&
	hub family change "the Kingfishers" --carers "Ignatius Fairweather and Piotr Quibblethorpe" &&
	hub person add Oskar --full-name "Oskar Unshownsurname" --role child \
		--family "the Hawthorn family" &&
	hub care add Oskar --from 2026-11-24T14:00 --until 2026-11-24T17:30 \
		--note "Hawthorn carers at a periwinkle hearing"
}
if setup; then
	ok "hubctl writes records, an addendum, a statement, a concern and a care session"
else
	cat "$T/err"
	notok "hubctl writes records, an addendum, a statement, a concern and a care session"
	exit 1
fi

# The text column of every TEXT op, one per line.
texts() { awk -F '\t' '$1 == "text" { print $8 }' "$1"; }

# The words of $secret found (case-insensitively) in file $1, space-separated.
leaks() {
	for w in $secret; do
		grep -qiF -- "$w" "$1" && printf ' %s' "$w"
	done
}

# Every such word is in the record, where it belongs: not finding it on the
# board then means something.
for what in "record show $id" "concern list --tsv" "family list --tsv" \
	"care list --on 2026-11-24 --tsv"; do
	hub $what && cat "$T/out"
done >"$T/kept.txt"
found=$(leaks "$T/kept.txt")
if [ "$found" = " $(echo $secret)" ]; then
	ok "every unusual word is kept in the records, concerns, families or care sessions"
else
	notok "every unusual word is kept in the records, concerns, families or care sessions" \
		"(found:$found)"
fi

ocr=1
command -v tesseract >/dev/null 2>&1 || ocr=0

for size in 1920x1080 1280x720; do
	png=$T/care-$size.png dump=$T/care-$size.tsv
	if ! "$B/hubkiosk" --db "$db" --screenshot "$png" --size "$size" \
		--at 2026-11-24T14:20 --dump-scene "$dump" 2>"$T/err"; then
		notok "$size: hubkiosk --screenshot exits 0 ($(cat "$T/err"))"
		continue
	fi
	texts "$dump" >"$T/drawn.txt"
	if grep -qx Kacper "$T/drawn.txt" && grep -qx Oskar "$T/drawn.txt" &&
		grep -q "here until 16:00" "$T/drawn.txt"; then
		ok "$size: the children in care are drawn by name, here until their end"
	else
		notok "$size: the children in care are drawn by name, here until their end"
	fi
	bad=$(leaks "$T/drawn.txt")
	if [ -z "$bad" ]; then
		ok "$size: no word of a record, concern, note, carer or unnamed family is drawn"
	else
		notok "$size: drawn although private:$bad"
	fi
	if [ $ocr = 0 ]; then
		ok "$size: # SKIP the board read by OCR (tesseract is not installed)"
		continue
	fi
	# sparse text: a board is panels and lines, not a page of prose
	tesseract "$png" "$T/ocr-$size" --psm 11 >/dev/null 2>&1
	if grep -qw Kacper "$T/ocr-$size.txt" && grep -qw Oskar "$T/ocr-$size.txt"; then
		ok "$size: OCR reads the children's names off the board"
	else
		notok "$size: OCR reads the children's names off the board" \
			"(read: $(tr '\n' ' ' <"$T/ocr-$size.txt" | cut -c1-300))"
	fi
	bad=$(leaks "$T/ocr-$size.txt")
	if [ -z "$bad" ]; then
		ok "$size: OCR finds no word of a record, concern, note, carer or unnamed family"
	else
		notok "$size: OCR reads on the board:$bad"
	fi
	[ -n "${HK_KEEP:-}" ] && cp "$png" "$T/ocr-$size.txt" "$HK_KEEP/"
done
exit $fail
