# test_buttons.sh (guest side) - run by the gpio-vm VM for
# tests/vm/test_buttons.sh: presses the simulated buttons and checks what
# kiosk/buttons reports, through tests/vm/buttons_probe. busybox sh.
#
# The chip "kiosk" (made by /init from --lines) has the kiosk's lines at
# offsets that are NOT their numbers, so only a lookup by name finds them.
# shellcheck disable=SC1091
. /lib/gpio-vm.sh
OUT=/tmp/probe.out
PROBE_PID=""

probe_start() {
	rm -f /tmp/cmd "$OUT"
	mkfifo /tmp/cmd
	buttons_probe "$@" </tmp/cmd >"$OUT" 2>&1 &
	PROBE_PID=$!
	exec 3>/tmp/cmd
	wait_for "$OUT" '^(state|error)' 5000
}
probe_cmd() { echo "$*" >&3; }
probe_stop() {
	[ -n "$PROBE_PID" ] || return 0
	probe_cmd quit
	exec 3>&-
	wait "$PROBE_PID"
	PROBE_PID=""
}
# The probe's output after line $1.
since() { tail -n +$(($1 + 1)) "$OUT"; }
mark() { wc -l <"$OUT"; }
count() { since "$1" | grep -cE "$2"; }
# wait_since MARK REGEX [MS]: until a line after MARK matches.
wait_since() {
	local t=0 max="${3:-3000}"
	while [ $t -lt "$max" ]; do
		since "$1" | grep -qE "$2" && return 0
		usleep 20000
		t=$((t + 20))
	done
	return 1
}
# bounce LINE: a contact bouncing shut; bounce_release: bouncing open.
# Leaves p set to the line's pull file.
bounce() {
	p=$(sim_dir "$1")/pull
	echo pull-down >"$p"; echo pull-up >"$p"; echo pull-down >"$p"
	echo pull-up >"$p"; echo pull-down >"$p"
}
bounce_release() {
	p=$(sim_dir "$1")/pull
	echo pull-up >"$p"; echo pull-down >"$p"; echo pull-up >"$p"
}
# Field $2 (mono_ns, wall_ns, read_ns) of the first line after mark $1 matching $3.
field() { since "$1" | grep -E "$3" | head -n 1 | sed -n "s/.* $2=\([0-9]*\).*/\1/p"; }

# --- on the chip made by /init ------------------------------------------------
probe_start
check "the buttons and LEDs are found by name at offsets that are not their numbers" \
	grep -q '^ready gpiochip' "$OUT"
check "every button reads released at rest (pull-up bias, active-low)" \
	grep -q '^state CHECKIN up NEXT up EMERGENCY up$' "$OUT"
check "the internal pull-up holds an idle button's pin high" \
	[ "$(sim_value GPIO17)$(sim_value GPIO22)$(sim_value GPIO27)" = 111 ]
check "both LEDs are off after opening" [ "$(sim_value GPIO23)$(sim_value GPIO24)" = 00 ]
msleep 200
check "opening the lines (pulled down until then) gives no phantom edge" \
	[ "$(grep -c '^edge' "$OUT")" = 0 ]

m=$(mark)
sim_press GPIO17
wait_since "$m" '^edge CHECKIN down' 2000
probe_cmd state
wait_since "$m" '^state CHECKIN down' 2000
check "pulling GPIO17 low is a CHECKIN down edge" [ "$(count "$m" '^edge CHECKIN down')" = 1 ]
check "a held button reads down (active-low)" \
	[ "$(count "$m" '^state CHECKIN down NEXT up EMERGENCY up')" = 1 ]
msleep 200
sim_release GPIO17
wait_since "$m" '^edge CHECKIN up' 2000
msleep 150
c=0; [ "$(count "$m" '^edge ')" = 2 ] && [ "$(count "$m" '^edge CHECKIN up')" = 1 ] && c=1
check "a press and release give exactly one down and one up edge" [ $c = 1 ]

m=$(mark)
sim_press GPIO22; msleep 150; sim_release GPIO22; msleep 200
check "GPIO22 is the NEXT button" [ "$(count "$m" '^edge NEXT (down|up)')" = 2 ]

# Long press: the kernel's timestamps, not the shell's, measure the hold.
m=$(mark)
p=$(sim_dir GPIO27)/pull
echo pull-down >"$p"; msleep 2500; echo pull-up >"$p"
wait_since "$m" '^edge EMERGENCY up' 2000
msleep 150
d=$(field "$m" mono_ns '^edge EMERGENCY down')
u=$(field "$m" mono_ns '^edge EMERGENCY up')
held=$(( (${u:-0} - ${d:-0}) / 1000000 ))
echo "# EMERGENCY held $held ms by the kernel's timestamps"
check "a 2.5 s hold gives one down and one up edge" [ "$(count "$m" '^edge ')" = 2 ]
c=0; [ "$held" -ge 2450 ] && [ "$held" -le 3500 ] && c=1
check "the kernel timestamps of a 2.5 s hold are 2.5 s apart (got $held ms)" [ $c = 1 ]

w=$(field "$m" wall_ns '^edge EMERGENCY down')
now=$(date +%s)
c=0; [ $((now - ${w:-0} / 1000000000)) -ge 0 ] && [ $((now - ${w:-0} / 1000000000)) -le 10 ] && c=1
check "wall_ns of a press is the wall clock's time of it" [ $c = 1 ]

# The edge keeps its kernel time when the program reads it late.
msleep 150
m=$(mark)
probe_cmd sleep 1500
msleep 100
sim_press GPIO17; msleep 150; sim_release GPIO17
wait_since "$m" '^edge CHECKIN up' 4000
msleep 100
d=$(field "$m" mono_ns '^edge CHECKIN down')
r=$(field "$m" read_ns '^edge CHECKIN down')
late=$(( (${r:-0} - ${d:-0}) / 1000000 ))
check "an edge read 1 s late still carries the instant of the press (read $late ms later)" \
	[ "$late" -ge 800 ]

# A glitch shorter than the 30 ms debounce: two writes, back to back.
msleep 150
m=$(mark)
p=$(sim_dir GPIO17)/pull
echo pull-down >"$p"; echo pull-up >"$p"
msleep 300
check "a glitch shorter than the debounce period gives no edge" [ "$(count "$m" '^edge ')" = 0 ]

# Contact bounce: five changes back to back (well inside the debounce even
# on a loaded host), then held; three on release.
m=$(mark)
bounce GPIO27
msleep 300
check "a bouncing press gives one down edge" [ "$(count "$m" '^edge ')" = 1 ]
bounce_release GPIO27
msleep 300
c=0; [ "$(count "$m" '^edge EMERGENCY down')" = 1 ] && [ "$(count "$m" '^edge ')" = 2 ] && c=1
check "a bouncing press and release give one down and one up edge" [ $c = 1 ]

# Control: the same glitch and bounce with the debounce off do reach the
# program, so the two tests above measure the debounce, not the shell.
probe_stop
probe_start --debounce 0
m=$(mark)
p=$(sim_dir GPIO17)/pull
echo pull-down >"$p"; echo pull-up >"$p"
msleep 300
n1=$(count "$m" '^edge ')
m=$(mark)
bounce GPIO27
msleep 300
echo pull-up >"$p"
msleep 300
n2=$(count "$m" '^edge ')
echo "# with the debounce off: the glitch gave $n1 edges, the bounce $n2"
c=0; [ "$n1" -ge 1 ] && [ "$n2" -gt 2 ] && c=1
check "without the debounce the same glitch and bounce do give extra edges" [ $c = 1 ]
probe_stop
probe_start
m=$(mark)

probe_cmd led green 1
wait_since "$m" '^led green 1' 2000
check "the green LED the program lights reads 1 on GPIO23" [ "$(sim_value GPIO23)" = 1 ]
check "the red LED stays off meanwhile" [ "$(sim_value GPIO24)" = 0 ]
probe_cmd led red 1
probe_cmd led green 0
wait_since "$m" '^led green 0' 2000
check "the red LED reads 1 on GPIO24 and the green goes off" \
	[ "$(sim_value GPIO24)$(sim_value GPIO23)" = 10 ]

# A line another program holds: a second probe holds GPIO27 only.
probe_stop
rm -f /tmp/other.out
buttons_probe --consumer other-program --line CHECKIN= --line NEXT= --line LED_GREEN= \
	--line LED_RED= </dev/null >/tmp/other.out 2>&1 &
other=$!
wait_for /tmp/other.out '^state' 5000
buttons_probe </dev/null >/tmp/busy.out 2>&1
rc=$?
echo "# $(cat /tmp/busy.out)"
check "a line taken by another program is an error naming the line and who holds it" \
	grep -q '^error EBUSY: GPIO line GPIO27 (EMERGENCY) on .* in use by "other-program"' \
	/tmp/busy.out
check "the probe exits non-zero when a line is taken" [ "$rc" = 2 ]
stop() { kill "$1"; wait "$1" 2>/dev/null; } 2>/dev/null
stop "$other"

# --- other chips ----------------------------------------------------------
sim_remove kiosk
sim_create decoy "LED0 LED1 - -"
sim_create kiosk2 "GPIO17 GPIO22 GPIO27 GPIO23 GPIO24"
buttons_probe </dev/null >/tmp/second.out 2>&1 &
pid=$!
wait_for /tmp/second.out '^(state|error)' 5000
echo "# $(head -n 1 /tmp/second.out)"
check "the lines are found on the second chip when the first lacks them" \
	grep -q "^ready $SIM_CHIP" /tmp/second.out
stop "$pid"

buttons_probe --chip gpiochip0 </dev/null >/tmp/chosen.out 2>&1
echo "# --chip gpiochip0: $(cat /tmp/chosen.out)"
check "--chip limits the search to that chip" \
	grep -q '^error ENOTFOUND: no GPIO line named GPIO17 (CHECKIN) on gpiochip0 ([^,]*)$' \
	/tmp/chosen.out
buttons_probe --chip "$SIM_DEV:node0" </dev/null >/tmp/label.out 2>&1 &
pid=$!
wait_for /tmp/label.out '^(state|error)' 5000
check "--chip also takes a chip's label" grep -q "^ready $SIM_CHIP" /tmp/label.out
stop "$pid"
buttons_probe --chip pinctrl-rp1 </dev/null >/tmp/nochip.out 2>&1
echo "# $(cat /tmp/nochip.out)"
check "a configured chip that does not exist is an error naming it and the chips there are" \
	grep -q '^error ENOTFOUND: no GPIO chip named pinctrl-rp1 (there are gpiochip0 .*, gpiochip1' \
	/tmp/nochip.out
# As a user outside the gpio group (here: any user; the nodes are 0600 root).
grep -q '^kiosk:' /etc/passwd 2>/dev/null || {
	echo 'root:x:0:0::/root:/bin/sh' >>/etc/passwd
	echo 'kiosk:x:1000:1000::/tmp:/bin/sh' >>/etc/passwd
	echo 'kiosk:x:1000:' >>/etc/group
}
su -s /bin/sh -c buttons_probe kiosk </dev/null >/tmp/perm.out 2>&1
echo "# as a user: $(cat /tmp/perm.out)"
check "a chip the user may not open is an error saying so" \
	grep -q '^error EIO: cannot open /dev/gpiochip0: Permission denied' /tmp/perm.out

sim_remove kiosk2
sim_create no27 "GPIO17 GPIO22 - GPIO23 GPIO24"
buttons_probe </dev/null >/tmp/missing.out 2>&1
rc=$?
echo "# $(cat /tmp/missing.out)"
check "a missing line is an error naming GPIO27 and the chips searched" \
	grep -q "^error ENOTFOUND: no GPIO line named GPIO27 (EMERGENCY) on .*, $SIM_CHIP" \
	/tmp/missing.out
check "the probe exits non-zero when a line is missing" [ "$rc" = 2 ]

sim_remove decoy
sim_create only27 "GPIO27"
buttons_probe </dev/null >/tmp/split.out 2>&1
echo "# $(cat /tmp/split.out)"
check "lines split over two chips are refused with both chips named" \
	grep -q '^error EUNSUPPORTED: GPIO line GPIO27 is on .* but GPIO17 is on' /tmp/split.out

sim_remove only27
sim_remove no27
buttons_probe </dev/null >/tmp/none.out 2>&1
echo "# $(cat /tmp/none.out)"
check "no GPIO chip at all is a clear error" \
	grep -q '^error ENOTFOUND: no GPIO chips (/dev/gpiochip\* absent)' /tmp/none.out

mkdir -p /out
cp "$OUT" /tmp/*.out /out/ 2>/dev/null
finish
