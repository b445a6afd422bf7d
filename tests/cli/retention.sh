#!/bin/sh
# Retention (issue 13): personal details taken by an export are purged
# six months and a day later - gone from the database file, not only from
# the rows - while the counts, the journal's chain and everything no export
# took stay as they were.
. "$(dirname "$0")/lib.inc"
DB=$HK_TMP/hub.db
STICK=$HK_TMP/stick
TAB=$(printf '\t')
mkdir -p "$STICK"

# no_trace WORD: WORD is in no byte of the database's files.
no_trace() {
	! cat "$DB" "$DB-wal" "$DB-shm" 2>/dev/null | grep -aq -- "$1"
}
has_trace() {
	cat "$DB" "$DB-wal" 2>/dev/null | grep -aq -- "$1"
}

hub demo --date 2026-11-24
hub person add Zanzibarnie --full-name "Zanzibarnie Quillfeather" --role visitor
hub visit add Zanzibarnie --at "2026-11-24 10:00" --for Kacper
vid=$(id_of)
hub checkin "$vid" --at "2026-11-24 10:05"
hub checkout "$vid" --at "2026-11-24 11:00"
hub record add Kacper --at "2026-11-24 14:00" --activities "Built a quokkaflight kite" \
	--words "marzipanoid is my word"
check "a record with words of its own is written" [ "$rc" -eq 0 ]
hub retention
check "retention is six months by default" grep -q "kept 6 months" "$OUT"
refuses "a retention of 0 months is refused" "--months '0'" retention --months 0

stick_key "$STICK"
hub export --to "$STICK"
check "the export took the record" [ "$rc" -eq 0 ]
# after the export: a record no export has taken
hub record add Kacper --at "2026-11-25 09:00" --away --activities "Went to the unexportedzebra zoo"

month_figures() {
	hub stay list --all --tsv; cut -f1,4-7 "$OUT"
	hub care list --on 2026-11-24 --tsv; wc -l <"$OUT"
	hub event list --from 2026-11-01 --to 2026-12-31 --tsv; wc -l <"$OUT"
	hub visit list --on 2026-11-24 --tsv; wc -l <"$OUT"
}
before_figures=$(month_figures)
hub journal --tsv
entries_before=$(wc -l <"$OUT")

soon=$(date -d '+5 months' +%Y-%m-%dT%H:%M)
hub retention purge --at "$soon"
check "five months on, nothing is due" grep -q "nothing to purge" "$OUT"
check "  and the words are still there" has_trace quokkaflight

later=$(date -d '+6 months +1 day' +%Y-%m-%dT%H:%M)
sum=$(db_sum)
hub retention purge --at "$later" --dry-run
check "a dry run says what would be purged" grep -q "^would purge" "$OUT"
check "  and writes nothing" [ "$(db_sum)" = "$sum" ]

succeeds "six months and a day on, the purge runs" retention purge --at "$later"
check "  and says what it purged" grep -qE "^purged .* [1-9][0-9]* records" "$OUT"
for word in quokkaflight marzipanoid Zanzibarnie Quillfeather; do
	check "no trace of '$word' in the database file or its WAL" no_trace "$word"
done
hub record list --tsv
check "the record no export took is untouched" grep -q unexportedzebra "$OUT"
hub concern list --open --tsv
check "the open concern keeps its text" grep -q "does not want to go home" "$OUT"
succeeds "verify holds across the purge" verify
check "  (the purged entries kept their place in the chain)" grep -q "hash chain intact" "$OUT"
hub journal --tsv
check "the journal has every entry it had, and one more saying what was purged" \
	[ "$(wc -l <"$OUT")" -eq $((entries_before + 1)) ]
check "  the purge is journalled" grep -q "retention.purge" "$OUT"
check "the counts of past months are as they were" [ "$(month_figures)" = "$before_figures" ]
hub person list --tsv
check "a child placed now keeps their name" grep -q "ليلى" "$OUT"
check "a child with an open concern keeps their name" grep -q "${TAB}Kacper${TAB}" "$OUT"

succeeds "a second purge finds nothing more of that export" retention purge --at "$later"
check "  (nothing purged twice)" grep -qE "^purged .*: 0 journal entries, 0 people, 0 records" "$OUT"
finish
