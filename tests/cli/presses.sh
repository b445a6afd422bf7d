#!/bin/sh
# hubctl presses and hubctl emergency complete: what the buttons recorded,
# listed for people and for scripts, and an emergency arrival completed
# afterwards (who, from which home, how many nights). The presses are made
# through the real store_press_record() by the crash test program's feed
# mode, as the board would make them.
. "$(dirname "$0")/lib.inc"
DB=$HK_TMP/presses.db
FEED=$HK_BUILD/crash/press_crash

# feed LINES: records presses ("KIND LINE MONO_NS WALL [VISIT]"); output in $OUT
feed() { printf '%s\n' "$@" | "$FEED" feed "$DB" >"$OUT" 2>"$ERR"; rc=$?; }

hub bed add Willow
hub bed add Oak
hub person add Jo --role visitor
hub person add Amira --full-name "Amira Haddad" --role child
hub person add Sam --role child
hub visit add Jo --at 2030-06-14T10:00
visit=$(id_of)
hub stay add Sam Oak --from 2030-06-20T18:00 --until 1d
planned=$(sed -n 's/^stay \([0-9]*\) .*/\1/p' "$OUT")

succeeds "presses on an empty record says so" presses
check "no presses yet is a sentence, not a lone header" grep -q "no presses" "$OUT"

feed "checkin GPIO17 1000 2030-06-14T10:02 $visit" \
	"checkin GPIO17 2000 2030-06-14T11:00 $visit" \
	"checkin GPIO17 3000 2030-06-14T12:00 0" \
	"next GPIO22 4000 2030-06-14T12:01" \
	"ignored GPIO22 4500 2030-06-14T12:01" \
	"emergency GPIO27 5000 2030-06-15T02:13" \
	"emergency GPIO27 6000 2030-06-15T02:20" \
	"emergency GPIO27 7000 2030-06-15T02:30"
check "the presses were recorded" [ "$rc" -eq 0 ]
check "the outcomes follow the record" sh -c "cut -d' ' -f3 '$OUT' | tr '\n' ' ' |
	grep -qx 'checked-in checked-out unexpected moved counted emergency-bed emergency-bed emergency-no-bed '"
emergency=$(sed -n '6s/.* stay=\([0-9]*\) .*/\1/p' "$OUT")
check "the first emergency took Willow" grep -q "^press 6 emergency-bed.* bed=Willow who=Emergency arrival" "$OUT"
feed "checkin GPIO17 1000 2030-06-14T10:02 $visit"
check "the same edge again is the first press, not a new one" grep -q "^press 1 checked-in duplicate" "$OUT"

succeeds "presses --tsv lists them" presses --tsv
check "--tsv starts with a header naming the columns" \
	[ "$(head -n 1 "$OUT")" = "$(printf 'id\ttime\tline\tkind\toutcome\tperson\tbed\tvisit\tstay\tjournal')" ]
check "every press is listed once" [ "$(rows)" -eq 8 ]
check "times are ISO 8601 with the offset, when the button went down" \
	[ "$(tsv_col time | head -n 1)" = "2030-06-14T10:02:00+01:00" ]
check "an emergency row names its bed" [ "$(tsv_col bed | sed -n 6p)" = Willow ]
check "the no-bed emergency says so" [ "$(tsv_col outcome | sed -n 8p)" = emergency-no-bed ]
check "each press names its journal entry" [ "$(tsv_col journal | grep -c '^[0-9][0-9]*$')" -eq 8 ]
hub journal --tsv
check "the journal holds one press entry per press" [ "$(tsv_col kind | grep -c '^press\.')" -eq 8 ]
check "press entries come from the button" \
	[ "$(awk -F '\t' '$6 ~ /^press\./ && $4 != "button"' "$OUT" | wc -l)" -eq 0 ]
check "the journal says plainly that no bed was free" grep -q "NO BED WAS FREE" "$OUT"
succeeds "presses --since a day lists the presses from then" presses --since 2030-06-15 --tsv
check "three presses were on the 15th" [ "$(rows)" -eq 3 ]
succeeds "presses for people is aligned text" presses
check "the people's list has a header" grep -q "^ID *TIME *LINE" "$OUT"
succeeds "presses --help" presses --help
refuses "presses --since refuses a bad time" 2030-13-01 presses --since 2030-13-01
usage_error "presses takes no arguments" presses extra

# --- emergency complete ---
succeeds "emergency complete --help" emergency complete --help
usage_error "emergency complete needs --child" emergency complete "$emergency"
usage_error "emergency complete needs the stay" emergency complete --child Amira
usage_error "--until and --nights together is a usage error" \
	emergency complete "$emergency" --child Amira --until 2d --nights 2
refuses "an unknown stay is refused" 999 emergency complete 999 --child Amira
refuses "a stay id that is not a number is refused" abc emergency complete abc --child Amira
refuses "an unknown child is refused" Nobody emergency complete "$emergency" --child Nobody
refuses "a planned stay is not an emergency by the button" "stay $planned" \
	emergency complete "$planned" --child Amira
refuses "zero nights is refused" "0" emergency complete "$emergency" --child Amira --nights 0
refuses "a bad --until is refused" 2030-06-31 \
	emergency complete "$emergency" --child Amira --until 2030-06-31
refuses "an end before the arrival is refused" 2030-06-14T20:00 \
	emergency complete "$emergency" --child Amira --until 2030-06-14T20:00
refuses "a home too long for the note is refused" "home" \
	emergency complete "$emergency" --child Amira --from-home "$(printf '%0600d' 0)"
refuses "Sam already has a stay then in Oak" Sam \
	emergency complete "$emergency" --child Sam --nights 10

succeeds "emergency complete names the child, the home and the nights" \
	emergency complete "$emergency" --child Amira --from-home "the Browns" --nights 2
check "the confirmation names the child and the bed" grep -q "^stay $emergency completed: Amira in Willow" "$OUT"
hub stay list --tsv
row=$(awk -F '\t' -v id="$emergency" '$1 == id' "$OUT")
check "the stay is Amira's now" [ "$(echo "$row" | cut -f3)" = Amira ]
check "two nights from the arrival at 02:13" [ "$(echo "$row" | cut -f6)" = "2030-06-17T02:13:00+01:00" ]
check "the home is kept in the note" [ "$(echo "$row" | cut -f8)" = "From: the Browns" ]
hub journal --tsv
check "the completion is journalled by the admin with the full name" \
	sh -c "tail -n 1 '$OUT' | grep -q 'stay.complete.*Amira Haddad (Amira)'"
hub presses --tsv
second=$(tsv_col stay | sed -n 7p)
refuses "the child cannot be in two stays at once" Amira \
	emergency complete "$second" --child Amira
succeeds "a correction of the expected end" emergency complete "$emergency" --child Amira --until 2030-06-16T10:00
finish
