# test_cec.sh (guest side) - run by the gpio-vm VM for tests/vm/test_cec.sh:
# the real hubkiosk (SDL's offscreen video) with a TV on HDMI-CEC. The TV
# is the kernel's vivid test driver: its HDMI output (the hub's adapter)
# is connected to its HDMI input, whose CEC adapter cec-follower makes a
# TV (logical address 0); cec-ctl --monitor on the TV's side records what
# crosses the CEC line. The board's dark hours cover now, with 15 s idle.
# busybox sh.
# shellcheck disable=SC1091
. /lib/gpio-vm.sh
LOG=/tmp/kiosk.log
MON=/tmp/tv-bus.log

# vivid's adapter for the HDMI whose name says which end it is
adapter() {
	for d in /sys/bus/cec/devices/cec*; do
		cec-ctl -d "/dev/${d##*/}" | grep -q "Adapter Name.*$1" && { echo "${d##*/}"; return; }
	done
}
# waits up to $4 ms for $3 in file $1 past its first $2 lines
since() {
	local t=0
	while [ $t -lt "$4" ]; do
		tail -n +$(($2 + 1)) "$1" | grep -qE "$3" && return 0
		usleep 50000
		t=$((t + 50))
	done
	return 1
}
# how many times the TV heard msg from the hub (Playback Device 1)
heard() { grep -c "Received from Playback Device 1 to $1.*: $2" "$MON"; }

v4l2-ctl -d /dev/video0 --set-ctrl hdmi_000_0_is_connected_to=2 ||
	{ not_ok "vivid's HDMI output is plugged into its HDMI input"; finish; }
tv=$(adapter vid-cap) hub=$(adapter vid-out)
check "vivid made two CEC adapters, the TV's and the hub's ($tv, $hub)" [ -n "$tv" ] && [ -n "$hub" ]
# libcec opens the kernel's first CEC adapter, /dev/cec0, as a Pi's HDMI
# is: give that name to the hub's end, another to the TV's
tvdev=$(cat "/sys/bus/cec/devices/$tv/dev") hubdev=$(cat "/sys/bus/cec/devices/$hub/dev")
rm -f /dev/cec0 /dev/cec1
mknod /dev/cec-tv c "${tvdev%:*}" "${tvdev#*:}"
mknod /dev/cec0 c "${hubdev%:*}" "${hubdev#*:}"
# the TV's adapter also plays a set-top box (a recorder, logical address
# 1) that can take the TV's input from the board
cec-ctl -d /dev/cec-tv --tv --record --osd-name TV >/dev/null
cec-follower -d /dev/cec-tv >/tmp/tv.log 2>&1 &
cec-ctl -d /dev/cec-tv --monitor >"$MON" 2>&1 &

SDL_VIDEODRIVER=offscreen hubkiosk --db /data/hub.db --config /data/hub.conf \
	--windowed --size 800x480 >"$LOG" 2>&1 &
PID=$!
check "the board opens the HDMI-CEC adapter (libcec, loaded at run time)" \
	wait_for "$LOG" 'HDMI-CEC: adapter .* open' 60000
check "the hub is on the CEC line as a playback device called hubkiosk" \
	wait_for "$MON" "SET_OSD_NAME" 30000
check "in the dark hours, once idle, the board puts the TV to standby" \
	wait_for "$LOG" 'HDMI-CEC: TV to standby' 60000
check "the TV heard Standby from the hub" wait_for "$MON" 'to TV.*: STANDBY' 5000

# a press lights the board: the TV on, and on the board's input
press_at=$(grep -c . "$MON")
sim_press GPIO22; msleep 300; sim_release GPIO22
check "a press while dark turns the TV on, showing the board" \
	wait_for "$LOG" 'HDMI-CEC: TV on, showing the board' 30000
check "the TV heard Image View On from the hub" \
	sh -c "tail -n +$press_at $MON | grep -q 'to TV.*: IMAGE_VIEW_ON'"
check "and Active Source 1.0.0.0 (the hub's HDMI): the TV switches to the board" \
	sh -c "tail -n +$press_at $MON | grep -A1 'to all.*: ACTIVE_SOURCE' | grep -q 'phys-addr: 1.0.0.0'"
check "the press itself was recorded" \
	[ "$(sqlite3 /data/hub.db "select count(*) from press where kind = 'next'")" = 1 ]

# someone turns the TV box on and watches it (its Active Source, 2.0.0.0):
# when the board next goes dark, it leaves the TV alone
cec-ctl -d /dev/cec-tv --from 1 --to 15 --active-source phys-addr=2.0.0.0 >/tmp/console.log 2>&1
check "dark again, with the TV on another input, the board leaves it on" \
	wait_for "$LOG" 'HDMI-CEC: the TV shows another input; left on' 60000
check "and the TV heard Standby only the once" [ "$(heard TV STANDBY)" = 1 ]

# a CEC line drops a message now and then: a TV away from the line when
# the board lights (its adapter unconfigured for 3 s) is told again
retry_at=$(grep -c . "$LOG")
cec-ctl -d /dev/cec-tv --clear >/dev/null
sim_press GPIO22; msleep 300; sim_release GPIO22
check "with the TV off the line, the board says the TV did not take 'power on'" \
	since "$LOG" "$retry_at" "HDMI-CEC: the TV did not take 'power on'" 30000
bus_at=$(grep -c . "$MON")
cec-ctl -d /dev/cec-tv --tv --record --osd-name TV >/dev/null
check "and, the TV back, sends it again: the TV comes on, showing the board" \
	since "$LOG" "$retry_at" 'HDMI-CEC: TV on, showing the board' 30000
check "the TV heard that Image View On" since "$MON" "$bus_at" 'to TV.*: IMAGE_VIEW_ON' 5000

kill -TERM "$PID"
wait "$PID"
check "the board stops with status 0" [ $? = 0 ]
cp "$LOG" "$MON" /out/ 2>/dev/null
finish
