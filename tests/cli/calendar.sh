#!/bin/sh
# hubctl calendar: Google-, Outlook-, Apple- and Thunderbird-shaped files
# land where a person in Europe/London expects them (both clock changes),
# importing again changes nothing, a change updates and a removal cancels,
# bad files are refused naming file and line and leave the database as it
# was, a USB-stick folder imports, and export -> import is a round trip.
. "$(dirname "$0")/lib.inc"
DB=$HK_TMP/cal.db
C=$(cd "$(dirname "$0")/../calendar" && pwd)
TAB=$(printf '\t')
W="--from 2026-10-01 --to 2027-04-30"

hub person add Amira --role child
for f in google outlook apple thunderbird; do
	succeeds "the $f-shaped calendar imports" calendar import "$C/$f.ics" $W
done
check "an Outlook contact session names its child and room" \
	grep -q "Amira" "$C/outlook.ics"
hub contact list --on 2026-10-23 --tsv
check "'Contact: Amira with Mum and Nan' is a contact session 14:00-15:30 in the Playroom" \
	grep -q "2026-10-23T14:00:00+01:00${TAB}2026-10-23T15:30:00+01:00${TAB}Amira${TAB}Mum and Nan${TAB}Playroom" "$OUT"
hub visit list --on 2026-10-25 --tsv
check "'Visit: Dr Okafor' is a visit at 11:00 GMT on the day the clocks go back" \
	grep -q "2026-10-25T11:00:00+00:00${TAB}Dr Okafor" "$OUT"

hub event list --from 2026-10-18 --to 2026-11-01 --tsv
check "the weekly 01:30 is 01:30 BST the Sunday before the change" \
	grep -q "2026-10-18T01:30:00+01:00.*Night round" "$OUT"
check "on the night the clocks go back it is the first 01:30 (BST)" \
	grep -q "2026-10-25T01:30:00+01:00.*Night round" "$OUT"
check "the Sunday after it is 01:30 GMT" \
	grep -q "2026-11-01T01:30:00+00:00.*Night round" "$OUT"
check "an all-day picnic is the Saturday 24 October" \
	grep -q "2026-10-24T00:00:00+01:00${TAB}2026-10-25T00:00:00+01:00${TAB}yes${TAB}.*autumn picnic" "$OUT"
check "a three-day residential covers 26-28 October" \
	grep -q "2026-10-26T00:00:00+00:00${TAB}2026-10-29T00:00:00+00:00${TAB}yes${TAB}.*Residential" "$OUT"
check "the youth club moved by RECURRENCE-ID is on the Thursday at 17:00" \
	grep -q "2026-10-22T17:00:00+01:00.*Youth club (moved to Thursday)" "$OUT"
check "the EXDATE'd youth club of 28 October is not there" \
	sh -c "! grep -q '2026-10-28T16:00.*Youth club' '$OUT'"
check "a 09:00 Paris call (Romance Standard Time) is 08:00 in London" \
	grep -q "2026-10-26T08:00:00+00:00.*Lyon" "$OUT"
check "the second-Tuesday support group falls on 13 October only, not in this fortnight" \
	sh -c "! grep -q 'support group' '$OUT'"
check "a cancelled entry is not imported" sh -c "! grep -q 'Cancelled meeting' '$OUT'"
hub event list --from 2026-11-01 --to 2026-11-01 --tsv
check "an Outlook entry marked private shows as Busy, without its place" \
	grep -q "${TAB}Busy${TAB}${TAB}" "$OUT"

hub event list --from 2027-03-20 --to 2027-04-04 --tsv
check "the weekly 01:30 is 01:30 GMT the Sunday before spring forward" \
	grep -q "2027-03-21T01:30:00+00:00.*Night round" "$OUT"
check "01:30 on the spring-forward Sunday does not exist: it is 02:30 BST (RFC 5545)" \
	grep -q "2027-03-28T02:30:00+01:00.*Night round" "$OUT"
check "the Apple weekly 01:30 does the same" \
	grep -q "2027-03-28T02:30:00+01:00.*Medication check" "$OUT"
check "the Sunday after it is 01:30 BST" \
	grep -q "2027-04-04T01:30:00+01:00.*Night round" "$OUT"
check "the youth club cancelled on 24 March is not there" \
	sh -c "! grep -q '2027-03-24.*Youth club' '$OUT'"
check "an Apple floating-time film night from an RDATE is 18:30 local" \
	grep -q "2027-03-27T18:30:00+00:00.*Film night" "$OUT"

# --- idempotent, changed, removed ---
hub journal --tsv; before=$(rows)
succeeds "importing the Google file again succeeds" calendar import "$C/google.ics" $W
check "and says nothing changed" grep -q "0 added, 0 changed, 0 removed" "$OUT"
hub journal --tsv
check "and writes nothing to the journal" [ "$(rows)" = "$before" ]

cp "$C/google.ics" "$HK_TMP/google.ics"
sed -e 's/SUMMARY:Easter egg hunt/SUMMARY:Easter egg hunt (bring wellies)/' \
    -e '/UID:10zoom@google.com/,/END:VEVENT/s/SUMMARY:.*/SUMMARY:Online training (moved)/' \
    "$C/google.ics" >"$HK_TMP/changed.ics"
succeeds "a file imports" calendar import "$HK_TMP/google.ics" --name hub $W
cp "$HK_TMP/changed.ics" "$HK_TMP/google.ics"
succeeds "the same file, changed, imports again" calendar import "$HK_TMP/google.ics" --name hub $W
check "two entries changed" grep -q "0 added, 2 changed, 0 removed" "$OUT"
hub journal --tsv
check "the journal says what changed, from the import" \
	grep -q "${TAB}import${TAB}.*calendar.change.*Easter egg hunt (bring wellies)" "$OUT"
awk 'BEGIN{skip=0} /^BEGIN:VEVENT/{buf=$0; skip=0; next} buf!="" {buf=buf "\n" $0; if ($0 ~ /UID:12easter/) skip=1; if ($0 ~ /^END:VEVENT/) { if (!skip) print buf; buf=""}; next} {print}' \
	"$HK_TMP/changed.ics" >"$HK_TMP/google.ics"
succeeds "the file without one entry imports" calendar import "$HK_TMP/google.ics" --name hub $W
check "that entry is removed" grep -q "0 added, 0 changed, 1 removed" "$OUT"
hub calendar list --tsv
check "calendar list shows the calendars" [ "$(rows)" = 5 ]

# --- bad input ---
for f in "$C"/bad/*.ics; do
	name=$(basename "$f")
	refuses "bad input $name is refused, naming the file" "$name" calendar import "$f" $W
done
refuses "a truncated file names the line it ends on" "truncated.ics:14:" \
	calendar import "$C/bad/truncated.ics" $W
refuses "an RRULE every second is refused" "more often than daily" \
	calendar import "$C/bad/forever.ics" $W
python3 - "$C/google.ics" "$HK_TMP/huge.ics" <<'PY'
import sys
s = open(sys.argv[1]).read()
ev = s[s.index('BEGIN:VEVENT'):s.index('END:VEVENT') + 12]
out = [s[:s.index('END:VCALENDAR')]]
n = 0
while sum(map(len, out)) < 10 * 1024 * 1024:
    out.append(ev.replace('3k1v0night', 'n%d' % n)); n += 1
open(sys.argv[2], 'w').write(''.join(out) + 'END:VCALENDAR\r\n')
PY
refuses "a 10 MB file is refused as too large" "too large" calendar import "$HK_TMP/huge.ics" $W
refuses "a missing file is refused" "nope.ics" calendar import "$HK_TMP/nope.ics"
usage_error "import without a file is a usage error" calendar import
usage_error "--name with two files is a usage error" calendar import a.ics b.ics --name x

# --- a USB stick: every .ics in a folder, named by file name ---
mkdir -p "$HK_TMP/stick/calendars"
cp "$C/thunderbird.ics" "$HK_TMP/stick/calendars/hub-events.ics"
echo "not a calendar" >"$HK_TMP/stick/calendars/readme.txt"
DB=$HK_TMP/stick.db
succeeds "a folder of .ics files imports" calendar import "$HK_TMP/stick/calendars" $W
check "each file is a calendar named by its file name" grep -q "hub-events.ics" "$OUT"
mv "$HK_TMP/stick" "$HK_TMP/stick2"
succeeds "the same stick mounted elsewhere imports again" calendar import "$HK_TMP/stick2/calendars" $W
check "and is the same calendar: nothing changes" grep -q "0 added, 0 changed, 0 removed" "$OUT"

# --- export -> import ---
DB=$HK_TMP/cal.db
succeeds "the calendar exports" calendar export "$HK_TMP/out.ics" --from 2026-10-01 --to 2027-04-30
check "the export has no contact sessions or visits" \
	sh -c "! grep -qiE 'Mum and Nan|Okafor|Sibling' '$HK_TMP/out.ics'"
check "the export has no notes" sh -c "! grep -q 'DESCRIPTION' '$HK_TMP/out.ics'"
hub event list --from 2026-10-01 --to 2027-04-30 --tsv
awk -F '\t' 'NR > 1 && $8 == "planned" && $5 != "visit" && $5 != "contact" { print $2 "|" $3 "|" $6 }' "$OUT" | sort >"$HK_TMP/a"
DB=$HK_TMP/round.db
succeeds "the export imports into an empty kiosk" calendar import "$HK_TMP/out.ics" $W
hub event list --from 2026-10-01 --to 2027-04-30 --tsv
awk -F '\t' 'NR > 1 && $8 == "planned" { print $2 "|" $3 "|" $6 }' "$OUT" | sort >"$HK_TMP/b"
check "the round trip keeps every event's times and title" cmp -s "$HK_TMP/a" "$HK_TMP/b"
check "and there are events to compare" [ "$(wc -l <"$HK_TMP/a")" -gt 50 ]
succeeds "importing the export again changes nothing" calendar import "$HK_TMP/out.ics" $W
check "(0 changes)" grep -q "0 added, 0 changed, 0 removed" "$OUT"

succeeds "unsubscribe removes a calendar" calendar unsubscribe out.ics
hub calendar list --tsv
check "and it is gone from the list" [ "$(rows)" = 0 ]
finish
