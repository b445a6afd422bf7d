#!/bin/sh
# Satellite families and support care without a bed, as the carer meets
# them: a family added and renamed, a child placed with it, an afternoon of
# care counted in hours, and what is refused (writing nothing).
. "$(dirname "$0")/lib.inc"
DB=$HK_TMP/care.db
TAB=$(printf '\t')

# --- satellite families ---
succeeds "family add adds a satellite family with its carers" \
	family add "the Oak family" --carers "Sam and Alex Oak"
oak=$(id_of)
check "family add prints the new family's id" [ "$oak" = 1 ]
check "family add says the board does not name it by default" \
	grep -q "not named on the board" "$OUT"
succeeds "family add --shown adds a family the board may name" family add "Birch" --shown
check "family add --shown says so" grep -q "(named on the board)" "$OUT"
succeeds "a family's name may be in any script" family add "家族 Ли"
hub family list --tsv
check "family list --tsv names its columns" [ "$(head -n 1 "$OUT")" = \
	"id${TAB}name${TAB}carers${TAB}shown${TAB}people" ]
check "family list --tsv has one row per family" [ "$(rows)" = 3 ]
check "family list --tsv keeps the carers' names" \
	grep -q "^1${TAB}the Oak family${TAB}Sam and Alex Oak${TAB}no" "$OUT"
check "family list --tsv keeps a name in two scripts whole" grep -q "家族 Ли" "$OUT"
succeeds "family change renames a family and lets the board name it" \
	family change "the Oak family" --name "Oak" --shown
hub family list --tsv
check "the family reads back renamed and shown" grep -q "^1${TAB}Oak${TAB}Sam and Alex Oak${TAB}yes" "$OUT"
succeeds "family change --hidden stops the board naming it" family change 1 --hidden
hub family list --tsv
check "the family is no longer shown" grep -q "^1${TAB}Oak${TAB}.*${TAB}no" "$OUT"
succeeds "family change by id changes the carers" family change 2 --carers "Jo Birch"
hub family list
check "family list for people shows the carers" grep -q "Birch.*Jo Birch" "$OUT"

refuses "a family's name already used is refused" Birch family add Birch
refuses "an unknown family is refused" Elm family change Elm --carers x
usage_error "family change with nothing to change is a usage error" family change 1
usage_error "family add without a name is a usage error" family add

# --- a child's home family ---
succeeds "person add --family places a child with a family (by name)" \
	person add Ada --role child --family Oak
check "person add says the child's family" grep -q "person 1 added: Ada (child, Oak)" "$OUT"
succeeds "person add --family takes a family's id" person add Ben --role child --family 2
succeeds "person add without --family is a child of no family" person add Cai --role child
succeeds "person change --family moves a child to another family" person change Cai --family Oak
hub person list --tsv
check "person list --tsv shows each child's family" [ "$(tsv_col family | tr '\n' ,)" = "Oak,Birch,Oak," ]
succeeds "person change --family \"\" forgets the family" person change Cai --family ""
hub person list --tsv
check "the child has no family any more" [ "$(tsv_col family | tr '\n' ,)" = "Oak,Birch,," ]
hub family list --tsv
check "family list names the family's people" grep -q "^1${TAB}Oak${TAB}.*${TAB}Ada$" "$OUT"
refuses "person add --family with an unknown family is refused" Elm \
	person add Dee --role child --family Elm
refuses "person change --family with an unknown family is refused" Elm \
	person change Ada --family Elm

# --- support care without a bed ---
hub bed add Willow
hub stay add Ben Willow --from 2030-06-15T18:00 --until 2d
succeeds "care add records three hours of support care" \
	care add Ada --from 2030-06-15T13:00 --until 3h --note "Mum at the doctor's"
care=$(id_of)
check "care add says whose care, planned, and for how long" \
	grep -q "care $care added: Ada, planned from 2030-06-15 13:00 until 2030-06-15 16:00 (3 h)" "$OUT"
succeeds "care add --emergency records emergency support care" \
	care add Ben --from 2030-06-15T09:00 --until 2030-06-15T11:30 --emergency
emerg=$(id_of)
succeeds "care add without --until is open-ended" care add Cai --from 2030-06-15T10:00
open=$(id_of)
hub care list --on 2030-06-15 --tsv
check "care list --tsv names its columns" [ "$(head -n 1 "$OUT")" = \
	"id${TAB}child${TAB}family${TAB}kind${TAB}from${TAB}until${TAB}ended${TAB}hours${TAB}note" ]
check "care list --tsv lists that day's three sessions in time order" \
	[ "$(tsv_col child | tr '\n' ,)" = "Ben,Cai,Ada," ]
check "care list --tsv counts the expected hours" [ "$(tsv_col hours | tr '\n' ,)" = "2.50,,3.00," ]
check "care list --tsv gives the family of the child" \
	[ "$(tsv_col family | tr '\n' ,)" = "Birch,,Oak," ]
check "care list --tsv says emergency or planned" \
	[ "$(tsv_col kind | tr '\n' ,)" = "emergency,planned,planned," ]
check "care list --tsv gives times with their offset" \
	grep -q "2030-06-15T13:00:00+01:00${TAB}2030-06-15T16:00:00+01:00" "$OUT"
hub care list --on 2030-06-15
check "care list for people shows hours" grep -q "^$emerg .*Ben .*emergency.*2 h 30 min" "$OUT"
hub care list --on 2030-06-14
check "care list of another day says there is none" grep -qx "no support care that day" "$OUT"

succeeds "care end ends a session" care end "$care" --at 2030-06-15T15:45
check "care end says when and how long" \
	grep -qx "care $care ended at 2030-06-15 15:45 (2 h 45 min)" "$OUT"
succeeds "care end ends the open-ended session" care end "$open" --at 2030-06-15T12:00
hub care list --on 2030-06-15 --tsv
check "the hours are then the hours given" [ "$(tsv_col hours | tr '\n' ,)" = "2.50,2.00,2.75," ]
check "the end is listed" grep -q "2030-06-15T15:45:00+01:00" "$OUT"

# --- refusals: one line naming the value, nothing written ---
refuses "care for an unknown child is refused" Nobody \
	care add Nobody --from 2030-06-20T13:00 --until 2h
refuses "care ending before it starts is refused" 2030-06-20T12:00 \
	care add Ada --from 2030-06-20T13:00 --until 2030-06-20T12:00
refuses "care of more than a day is refused (a night is a stay)" 25h \
	care add Ada --from 2030-06-20T13:00 --until 25h
check "the refusal says a night is a stay" grep -q "stay add" "$ERR"
refuses "care overlapping the child's stay is refused" Ben \
	care add Ben --from 2030-06-16T13:00 --until 2h
refuses "care overlapping another care session is refused" Ada \
	care add Ada --from 2030-06-15T14:00 --until 1h
hub person add Jo --role visitor
refuses "care for a visitor is refused" Jo care add Jo --from 2030-06-20T13:00 --until 2h
refuses "ending a care session twice is refused" "$care" care end "$care" --at 2030-06-15T16:00
refuses "ending care before it began is refused" 2030-06-15T08:00 \
	care end "$emerg" --at 2030-06-15T08:00
refuses "an unknown care session is refused" 99 care end 99
usage_error "care add without --from is a usage error" care add Ada --until 2h
usage_error "care add without a child is a usage error" care add --from 2030-06-20T13:00

# The journal has it all, and the hash chain holds.
hub journal --tsv
check "the journal records families and care" \
	sh -c "grep -q 'family.add' '$OUT' && grep -q 'family.change' '$OUT' && \
		grep -q 'care.add' '$OUT' && grep -q 'care.end' '$OUT'"
succeeds "hubctl verify holds after it all" verify

finish
