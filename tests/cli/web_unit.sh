#!/bin/sh
# hubweb's systemd unit as shipped (system/hubweb.service): its sandbox,
# scored by `systemd-analyze security` offline, stays at an exposure of
# 3.0 or less (issue 12), and it keeps what the companion relies on: its
# own user in the board's group, the network limited to the home's
# ranges, its own state folder 0711 (the board reads server.crt; the keys
# are 0600), restarted always. The sysusers file makes that user.
#
# Run by tests/run with HK_BUILD and HK_TMP.
. "$(dirname "$0")/lib.inc"
S=$(cd "$(dirname "$0")/../.." && pwd)/system

if ! command -v systemd-analyze >/dev/null; then
	not_ok "systemd-analyze is installed (package systemd)"
	finish
fi

e=$(systemd-analyze security --offline=true "$S/hubweb.service" 2>/dev/null \
	| sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
if [ -n "$e" ] && awk -v e="$e" 'BEGIN { exit !(e <= 3.0) }'; then
	ok "hubweb.service: exposure $e (at most 3.0)"
else
	not_ok "hubweb.service: exposure '${e:-none}' is over 3.0 (systemd-analyze security --offline=true)"
fi

# key=value lines of the unit, comments and blanks dropped
grep -v '^[#;]' "$S/hubweb.service" | grep . >"$OUT"
for want in User=hubweb SupplementaryGroups=hubkiosk StateDirectory=hubweb \
	StateDirectoryMode=0711 ReadWritePaths=/var/lib/hubkiosk ProtectSystem=strict \
	Restart=always StartLimitIntervalSec=0 NoNewPrivileges=yes CapabilityBoundingSet= \
	IPAddressDeny=any PrivateDevices=yes MemoryDenyWriteExecute=yes; do
	check "hubweb.service has $want" grep -qx "$want" "$OUT"
done
check "hubweb.service serves the hub's database with its certificate folder" \
	grep -q '^ExecStart=/usr/bin/hubweb --db /var/lib/hubkiosk/hub.db --state /var/lib/hubweb$' "$OUT"
check "hubweb.service never gets a private network (it is the one that has it)" \
	sh -c "! grep -q '^PrivateNetwork=yes' '$OUT'"
check "hubweb.service allows only loopback, link-local and private ranges" \
	grep -qx 'IPAddressAllow=localhost link-local 10.0.0.0/8 172.16.0.0/12 192.168.0.0/16 fc00::/7' "$OUT"

grep -v '^#' "$S/hubweb.sysusers" | grep . >"$OUT"
check "hubweb.sysusers makes the user hubweb" grep -q '^u hubweb - ' "$OUT"
check "hubweb.sysusers puts it in the board's group" grep -qx 'm hubweb hubkiosk' "$OUT"
finish
