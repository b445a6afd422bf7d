#!/bin/sh
# A full data partition (issue 16): on a small tmpfs that the test fills,
# reading still works (lists, journal, verify, the board's picture), a
# write is refused saying the partition is full and leaves the record as
# it was, and once space returns the next change is saved, with a journal
# entry saying from when to when writes were refused. The companion says
# the same: its day carries "storage full", and a change from the phone
# is answered 507 naming the full partition, not "busy, try again".
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

# The companion, paired before the partition fills (its own state
# folder lives elsewhere, as /var/lib/hubweb does).
WEB=$HK_BUILD/hubweb
WSTATE=$HK_TMP/webstate
JAR=$HK_TMP/cookies
webpid=""
if [ -x "$WEB" ] && command -v curl >/dev/null; then
	port=$((20000 + ($$ * 11) % 20000))
	"$WEB" --db "$DB" --state "$WSTATE" --static "$HK_TMP" --listen "127.0.0.1:$port" \
		2>"$HK_TMP/hubweb.log" &
	webpid=$!
	for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		grep -q '^hubweb: serving' "$HK_TMP/hubweb.log" && break
		sleep 0.25
	done
	URL=https://localhost:$port
	web() {
		curl -s --max-time 10 --cacert "$WSTATE/ca.crt" -b "$JAR" -c "$JAR" -o "$OUT" \
			-w '%{http_code}' "$@"
	}
	change() {
		path=$1; shift
		web -H "Origin: $URL" -H "X-HK-Request: k$(date +%s%N)" \
			-H 'Content-Type: application/json' "$@" "$URL$path"
	}
	"$HUBCTL" --db "$DB" device pair --state "$WSTATE" --url "$URL" >"$HK_TMP/pair" 2>"$ERR"
	pcode=$(sed -n 's/.*type the code: \(.*\)$/\1/p' "$HK_TMP/pair")
	code=$(change /api/pair -d "{\"code\":\"$pcode\",\"name\":\"Test phone\"}")
	check "the companion is paired before the partition fills" [ "$code" = 200 ]
	journal_before=$("$HUBCTL" --db "$DB" journal --tsv)
fi
# The record as it stands: every table but the devices' last-seen status
# (hubweb holds the file open, so its bytes and WAL are not the measure).
rec_sum() {
	sqlite3 -readonly "$DB" .dump 2>/dev/null |
		grep -v -e '^INSERT INTO device' -e '^INSERT INTO request' | sha256sum
}
sum_before=$(rec_sum)
check "the record reads back whole (sqlite3 .dump)" \
	[ "$(sqlite3 -readonly "$DB" .dump | grep -c '^INSERT INTO journal')" -ge 3 ]

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
check "the record is as it was" [ "$(rec_sum)" = "$sum_before" ]

if [ -x "$HK_BUILD/hubkiosk" ]; then
	SDL_VIDEODRIVER=offscreen "$HK_BUILD/hubkiosk" --db "$DB" --at "2026-11-24T14:00" \
		--screenshot "$HK_TMP/full.png" >"$OUT" 2>"$ERR"
	check "the board draws the day on a full partition" [ -s "$HK_TMP/full.png" ]
fi

if [ -n "$webpid" ]; then
	code=$(web "$URL/api/today")
	check "the companion still shows the day on a full partition" \
		sh -c "[ '$code' = 200 ] && grep -q Willow '$OUT'"
	check "  and says storage is full" grep -q '"storage":{"full":true' "$OUT"
	code=$(change /api/visit/unexpected -d '{"name":"Nan"}')
	check "a change from the phone is refused as 507, not 'busy'" [ "$code" = 507 ]
	check "  naming the full data partition" grep -q "data partition .* is full" "$OUT"
	check "  and the record is as it was" [ "$(rec_sum)" = "$sum_before" ]
	kill -TERM "$webpid" 2>/dev/null
	wait "$webpid" 2>/dev/null
	refused=3
else
	refused=2
fi

# space returns
rm -f "$MNT/fill"
succeeds "once space returns, a write is saved" bed add Oak
hub journal --tsv
check "the journal says writes were refused, and how many" \
	grep -q "storage.full.*Writes were refused from .* the data partition was full ($refused changes refused)" "$OUT"
check "the entries from before are there unchanged" \
	sh -c "head -n $(printf '%s\n' "$journal_before" | wc -l) '$OUT' | diff -q - /dev/stdin >/dev/null <<EOF
$journal_before
EOF"
succeeds "verify holds after" verify
succeeds "another write needs no second note" bed add Ash
hub journal --tsv
check "  (one storage.full entry in all)" [ "$(grep -c storage.full "$OUT")" -eq 1 ]
finish
