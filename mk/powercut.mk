# make powercut: hard power cuts at random moments of presses, records and
# backups, checked after every boot (issue 15 item 4; tests/vm/powercut on
# the gpio-vm VM). About 30 s a cycle with a cached kernel, so the hundred
# take most of an hour. POWERCUT_N cycles; POWERCUT_SEED replays a run's
# cut moments; POWERCUT_MIN / POWERCUT_MAX the seconds of work before a
# cut (default 2-20). CI runs five (tests/vm/test_powercut.sh).

POWERCUT_N ?= 100

powercut: all
	HK_BUILD=$(abspath $(B)) POWERCUT_N=$(POWERCUT_N) tests/vm/powercut

.PHONY: powercut
