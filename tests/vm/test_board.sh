#!/bin/sh
# test_board.sh - the real hubkiosk against the kernel's gpio-sim, with no
# screen: boots the gpio-vm VM with hubkiosk, hubctl, sqlite3 and a small
# database, and runs tests/vm/guest/test_board.sh there (a check-in, a NEXT
# and its repeat, a glitch, an emergency let go early and one held, the LEDs
# lit only after the entry is in the database, a missing line). Then reads
# the database the VM brought back: the journal verifies, the presses are
# all there. Prints "ok - ..." / "not ok - ..." and exits non-zero on
# failure. About 30 s with a cached kernel (software emulation).
#
#   sh tests/vm/test_board.sh          (HK_BUILD: build directory, default ./build)
set -u
cd "$(dirname "$0")/../.." || exit 1
B=${HK_BUILD:-$(pwd)/build}
T=${HK_TMP:-$(mktemp -d)}
export TZ=UTC    # the guest has no zone files: the same clock on both sides
fail=0
ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; fail=1; }

for b in "$B/hubkiosk" "$B/hubctl"; do
	[ -x "$b" ] || { notok "$b is built"; exit 1; }
done
SQLITE=$(command -v sqlite3) || { notok "sqlite3 is installed (the guest checks with it)"; exit 1; }

# One visitor today, early (late by the time anyone presses, still
# highlighted: the only visitor), and two beds, Willow free.
db=$T/hub.db
today=$(date +%F)
{
	"$B/hubctl" --db "$db" bed add Willow --room Garden &&
	"$B/hubctl" --db "$db" bed add Oak --room Attic &&
	"$B/hubctl" --db "$db" person add Saoirse --role visitor &&
	"$B/hubctl" --db "$db" visit add Saoirse --at "${today}T00:01"
} >/dev/null || { notok "hubctl makes the test database"; exit 1; }

mkdir -p "$B/vm"
out=$B/vm/test_board.out
log=$B/vm/test_board.log
rc=0
start=$(date +%s)
tests/vm/gpio-vm run --bin "$B/hubkiosk" --bin "$B/hubctl" --bin "$SQLITE" \
	--file "$db:/data/hub.db" --guest-script tests/vm/guest/test_board.sh \
	--lines "GPIO24 GPIO23 - GPIO27 GPIO22 - GPIO17 GPIO4" \
	--out "$out" --timeout 240 >"$log" 2>&1 || rc=$?
cat "$log"
echo "# the VM test took $(( $(date +%s) - start )) s"
case $rc in
0) ok "the gpio-sim VM ran the board tests and every one passed" ;;
77) echo "ok - # SKIP the gpio-sim VM cannot run here (see the gpio-vm: lines above)"; exit 0 ;;
124) notok "the gpio-sim VM finished within its time limit"; exit 1 ;;
125) notok "the gpio-sim VM booted and reported a verdict"; exit 1 ;;
*) notok "every board test in the gpio-sim VM passed (guest exit $rc)" ;;
esac

# --- the record the VM brought back -------------------------------------------
back=$out/hub.db
if [ ! -f "$back" ]; then
	notok "the VM brought the database back"
	exit 1
fi
if "$B/hubctl" --db "$back" verify >"$T/verify" 2>&1; then
	ok "the journal brought back from the VM verifies (hubctl verify)"
else
	notok "the journal brought back from the VM verifies: $(cat "$T/verify")"
fi
got=$(sqlite3 "$back" "select group_concat(kind || ':' || outcome, ' ')
	from (select kind, outcome from press order by id)")
want="checkin:checked-in next:moved ignored:counted emergency:emergency-bed checkin:checked-out"
if [ "$got" = "$want" ]; then
	ok "every press is in the record once, in order ($want)"
else
	notok "every press is in the record once, in order (got: $got)"
fi
n=$(sqlite3 "$back" "select count(*) from press p join journal j on j.seq = p.journal_seq
	where j.source = 'button'")
if [ "$n" = 5 ]; then
	ok "each press has its journal entry, written by the button"
else
	notok "each press has its journal entry, written by the button ($n of 5)"
fi
if "$B/hubctl" --db "$back" journal --tsv | grep -q 'emergency'; then
	ok "hubctl reads the emergency arrival in the journal brought back"
else
	notok "hubctl reads the emergency arrival in the journal brought back"
fi
exit $fail
