#!/bin/sh
# hubweb over real HTTPS (curl): the first start makes the hub's CA and
# certificate (keys 0600) that a client verifies for localhost, the
# fingerprint it logs is the one hubctl device pair shows, every answer has
# the security headers, an unpaired client gets the pairing page and 401,
# pairing with the code hubctl printed sets the cookie, a change without
# the page's Origin is refused, a large body is 413 and the server goes
# on, a revoked device is cut off at once, and SIGTERM stops it cleanly.
#
# Run by tests/run with HK_BUILD and HK_TMP.
. "$(dirname "$0")/lib.inc"
WEB=$HK_BUILD/hubweb
DB=$HK_TMP/hub.db
STATE=$HK_TMP/state
PAGES=$HK_TMP/pages
LOG=$HK_TMP/hubweb.log
JAR=$HK_TMP/cookies

if [ ! -x "$WEB" ] || ! command -v curl >/dev/null; then
	not_ok "hubweb is built and curl is installed"
	finish
fi
mkdir -p "$PAGES"
echo '<!doctype html><title>Pair this phone</title>' >"$PAGES/pair.html"
echo '<!doctype html><title>Today</title>' >"$PAGES/index.html"
echo 'body { margin: 0 }' >"$PAGES/app.css"
hub demo >/dev/null

# start [EXTRA...]: hubweb on a free port; sets pid, port, URL
start() {
	for try in 1 2 3 4 5; do
		port=$((20000 + ($$ * 7 + try * 131) % 20000))
		: >"$LOG"
		"$WEB" --db "$DB" --state "$STATE" --static "$PAGES" --listen "127.0.0.1:$port" \
			"$@" 2>"$LOG" &
		pid=$!
		for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
			grep -q '^hubweb: serving' "$LOG" && break
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.25
		done
		grep -q '^hubweb: serving' "$LOG" && break
		wait "$pid" 2>/dev/null
	done
	URL=https://localhost:$port
}
stop() { kill -TERM "$pid" 2>/dev/null; wait "$pid"; stopped=$?; }
# web ARGS...: curl verifying against the hub's own CA; body in $OUT, headers in $ERR
web() {
	curl -s --max-time 10 --cacert "$STATE/ca.crt" -b "$JAR" -c "$JAR" -D "$ERR" -o "$OUT" \
		-w '%{http_code}' "$@"
}
change() {
	path=$1; shift
	web -H "Origin: https://localhost:$port" -H "X-HK-Request: k$(date +%s%N)" \
		-H 'Content-Type: application/json' "$@" "$URL$path"
}

start
check "hubweb starts and says where it serves" grep -q "^hubweb: serving https://.*\.local:$port" "$LOG"
check "the state folder is 0700 and the keys 0600" \
	sh -c "[ \"\$(stat -c %a '$STATE') \$(stat -c %a '$STATE/ca.key') \$(stat -c %a '$STATE/server.key')\" = '700 600 600' ]"
fp=$(sed -n 's/^hubweb: certificate SHA-256 \([0-9A-F:]*\).*/\1/p' "$LOG")
check "hubweb logs its certificate's SHA-256 fingerprint" [ "${#fp}" -eq 95 ]
"$HUBCTL" --db "$DB" device pair --state "$STATE" --url "$URL" >"$HK_TMP/pair" 2>"$ERR"
check "hubctl device pair shows the same fingerprint" grep -qx "  $fp" "$HK_TMP/pair"

code=$(web "$URL/")
check "a client verifies the certificate against /ca.crt's CA and gets the pairing page" \
	sh -c "[ '$code' = 200 ] && grep -q 'Pair this phone' '$OUT'"
check "every answer has the content security policy" \
	grep -qi "^Content-Security-Policy: default-src 'none'; script-src 'self'" "$ERR"
check "and HSTS" grep -qi '^Strict-Transport-Security: max-age=31536000' "$ERR"
code=$(web "$URL/ca.crt")
check "/ca.crt is the CA certificate, for anyone" \
	sh -c "[ '$code' = 200 ] && grep -qi '^Content-Type: application/x-x509-ca-cert' '$ERR' && cmp -s '$OUT' '$STATE/ca.crt'"
code=$(web "$URL/api/status")
check "an unpaired client gets 401 from the API" [ "$code" = 401 ]
check "and no name of the hub" sh -c "! grep -q 'Rowan' '$OUT'"
code=$(web "$URL/api/pair/info")
check "the pairing page's data is the fingerprint alone" \
	sh -c "[ '$code' = 200 ] && grep -q '\"fingerprint\":\"$fp\"' '$OUT' && grep -q '\"hub\":\"\"' '$OUT'"
code=$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' "http://localhost:$port/")
check "plain HTTP gets no page" [ "$code" = 000 ]

pcode=$(sed -n 's/.*type the code: \(.*\)$/\1/p' "$HK_TMP/pair")
code=$(change /api/pair -d "{\"code\":\"$pcode\",\"name\":\"Test phone\"}")
check "pairing with the code hubctl printed sets the cookie" \
	sh -c "[ '$code' = 200 ] && grep -qi '^Set-Cookie: hk_dev=.*; Secure; HttpOnly; SameSite=Strict' '$ERR'"
code=$(web "$URL/api/status")
check "the paired client reads the status" sh -c "[ '$code' = 200 ] && grep -q '\"ok\":true' '$OUT'"
check "with the journal verified at start" grep -q '"journal":{[^}]*"verified":true' "$OUT"
code=$(web -H "Origin: https://evil.example" -H "X-HK-Request: k1" \
	-H 'Content-Type: application/json' -d '{}' "$URL/api/devices/signout-others")
check "a change from another site is refused (403)" [ "$code" = 403 ]
code=$(web -H 'Content-Type: application/json' -d '{}' "$URL/api/devices/signout-others")
check "a change without Origin and request key is refused (403)" [ "$code" = 403 ]
head -c 600000 /dev/zero | tr '\0' ' ' >"$HK_TMP/big"
code=$(change /api/record --data-binary "@$HK_TMP/big")
check "a body over 512 kB is refused (413)" [ "$code" = 413 ]
code=$(web "$URL/api/status")
check "and the server goes on" [ "$code" = 200 ]
hdrs=""
i=0
while [ $i -lt 70 ]; do hdrs="$hdrs -H X-Filler-$i:x"; i=$((i + 1)); done
# shellcheck disable=SC2086
code=$(web $hdrs "$URL/api/status")
check "a request of more than 64 headers is refused (400)" [ "$code" = 400 ]
glen=$(web "$URL/api/devices" >/dev/null; grep -i '^Content-Length' "$ERR" | tr -d '\r')
hlen=$(web -I "$URL/api/devices" >/dev/null; grep -i '^Content-Length' "$ERR" | tr -d '\r')
# (curl -I writes the headers where the body would go)
check "HEAD is answered as GET, without the body" \
	sh -c "[ -n '$glen' ] && [ '$glen' = '$hlen' ] && ! grep -q devices '$OUT'"

id=$("$HUBCTL" --db "$DB" device list --tsv | awk -F '\t' 'NR == 2 { print $1 }')
"$HUBCTL" --db "$DB" device revoke "$id" >/dev/null 2>&1
code=$(web "$URL/api/status")
check "a revoked device is cut off at once" [ "$code" = 401 ]

stop
check "SIGTERM stops hubweb with status 0" sh -c "[ '$stopped' = 0 ] && grep -q '^hubweb: stopped' '$LOG'"
start
check "a second start keeps the certificate" grep -q "^hubweb: certificate SHA-256 $fp" "$LOG"
check "and makes none" sh -c "! grep -q 'made a new certificate' '$LOG'"
stop

"$WEB" --db "$DB" --state "$STATE" --static "$HK_TMP/none" --listen 127.0.0.1:1 2>"$ERR"
check "no pages is a clear refusal to start" sh -c "[ $? = 1 ] && grep -q 'give --static' '$ERR'"
"$WEB" --nonsense 2>"$ERR"
check "an unknown option is a usage error" sh -c "[ $? = 2 ] && grep -q usage '$ERR'"
finish
