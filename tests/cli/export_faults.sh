#!/bin/sh
# A stick that fills up, breaks or turns read-only at any write: the
# export stops with a clear message, leaves no sealed file (nor a
# temporary one), journals the
# failure, changes nothing else in the database (the record is intact and
# verify passes), and the next export repeats what did not complete.
# The fault is injected through export_io's hook (HUBKIOSK_EXPORT_FAULT),
# at write operation 1, 2, 3, ... until the export gets through.
. "$(dirname "$0")/lib.inc"
DB=$HK_TMP/faults.db
STICK=$HK_TMP/stick
mkdir -p "$STICK"
hub demo
stick_key "$STICK"
check "a demo record and a key" [ "$rc" -eq 0 ]

# One line: a hash of everything but the journal and the progress row,
# the number of journal entries, the last entry's kind, the board's state.
state() {
	sqlite3 -readonly "$DB" "SELECT * FROM bed; SELECT * FROM person; SELECT * FROM stay;
		SELECT * FROM visit; SELECT * FROM contact; SELECT * FROM event;
		SELECT * FROM setting; SELECT * FROM export_key; SELECT * FROM export_done;" |
		sha256sum | cut -c1-16
	sqlite3 -readonly "$DB" "SELECT count(*), (SELECT kind FROM journal ORDER BY seq DESC
		LIMIT 1), coalesce((SELECT state FROM export_progress), 'none') FROM journal"
}

for err in ENOSPC EIO EROFS; do
	n=1 bad=""
	while [ "$n" -lt 200 ]; do
		before=$(state | head -n 1)
		entries=$(state | sed -n 2p | cut -d'|' -f1)
		HUBKIOSK_EXPORT_FAULT="$n:$err" "$HUBCTL" --db "$DB" export --to "$STICK" \
			>"$OUT" 2>"$ERR"
		rc=$?
		[ "$rc" -eq 0 ] && break
		[ "$rc" -eq 1 ] || bad="$bad; write $n: exit $rc"
		[ "$(wc -l <"$ERR")" -eq 1 ] || bad="$bad; write $n: not one line on stderr"
		grep -q "on the stick" "$ERR" || bad="$bad; write $n: unclear message: $(cat "$ERR")"
		[ -z "$(find "$STICK" -name '*.age')" ] || bad="$bad; write $n: a sealed file was left"
		[ -z "$(find "$STICK" -name '*.part')" ] || bad="$bad; write $n: a temporary file was left"
		now=$(state | tr '\n' ' ')
		want="$before $((entries + 1))|export.failed|failed "
		[ "$now" = "$want" ] || bad="$bad; write $n: database '$now', wanted '$want'"
		"$HUBCTL" --db "$DB" verify >/dev/null 2>&1 || bad="$bad; write $n: verify failed"
		n=$((n + 1))
	done
	if [ -z "$bad" ]; then ok "$err at each of the $((n - 1)) writes: stopped, no sealed file, record intact"
	else not_ok "$err at every write"; echo "#  $bad" | cut -c1-400; fi
	check "after $err the export got through at write $n" [ "$rc" -eq 0 ]
	check "the export that got through repeats from entry 1" grep -q "journal entries 1-" "$OUT"
	folder=$(opened)
	succeeds "the completed export after $err opens and verifies" verify --export "$folder"
	# Start over: the completed export is recorded, so undo it by a fresh copy
	rm -rf "$STICK"/hubkiosk_export_* "$STICK"/.??* 2>/dev/null
	sqlite3 "$DB" "DELETE FROM export_done" 2>"$ERR"
done
check "every failure wrote its journal entry" \
	sh -c "[ \$(sqlite3 -readonly '$DB' \"SELECT count(*) FROM journal WHERE kind = 'export.failed'\") -ge 24 ]"
succeeds "the journal's chain is intact after all of it" verify
finish
