#!/bin/sh
# A full data partition (issue 16): on a small tmpfs that the test fills,
# reading still works (lists, journal, verify, the board's picture), a
# write is refused saying the partition is full and leaves the record as
# it was, and once space returns the next change is saved, with a journal
# entry saying from when to when writes were refused.
#
# The tmpfs is mounted directly when we may (root), else inside a user
# and mount namespace (unshare -rm), which most kernels allow anyone.
. "$(dirname "$0")/lib.inc"

MNT=$HK_TMP/data
mkdir -p "$MNT"
if [ -z "${HK_FULL_INNER:-}" ]; then
	if mount -t tmpfs -o size=1m tmpfs "$MNT" 2>/dev/null; then
		trap 'umount "$MNT" 2>/dev/null' EXIT
	elif command -v unshare >/dev/null && unshare -rm true 2>/dev/null; then
		exec env HK_FULL_INNER=1 unshare -rm sh "$0" "$@"
	else
		echo "ok - # SKIP no way to mount a small filesystem here"
		exit 0
	fi
else
	mount -t tmpfs -o size=1m tmpfs "$MNT" || { not_ok "a tmpfs in a namespace"; finish; }
fi

DB=$MNT/hub.db
hub bed add Willow
hub person add Amira --role child
hub stay add Amira Willow --from "2026-11-23 21:40" --until 3d
hub journal --tsv
journal_before=$(cat "$OUT")
sum_before=$(db_sum)

# fill the partition to the last block
dd if=/dev/zero of="$MNT/fill" bs=4096 2>/dev/null
free=$(df -k "$MNT" | awk 'NR == 2 { print $4 }')
check "the partition is full (${free} kB free)" [ "$free" -eq 0 ]

succeeds "bed list works on a full partition" bed list
check "  and lists the bed" grep -q Willow "$OUT"
succeeds "journal works on a full partition" journal --tsv
succeeds "verify works on a full partition" verify
hub bed add Oak
check "a write is refused (exit 1)" [ "$rc" -eq 1 ]
check "  saying the data partition is full, with the space left" \
	grep -q "data partition $MNT is full: 0 kB free; nothing was recorded" "$ERR"
check "  on one line" [ "$(wc -l <"$ERR")" -eq 1 ]
hub person add Zed --role child
check "a second refused write says the same" grep -q "is full" "$ERR"
check "the record is byte for byte as it was" [ "$(db_sum)" = "$sum_before" ]

if [ -x "$HK_BUILD/hubkiosk" ]; then
	SDL_VIDEODRIVER=offscreen "$HK_BUILD/hubkiosk" --db "$DB" --at "2026-11-24T14:00" \
		--screenshot "$HK_TMP/full.png" >"$OUT" 2>"$ERR"
	check "the board draws the day on a full partition" [ -s "$HK_TMP/full.png" ]
fi

# space returns
rm -f "$MNT/fill"
succeeds "once space returns, a write is saved" bed add Oak
hub journal --tsv
check "the journal says writes were refused, and how many" \
	grep -q "storage.full.*Writes were refused from .* the data partition was full (2 changes refused)" "$OUT"
check "the entries from before are there unchanged" \
	sh -c "head -n $(printf '%s\n' "$journal_before" | wc -l) '$OUT' | diff -q - /dev/stdin >/dev/null <<EOF
$journal_before
EOF"
succeeds "verify holds after" verify
succeeds "another write needs no second note" bed add Ash
hub journal --tsv
check "  (one storage.full entry in all)" [ "$(grep -c storage.full "$OUT")" -eq 1 ]
finish
