#!/bin/sh
# The buttons' crash test (issue 3): 1,000 presses recorded through the
# real store_press_record() while the recorder is SIGKILLed at random
# moments; every acknowledged press is in the journal exactly once and
# PRAGMA integrity_check is ok after every restart. The database is in
# HK_TMP, on the real disk, since fsync is the point. HK_CRASH_PRESSES
# and HK_CRASH_SEED replay a run (the seed is printed).
. "$(dirname "$0")/lib.inc"
BIN=$HK_BUILD/crash/press_crash
DB=$HK_TMP/crash.db
n=${HK_CRASH_PRESSES:-1000}
seed=${HK_CRASH_SEED:-$(date +%s)}

if [ ! -x "$BIN" ]; then
	not_ok "the crash test program is built ($BIN)"
	finish
fi
"$BIN" run "$DB" "$n" "$seed" 2>"$ERR"
status=$?
check "the crash test passed (seed $seed; replay: HK_CRASH_SEED=$seed)" [ "$status" -eq 0 ]
hub verify
check "hubctl verify agrees the journal is whole after the crashes" [ "$rc" -eq 0 ]
hub presses --tsv
check "hubctl presses lists every press" [ "$(rows)" -eq "$n" ]
finish
