#!/bin/sh
# Daily records and concerns, as a carer and a liaison worker meet them: a
# record in several scripts read back exactly, a long section piped in, a
# correction beneath the original, late records marked, refusals that write
# nothing, and an urgent concern that stays open across runs until closed.
# Records are about the past, so times here are counted from now.
. "$(dirname "$0")/lib.inc"
DB=$HK_TMP/records.db
TAB=$(printf '\t')

ago() { date -d "$1 ago" '+%Y-%m-%dT%H:%M'; }
# section HEADING: the lines under HEADING in `record show` ($OUT), up to
# the blank line after them.
section() { awk -v h="$1" 'f && $0 == "" { exit } f { print } $0 == h { f = 1 }' "$OUT"; }
# journal_lines: how many entries the journal holds.
journal_lines() { "$HUBCTL" --db "$DB" journal --tsv | wc -l; }

hub family add "the Oak family"
hub person add Ada --full-name "Ada Example" --role child --family "the Oak family"
hub person add Ben --role child
hub person add Jo --role carer
hub bed add Willow
# Ada: support care this afternoon, and a stay four days ago.
hub care add Ada --from "$(ago '3 hours')" --until 4h
care=$(id_of)
hub stay add Ada Willow --from "$(ago '4 days')" --until 2d
stay=$(id_of)
hub stay end "$stay" --at "$(ago '2 days')"
check "the record tests start from a hub with a care session and a stay" [ "$rc" -eq 0 ]

# --- every section, in several scripts ---
act="لعبنا في الحديقة وقرأنا قصة · 她画了一幅画 · Играли в мяч 🎨⚽👍🏽"
well1="Slept well; ate рис, 米饭 and أرز 🍚"
well2="Calm after lunch, a little tired 😴"
words="«Я хочу остаться здесь» - 我不想回家 - \"أنا سعيدة هنا\""
meds="Calpol 5 ml at 14:00 (ибупрофен 不) 💊"
opinion="I think she is settling; she smiled more than last week 🙂"
succeeds "record add writes a record with every section" \
	record add Ada --at "$(ago '2 hours')" --activities "$act" \
	--wellbeing "$well1
$well2" --words "$words" --medicines "$meds" --opinion "$opinion"
rec=$(id_of)
check "record add prints the record's id" grep -qx "record $rec added" "$OUT"

succeeds "record show prints the record" record show "$rec"
cp "$OUT" "$HK_TMP/show-before"
check "record show names the child by display name" grep -qx "Record $rec: Ada" "$OUT"
check "record show says which care session it was about" \
	grep -q "^About: .*during care session $care$" "$OUT"
check "record show names the author" grep -q "^Written: .* by admin:" "$OUT"
check "a record written the same day is not marked late" sh -c "! grep -q LATE '$OUT'"
check "record show reads the activities back exactly, in four scripts" \
	[ "$(section Activities)" = "$act" ]
check "record show reads a section of two lines back exactly" \
	[ "$(section 'How they were')" = "$well1
$well2" ]
check "record show reads the child's own words back exactly" \
	[ "$(section 'In their own words')" = "$words" ]
check "record show reads the medicines back exactly" [ "$(section 'Medicines given')" = "$meds" ]
check "record show keeps the carer's view apart, under its own heading" \
	[ "$(section "Carer's view")" = "$opinion" ]

hub record list --tsv
check "record list --tsv has one row" [ "$(rows)" = 1 ]
check "record list --tsv reads the activities back exactly" [ "$(tsv_col activities)" = "$act" ]
check "record list --tsv reads the words back exactly" [ "$(tsv_col words)" = "$words" ]
check "record list --tsv reads the medicines back exactly" [ "$(tsv_col medicines)" = "$meds" ]
check "record list --tsv reads the opinion back exactly" [ "$(tsv_col opinion)" = "$opinion" ]
check "record list --tsv puts a newline in a section as a space" \
	[ "$(tsv_col wellbeing)" = "$well1 $well2" ]
check "record list --tsv names the family" [ "$(tsv_col family)" = "the Oak family" ]
check "record list --tsv says where it belongs" [ "$(tsv_col for)" = "care $care" ]
check "record list --tsv says it is not late" [ "$(tsv_col late)" = no ]

# --- a long section from standard input ---
long=$HK_TMP/long.txt
awk 'BEGIN { for (i = 0; i < 800; i++) printf "Ада 米 ق 😀 %04d; ", i; printf "\n" }' >"$long"
chars=$(tr -d '\n' <"$long" | wc -m)
check "the long section has more than 10,000 characters" [ "$chars" -gt 10000 ]
"$HUBCTL" --db "$DB" record add Ada --at "$(ago '90 minutes')" --activities - \
	--words "Short words" <"$long" >"$OUT" 2>"$ERR"
rc=$?
long_rec=$(id_of)
check "record add --activities - reads a long section from standard input" \
	[ "$rc" -eq 0 ] && [ ! -s "$ERR" ]
hub record show "$long_rec"
section Activities >"$HK_TMP/long-back"
check "record show reads the long section back byte for byte" cmp -s "$long" "$HK_TMP/long-back"
hub record list --tsv
check "record list --tsv reads the long section back whole" \
	[ "$(tsv_col activities | sed -n 2p)" = "$(tr -d '\n' <"$long")" ]

# --- a correction, and the child's own statement, beneath the original ---
succeeds "record addendum adds a correction" record addendum "$rec" "Calpol was at 14:30, не 14:00"
check "record addendum says beneath which record" grep -q "added beneath record $rec" "$OUT"
echo "Мне было хорошо. 我很好。" | "$HUBCTL" --db "$DB" record statement "$rec" - >"$OUT" 2>"$ERR"
check "record statement reads the child's statement from standard input" [ $? -eq 0 ]
hub record show "$rec"
head -n -1 "$HK_TMP/show-before" >"$HK_TMP/show-before.body"
n=$(wc -l <"$HK_TMP/show-before.body")
check "record show prints the original exactly as before the correction" \
	sh -c "head -n $n '$OUT' | cmp -s - '$HK_TMP/show-before.body'"
check "the record's journal entry and hash are as before" \
	[ "$(tail -n 1 "$HK_TMP/show-before")" = "$(tail -n 1 "$OUT")" ]
check "the correction is shown beneath, with its time and author" \
	grep -q "^Correction, .* by admin:.*:$" "$OUT"
check "the correction's text follows its heading" \
	[ "$(awk '/^Correction, / { getline; print }' "$OUT")" = "Calpol was at 14:30, не 14:00" ]
check "the child's own statement follows, after the correction" \
	[ "$(awk '/^Child.s own statement, / { getline; print }' "$OUT")" = "Мне было хорошо. 我很好。" ]
check "the correction comes before the statement" \
	[ "$(grep -n '^Correction, ' "$OUT" | cut -d: -f1)" -lt \
	  "$(grep -n "^Child's own statement, " "$OUT" | cut -d: -f1)" ]
hub record list --tsv
check "record list counts the addenda, the original's text unchanged" \
	[ "$(tsv_col addenda | head -n 1)" = 2 ] && [ "$(tsv_col activities | head -n 1)" = "$act" ]

# --- late records ---
succeeds "a record about three days ago is accepted" \
	record add Ada --at "$(ago '3 days')" --activities "Baked bread"
late=$(id_of)
check "record add says the record is late" grep -q "^record $late added (late: written " "$OUT"
hub record show "$late"
check "record show marks a late record" grep -q "^LATE: written [23] d .* after the time it is about" "$OUT"
check "record show says which stay it was about" grep -q "during stay $stay$" "$OUT"
hub record list --tsv
check "record list --tsv marks it late" \
	[ "$(awk -F '\t' -v id="$late" '$1 == id { print $4 }' "$OUT")" = yes ]
hub record list
check "record list for people marks it LATE" grep -q "^$late .*LATE" "$OUT"

# --- lists by child and day ---
hub record list --child Ada --from "$(ago '1 day' | cut -c1-10)" --tsv
check "record list --from leaves out records about earlier days" [ "$(rows)" = 2 ]
hub record list --child Ben --tsv
check "record list --child shows only that child's records" [ "$(rows)" = 0 ]
hub record list --child Ben
check "an empty record list says so" grep -qx "no records" "$OUT"

# --- refusals: one line naming the value, nothing written ---
# (refuses keeps its own $before: this count has another name)
entries=$(journal_lines)
refuses "a record about an unknown child is refused" Nobody record add Nobody --words "hi"
refuses "a record about someone who is not a child is refused" Jo record add Jo --words "hi"
refuses "an empty record is refused" "--words" record add Ada --words ""
refuses "a record of blank sections is refused" "--activities" \
	record add Ada --activities "  " --words "
"
usage_error "a record with no section at all is a usage error" record add Ada
refuses "a concern level that is not one of the three is refused" severe \
	record add Ada --words hi --concern "worried" --level severe
usage_error "a concern without a level is a usage error" record add Ada --concern "worried"
usage_error "a level without a concern is a usage error" record add Ada --words hi --level urgent
refuses "an incident kind that is not one of five is refused" fire \
	record add Ada --incident fire --incident-text "smoke"
refuses "a record about the future is refused" "$(date -d 'tomorrow' '+%Y-%m-%d')" \
	record add Ada --at "$(date -d 'tomorrow' '+%Y-%m-%d')T10:00" --words "hi"
refuses "a record about a time the child was not at the hub is refused" Ada \
	record add Ada --at "$(ago '10 days')" --words "hi"
check "the refusal says how to record time away from the hub" grep -q -- "--away" "$ERR"
refuses "a record of a time Ben was not at the hub is refused" Ben record add Ben --words "hi"
usage_error "two sections from standard input is a usage error" \
	record add Ada --words - --opinion -
awk 'BEGIN { for (i = 0; i < 1400; i++) printf "Ада 米 ق 😀 %04d; ", i }' >"$HK_TMP/toolong"
before_db=$(db_sum)
"$HUBCTL" --db "$DB" record add Ada --activities - <"$HK_TMP/toolong" >"$OUT" 2>"$ERR"
rc=$?
check "a section of more than 20,000 characters is refused with one line" \
	[ "$rc" -eq 1 ] && [ "$(wc -l <"$ERR")" -eq 1 ] && grep -q -- "--activities" "$ERR"
head -c 100000 /dev/zero | tr '\0' x >"$HK_TMP/toobig"
"$HUBCTL" --db "$DB" record add Ada --activities - <"$HK_TMP/toobig" >"$OUT" 2>"$ERR"
rc=$?
check "standard input larger than a section can hold is refused with one line" \
	[ "$rc" -eq 1 ] && [ "$(wc -l <"$ERR")" -eq 1 ] && grep -q "standard input" "$ERR"
check "the too-long sections wrote nothing" [ "$before_db" = "$(db_sum)" ]
refuses "an addendum to an unknown record is refused" 999 record addendum 999 "x"
refuses "an empty addendum is refused" "empty" record addendum "$rec" ""
refuses "an unknown record is refused by record show" 999 record show 999
check "no refusal added a journal entry" [ "$(journal_lines)" = "$entries" ]
succeeds "the same record is accepted with --away (contact away from the hub)" \
	record add Ada --at "$(ago '10 days')" --words "hi" --away
away=$(id_of)
hub record show "$away"
check "record show says it was away from the hub" grep -q "away from the hub$" "$OUT"

# --- an urgent concern stays open until it is closed ---
succeeds "record add with an urgent concern" \
	record add Ada --at "$(ago '1 hour')" --words "She said she doesn't want to go home" \
	--concern "Does not want to go home; a bruise on her arm" --level urgent \
	--action "Photographed nothing; asked open questions" --told "duty social worker" \
	--told-at "$(ago '30 minutes')" --incident injury --incident-text "Bruise, left arm" \
	--incident-from "$(ago '70 minutes')"
concern=$(sed -n 's/^concern \([0-9]*\) raised (urgent): open until closed$/\1/p' "$OUT")
check "record add says the concern is raised and open until closed" [ -n "$concern" ]
crec=$(id_of)
hub record show "$crec"
check "record show gives the concern with its level and state" \
	grep -qx "Concern $concern (urgent, open)" "$OUT"
check "record show gives what was done" \
	grep -qx "Action: Photographed nothing; asked open questions" "$OUT"
check "record show gives who was told, and when" grep -q "^Told: duty social worker, at " "$OUT"
check "record show gives the incident" grep -q "^Incident: injury, from " "$OUT"
check "the incident's text follows" grep -qx "Bruise, left arm" "$OUT"

hub concern list --open --tsv
check "concern list --open lists the urgent concern" \
	[ "$(tsv_col id)" = "$concern" ] && [ "$(tsv_col status)" = open ]
check "concern list --tsv keeps who was told" [ "$(tsv_col told)" = "duty social worker" ]
hub care list --tsv
check "a later command, in its own run, does not close it" [ "$rc" -eq 0 ]
hub concern list --open --tsv
check "the concern is still open in the next run" [ "$(rows)" = 1 ]

"$HUBCTL" --db "$DB" bed list >"$OUT" 2>"$ERR"
check "scripts see no reminder on stderr" [ ! -s "$ERR" ]
HUBKIOSK_REMIND=1 "$HUBCTL" --db "$DB" bed list >"$OUT" 2>"$ERR"
check "where the carer looks, a command ends with a reminder of the open concern" \
	grep -q "^hubctl: reminder: 1 concern open since .* - hubctl concern list --open$" "$ERR"
check "the reminder is on stderr only" sh -c "! grep -q reminder '$OUT'"
HUBKIOSK_REMIND=1 "$HUBCTL" --db "$DB" bed list --tsv >"$OUT" 2>"$ERR"
check "--tsv output gets no reminder" [ ! -s "$ERR" ]
HUBKIOSK_REMIND=1 "$HUBCTL" --db "$DB" record add Nobody --words x >"$OUT" 2>"$ERR"
check "a refused command gets no reminder, only its one line" [ "$(wc -l <"$ERR")" -eq 1 ]

succeeds "a routine concern is raised" record add Ada --at "$(ago '50 minutes')" \
	--concern "Seemed quiet at tea" --level routine
check "a routine concern is not held open" grep -qx "concern $((concern + 1)) raised (routine)" "$OUT"
hub concern list --open --tsv
check "concern list --open leaves out the routine one" [ "$(rows)" = 1 ]

usage_error "concern close without --outcome is a usage error" concern close "$concern"
refuses "an empty outcome is refused" "--outcome" concern close "$concern" --outcome " "
refuses "closing an unknown concern is refused" 999 concern close 999 --outcome "x"
succeeds "concern close closes it with its outcome" \
	concern close "$concern" --outcome "Strategy meeting held; she stays with the Oaks"
check "concern close says so" grep -qx "concern $concern closed" "$OUT"
hub concern list --open
check "no concern is open any more" grep -qx "no open concerns" "$OUT"
hub concern list --tsv
check "the closed concern keeps its outcome" \
	grep -q "${TAB}closed${TAB}.*${TAB}Strategy meeting held; she stays with the Oaks$" "$OUT"
refuses "closing it again is refused" "$concern" concern close "$concern" --outcome "again"
hub journal --tsv
check "closing the concern is journalled" \
	grep -q "${TAB}concern.close${TAB}concern $concern${TAB}" "$OUT"
hub record show "$crec"
check "record show gives the outcome once closed" \
	grep -q "^Closed .* by admin:.*Outcome: Strategy meeting held; she stays with the Oaks$" "$OUT"
HUBKIOSK_REMIND=1 "$HUBCTL" --db "$DB" bed list >"$OUT" 2>"$ERR"
check "with nothing open there is no reminder of concerns" sh -c "! grep -q concern \"$ERR\""

for cmd in "record add" "record list" "record show" "record addendum" "record statement" \
	   "concern list" "concern close"; do
	# shellcheck disable=SC2086
	hub $cmd --help
	check "hubctl $cmd --help prints its usage" grep -q "^usage: hubctl $cmd" "$OUT"
done

succeeds "hubctl verify holds after it all" verify
check "verify checked the records against the journal" grep -q "^records: " "$OUT"

finish
