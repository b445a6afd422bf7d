#!/bin/sh
# The systemd units as shipped (system/): each service's sandbox, scored by
# `systemd-analyze security` offline, stays at an exposure of 2.0 or less
# (issue 6 asks it of the board; the export runs as root whenever any stick
# is plugged in, so it is held to the same), and the board's unit keeps the
# promises a kiosk lives by: notify + watchdog, restarted always, never
# locked out by a start limit, its own user.
#
# Run by tests/run with HK_BUILD and HK_TMP.
. "$(dirname "$0")/lib.inc"
S=$(cd "$(dirname "$0")/../.." && pwd)/system

if ! command -v systemd-analyze >/dev/null; then
	not_ok "systemd-analyze is installed (package systemd)"
	finish
fi

# exposure UNIT_FILE: the overall figure, e.g. 0.6
exposure() {
	systemd-analyze security --offline=true "$1" 2>/dev/null \
		| sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p'
}

# A template is scored as an instance, as systemd would run it.
cp "$S/hubkiosk-export@.service" "$HK_TMP/hubkiosk-export@sdb1.service"
for u in "$S/hubkiosk.service" "$S/hubkiosk-calendar.service" "$S/hubkiosk-retention.service" \
	"$HK_TMP/hubkiosk-export@sdb1.service"; do
	e=$(exposure "$u")
	name=$(basename "$u")
	if [ -n "$e" ] && awk -v e="$e" 'BEGIN { exit !(e <= 2.0) }'; then
		ok "$name: exposure $e (at most 2.0)"
	else
		not_ok "$name: exposure '${e:-none}' is over 2.0 (systemd-analyze security --offline=true)"
	fi
done

# key=value lines of the board's unit, comments and blanks dropped
grep -v '^[#;]' "$S/hubkiosk.service" | grep . >"$OUT"
for want in Type=notify WatchdogSec=30s Restart=always StartLimitIntervalSec=0 User=hubkiosk \
	PrivateNetwork=yes ProtectSystem=strict DevicePolicy=closed; do
	check "hubkiosk.service has $want" grep -qx "$want" "$OUT"
done
finish
