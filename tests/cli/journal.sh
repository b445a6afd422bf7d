#!/bin/sh
# hubctl journal: every change, in the order made, with a gap-free
# sequence; who made it; a refusal adds nothing; --since filters by time.
. "$(dirname "$0")/lib.inc"
DB=$HK_TMP/journal.db

# The kinds of change, in order, that these commands make.
hub hub name "Rowan House"
hub bed add Willow
hub person add Sam --role child
hub person add Jo
hub stay add Sam Willow --from 2030-06-14T21:40 --until 1d --emergency
hub visit add Jo --at 2030-06-15T10:00
visit=$(id_of)
hub checkin "$visit" --at 2030-06-15T10:05
hub checkout "$visit" --at 2030-06-15T11:00
hub contact add Sam --with Mum --from 2030-06-15T15:00 --until 1h
hub event add Training --from 2030-06-20T10:00 --category training
hub person change Jo --full-name "Jo Example"
hub stay list --tsv
stay=$(sed -n 2p "$OUT" | cut -f1)
hub stay end "$stay" --at 2030-06-15T12:00
check "the changes were all made" [ "$rc" -eq 0 ]
# A refusal and a usage error add nothing.
hub checkin "$visit"
hub bed add

succeeds "journal prints the record" journal --tsv
check "the journal has one entry per change" [ "$(rows)" -ge 12 ]
check "the journal's seq runs 1, 2, 3, ... without a gap" \
	sh -c "tail -n +2 '$OUT' | cut -f1 | awk '\$1 != NR { exit 1 }'"
check "the journal is oldest first" \
	sh -c "tail -n +2 '$OUT' | cut -f2 | sort -c"
tsv_col kind | grep -v '^store\.' | grep -v '^system' >"$HK_TMP/kinds"
want="setting.set bed.add person.add person.add stay.add visit.add visit.checkin visit.checkout contact.add event.add person.change stay.end"
got=$(grep -E '^(setting|bed|person|stay|visit|contact|event)\.' "$HK_TMP/kinds" | tr '\n' ' ' | sed 's/ $//')
if [ "$got" = "$want" ]; then ok "the journal lists every change in the order made"; else
	not_ok "the journal lists every change in the order made"; echo "#   got: $got"; fi
check "every admin change says it came from admin" \
	sh -c "tail -n +2 '$OUT' | awk -F '\t' '\$6 !~ /^(store|system)/ && \$4 != \"admin\" { exit 1 }'"
USER=alice SUDO_USER= hub bed add Oak
hub journal --tsv
check "the actor is admin: and the user" [ "$(tail -n 1 "$OUT" | cut -f5)" = "admin:alice" ]
SUDO_USER=bob USER=root hub bed add Birch
hub journal --tsv
check "under sudo the actor is the user who typed sudo" \
	[ "$(tail -n 1 "$OUT" | cut -f5)" = "admin:bob" ]
check "the journal keeps full names in its detail" grep -q "Jo Example" "$OUT"
check "the journal records the times it was written in ISO 8601 with offset" \
	sh -c "tail -n +2 '$OUT' | cut -f2 | grep -qvE '^[0-9-]{10}T[0-9:]{8}[+-][0-9]{2}:[0-9]{2}\$' && exit 1 || exit 0"

succeeds "journal for people is aligned text" journal
check "the people's journal has a header" grep -q "^SEQ *TIME" "$OUT"
succeeds "journal --since in the future is empty" journal --since 2999-01-01 --tsv
check "nothing is recorded after 2999" [ "$(rows)" = 0 ]
succeeds "journal --since a date in the past is everything" journal --since 2000-01-01 --tsv
check "everything is recorded after 2000" [ "$(rows)" -ge 14 ]
refuses "journal --since refuses a bad time" 2030-02-30 journal --since 2030-02-30

finish
