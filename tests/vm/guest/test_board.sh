# test_board.sh (guest side) - run by the gpio-vm VM for tests/vm/test_board.sh:
# the real hubkiosk, with no screen, pressed through the simulated lines.
# busybox sh. The host made /data/hub.db: beds Willow and Oak, one visit
# today (Saoirse), so CHECK-IN has exactly one visitor to act on.
#
# The board acknowledges only durable presses: when the green LED is first
# seen lit, the press must already be in the database. Times come from
# busybox adjtimex (the wall clock in microseconds; date has no %N).
# shellcheck disable=SC1091
. /lib/gpio-vm.sh
DB=/data/hub.db
LOG=/tmp/kiosk.log
PID=""

q() { sqlite3 "$DB" "$1" 2>/dev/null; }
presses() { q "select count(*) from press where kind = '$1'"; }
wall_us() {
	adjtimex | awk '/tv_sec/ { s = $2 } /tv_usec/ { u = $2 } END { printf "%d%06d", s, u }'
}
alive() { kill -0 "$PID" 2>/dev/null; }

board_start() {
	hubkiosk --db "$DB" >"$LOG" 2>&1 &
	PID=$!
	wait_for "$LOG" 'buttons keep working|no display|cannot' 20000
}
board_stop() { # exit status of the board after SIGTERM, or 124 if it hangs
	local i=0
	kill -TERM "$PID"
	while alive && [ $i -lt 200 ]; do usleep 50000; i=$((i + 1)); done
	alive && { kill -KILL "$PID"; wait "$PID"; return 124; }
	wait "$PID"
}

# Milliseconds since boot, with the shell's own builtins (no process: a
# loaded host makes every process start slow).
uptime_ms() {
	local up
	read -r up _ </proc/uptime
	echo $(( ${up%.*} * 1000 + 1${up#*.}0 - 1000 ))
}

# led_first_on NAME MS: waits for the LED; when it is first seen lit, runs
# the check in $ON_CHECK at once and keeps its status in $ON_STATUS.
led_first_on() {
	local v dir end
	dir=$(sim_dir "$1")
	end=$(( $(uptime_ms) + $2 ))
	ON_STATUS=2
	while [ "$(uptime_ms)" -lt $end ]; do
		read -r v <"$dir/value"
		if [ "$v" = 1 ]; then
			eval "$ON_CHECK" && ON_STATUS=0 || ON_STATUS=1
			return 0
		fi
		usleep 1000
	done
	return 1
}

# --- a board with no screen ---------------------------------------------------
t_start=$(cut -d' ' -f1 /proc/uptime)
board_start
t_up=$(cut -d' ' -f1 /proc/uptime)
echo "# the board started in $(awk -v a="$t_start" -v b="$t_up" 'BEGIN { print b - a }') s"
check "with no screen the board says so on stderr and that the buttons keep working" \
	grep -q 'the screen is unavailable.*the buttons keep working' "$LOG"
msleep 300
check "with no screen the board keeps running" alive
check "both LEDs are off at rest" [ "$(sim_value GPIO23)$(sim_value GPIO24)" = 00 ]

# --- CHECK-IN: the highlighted visitor, acknowledged only when durable --------
p17=$(sim_dir GPIO17)/pull
ON_CHECK='[ "$(presses checkin)" = 1 ]'
t0=$(wall_us)
echo pull-down >"$p17"
t1=$(wall_us)
led_first_on GPIO23 15000
led=$?
msleep 150
echo pull-up >"$p17"
check "a CHECK-IN press lights the green LED" [ $led = 0 ]
check "when the green LED is first seen lit, the press is already in the database" \
	[ "$ON_STATUS" = 0 ]
check "the CHECK-IN press checked in the highlighted visitor (Saoirse)" \
	[ "$(q "select p.outcome || ' ' || (v.arrived_at is not null) from press p
		join visit v on v.id = p.visit_id join person s on s.id = v.person_id
		where p.kind = 'checkin' and s.display = 'Saoirse'")" = "checked-in 1" ]
wall=$(q "select wall_ns / 1000 from press where kind = 'checkin'")
d_ms=$(( (wall - t0) / 1000 ))
pull_ms=$(( (t1 - t0) / 1000 ))
echo "# press wall time - start of the pull: $d_ms ms (the pull took $pull_ms ms to write)"
check "the press's wall time is the kernel's edge: within 100 ms of the pull ($d_ms ms)" \
	[ "$d_ms" -ge -5 -a "$d_ms" -le $((pull_ms + 100)) ]
check "the journal entry is dated by the edge (the button going down), not the commit" \
	[ "$(q "select count(*) from journal j join press p on p.journal_seq = j.seq
		where p.kind = 'checkin' and j.at = p.wall_ns / 1000000000")" = 1 ]
msleep 1300
check "the green LED goes out after about a second" [ "$(sim_value GPIO23)" = 0 ]

# --- NEXT, and a repeat within a second --------------------------------------
p22=$(sim_dir GPIO22)/pull
echo pull-down >"$p22"; msleep 150; echo pull-up >"$p22"; msleep 250
echo pull-down >"$p22"; msleep 150; echo pull-up >"$p22"; msleep 600
check "a NEXT press is recorded" [ "$(presses next)" = 1 ]
check "a second NEXT within a second is ignored and counted, not acted on" \
	[ "$(presses ignored)" = 1 ]

# --- a glitch shorter than the debounce ----------------------------------------
echo pull-down >"$p17"; echo pull-up >"$p17"
msleep 500
check "a glitch on CHECK-IN records nothing" [ "$(q 'select count(*) from press')" = 3 ]
check "a glitch lights no LED" [ "$(sim_value GPIO23)" = 0 ]

# --- EMERGENCY: let go after 1 s, then held 2.5 s -----------------------------
p27=$(sim_dir GPIO27)/pull
echo pull-down >"$p27"; msleep 1000; echo pull-up >"$p27"
msleep 1500
check "EMERGENCY let go after 1 s records nothing" \
	[ "$(presses emergency)$(q 'select count(*) from stay where emergency = 1')" = 00 ]
check "EMERGENCY let go after 1 s lights no LED" [ "$(sim_value GPIO24)" = 0 ]
ON_CHECK='[ "$(presses emergency)" = 1 ]'
echo pull-down >"$p27"
led_first_on GPIO24 15000
led=$?
msleep 300
red_held=$(sim_value GPIO24)
echo pull-up >"$p27"
check "EMERGENCY held lights the red LED" [ $led = 0 ]
check "when the red LED is first seen lit, the emergency is already in the database" \
	[ "$ON_STATUS" = 0 ]
check "the held EMERGENCY records an emergency arrival in the first free bed (Willow)" \
	[ "$(q "select p.outcome || ' ' || b.name from press p join bed b on b.id = p.bed_id
		where p.kind = 'emergency'")" = "emergency-bed Willow" ]
check "the red LED stays lit while the emergency is acknowledged" [ "$red_held" = 1 ]
msleep 3500
check "the red LED goes out after about three seconds" [ "$(sim_value GPIO24)" = 0 ]

board_stop
rc=$?
check "SIGTERM stops the board with no screen cleanly (status $rc)" [ $rc = 0 ]
check "the LEDs are off after it stops" [ "$(sim_value GPIO23)$(sim_value GPIO24)" = 00 ]
check "the board said nothing was lost" sh -c "! grep -q 'NOT saved' $LOG"

# --- a missing line: GPIO27 is not on the chip ----------------------------------
sim_remove kiosk
sim_create kiosk2 "GPIO23 GPIO17 - GPIO24 GPIO22"
board_start
check "a missing line is reported on stderr, naming it" \
	wait_for "$LOG" 'button is unavailable: no GPIO line named GPIO27' 3000
msleep 3000
check "with a line missing and no screen the board keeps running" alive
ON_CHECK='[ "$(q "select count(*) from press where outcome = '"'checked-out'"'")" = 1 ]'
p17=$(sim_dir GPIO17)/pull
echo pull-down >"$p17"
led_first_on GPIO23 15000
led=$?
msleep 150
echo pull-up >"$p17"
check "CHECK-IN still works with EMERGENCY missing (Saoirse, already in, checked out)" \
	[ $led = 0 -a "$ON_STATUS" = 0 ]
board_stop
check "SIGTERM stops it cleanly" [ $? = 0 ]
cat "$LOG"

cp "$DB" /out/ && for f in "$DB"-wal "$DB"-shm; do [ -f "$f" ] && cp "$f" /out/; done
finish
