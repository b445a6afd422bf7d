# powercut.sh (guest side) - one life of the hub between two power cuts, for
# tests/vm/powercut (the host loop, which reads the story of it). busybox sh.
#
# The data disk (label HUBDATA, mounted at /data with the image's fstab
# options) holds the hub database and a backup medium folder. On the first
# boot the hub is set up there. Every boot then says what it finds after
# the last cut (integrity check, hubctl verify, .part files left), starts
# the real hubkiosk and three workers at once:
#   presses  CHECK-IN (and every 4th an EMERGENCY held) on the simulated
#            lines; acknowledged when the board lights its LED, which it
#            does only after the press is committed
#   records  hubctl record add, with a token of its own (pc-CYCLE-N)
#   backups  hubctl backup, sealed onto the medium
# and arms the host's power cut (cut_arm). It never ends by itself.
#
# Everything the host must know goes to /dev/ttyS1 (gpio-vm --serial), one
# line per write: a "pull"/"try" line BEFORE the action, an "ack" line only
# AFTER it was acknowledged. A line the cut swallows in the UART only makes
# the host count that action as in flight, never the other way round.
#
# Kernel command line: pc.mode=work|check pc.cycle=N pc.seed=S.
# shellcheck disable=SC1091
. /lib/gpio-vm.sh
DB=/data/hub.db
MED=/data/backup
LOG=/tmp/kiosk.log
export TZ=UTC HOME=/root

arg() { tr ' ' '\n' </proc/cmdline | sed -n "s/^pc\\.$1=//p"; }
MODE=$(arg mode) CYCLE=$(arg cycle) SEED=$(arg seed)
: "${MODE:=work}" "${CYCLE:=0}" "${SEED:=1}"

exec 3>/dev/ttyS1
stty -F /dev/ttyS1 raw -echo 2>/dev/null
say() { echo "$*" >&3; }
oneline() { tr '\n\t' '  ' | sed 's/ *$//' | cut -c1-300; }

# --- the disk, as the image mounts it (image/files/fstab, LABEL=HUBDATA) ------
mount_data() {
	local i=0 dev=""
	while [ -z "$dev" ] && [ $i -lt 100 ]; do
		dev=$(findfs LABEL=HUBDATA 2>/dev/null)
		[ -n "$dev" ] || usleep 50000
		i=$((i + 1))
	done
	[ -n "$dev" ] || { say "fatal no disk labelled HUBDATA"; return 1; }
	mkdir -p /data
	mount -t ext4 -o rw,noatime,nodev,nosuid,commit=5,errors=remount-ro "$dev" /data ||
		{ say "fatal cannot mount $dev"; return 1; }
}

# seal.c runs /usr/bin/age; gpio-vm --bin put it in /bin.
mkdir -p /usr/bin
[ -e /usr/bin/age ] || ln -s /bin/age /usr/bin/age

setup() {
	local from
	from=$(date -u -d "@$(( $(date +%s) - 3600 ))" +%Y-%m-%dT%H:%MZ)
	mkdir -p "$MED"
	{
		hubctl --db "$DB" person add Noor --role child &&
		hubctl --db "$DB" bed add Ash && hubctl --db "$DB" bed add Oak &&
		hubctl --db "$DB" stay add Noor Ash --from "$from" &&
		hubctl --db "$DB" backup-medium create "$MED" \
			--to "$(cat /etc/powercut/recipient)" --label "power cut medium" &&
		hubctl --db "$DB" backup
	} >/tmp/setup 2>&1 || { say "fatal setup: $(oneline </tmp/setup)"; return 1; }
	sync
	say "setup done"
}

# --- what this boot finds after the cut ------------------------------------------
check() {
	local r
	r=$(sqlite3 "$DB" 'PRAGMA integrity_check' 2>&1 | oneline)
	say "check integrity $r"
	if hubctl --db "$DB" verify >/tmp/verify 2>&1; then
		say "check verify ok"
	else
		say "check verify FAILED $(oneline </tmp/verify)"
	fi
	say "check parts $(ls -a "$MED" | grep -c '\.part$')"
}

# --- the workers ------------------------------------------------------------------
uptime_s() { local up; read -r up _ </proc/uptime; echo "$up"; }

# led_is NAME-DIR VALUE MS: until the LED reads VALUE; 1 if it never did.
led_is() {
	local v t=0
	while [ $t -lt "$3" ]; do
		read -r v <"$1/value"
		[ "$v" = "$2" ] && return 0
		usleep 10000
		t=$((t + 10))
	done
	return 1
}
refusals() { grep -c 'NOT saved' "$LOG"; }

presses() {
	local n=0 kind pull led before
	RANDOM=$((SEED * 7 + CYCLE * 101 + 1))
	while :; do
		n=$((n + 1))
		if [ $((n % 4)) = 0 ]; then
			kind=emergency pull=$P27 led=$L24
		else
			kind=checkin pull=$P17 led=$L23
		fi
		before=$(refusals)
		say "pull $n $kind $(uptime_s)"
		usleep 50000
		echo pull-down >"$pull/pull"
		# The green LED lights only for a saved press; red is also the
		# "NOT saved" blink, said on stderr before the LED: a red with no
		# new refusal in the log is the emergency's acknowledgement.
		if led_is "$led" 1 10000 &&
			{ [ $kind = checkin ] || [ "$(refusals)" = "$before" ]; }; then
			say "ack press $n"
		else
			say "noack press $n"
		fi
		echo pull-up >"$pull/pull"
		led_is "$L23" 0 5000
		led_is "$L24" 0 5000
		usleep $(( (RANDOM % 300 + 100) * 1000 ))
	done
}

records() {
	local n=0 tok out id
	RANDOM=$((SEED * 7 + CYCLE * 101 + 2))
	while :; do
		n=$((n + 1))
		tok=pc-$CYCLE-$n
		say "try record $tok"
		if out=$(hubctl --db "$DB" record add Noor --activities "$tok" 2>&1); then
			id=$(echo "$out" | sed -n 's/^record \([0-9]*\) added.*/\1/p' | head -n 1)
			say "ack record $id $tok"
		else
			say "fail record $tok $(echo "$out" | oneline)"
		fi
		usleep $(( (RANDOM % 400) * 1000 ))
	done
}

backups() {
	local out f re
	RANDOM=$((SEED * 7 + CYCLE * 101 + 3))
	while :; do
		say "try backup"
		if out=$(hubctl --db "$DB" backup 2>&1); then
			# "...: hubkiosk-backup-T-S.age, journal entries 1 to S, ..."
			re='.*: \(hubkiosk-backup-[^,]*\.age\), journal entries 1 to \([0-9]*\),.*'
			f=$(echo "$out" | sed -n "s/$re/\\1 \\2/p")
			if [ -n "$f" ]; then
				say "ack backup $f"
			else
				say "same backup $(echo "$out" | oneline)"
			fi
		else
			say "fail backup $(echo "$out" | oneline)"
		fi
		usleep $(( (RANDOM % 1500 + 200) * 1000 ))
	done
}

# --- one life ----------------------------------------------------------------------
mount_data || exit 1
say "boot $(cat /proc/sys/kernel/random/boot_id) cycle $CYCLE mode $MODE"
if [ ! -f "$DB" ]; then
	setup || exit 1
else
	check
fi
if [ "$MODE" = check ]; then
	umount /data
	exit 0
fi

P17=$(sim_dir GPIO17) P27=$(sim_dir GPIO27) L23=$(sim_dir GPIO23) L24=$(sim_dir GPIO24)
hubkiosk --db "$DB" >"$LOG" 2>&1 &
wait_for "$LOG" 'buttons keep working|cannot' 30000 ||
	{ say "fatal the board did not start"; exit 1; }
say "board up $(uptime_s)"
presses &
records &
backups &
say "armed $(uptime_s)"
cut_arm
while :; do sleep 60; done
