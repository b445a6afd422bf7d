#!/bin/sh
# hubctl demo: refuses a database that is not empty, and fills an empty one
# with the day the issue describes, relative to --date (or today).
. "$(dirname "$0")/lib.inc"
DB=$HK_TMP/demo.db
DAY=2030-06-14
TAB=$(printf '\t')

succeeds "demo fills an empty database" demo --date "$DAY"
refuses "demo refuses to fill it again" "not empty" demo --date "$DAY"

hub hub name
check "the hub is called Rowan House" grep -qx "Rowan House" "$OUT"

hub bed list --tsv
check "there are two beds" [ "$(rows)" = 2 ]
check "the beds are in separate rooms" [ "$(tsv_col room | sort -u | wc -l)" = 2 ]

hub stay list --all --tsv
check "there are two stays" [ "$(rows)" = 2 ]
check "one bed holds an emergency stay from 21:40 the evening before" \
	grep -q "emergency${TAB}2030-06-13T21:40:00+01:00${TAB}2030-06-16T10:00:00+01:00" "$OUT"
check "the other is a planned sleepover arriving at 17:00 until 10:00 next day" \
	grep -q "planned${TAB}2030-06-14T17:00:00+01:00${TAB}2030-06-15T10:00:00+01:00" "$OUT"
check "the two stays are in different beds" [ "$(tsv_col bed | sort -u | wc -l)" = 2 ]

hub visit list --on "$DAY" --tsv
check "there are four visits on the day" [ "$(rows)" = 4 ]
check "exactly one visitor has already arrived" [ "$(tsv_col arrived | grep -c .)" = 1 ]
check "the arrived visitor came at 09:40 for 09:30" \
	grep -q "2030-06-14T09:30:00+01:00${TAB}.*here${TAB}2030-06-14T09:40:00+01:00" "$OUT"
check "a visit is at 11:00" grep -q "2030-06-14T11:00:00+01:00" "$OUT"

hub contact list --on "$DAY" --tsv
check "there is one contact session" [ "$(rows)" = 1 ]
check "the session is 15:30 to 17:00 with Mum and Nan in the Playroom" \
	grep -q "2030-06-14T15:30:00+01:00${TAB}2030-06-14T17:00:00+01:00${TAB}.*${TAB}Mum and Nan${TAB}Playroom${TAB}" "$OUT"
check "the session is supervised" [ -n "$(tsv_col supervisor)" ]
sup=$(tsv_col supervisor)
hub person list --tsv
check "its supervisor is a professional" \
	grep -q "^[0-9]*${TAB}${sup}${TAB}.*${TAB}professional${TAB}" "$OUT"

check "one person is hidden" [ "$(tsv_col hidden | grep -c yes)" = 1 ]
check "the hidden person is a child" grep -q "${TAB}child${TAB}yes${TAB}" "$OUT"
check "every person has a full name other than the display name" \
	awk -F '\t' 'NR > 1 && ($3 == "" || $3 == $2) { bad = 1 } END { exit bad }' "$OUT"
check "a name is written in Arabic" grep -q "ليلى" "$OUT"
check "a name is written in Devanagari" grep -q "अनन्या" "$OUT"
check "a name is written in Chinese" grep -q "小明" "$OUT"
check "a name is written in Polish" grep -qE "ł|ż|Ł|Ż" "$OUT"
check "a name is written in Irish" grep -qE "Ní |Ó " "$OUT"

hub event list --from "$DAY" --to 2030-07-19 --tsv
check "a month of events is on the calendar" [ "$(rows)" -ge 12 ]
for cat in get-together training support activity day-off meeting; do
	check "the calendar has an event of category $cat" [ "$(tsv_col category | grep -cx -- "$cat")" -ge 1 ]
done
check "the day off is all day" grep -q "${TAB}yes${TAB}day-off${TAB}" "$OUT"
last=$(tsv_col from | sort | tail -n 1 | cut -c1-10)
later() { expr "$1" \> "$2" >/dev/null; }
check "events reach four weeks ahead" later "$last" 2030-07-11
hub event list --from "$DAY" --to "$DAY" --tsv
check "something is on the calendar on the day itself" [ "$(rows)" -ge 1 ]

hub family list --tsv
check "the constellation has three satellite families" [ "$(rows)" = 3 ]
hub care list --on "$DAY" --tsv
check "an afternoon of support care is on the day" [ "$(rows)" = 1 ]
# Records are written when a carer would have written them, so a day
# still to come has none yet; a past day has them all.
DB=$HK_TMP/past.db
succeeds "demo of a past day" demo --date 2026-11-24
hub record list --tsv
check "a past demo day has its daily records" [ "$(rows)" -ge 4 ]
hub concern list --open --tsv
check "one urgent concern is open" [ "$(rows)" = 1 ]
succeeds "the demo's records verify against their journal entries" verify
DB=$HK_TMP/demo.db

# Without --date the demo is about today.
DB=$HK_TMP/today.db
succeeds "demo without --date fills today" demo
hub visit list --tsv
check "today has the four visits" [ "$(rows)" = 4 ]
hub bed list --tsv
check "today one bed is occupied" [ "$(tsv_col status | grep -c occupied)" -ge 1 ]

# The demo follows the local clock: 17:00 is 17:00 in New York too.
DB=$HK_TMP/ny.db
TZ=America/New_York hub demo --date "$DAY"
TZ=America/New_York hub stay list --all --tsv
check "demo times are local wall-clock times in TZ" \
	grep -q "2030-06-14T17:00:00-04:00" "$OUT"

finish
