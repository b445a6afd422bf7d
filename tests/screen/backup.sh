#!/bin/sh
# The backup's quiet line on the board (issue 15): nothing while the
# backup keeps up; "Backup N days old - tell the carer" once the record
# has changed since a backup more than a day old; "Backup stick not
# found" when its medium is gone. Read back by OCR; pictures kept in
# $HK_BUILD/screen/backup/ to look at. Nothing of the record is on it.
#
# Run by tests/run with HK_BUILD (hubkiosk, hubctl) and HK_TMP.
. "$(dirname "$0")/lib.inc"
check() { s=$1; shift; if "$@"; then ok "$s"; else notok "$s"; fi; }

shots=$B/screen/backup
rm -rf "$shots"
mkdir -p "$shots"
db=$T/hub.db
today=$(date +%F)
demo_db "$db" "$today"
hub() { "$B/hubctl" --db "$db" "$@" >"$T/out" 2>"$T/err"; }
shot() { # NAME AT: the board at AT, and its words by OCR in $T/NAME.txt
	SDL_VIDEODRIVER=offscreen "$B/hubkiosk" --db "$db" --at "$2" \
		--screenshot "$shots/$1.png" >/dev/null 2>&1
	if command -v tesseract >/dev/null 2>&1; then
		tesseract "$shots/$1.png" "$T/$1" >/dev/null 2>&1
	else
		: >"$T/$1.txt"
	fi
}
said() { tr '\n' ' ' <"$T/$1.txt" | grep -q "$2"; }

age-keygen -o "$T/tech.key" 2>/dev/null
mkdir -p "$T/medium"
hub backup-medium create "$T/medium" --to "$(age-keygen -y "$T/tech.key")" --label hall
check "a backup medium is made" [ -s "$T/medium/hubkiosk-backup.key" ]
hub backup
check "a first backup is written" sh -c "ls '$T/medium'/hubkiosk-backup-*.age >/dev/null"

now=$(date +%Y-%m-%dT%H:%M)
shot fresh "$now"
check "the board is drawn with a fresh backup" [ -s "$shots/fresh.png" ]
if command -v tesseract >/dev/null 2>&1; then
	check "  and says nothing of the backup" sh -c "! tr '\n' ' ' <'$T/fresh.txt' | grep -qi backup"
fi

# The record changes, and no backup follows for three days.
hub visit add Saoirse --at "$(date -d tomorrow +%Y-%m-%dT11:00)"
later=$(date -d '3 days 1 hour' +%Y-%m-%dT%H:%M)
shot stale "$later"
if command -v tesseract >/dev/null 2>&1; then
	check "three days on, with changes since, the board says 'Backup 3 days old'" \
		said stale 'Backup 3 days old'
	check "  and to tell the carer" said stale 'tell the carer'
fi

# The medium is gone when the next backup runs.
mv "$T/medium" "$T/medium.away"
hub backup
shot missing "$now"
if command -v tesseract >/dev/null 2>&1; then
	check "with the medium gone, the board says 'Backup stick not found'" \
		said missing 'Backup stick not found'
fi
mv "$T/medium.away" "$T/medium"
hub backup
shot back "$now"
if command -v tesseract >/dev/null 2>&1; then
	check "once it is back and backed up to, the line goes" \
		sh -c "! tr '\n' ' ' <'$T/back.txt' | grep -qi 'backup'"
fi
exit $fail
