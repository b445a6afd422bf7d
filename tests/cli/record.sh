#!/bin/sh
# Every hubctl command's success path, end to end: what it prints, and what
# the next list shows. Dates are in 2030 so "now" never gets in the way.
. "$(dirname "$0")/lib.inc"
DB=$HK_TMP/record.db

# --- hub and beds ---
succeeds "hub name sets the hub's name" hub name "Rowan House"
succeeds "hub name without a name prints it" hub name
check "the name read back is the name set" grep -qx "Rowan House" "$OUT"
succeeds "bed add adds a bed in a room" bed add Willow --room "Garden room"
willow=$(id_of)
check "bed add prints the new bed's id" [ "$willow" = 1 ]
succeeds "bed add adds a second bed" bed add Oak --room "Attic room"
succeeds "bed add adds a bed to be removed" bed add Spare
succeeds "bed list lists the beds" bed list
check "bed list shows a bed with its room" grep -q "Willow.*Garden room" "$OUT"
check "bed list says a bed with no stay is free" grep -q "Oak.*Attic room.*free" "$OUT"
succeeds "bed remove removes a never-used bed by name" bed remove Spare
hub bed list
check "a removed bed is gone from bed list" sh -c "! grep -q Spare '$OUT'"
succeeds "bed unavailable on takes a bed out of use" bed unavailable Oak on
hub bed list
check "bed list shows an unavailable bed" grep -q "Oak.*unavailable" "$OUT"
succeeds "bed unavailable off puts it back" bed unavailable 2 off
hub bed list
check "the bed is free again" grep -q "Oak.*free" "$OUT"

# --- people ---
succeeds "person add adds a child with a full name" \
	person add Sam --full-name "Samuel Example" --role child
sam=$(id_of)
succeeds "person add takes an Arabic display name" \
	person add "ليلى" --full-name "ليلى حداد" --role child
succeeds "person add adds a hidden child" person add Kit --role child --hidden
succeeds "person add adds a visitor (the default role)" person add Zuzanna
zuz=$(id_of)
succeeds "person add adds a professional" person add Saoirse --role professional
succeeds "person list lists everyone" person list
check "person list shows full names to the admin" grep -q "Samuel Example" "$OUT"
check "person list keeps Arabic names whole" grep -q "ليلى حداد" "$OUT"
check "person list marks the hidden child" grep -q "Kit .*child .*yes" "$OUT"
check "person list says the default role is visitor" grep -q "Zuzanna .*visitor" "$OUT"
succeeds "person change changes the full name only" \
	person change Zuzanna --full-name "Zuzanna Wójcik-Łęcka"
hub person list --tsv
check "the changed full name is kept" grep -q "Zuzanna	Zuzanna Wójcik-Łęcka	visitor	no" "$OUT"
succeeds "person change hides a person" person change "$zuz" --hidden
succeeds "person change shows them again and renames" person change "$zuz" --shown --display Zuza
hub person list --tsv
check "the new display name and shown flag are kept" grep -q "^$zuz	Zuza	Zuzanna Wójcik-Łęcka	visitor	no" "$OUT"

# --- stays ---
succeeds "stay add puts a child in a bed for a length of time" \
	stay add Sam Willow --from 2030-06-14T21:40 --until 3d --emergency --note "out of hours"
stay=$(id_of)
check "stay add confirms the emergency stay and its end" \
	grep -q "stay $stay added: Sam in Willow, emergency from 2030-06-14 21:40 until 2030-06-17 21:40" "$OUT"
succeeds "stay add takes a planned open-ended stay" stay add "ليلى" Oak --from 2030-06-15T17:00
open_stay=$(id_of)
succeeds "stay list lists current and coming stays" stay list
check "stay list shows the emergency stay" grep -q "Willow *Sam *emergency" "$OUT"
check "stay list shows the planned stay" grep -q "Oak *ليلى *planned" "$OUT"
succeeds "stay end ends a stay at a given time" stay end "$open_stay" --at "2030-06-16 10:00"
hub stay list --tsv
check "the ended stay shows when it ended" grep -q "	2030-06-16T10:00:00+01:00	" "$OUT"

# --- visits ---
succeeds "visit add expects a visitor for a child" \
	visit add Zuza --at "2030-06-15 09:30" --for Sam --note "school things"
v1=$(id_of)
succeeds "visit add expects a professional" visit add Saoirse --at 2030-06-15T11:00
v2=$(id_of)
succeeds "visit add expects someone to be cancelled" visit add Saoirse --at 2030-06-15T15:00
v3=$(id_of)
succeeds "visit add records an unexpected visitor" \
	visit add Kit --unexpected --at 2030-06-15T12:10
v4=$(id_of)
succeeds "checkin records an arrival" checkin "$v1" --at 2030-06-15T09:40
check "checkin confirms the time" grep -q "visit $v1 checked in at 2030-06-15 09:40" "$OUT"
succeeds "checkout records the leaving" checkout "$v1" --at 2030-06-15T10:05
succeeds "visit cancel cancels a visit" visit cancel "$v3"
succeeds "visit list lists the visits of a day" visit list --on 2030-06-15
check "visit list shows who came and went" grep -q "09:30 *Zuza *Sam *left" "$OUT"
check "visit list shows the expected visit" grep -q "11:00 *Saoirse *household *expected" "$OUT"
check "visit list shows the cancelled visit" grep -q "15:00 *Saoirse *household *cancelled" "$OUT"
check "visit list shows the unexpected visitor as here" grep -q "Kit *household *here .*yes" "$OUT"
hub visit list --on 2030-06-16
check "visit list of the next day shows a visitor still in" grep -q "Kit .*here" "$OUT"
succeeds "checkout of the unexpected visitor" checkout "$v4" --at 2030-06-15T13:00
hub visit list --on 2030-06-16
check "visit list of a day without visits says so" grep -q "no visits" "$OUT"
succeeds "checkin without --at means now" checkin "$v2"
hub person add Nana
hub visit add Nana --at 2030-06-15T16:00
succeeds "checkin takes the name of a person with one visit that day" \
	checkin Nana --at 2030-06-15T16:05
check "checkin by name confirms which visit" grep -q "checked in at 2030-06-15 16:05" "$OUT"
succeeds "checkout takes the name of a person who is in" checkout Nana --at 2030-06-15T17:00
hub visit add Nana --at 2030-06-15T18:00
succeeds "visit cancel takes a name when one visit that day fits" visit cancel Nana

# --- contact sessions ---
succeeds "contact add schedules a supervised session" \
	contact add Sam --with "Mum and Nan" --from 2030-06-15T15:30 --until 2030-06-15T17:00 \
	--room Playroom --supervisor Saoirse
c1=$(id_of)
succeeds "contact add takes a length for --until" \
	contact add Sam --with Dad --from 2030-06-16T10:00 --until 90m
c2=$(id_of)
succeeds "contact cancel cancels a session" contact cancel "$c2"
succeeds "contact list lists a day's sessions" contact list --on 2030-06-15
check "contact list shows room and supervisor" \
	grep -q "15:30 .*17:00 *Sam *Mum and Nan *Playroom *Saoirse *planned" "$OUT"
hub contact list --on 2030-06-16 --tsv
check "the 90-minute session ends at 11:30 and is cancelled" \
	grep -q "^$c2	2030-06-16T10:00:00+01:00	2030-06-16T11:30:00+01:00	Sam	Dad		.*cancelled" "$OUT"

# --- events ---
succeeds "event add adds a timed event" \
	event add "Constellation get-together" --from 2030-06-20T14:00 --until 3h \
	--category get-together --location "Community hall"
succeeds "event add adds an all-day day off" \
	event add "Day off" --from 2030-06-22 --all-day --category day-off
succeeds "event add adds a weekend off over two days" \
	event add "Weekend off" --from 2030-06-29 --until 2030-06-30 --all-day --category day-off
succeeds "event add with dates alone adds whole days" \
	event add "Half-term week" --from 2030-07-22 --until 2030-07-26
check "dates alone are said to be all day" grep -q "2030-07-22 (all day)" "$OUT"
succeeds "event add adds an event to cancel" event add Training --from 2030-06-25T10:00
ev=$(id_of)
succeeds "event cancel cancels it" event cancel "$ev"
succeeds "event list lists the days asked for" event list --from 2030-06-14 --to 2030-07-14
check "event list shows the timed event" grep -q "2030-06-20 14:00 *2030-06-20 17:00 .*get-together *Constellation get-together *Community hall" "$OUT"
check "event list shows an all-day event by its day" grep -q "2030-06-22 *2030-06-22 *yes *day-off" "$OUT"
check "event list shows the weekend's first and last day" grep -q "2030-06-29 *2030-06-30 *yes" "$OUT"
check "event list shows the cancelled event" grep -q "Training *cancelled" "$OUT"
hub event list --from 2030-06-14 --to 2030-06-21 --tsv
check "event list --to stops at the last day asked for" [ "$(rows)" = 1 ]
hub event list --from 2030-06-29 --to 2030-06-29 --tsv
check "an all-day event ends at the midnight after its last day" \
	grep -q "2030-06-29T00:00:00+01:00	2030-07-01T00:00:00+01:00	yes" "$OUT"

# --- the journal ---
succeeds "journal prints the record" journal
check "the journal has the emergency stay" grep -q "stay.add" "$OUT"
check "the journal names the admin who did it" grep -q "admin:" "$OUT"

finish
