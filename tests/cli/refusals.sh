#!/bin/sh
# Every refusal: exit 1, one line on stderr naming the bad value, nothing
# on stdout, and the database byte for byte as it was.
. "$(dirname "$0")/lib.inc"
DB=$HK_TMP/refuse.db

hub bed add Willow --room "Garden room"
hub bed add Oak --room "Attic room"
hub person add Sam --role child
hub person add Sam --full-name "Sam Other" --role child
hub person add Ada --role child
hub person add Bea --role child
hub person add Jo
hub stay add Ada Willow --from 2030-06-14T21:40 --until 2030-06-17T10:00
stay=$(id_of)
hub visit add Jo --at 2030-06-15T10:00
cancelled=$(id_of)
hub visit cancel "$cancelled"
hub visit add Jo --at 2030-06-15T11:00
in=$(id_of)
hub checkin "$in" --at 2030-06-15T11:05
hub visit add Jo --at 2030-06-15T12:00
waiting=$(id_of)
hub visit add Jo --at 2030-06-15T14:00
check "the refusal tests start from a filled database" [ "$rc" -eq 0 ] && [ -s "$DB" ]

# --- the record's own rules (the store refuses) ---
refuses "a second stay in a bed at the same time is refused" Willow \
	stay add Bea Willow --from 2030-06-15T12:00 --until 1d
refuses "a child in two beds at once is refused" Ada \
	stay add Ada Oak --from 2030-06-15T12:00 --until 1d
refuses "check-in of a cancelled visit is refused" "visit $cancelled" checkin "$cancelled"
refuses "a second check-in is refused" "visit $in" checkin "$in"
refuses "check-out of a visit not checked in is refused" "visit $waiting" checkout "$waiting"
refuses "check-out before the check-in is refused" 2030-06-15T11:00 \
	checkout "$in" --at 2030-06-15T11:00
refuses "cancelling a visit already checked in is refused" "visit $in" visit cancel "$in"
refuses "ending a stay before it started is refused" 2030-06-01T10:00 \
	stay end "$stay" --at 2030-06-01T10:00
refuses "removing a bed that held a stay is refused" Willow bed remove Willow
refuses "an unknown visit id is refused" 999 checkin 999

# --- what was typed (hubctl refuses before opening anything) ---
refuses "an end before the start is refused" 2030-06-15T09:00 \
	stay add Bea Oak --from 2030-06-15T10:00 --until 2030-06-15T09:00
refuses "a contact session ending as it starts is refused" 2030-06-15T10:00 \
	contact add Bea --with Mum --from 2030-06-15T10:00 --until 2030-06-15T10:00
refuses "31 November is refused as not a date" 2026-11-31 \
	visit add Jo --at 2026-11-31T10:00
check "the refusal says November has 30 days" grep -q "November has 30 days" "$ERR"
refuses "29 February in a common year is refused" 2027-02-29 event add X --from 2027-02-29
check "the refusal says February 2027 has 28 days" grep -q "February 2027 has 28 days" "$ERR"
refuses "25 o'clock is refused" 2030-06-15T25:00 visit add Jo --at 2030-06-15T25:00
refuses "a time that is not a time is refused" soon visit add Jo --at soon
refuses "a length that is not a length is refused" 3x \
	stay add Bea Oak --from 2030-06-15T10:00 --until 3x
TZ=Europe/London
refuses "01:30 on the night the clocks go forward in London is refused" 2027-03-28T01:30 \
	visit add Jo --at 2027-03-28T01:30
check "the refusal names the zone and the clocks going forward" \
	grep -q "does not exist in Europe/London (the clocks go forward)" "$ERR"
refuses "an unknown role is refused" king person add Zed --role king
refuses "a visit id that is not a number is refused" abc checkin abc
refuses "an unknown day for a list is refused" 2030-13-01 visit list --on 2030-13-01
refuses "a list ending before it starts is refused" 2030-06-01 \
	event list --from 2030-06-10 --to 2030-06-01
long=$(printf '%0600d' 0)
refuses "a note longer than the field is refused, not cut" "--note" \
	visit add Jo --at 2030-06-15T13:00 --note "$long"
refuses "bed unavailable wants on or off" maybe bed unavailable Oak maybe

# --- references ---
refuses "an unknown person is refused" Nobody visit add Nobody --at 2030-06-15T13:00
refuses "an ambiguous name is refused" Sam stay add Sam Oak --from 2030-06-15T10:00
refuses "an unknown bed is refused" Birch stay add Bea Birch --from 2030-06-15T10:00
refuses "an unknown child for a visit is refused" Nobody \
	visit add Jo --at 2030-06-15T13:00 --for Nobody
refuses "an unknown supervisor is refused" Nobody \
	contact add Bea --with Mum --from 2030-06-15T10:00 --until 1h --supervisor Nobody
refuses "a name with two visits to check in that day is refused" "'Jo' has 2 visits" \
	checkin Jo --at 2030-06-15T09:00
refuses "a name with no visit to check out that day is refused" Bea \
	checkout Bea --at 2030-06-15T12:00
refuses "a name with no visit that day at all is refused" Jo checkin Jo --at 2030-06-20T09:00
refuses "demo refuses a database that is not empty" "not empty" demo

# A file that is not a hubkiosk database is refused and left as it was.
keep=$DB
DB=$HK_TMP/not-a-db.db
echo "shopping list" >"$DB"
refuses "a file that is not a hubkiosk database is refused" "$DB" bed list
check "the file is left as it was" grep -qx "shopping list" "$DB"
DB=$keep

# The ids still work where the name is ambiguous.
hub person list --tsv
sam2=$(awk -F '\t' '$3 == "Sam Other" { print $1 }' "$OUT")
succeeds "an ambiguous name's id is accepted" stay add "$sam2" Oak --from 2030-06-15T10:00

finish
