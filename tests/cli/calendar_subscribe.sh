#!/bin/sh
# hubctl calendar subscribe / refresh against a local HTTP server on
# 127.0.0.1: it serves, then fails (404, then no server at all), then
# serves a changed file. A failed fetch never empties the board: the last
# good copy stays and calendar list says how old it is and why.
. "$(dirname "$0")/lib.inc"
DB=$HK_TMP/sub.db
C=$(cd "$(dirname "$0")/../calendar" && pwd)
W="--from 2026-10-01 --to 2027-04-30"
TAB=$(printf "\t")
WWW=$HK_TMP/www
mkdir -p "$WWW"
cp "$C/google.ics" "$WWW/hub.ics"

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
URL=http://127.0.0.1:$PORT/hub.ics
server=""
start_server() {
	# bounded: it stops by itself after 60 s even if this script dies
	timeout 60 python3 -m http.server "$PORT" --bind 127.0.0.1 --directory "$WWW" \
		>"$HK_TMP/http.log" 2>&1 &
	server=$!
	for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		python3 -c "import socket; socket.create_connection(('127.0.0.1', $PORT), 1)" \
			2>/dev/null && return 0
		sleep 0.2
	done
	return 1
}
stop_server() {
	[ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
	server=""
}
trap stop_server EXIT

check "a local HTTP server starts on 127.0.0.1" start_server
succeeds "subscribing fetches the calendar" calendar subscribe "$URL" --every 1h --name "Rowan web" $W
check "and imports it" grep -q "calendar 1 .*64 added" "$OUT"
hub event list --from 2026-10-24 --to 2026-10-24 --tsv
check "its picnic is on the board" grep -q "autumn picnic" "$OUT"
refuses "subscribing twice is refused" "already subscribed" calendar subscribe "$URL"
refuses "a file: URL is refused" "file:///etc/passwd" calendar subscribe file:///etc/passwd

rm "$WWW/hub.ics"
exits 1 "a refresh that gets HTTP 404 fails" calendar refresh --force $W
check "and says why, keeping the copy" grep -q "HTTP 404; keeping the copy of" "$ERR"
hub event list --from 2026-10-24 --to 2026-10-24 --tsv
check "the board still has the picnic" grep -q "autumn picnic" "$OUT"
hub calendar list --tsv
check "calendar list shows the error" grep -q "the server answered HTTP 404" "$OUT"
check "and the age of the copy" [ -n "$(tsv_col age)" ]

stop_server
exits 1 "a refresh with no server fails" calendar refresh "Rowan web" $W
check "and says it could not connect" grep -qi "connect" "$ERR"
hub event list --from 2026-10-24 --to 2026-10-24 --tsv
check "the board still has the picnic" grep -q "autumn picnic" "$OUT"
hub journal --tsv
check "the journal notes the failure once, not per attempt" \
	[ "$(grep -c 'calendar.fetch-failed' "$OUT")" = 1 ]

sed 's/SUMMARY:Constellation autumn picnic/SUMMARY:Constellation autumn picnic (indoors)/' \
	"$C/google.ics" >"$WWW/hub.ics"
check "the server starts again" start_server
succeeds "a refresh fetches the changed file" calendar refresh --force $W
check "one entry changed" grep -q "0 added, 1 changed, 0 removed" "$OUT"
hub event list --from 2026-10-24 --to 2026-10-24 --tsv
check "the board has the change" grep -q "autumn picnic (indoors)" "$OUT"
hub calendar list --tsv
check "and the calendar is ok again" grep -q "${TAB}ok${TAB}" "$OUT"
succeeds "a refresh that is not due fetches nothing and changes nothing" calendar refresh $W
check "(nothing changed)" grep -q "0 added, 0 changed, 0 removed" "$OUT"
check "the server log shows the fetch" grep -q "GET /hub.ics" "$HK_TMP/http.log"
stop_server
succeeds "unsubscribe removes it" calendar unsubscribe "Rowan web"
finish
