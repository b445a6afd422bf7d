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
	"$S/hubkiosk-backup.service" "$HK_TMP/hubkiosk-export@sdb1.service"; do
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
# The backup (issue 15): every 5 minutes, and at once when the store
# touches "<db>-backup-due" (store_backup_due) after an emergency arrival
# or a new record; its service runs hubctl backup as the board's user.
grep -v '^[#;]' "$S/hubkiosk-backup.service" | grep . >"$OUT"
for want in Type=oneshot "ExecStart=/usr/bin/hubctl backup" User=hubkiosk \
	PrivateNetwork=yes ProtectSystem=strict NoNewPrivileges=yes; do
	check "hubkiosk-backup.service has $want" grep -qx "$want" "$OUT"
done
check "hubkiosk-backup.timer runs it every 5 minutes" \
	grep -qx "OnUnitActiveSec=5min" "$S/hubkiosk-backup.timer"
check "hubkiosk-backup.path watches the file the store touches" \
	grep -qx "PathChanged=/var/lib/hubkiosk/hub.db-backup-due" "$S/hubkiosk-backup.path"
check "  and starts the backup" grep -qx "Unit=hubkiosk-backup.service" "$S/hubkiosk-backup.path"
R=$(cd "$S/.." && pwd)
for u in hubkiosk-backup.service hubkiosk-backup.timer hubkiosk-backup.path; do
	check "make install ships $u" grep -q "system/$u" "$R/Makefile"
done
for f in postinst prerm postrm; do
	check "debian/$f names the backup's timer and path among its units" \
		sh -c "grep -q 'hubkiosk-backup.timer hubkiosk-backup.path' '$R/debian/$f'"
done
check "the export stick's script leaves a backup stick alone" \
	grep -q 'hubkiosk-backup.key' "$S/hubkiosk-export-stick"
if command -v systemd-analyze >/dev/null; then
	systemd-analyze verify --man=no "$S/hubkiosk-backup.service" "$S/hubkiosk-backup.timer" \
		"$S/hubkiosk-backup.path" >"$OUT" 2>&1
	# (hubctl is not installed here: that one complaint is expected)
	check "systemd-analyze verify finds nothing wrong with the backup's units" \
		sh -c "! grep -v '/usr/bin/hubctl' '$OUT' | grep -q ."
fi
finish
