#!/bin/sh
# /lib/gpio-vm.sh - helpers for guest scripts in the gpio-vm VM (busybox sh).
# /init sources it and has already created the chip "kiosk"; a guest script
# sources it again for the functions (the SIM_* variables are exported):
#
#   . /lib/gpio-vm.sh
#   sim_press GPIO17; msleep 200; sim_release GPIO17
#   [ "$(sim_value GPIO23)" = 1 ] && ok "the green LED is lit" || not_ok "..."
#   finish                          # exit status: 0 when nothing failed
#   cut_arm                         # gpio-vm run --cut SEC: the power goes SEC s later
#
# SIM_NAME, SIM_DEV (gpio-sim.0), SIM_CHIP (gpiochip0), SIM_SYSFS (its
# sim_gpioN directories), SIM_NLINES and SIM_MAP describe the chip made last.
SIM_CFG=/sys/kernel/config/gpio-sim
: "${GPIOVM_FAILED:=0}" "${GPIOVM_PASSED:=0}"

# sim_create NAME "LINE0 LINE1 - LINE3": a live chip, one bank; "-" leaves a
# line unnamed. Sets and exports the SIM_* variables.
sim_create() {
	local d="$SIM_CFG/$1" i=0 n map=" "
	mkdir "$d" "$d/bank0" || return 1
	# shellcheck disable=SC2086
	set -- $2
	echo $# >"$d/bank0/num_lines"
	for n in "$@"; do
		if [ "$n" != - ]; then
			mkdir "$d/bank0/line$i"
			echo "$n" >"$d/bank0/line$i/name"
			map="$map$n=$i "
		fi
		i=$((i + 1))
	done
	echo 1 >"$d/live" || return 1
	SIM_NAME=${d##*/}
	SIM_DEV=$(cat "$d/dev_name")
	SIM_CHIP=$(cat "$d/bank0/chip_name")
	SIM_SYSFS=/sys/devices/platform/$SIM_DEV/$SIM_CHIP
	SIM_NLINES=$i
	SIM_MAP=$map
	export SIM_NAME SIM_DEV SIM_CHIP SIM_SYSFS SIM_NLINES SIM_MAP
	# the character device appears through devtmpfs; wait for it
	i=0
	while [ ! -c "/dev/$SIM_CHIP" ] && [ $i -lt 100 ]; do usleep 10000; i=$((i + 1)); done
	[ -c "/dev/$SIM_CHIP" ]
}

# sim_remove NAME: takes a chip down (its lines must be released first).
sim_remove() {
	local d="$SIM_CFG/$1" l
	echo 0 >"$d/live" || return 1
	for l in "$d"/bank0/line*; do [ -d "$l" ] && rmdir "$l"; done
	rmdir "$d/bank0" "$d"
}

# sim_offset NAME: the offset of the named line on the current chip (from
# SIM_MAP, " GPIO17=17 ...", so no process is started).
sim_offset() {
	local rest="${SIM_MAP#* "$1"=}"
	[ "$rest" != "$SIM_MAP" ] || { echo "gpio-vm: no simulated line named $1" >&2; return 1; }
	echo "${rest%% *}"
}

# sim_dir NAME: the line's sysfs directory (pull, value). For tight timing,
# look it up once and then write with the shell's own echo.
sim_dir() { echo "$SIM_SYSFS/sim_gpio$(sim_offset "$1")"; }

# sim_pull NAME up|down: what the outside world does to the pin.
sim_pull() { echo "pull-$2" >"$(sim_dir "$1")/pull"; }
sim_press() { sim_pull "$1" down; }     # a button to ground: pressed
sim_release() { sim_pull "$1" up; }
# sim_value NAME: the pin's level now, 0 or 1 (an output: what the program drives).
sim_value() { cat "$(sim_dir "$1")/value"; }

msleep() { usleep $(($1 * 1000)); }

# cut_arm: tells the host that the power may be cut from now on (gpio-vm
# run --cut SEC kills the VM SEC seconds after this line).
cut_arm() { echo "gpio-vm: cut armed"; }

ok() { echo "ok - $*"; GPIOVM_PASSED=$((GPIOVM_PASSED + 1)); }
not_ok() { echo "not ok - $*"; GPIOVM_FAILED=$((GPIOVM_FAILED + 1)); }
# check "sentence" command...: ok when the command succeeds.
check() { local s="$1"; shift; if "$@"; then ok "$s"; else not_ok "$s"; fi; }
finish() {
	echo "# guest: $GPIOVM_PASSED passed, $GPIOVM_FAILED failed"
	[ "$GPIOVM_FAILED" -eq 0 ]
	exit $?
}

# wait_for FILE REGEX [MS]: until a line of FILE matches (default 3000 ms).
wait_for() {
	local t=0 max="${3:-3000}"
	while [ $t -lt "$max" ]; do
		grep -qE "$2" "$1" 2>/dev/null && return 0
		usleep 20000
		t=$((t + 20))
	done
	return 1
}
