#!/bin/sh
# Pairing a carer's phone from the room (issue 12): while a pairing code is
# open the board shows a QR code of the one-time link that hubctl device
# pair prints (decoded here with zbarimg, else the code read by OCR), the
# code in letters and one plain line; never otherwise, and not once the
# code has expired. Holding NEXT, then CHECK-IN with it, for 3 s (the keys
# through the test hook) opens pairing: journalled, the green LED lit, no
# one checked in; the QR code goes when the code is used and when its time
# is up. Pictures and scenes are kept in $HK_BUILD/screen/pairing/.
#
# Run by tests/run with HK_BUILD (hubkiosk, hubctl) and HK_TMP.
. "$(dirname "$0")/lib.inc"
check() { s=$1; shift; if "$@"; then ok "$s"; else notok "$s"; fi; }
shots=$B/screen/pairing
rm -rf "$shots"
mkdir -p "$shots"
db=$T/hub.db
today=$(date +%F)
demo_db "$db" "$today"
q() { sqlite3 "$db" "$1"; }
has() { grep -q "^[a-z]*	$1	" "$2"; }
lacks() { ! grep -q "$1" "$2"; }
field() { awk -F '\t' -v t="$2" -v c="$3" '$2 == t { print $c; exit }' "$1"; }
shot() { # NAME [--at T] [--size S]: the board now, headless
	name=$1
	shift
	"$B/hubkiosk" --db "$db" --screenshot "$shots/$name.png" --dump-scene "$shots/$name.tsv" \
		"$@" 2>>"$T/err"
}

# The companion's certificate, as hubweb would have made it; the board
# shows the start and end of its SHA-256 beside the code.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=hub \
	-keyout "$T/server.key" -out "$T/server.crt" -days 2 >/dev/null 2>&1
HUBKIOSK_WEB_CERT=$T/server.crt
export HUBKIOSK_WEB_CERT
fp=$(openssl x509 -in "$T/server.crt" -noout -fingerprint -sha256 | sed 's/.*=//')
fp_short=$(echo "$fp" | awk -F: '{ printf "%s:%s:%s:%s \342\200\246 %s:%s:%s:%s", $1, $2, $3, $4, $29, $30, $31, $32 }')

shot none
check "with no pairing open the board shows no QR code" \
	lacks pairing "$shots/none.tsv"
check "  and, no phone being paired yet, a line says how to pair" \
	grep -q "To pair the carer's phone: hold NEXT, then CHECK-IN with it, for 3 seconds" \
	"$shots/none.tsv"

"$B/hubctl" --db "$db" device pair --name "Sam's phone" >"$T/pair.out" 2>&1 ||
	notok "hubctl device pair ($(cat "$T/pair.out"))"
link=$(awk '/^  https:/ { print $1; exit }' "$T/pair.out")
code=${link##*code=}
check "hubctl printed a link with the code ($link)" [ -n "$code" ] && [ "$code" != "$link" ]

for size in 1920x1080 1280x720 800x480 1080x1920; do
	shot "open-$size" --size "$size"
	tsv=$shots/open-$size.tsv
	check "$size: the board shows the link hubctl printed as a QR code" \
		[ "$(field "$tsv" pairing.qr 8)" = "$link" ]
	check "$size: and the start and end of the certificate's SHA-256 ($fp_short)" \
		grep -qF "The phone must show certificate $fp_short" "$tsv"
	grouped=$(printf '%s' "$code" | sed 's/..../& /g; s/ $//')
	check "$size: and the code in letters ($grouped)" \
		[ "$(field "$tsv" pairing.code 8)" = "$grouped" ]
	check "$size: with one plain line" \
		[ "$(field "$tsv" pairing.line 8)" = "Scan with the carer's phone to pair it" ]
	if command -v zbarimg >/dev/null 2>&1; then
		read_back=$(zbarimg -q --raw "$shots/open-$size.png" 2>/dev/null)
		check "$size: the QR code in the picture decodes to the link" \
			[ "$read_back" = "$link" ]
	elif command -v tesseract >/dev/null 2>&1; then
		tesseract "$shots/open-$size.png" "$T/ocr" >/dev/null 2>&1
		check "$size: # zbarimg missing: the code is read by OCR" \
			sh -c "tr -d ' \n' <'$T/ocr.txt' | grep -q '$code'"
	else
		ok "$size: # SKIP the picture read back (neither zbarimg nor tesseract)"
	fi
done

expires=$(q "SELECT expires_at FROM pairing")
shot expired --at "$(date -d "@$((expires + 1))" +%FT%H:%M:%S)"
check "once the code has expired the board shows no QR code" \
	lacks pairing "$shots/expired.tsv"

# The gesture, through the keys as a person at the keyboard would.
# SDL's offscreen driver loads Mesa's EGL, which leaks by itself (loop.sh).
board() {
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 SDL_VIDEODRIVER=offscreen \
	HUBKIOSK_TEST_SHOTS=$shots HUBKIOSK_TEST_KEYS=$1 \
		timeout 40 "$B/hubkiosk" --db "$db" --windowed --size 1280x720 2>>"$T/log"
}
q "DELETE FROM pairing"
checkins=$(q "SELECT count(*) FROM press WHERE kind = 'checkin'")
starts=$(q "SELECT count(*) FROM journal WHERE kind = 'device.pair.start'")
board "n-down@0.5, c-down@0.7, shot:holding@2.2, shot:opened@4.0, n-up@4.3, c-up@4.3,
	shot:after@4.8, quit@5.2"
rc=$?
check "the board runs the gesture's key script (status $rc)" [ $rc -eq 0 ]
check "while NEXT and CHECK-IN are held a ring fills to say what holding on does" \
	grep -q '^text	pairing.ring.text	.*Keep holding to pair a phone' "$shots/holding.tsv"
check "  and no QR code yet" lacks pairing.qr "$shots/holding.tsv"
check "held 3 s, pairing is open and the board shows its QR code" has pairing.qr "$shots/opened.tsv"
new=$(q "SELECT code FROM pairing")
check "  of the code the store holds" \
	[ "$(field "$shots/opened.tsv" pairing.qr 8)" = "${link%%code=*}code=$new" ]
check "  journalled as started from the buttons (the keys standing in)" \
	[ "$(q "SELECT count(*) FROM journal WHERE kind = 'device.pair.start' AND
		who = 'button:key:n+key:c'")" -eq 1 ]
check "  the green LED acknowledges it" grep -q '^green 1 ' "$shots/opened.leds"
check "  and nobody was checked in by the CHECK-IN of the gesture" \
	[ "$(q "SELECT count(*) FROM press WHERE kind = 'checkin'")" = "$checkins" ]
check "  nor does a banner cover the QR code" lacks banner.text "$shots/opened.tsv"
check "the QR code stays when the buttons are let go" has pairing.qr "$shots/after.tsv"

# Used: the store deletes the code when a phone redeems it (store_device.c),
# here from another process while the board runs.
board "shot:before@0.3, shot:used@2.6, quit@3.0" &
pid=$!
sleep 1.5
q "DELETE FROM pairing"
wait $pid
check "the QR code shows until the code is used" has pairing.qr "$shots/before.tsv"
check "  and goes within a second once it is used" lacks pairing "$shots/used.tsv"

# Its time up while the board runs and nothing else changes: a code that
# expires in 3 s (written as the store writes it).
now=$(date +%s)
q "INSERT INTO pairing (id, code, name, expires_at) VALUES (1, 'ABCDEFGHJK', '', $((now + 3)))"
board "shot:short@0.5, shot:gone@4.5, quit@4.8"
check "a code about to expire is shown" has pairing.qr "$shots/short.tsv"
check "  and its QR code goes when its time is up, with no change to the record" \
	lacks pairing "$shots/gone.tsv"

# A phone paired: the line on how to pair goes.
q "INSERT INTO device (name, cred_hash, paired_at) VALUES ('Sam''s phone', zeroblob(32), $now)"
shot paired
check "once a phone is paired, the line on how to pair goes" \
	lacks "To pair the carer's phone" "$shots/paired.tsv"
exit $fail
