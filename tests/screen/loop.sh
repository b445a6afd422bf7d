#!/bin/sh
# The running board (in SDL's offscreen window): it paints once and then
# stays still and idle; a change hubctl makes in another process that alters
# the picture is painted within a second, one that does not is not painted;
# SIGTERM closes it cleanly.
#
# Run by tests/run with HK_BUILD (hubkiosk, hubctl) and HK_TMP.
. "$(dirname "$0")/lib.inc"
paints() { grep -c 'painted the board' "$T/log"; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }

db=$T/hub.db
"$B/hubctl" --db "$db" demo --date "$(date +%F)" >/dev/null || { notok "hubctl demo"; exit 1; }

# The clock repaints on the minute; keep the whole test inside one minute.
s=$(date +%S)
s=${s#0}
[ "$s" -gt 40 ] && sleep $((61 - s))

# SDL's offscreen driver loads Mesa's EGL, which leaks a few kilobytes by
# itself (a five-line SDL program shows the same); the board's own code is
# leak-checked by the headless tests.
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 SDL_VIDEODRIVER=offscreen \
	"$B/hubkiosk" --db "$db" --windowed --size 800x480 --verbose 2>"$T/log" &
pid=$!
sleep 3
if [ "$(paints)" -eq 1 ]; then
	ok "the board is painted once when it starts"
else
	notok "the board is painted once when it starts ($(paints) paints; $(cat "$T/log"))"
fi

t0=$(cpu_ticks $pid)
"$B/hubctl" --db "$db" person add "Nobody Onboard" >/dev/null
sleep 3
t1=$(cpu_ticks $pid)
if [ "$(paints)" -eq 1 ]; then
	ok "a change that does not alter the picture paints nothing"
else
	notok "a change that does not alter the picture paints nothing ($(paints) paints)"
fi
# 3 s idle: polling twice a second must cost next to nothing (ticks of 10 ms).
if [ $((t1 - t0)) -le 15 ]; then
	ok "the still board is idle ($((t1 - t0)) CPU ticks in 3 s)"
else
	notok "the still board is idle ($((t1 - t0)) CPU ticks in 3 s)"
fi

"$B/hubctl" --db "$db" bed add Birch --room Loft >/dev/null
sleep 1
if [ "$(paints)" -eq 2 ]; then
	ok "a bed added by hubctl is painted within a second"
else
	notok "a bed added by hubctl is painted within a second ($(paints) paints)"
fi

kill -TERM $pid
wait $pid
rc=$?
if [ $rc -eq 0 ]; then
	ok "SIGTERM closes the board with status 0"
else
	notok "SIGTERM closes the board with status 0 (got $rc; $(tail -n 3 "$T/log"))"
fi
exit $fail
