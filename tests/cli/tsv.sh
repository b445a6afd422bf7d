#!/bin/sh
# --tsv on every list: a header naming the columns, one row per item with as
# many fields, times in ISO 8601 with their offset; and TZ honoured both
# when reading times and when writing them.
. "$(dirname "$0")/lib.inc"
DB=$HK_TMP/tsv.db
ISO='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}$'
TAB=$(printf '\t')

# header_is WANT: the first line of $OUT, tabs written as spaces in WANT.
header_is() { [ "$(head -n 1 "$OUT" | tr '\t' ' ')" = "$1" ]; }
# same_width: every line has as many fields as the header.
same_width() { awk -F '\t' 'NR == 1 { n = NF } NF != n { bad = 1 } END { exit bad }' "$OUT"; }
# times_iso COLUMN...: every non-empty value of those columns is ISO 8601 with offset.
times_iso() {
	for col; do
		tsv_col "$col" | grep -v '^$' | grep -qvE "$ISO" && return 1
	done
	return 0
}

hub bed add Willow --room "Garden room"
hub bed add Oak
hub person add "王小明" --full-name "王小明 (Wang Xiaoming)" --role child
hub person add "अनन्या" --full-name "अनन्या शर्मा" --role child
hub person add Saoirse --full-name "Saoirse Ní Bhraonáin" --role professional
hub stay add "王小明" Willow --from 2030-01-10T21:40 --until 2030-01-12T10:00 --emergency \
	--note "tab${TAB}inside"
hub visit add Saoirse --at 2030-01-11T11:00 --for "अनन्या"
hub contact add "अनन्या" --with "Mum and Nan" --from 2030-01-11T15:30 --until 90m \
	--supervisor Saoirse --room Playroom
hub event add Training --from 2030-01-15T10:00 --until 2h --category training
hub event add "Day off" --from 2030-01-16 --all-day --category day-off

hub bed list --tsv
check "bed list --tsv names its columns" header_is "id name room status person from until"
check "bed list --tsv has one row per bed" [ "$(rows)" = 2 ]
check "bed list --tsv rows are as wide as the header" same_width

hub person list --tsv
check "person list --tsv names its columns" header_is "id display full_name role hidden family"
check "person list --tsv has one row per person" [ "$(rows)" = 3 ]
check "person list --tsv keeps Chinese names whole" \
	grep -q "王小明${TAB}王小明 (Wang Xiaoming)${TAB}child" "$OUT"
check "person list --tsv keeps Devanagari names whole" grep -q "अनन्या${TAB}अनन्या शर्मा" "$OUT"

hub stay list --all --tsv
check "stay list --tsv names its columns" header_is "id bed person kind from until ended note"
check "stay list --tsv has the stay" [ "$(rows)" = 1 ]
check "stay list --tsv writes times in ISO 8601 with offset" times_iso from until ended
check "stay list --tsv gives the winter time in London" \
	grep -q "2030-01-10T21:40:00+00:00${TAB}2030-01-12T10:00:00+00:00" "$OUT"
check "a tab inside a note does not add a column" same_width

hub visit list --on 2030-01-11 --tsv
check "visit list --tsv names its columns" \
	header_is "id expected person for status arrived left unexpected note"
check "visit list --tsv has the visit" [ "$(rows)" = 1 ]
check "visit list --tsv writes times in ISO 8601 with offset" times_iso expected arrived left

hub contact list --on 2030-01-11 --tsv
check "contact list --tsv names its columns" \
	header_is "id from until child with room supervisor status"
check "contact list --tsv has the session" [ "$(rows)" = 1 ]
check "contact list --tsv writes times in ISO 8601 with offset" times_iso from until

hub event list --from 2030-01-10 --to 2030-01-31 --tsv
check "event list --tsv names its columns" \
	header_is "id from until all_day category title location status"
check "event list --tsv has both events" [ "$(rows)" = 2 ]
check "event list --tsv writes times in ISO 8601 with offset" times_iso from until

hub journal --tsv
check "journal --tsv names its columns" \
	header_is "seq time synced source who kind subject detail"
check "journal --tsv writes times in ISO 8601 with offset" times_iso time
check "journal --tsv rows are as wide as the header" same_width

hub visit list --on 2030-01-12 --tsv
check "an empty list --tsv is the header alone" [ "$(wc -l <"$OUT")" = 1 ]

# --- TZ is honoured ---
hub visit add Saoirse --at 2030-07-01T10:00
hub visit list --on 2030-07-01 --tsv
check "a summer time in London is written with +01:00" \
	grep -q "2030-07-01T10:00:00+01:00" "$OUT"
TZ=UTC hub visit list --on 2030-07-01 --tsv
check "the same instant under TZ=UTC reads 09:00Z" grep -q "2030-07-01T09:00:00+00:00" "$OUT"
TZ=Asia/Kolkata hub visit list --on 2030-07-01 --tsv
check "the same instant under TZ=Asia/Kolkata reads 14:30+05:30" \
	grep -q "2030-07-01T14:30:00+05:30" "$OUT"
hub visit add Saoirse --at 2030-07-02T12:00+02:00
hub visit list --on 2030-07-02 --tsv
check "an explicit offset is read as that instant" grep -q "2030-07-02T11:00:00+01:00" "$OUT"
hub visit add Saoirse --at "2030-07-03 08:00Z"
hub visit list --on 2030-07-03 --tsv
check "a Z time with a space is read as UTC" grep -q "2030-07-03T09:00:00+01:00" "$OUT"
hub visit add Saoirse --at 2030-07-04T23:30
TZ=Asia/Kolkata hub visit list --on 2030-07-05 --tsv
check "a day means the local day of TZ" grep -q "2030-07-05T04:00:00+05:30" "$OUT"
hub visit list --on 2030-07-05 --tsv
check "the same visit is not on that day in London" [ "$(rows)" = 0 ]
TZ=America/New_York hub visit add Saoirse --at 2030-07-06T10:00
hub visit list --on 2030-07-06 --tsv
check "a time typed under TZ=America/New_York is New York time" \
	grep -q "2030-07-06T15:00:00+01:00" "$OUT"
hub stay add "अनन्या" Oak --from 2030-03-29T18:00 --until 2d
hub stay list --all --tsv
check "a stay of 2d over the clocks going forward keeps its time of day" \
	grep -q "2030-03-29T18:00:00+00:00${TAB}2030-03-31T18:00:00+01:00" "$OUT"

finish
