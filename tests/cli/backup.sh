#!/bin/sh
# hubctl backup-medium, backup and restore (issue 15): after records,
# presses and an emergency arrival, a backup onto a medium sealed to a key
# made with age-keygen holds none of the record in its raw bytes; the
# database and its WAL destroyed, a restore with the key into a new
# database finds every journal entry up to the backup byte for byte, verify
# green, and a journal entry saying a restore happened, from which backup
# and what span may be missing; phones are signed out, export sticks still
# work. A wrong key, a damaged file, an empty medium, a database in the way
# and a revoked medium are refused, each saying why, writing nothing; the
# generations are kept at N; a medium that fills says "full" and never
# leaves a half file taken for whole.
#
# The small medium is a tmpfs mounted directly when we may (root), else in
# a user and mount namespace (unshare -rm), as tests/cli/full_disk.sh.
. "$(dirname "$0")/lib.inc"

MED=$HK_TMP/medium
mkdir -p "$MED"
if [ -z "${HK_BACKUP_INNER:-}" ]; then
	if mount -t tmpfs -o size=2m tmpfs "$MED" 2>/dev/null; then
		trap 'umount "$MED" 2>/dev/null' EXIT
	elif command -v unshare >/dev/null && unshare -rm true 2>/dev/null; then
		exec env HK_BACKUP_INNER=1 unshare -rm sh "$0" "$@"
	else
		echo "ok - # SKIP no way to mount a small filesystem here"
		exit 0
	fi
else
	mount -t tmpfs -o size=2m tmpfs "$MED" || { not_ok "a tmpfs in a namespace"; finish; }
fi
command -v age-keygen >/dev/null || { not_ok "age-keygen is installed (package age)"; finish; }

DB=$HK_TMP/hub.db
STICK=$HK_TMP/stick
FEED=$HK_BUILD/crash/press_crash
# no stick is mounted for the service to find: only the folders made here
HUBKIOSK_BACKUP_MOUNTS=$HK_TMP/mounts
export HUBKIOSK_BACKUP_MOUNTS
mkdir -p "$STICK" "$HUBKIOSK_BACKUP_MOUNTS"
# remind ARGS...: hub ARGS as at a terminal, where the reminders are shown
remind() { HUBKIOSK_REMIND=1 "$HUBCTL" --db "$DB" "$@" >"$OUT" 2>"$ERR"; rc=$?; }
age-keygen -o "$HK_TMP/tech.key" 2>/dev/null
TECH=$(age-keygen -y "$HK_TMP/tech.key")
age-keygen -o "$HK_TMP/other.key" 2>/dev/null

# --- a record: records, presses, an emergency arrival ---
hub demo
hub person add Noor --full-name "Noor Bakhtiari-Quinlan" --role child
hub bed add Ash
hub stay add Noor Ash --from "$(date -d '2 hours ago' +%Y-%m-%dT%H:%M)" --until 1d
hub record add Noor --activities "Baked flapjacks with Maggie" \
	--words "I want the blue blanket tonight" --wellbeing "Settled after tea"
check "a record was written" [ "$rc" -eq 0 ]
when=$(date -d '1 hour ago' +%Y-%m-%dT%H:%M)
printf '%s\n' "checkin GPIO17 1000 $when 0" "next GPIO22 2000 $when" \
	"emergency GPIO27 3000 $when" | "$FEED" feed "$DB" >"$OUT" 2>"$ERR"
check "presses and an emergency arrival were recorded by the buttons' code" \
	grep -q "emergency-" "$OUT"
check "the emergency arrival asked for a backup at once (the path unit's file)" \
	[ -e "$DB-backup-due" ]
# a paired phone (pairing needs the companion; its row is made directly)
sqlite3 "$DB" "INSERT INTO device (name, cred_hash, paired_at) VALUES
	('Maggie''s phone', randomblob(32), strftime('%s'))"
reader
hub export-key create "$STICK" --to "$READER"
check "an export stick is authorised" [ "$rc" -eq 0 ]

# --- the medium ---
usage_error "backup-medium create without a reader is a usage error" backup-medium create "$MED"
refuses "an export stick is not made a backup medium" "export stick" \
	backup-medium create "$STICK" --to "$TECH"
succeeds "backup-medium create writes its key" backup-medium create "$MED" --to "$TECH" \
	--label "hall stick"
check "... the token file is on the medium" [ -s "$MED/hubkiosk-backup.key" ]
token=$(sed -n 2p "$MED/hubkiosk-backup.key")
check "the database keeps only the token's hash" \
	sh -c "! grep -qa '$token' '$DB' && ! { [ -f '$DB-wal' ] && grep -qa '$token' '$DB-wal'; }"
refuses "a second medium on the same folder is refused" "already holds" \
	backup-medium create "$MED" --to "$TECH"

# --- a backup ---
succeeds "hubctl backup backs up every medium it finds" backup
check "... to the hall stick" grep -q "^backup to medium 1 'hall stick' at $MED: hubkiosk-backup-" "$OUT"
file=$(ls "$MED"/hubkiosk-backup-*.age | head -n 1)
check "the file is named hubkiosk-backup-<UTC time>-<seq>.age" \
	sh -c "basename '$file' | grep -qxE 'hubkiosk-backup-[0-9]{8}T[0-9]{6}Z-[0-9]+\.age'"
check "it is age's format" sh -c "head -n 1 '$file' | grep -qx age-encryption.org/v1"
check "no .part is left" [ -z "$(ls -A "$MED" | grep '\.part$')" ]
seq=$(basename "$file" .age | sed 's/.*-//')
hub journal --tsv
cp "$OUT" "$HK_TMP/before.tsv"
check "the first backup to a medium is journalled" \
	sh -c "tail -n 1 '$OUT' | cut -f6 | grep -qx backup.done"
# every name, full name, note and record text: none in a byte of the medium
hub person list --tsv; cut -f2,3 "$OUT" | tr '\t' '\n' >"$HK_TMP/secrets"
hub record list --tsv; tail -n +2 "$OUT" | tr '\t' '\n' >>"$HK_TMP/secrets"
printf '%s\n' "Noor Bakhtiari-Quinlan" "I want the blue blanket tonight" "Baked flapjacks" \
	"Rowan House" "Maggie's phone" >>"$HK_TMP/secrets"
LC_ALL=C grep -v '^.\{0,5\}$' "$HK_TMP/secrets" | sort -u >"$HK_TMP/secrets.u"
check "the secrets to look for include the record's words" \
	grep -q "blue blanket" "$HK_TMP/secrets.u"
leaks=$(cat "$MED"/* | grep -a -F -c -f "$HK_TMP/secrets.u")
check "no name or record text is in any byte on the medium ($(wc -l <"$HK_TMP/secrets.u") strings)" \
	[ "$leaks" -eq 0 ]
check "... while opened with the key, the backup holds them" \
	sh -c "age -d -i '$HK_TMP/tech.key' '$file' | grep -a -q 'blue blanket'"

succeeds "a backup when nothing changed writes nothing new" backup --to "$MED"
n_before=$(ls "$MED"/hubkiosk-backup-*.age | wc -l)
succeeds "... again" backup
check "... (the first backup's own entry made one more, then nothing)" \
	[ "$(ls "$MED"/hubkiosk-backup-*.age | wc -l)" -eq "$n_before" ]
check "... and says so" grep -q "nothing new since" "$OUT"
hub journal --tsv
check "routine backups are not journalled" \
	[ "$(cut -f6 "$OUT" | grep -cE '^backup\.(done|full|missing|failed)$')" -eq 1 ]
cp "$OUT" "$HK_TMP/before.tsv"
newest=$(ls "$MED"/hubkiosk-backup-*.age | sort -t- -k4 -n | tail -n 1)
upto=$(basename "$newest" .age | sed 's/.*-//')

# --- the card dies ---
rm -f "$DB" "$DB-wal" "$DB-shm"
NEW=$HK_TMP/card/hub.db
mkdir -p "$HK_TMP/card"
restore_refused() {
	sentence=$1 value=$2; shift 2
	"$HUBCTL" "$@" >"$OUT" 2>"$ERR"
	rc=$?
	why=""
	[ "$rc" -eq 1 ] || why="exit $rc"
	[ "$(wc -l <"$ERR")" -eq 1 ] || why="$why; not one line on stderr"
	grep -qF -- "$value" "$ERR" || why="$why; stderr does not say '$value'"
	[ -e "$NEW" ] && why="$why; a database was written"
	[ -z "$(ls -A "$HK_TMP/card")" ] || why="$why; files were left"
	if [ -z "$why" ]; then ok "$sentence"; else not_ok "$sentence ($why)"; fi
}
restore_refused "a wrong key is refused, nothing written" "is not one of the readers" \
	restore "$MED" --key "$HK_TMP/other.key" --db "$NEW"
restore_refused "a missing key file is refused" "cannot read the key file" \
	restore "$MED" --key "$HK_TMP/nokey" --db "$NEW"
cp "$newest" "$HK_TMP/damaged.age"
size=$(stat -c %s "$HK_TMP/damaged.age")
printf 'X' | dd of="$HK_TMP/damaged.age" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
restore_refused "a damaged file is refused, nothing written" "is damaged" \
	restore "$HK_TMP/damaged.age" --key "$HK_TMP/tech.key" --db "$NEW"
head -c $((size / 3)) "$newest" >"$HK_TMP/cut.age"
restore_refused "a file cut short is refused" "is damaged" \
	restore "$HK_TMP/cut.age" --key "$HK_TMP/tech.key" --db "$NEW"
mkdir -p "$HK_TMP/empty"
restore_refused "a medium with no backup on it says so" "there is no backup" \
	restore "$HK_TMP/empty" --key "$HK_TMP/tech.key" --db "$NEW"
# a half-written file of a backup cut short is never taken for the newest
printf 'age-encryption.org/v1\nhalf' >"$MED/.hubkiosk-backup-29991231T235959Z-99999.age.part"
usage_error "restore without --key is a usage error" restore "$MED" --db "$NEW"

"$HUBCTL" restore "$MED" --key "$HK_TMP/tech.key" --db "$NEW" >"$OUT" 2>"$ERR"
check "restore with the technician's key brings the record back" [ $? -eq 0 ]
check "... from the newest complete backup, not the .part" grep -q "from $newest" "$OUT"
check "... and says the phones must pair again" grep -q "pair the phones again" "$OUT"
DB=$NEW
hub journal --tsv
cp "$OUT" "$HK_TMP/after.tsv"
head -n $((upto + 1)) "$HK_TMP/before.tsv" >"$HK_TMP/b"
head -n $((upto + 1)) "$HK_TMP/after.tsv" >"$HK_TMP/a"
check "every journal entry up to the backup ($upto) is there byte for byte" \
	cmp -s "$HK_TMP/a" "$HK_TMP/b"
succeeds "verify holds across the restore" verify
check "... the chain intact" grep -q "hash chain intact" "$OUT"
hub journal --tsv
restore_line=$(awk -F '\t' '$6 == "restore"' "$OUT")
check "the journal says a restore happened" [ -n "$restore_line" ]
echo "$restore_line" >"$HK_TMP/restore.line"
check "... from which backup" grep -qF "'$(basename "$newest")'" "$HK_TMP/restore.line"
check "... its last entry" grep -q "journal entries 1 to $upto " "$HK_TMP/restore.line"
check "... and the span that may be missing" \
	grep -q "What was recorded from .* to .* (this restore) may be missing" "$HK_TMP/restore.line"
check "the restore entry follows the backup's last one" \
	[ "$(echo "$restore_line" | cut -f1)" -eq $((upto + 1)) ]
hub device list --tsv
check "paired phones are signed out (the new card has a new certificate)" \
	[ "$(tsv_col status | sort -u)" = "signed out" ]
hub journal --tsv
check "... journalled" grep -q "device.revoke" "$OUT"
exits 0 "the export stick still works after the restore" export --to "$STICK"
succeeds "and the backup medium too" backup --to "$MED"
check "... the .part left behind is removed" [ -z "$(ls -A "$MED" | grep '\.part$')" ]

refuses "a restore over a database that holds a record is refused" "never over one" \
	restore "$MED" --key "$HK_TMP/tech.key"

# --- generations ---
for i in 1 2 3 4 5 6 7; do
	hub bed add "Bed $i"
	hub backup --to "$MED" --keep 3
done
check "the last 3 generations are kept" [ "$(ls "$MED"/hubkiosk-backup-*.age | wc -l)" -eq 3 ]
check "... the newest of them holds the newest record" \
	sh -c "ls '$MED'/hubkiosk-backup-*.age | sort -t- -k4 -n | tail -n 1 |
		xargs age -d -i '$HK_TMP/tech.key' | grep -a 'Bed 7' >/dev/null"
for i in 8 9 10; do
	hub bed add "Bed $i"
	hub backup
done
check "the default keeps 5" [ "$(ls "$MED"/hubkiosk-backup-*.age | wc -l)" -eq 5 ]

# --- a medium that fills ---
dd if=/dev/zero of="$MED/filler" bs=4096 2>/dev/null
free=$(df -k "$MED" | awk 'NR == 2 { print $4 }')
check "the medium is full (${free} kB free)" [ "$free" -eq 0 ]
hub bed add Rowan
hub backup --to "$MED"
check "a backup to a full medium makes room by removing older backups" \
	grep -q "[1-9] older removed" "$OUT"
check "... so fewer are kept" [ "$(ls "$MED"/hubkiosk-backup-*.age | wc -l)" -lt 5 ]
rm -f "$MED/filler"
hub backup --to "$MED" --keep 1 --force
last=$(ls "$MED"/hubkiosk-backup-*.age)
dd if=/dev/zero of="$MED/filler" bs=4096 2>/dev/null
hub bed add Elm
hub backup --to "$MED"
check "with no room even then, the backup fails (exit 1)" [ "$rc" -eq 1 ]
check "... saying the medium is full" grep -q "is full" "$ERR"
check "... the newest backup is never removed" [ "$(ls "$MED"/hubkiosk-backup-*.age)" = "$last" ]
check "... and no half file is left" [ -z "$(ls -A "$MED" | grep '\.part$')" ]
check "the newest backup still opens whole" \
	sh -c "age -d -i '$HK_TMP/tech.key' '$last' | head -c 16 | grep -aq 'SQLite format 3'"
hub backup-medium list --tsv
check "the medium's state is full" [ "$(tsv_col state)" = full ]
remind bed list
check "the console reminds the carer that the medium is full" \
	grep -q "reminder: the backup medium 'hall stick' is full" "$ERR"
hub backup
check "the service says so too (exit 1)" [ "$rc" -eq 1 ]
hub journal --tsv
check "a full medium is journalled once, not at every attempt" \
	[ "$(cut -f6 "$OUT" | grep -c '^backup.full$')" -eq 1 ]
rm -f "$MED/filler"
HUBKIOSK_BACKUP_FAULT=3:ENOSPC "$HUBCTL" --db "$DB" backup --to "$MED" >"$OUT" 2>"$ERR"
check "a medium that fills during the write fails" grep -q "filled up during the backup" "$ERR"
check "... the half file is removed, the newest whole one kept" \
	sh -c "[ -z \"\$(ls -A '$MED' | grep '\.part\$')\" ] && [ \"\$(ls '$MED'/hubkiosk-backup-*.age)\" = '$last' ]"
succeeds "with room again, the backup works" backup --to "$MED"
hub journal --tsv
check "... and the journal says backups work again" \
	sh -c "tail -n 1 '$OUT' | grep -q 'backup.done.*work again'"

# --- a missing medium, a revoked one ---
mv "$MED/hubkiosk-backup.key" "$HK_TMP/key.away"
hub backup
check "a medium that is not there fails (exit 1)" [ "$rc" -eq 1 ]
check "... saying it is missing" grep -q "medium 1 'hall stick' is missing" "$ERR"
remind bed list
check "the console reminds the carer the medium is missing" \
	grep -q "reminder: the backup medium 'hall stick' is missing" "$ERR"
mv "$HK_TMP/key.away" "$MED/hubkiosk-backup.key"
mkdir -p "$HUBKIOSK_BACKUP_MOUNTS/sdz1"
mount --bind "$MED" "$HUBKIOSK_BACKUP_MOUNTS/sdz1" 2>/dev/null && {
	sqlite3 "$DB" "UPDATE backup_medium SET location = '/nowhere'"
	succeeds "a stick is found where udev mounted it" backup
	check "... and its place is remembered" \
		sh -c "'$HUBCTL' --db '$DB' backup-medium list --tsv | grep -q '$HUBKIOSK_BACKUP_MOUNTS/sdz1'"
	umount "$HUBKIOSK_BACKUP_MOUNTS/sdz1"
	sqlite3 "$DB" "UPDATE backup_medium SET location = '$MED'"
}
succeeds "backup-medium revoke" backup-medium revoke 1
refuses "a backup to a revoked medium is refused" "revoked" backup --to "$MED"
succeeds "the service leaves a revoked medium alone" backup
check "... having none left" grep -q "no backup medium" "$OUT"
succeeds "verify holds at the end" verify
finish
