#!/bin/sh
# The board's side of systemd's notification protocol (kiosk/service, which
# speaks it itself, without libsystemd): to a socket named by
# $NOTIFY_SOCKET, a path or an abstract name, it says READY=1 and a STATUS
# once painted, pings WATCHDOG=1 at a quarter of $WATCHDOG_USEC, none when
# $WATCHDOG_PID names another process, and STOPPING=1 on SIGTERM.
#
# Run by tests/run with HK_BUILD (hubkiosk, hubctl) and HK_TMP.
. "$(dirname "$0")/lib.inc"
command -v python3 >/dev/null 2>&1 || { echo "ok - # SKIP python3 is not installed"; exit 0; }
db=$T/hub.db
demo_db "$db" "$(date +%F)"
# listen NAME [WATCHDOG_PID]: what the board sent in 3 s of life, one a line
listen() {
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
	python3 - "$1" "$B/hubkiosk" "$db" "${2:-}" <<'PY'
import os, socket, subprocess, sys, time
name, board, db, wpid = sys.argv[1:5]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(name if name[0] == '/' else '\0' + name[1:])
env = dict(os.environ, NOTIFY_SOCKET=name, WATCHDOG_USEC="2000000", SDL_VIDEODRIVER="offscreen")
if wpid:
    env["WATCHDOG_PID"] = wpid
p = subprocess.Popen([board, "--db", db, "--windowed", "--size", "800x480"], env=env,
                     stderr=subprocess.DEVNULL)
got, end = [], time.time() + 3
while time.time() < end:
    s.settimeout(max(0.01, end - time.time()))
    try:
        got.append(s.recv(4096).decode())
    except socket.timeout:
        pass
p.terminate()
p.wait()
s.settimeout(2)
try:
    while True:
        got.append(s.recv(4096).decode())
except socket.timeout:
    pass
print("\n".join(got))
PY
}
for name in "$T/notify.sock" "@hubkiosk-test-$$"; do
	listen "$name" >"$T/got"
	kind=$( [ "${name#@}" = "$name" ] && echo "a socket path" || echo "an abstract socket")
	if grep -qx 'READY=1' "$T/got" && grep -qx 'STATUS=showing the board' "$T/got"; then
		ok "to $kind the board says READY=1 and its status"
	else
		notok "to $kind the board says READY=1 and its status (got: $(tr '\n' ' ' <"$T/got"))"
	fi
	pings=$(grep -cx 'WATCHDOG=1' "$T/got")
	if [ "$pings" -ge 4 ] && [ "$pings" -le 8 ]; then
		ok "  it pings the 2 s watchdog every half second or so ($pings in 3 s)"
	else
		notok "  it pings the 2 s watchdog every half second or so ($pings in 3 s)"
	fi
	if [ "$(tail -n 1 "$T/got")" = STOPPING=1 ]; then
		ok "  and says STOPPING=1 last, on SIGTERM"
	else
		notok "  and says STOPPING=1 last, on SIGTERM (got: $(tr '\n' ' ' <"$T/got"))"
	fi
done
listen "$T/notify2.sock" 1 >"$T/got"
if ! grep -q WATCHDOG "$T/got" && grep -qx 'READY=1' "$T/got"; then
	ok "a watchdog meant for another process (WATCHDOG_PID) gets no ping"
else
	notok "a watchdog meant for another process (WATCHDOG_PID) gets no ping ($(tr '\n' ' ' <"$T/got"))"
fi
exit $fail
