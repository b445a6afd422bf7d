#!/bin/sh
# hubctl --help and usage errors: every command explains itself and exits 0;
# a wrong command line exits 2 with a usage hint and touches nothing.
. "$(dirname "$0")/lib.inc"
DB=$HK_TMP/help.db

hub bed add Willow --room "Garden room"

for cmd in "demo" "bed add" "bed list" "bed remove" "bed unavailable" "person add" \
	   "person list" "person change" "stay add" "stay end" "stay list" "visit add" \
	   "visit list" "visit cancel" "checkin" "checkout" "contact add" "contact list" \
	   "contact cancel" "event add" "event list" "event cancel" "journal" "hub name"; do
	# shellcheck disable=SC2086
	hub $cmd --help
	if [ "$rc" -eq 0 ] && grep -q "^usage: hubctl $cmd" "$OUT" && grep -q -- "--db PATH" "$OUT"; then
		ok "hubctl $cmd --help prints its usage and exits 0"
	else
		not_ok "hubctl $cmd --help prints its usage and exits 0 (exit $rc)"
	fi
done

exits 0 "hubctl --help lists every command" --help
check "the command list names the promised commands" \
	grep -q "hubctl contact add CHILD --with TEXT --from T --until T" "$OUT"
exits 0 "hubctl help stay add is stay add --help" help stay add
check "help stay add shows stay add's options" grep -q -- "--emergency" "$OUT"
exits 0 "hubctl bed --help lists the bed commands" bed --help
check "the bed commands include remove" grep -q "hubctl bed remove" "$OUT"

usage_error "no command at all is a usage error"
usage_error "an unknown command is a usage error" frobnicate
usage_error "a noun without its verb is a usage error" visit
usage_error "an unknown verb is a usage error" bed paint
usage_error "an unknown option is a usage error" bed list --colour
usage_error "an option without its value is a usage error" visit list --on
usage_error "a missing argument is a usage error" bed add
usage_error "an extra argument is a usage error" bed list extra
usage_error "stay add without --from is a usage error" stay add Sam Willow
usage_error "visit add without --at is a usage error" visit add Sam
usage_error "contact add without --with is a usage error" \
	contact add Sam --from 2030-01-01T10:00 --until 2h
usage_error "event add without a title is a usage error" event add --from 2030-01-01
usage_error "person change with nothing to change is a usage error" person change 1
usage_error "an unknown global option is a usage error" --colour bed list
check "a usage error names the bad option" grep -q -- "--colour" "$ERR"

# --db works before the command too, and HUBKIOSK_DB is the default.
"$HUBCTL" --db "$DB" bed list >"$OUT" 2>"$ERR"
check "--db before the command opens that database" grep -q Willow "$OUT"
HUBKIOSK_DB=$DB "$HUBCTL" bed list >"$OUT" 2>"$ERR"
check "HUBKIOSK_DB is the database when no --db is given" grep -q Willow "$OUT"
HUBKIOSK_DB=$HK_TMP/other.db "$HUBCTL" --db "$DB" bed list >"$OUT" 2>"$ERR"
check "--db wins over HUBKIOSK_DB" grep -q Willow "$OUT"

finish
