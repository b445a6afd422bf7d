#!/bin/sh
# hubctl export: only an authorised stick gets anything, and what it gets
# is sealed to the stick's readers: no byte on the stick holds a name, a
# note or a count; Debian's age opens it with a reader's key and not with
# another; opened, the CSV files parse back (python3's csv module) with
# every row and field, names in every script intact and formula cells
# neutralised; readers are added and removed, journalled; the export is
# journalled and the next one starts where it ended.
. "$(dirname "$0")/lib.inc"
DB=$HK_TMP/export.db
STICK=$HK_TMP/stick
VISITOR=$HK_TMP/visitor
mkdir -p "$STICK" "$VISITOR"

hub demo
# Cells a spreadsheet would run as formulas, and one that starts with an
# apostrophe already (it must come back unchanged too).
hub person add "=HYPERLINK(\"http://x\")" --full-name "@SUM(A1:A9)" --role visitor
hub person add "+44 7700" --full-name "-2+3" --role visitor
hub person add "'quoted" --role visitor
when=$(date -d tomorrow +%Y-%m-%dT10:00)
hub visit add "+44 7700" --at "$when" --note "	tab first"; r1=$rc
hub visit add "=HYPERLINK(\"http://x\")" --at "$when"; r2=$rc
hub visit add "'quoted" --at "$when" --note "-1"
check "the record was filled" [ "$rc$r1$r2" = 000 ]

# --- an unauthorised stick ---
refuses_stick() {
	sentence=$1 dir=$2
	before=$(find "$dir" -printf '%p %s %T@\n' | sort | sha256sum)
	hub export --to "$dir"
	after=$(find "$dir" -printf '%p %s %T@\n' | sort | sha256sum)
	why=""
	[ "$rc" -eq 1 ] || why="exit $rc"
	[ "$(wc -l <"$ERR")" -eq 1 ] || why="$why; not one line on stderr"
	grep -q "not an authorised stick" "$ERR" || why="$why; stderr does not say why"
	[ "$before" = "$after" ] || why="$why; the stick changed"
	if [ -z "$why" ]; then ok "$sentence"; else not_ok "$sentence ($why)"; fi
}
refuses_stick "a stick without a key is refused and not one byte is written" "$VISITOR"
check "the stick without a key is still empty" [ -z "$(ls -A "$VISITOR")" ]
hub journal --tsv
check "the refusal is journalled" sh -c "tail -n 1 '$OUT' | cut -f6 | grep -qx export.refused"
printf 'hubkiosk export key 1\n%064d\n' 0 >"$VISITOR/hubkiosk-export.key"
refuses_stick "a stick with a made-up key is refused, untouched" "$VISITOR"

usage_error "export without --to is a usage error" export
refuses "export to a missing folder names it" "$HK_TMP/nowhere" export --to "$HK_TMP/nowhere"

# --- keys ---
usage_error "export-key create without a reader is a usage error" export-key create "$STICK"
check "... and writes nothing on the stick" [ -z "$(ls -A "$STICK")" ]
refuses "a reader that is not an age key is refused" "age public key" \
	export-key create "$STICK" --to age1notakey
refuses "a secret key given as a reader is refused, saying so" "secret key" \
	export-key create "$STICK" --to "AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ"
check "... and nothing is on the stick" [ -z "$(ls -A "$STICK")" ]
reader
age-keygen -o "$HK_TMP/team.key" 2>/dev/null
TEAM=$(age-keygen -y "$HK_TMP/team.key")
age-keygen -o "$HK_TMP/other.key" 2>/dev/null
printf '# the fostering team\n%s\n\n' "$TEAM" >"$HK_TMP/team.pub"
succeeds "export-key create writes a key to the stick" export-key create "$STICK" \
	--label "Sam's stick" --to "$READER" "$HK_TMP/team.pub"
check "... sealed to the worker's and the team's key (a file of keys)" \
	grep -q "sealed to 2 readers" "$OUT"
check "the key file is on the stick" [ -s "$STICK/hubkiosk-export.key" ]
token=$(sed -n 2p "$STICK/hubkiosk-export.key")
check "the token is 256 random bits in hex" sh -c "echo '$token' | grep -qxE '[0-9a-f]{64}'"
check "the database keeps only the token's hash, never the token" \
	sh -c "! grep -qa '$token' '$DB' && ! { [ -f '$DB-wal' ] && grep -qa '$token' '$DB-wal'; }"
refuses "a second key on the same stick is refused" "already holds" export-key create "$STICK" \
	--to "$READER"
succeeds "export-key recipients lists the readers" export-key recipients 1 --tsv
check "... both of them" [ "$(cut -f3 "$OUT" | grep -cx reader)" -eq 2 ]
succeeds "export-key list" export-key list --tsv
check "the key is listed as active" sh -c "tail -n 1 '$OUT' | cut -f3 | grep -qx active"

# --- the export ---
succeeds "export writes to an authorised stick" export --to "$STICK"
first_end=$(sed -n 's/.*journal entries [0-9]*-\([0-9]*\),.*/\1/p' "$OUT")
sealed=$(sed -n 's|^exported to \(.*\), sealed to .*|\1|p' "$OUT")
check "the export is one sealed file, hubkiosk_export_DATE_TIME.age" \
	sh -c "basename '$sealed' | grep -qxE 'hubkiosk_export_[0-9-]+_[0-9]{6}\.age'"
check "the stick holds its key, README.txt, open.html and the sealed file, nothing else" \
	[ "$(ls -A "$STICK" | sort | tr '\n' ' ')" = "README.txt hubkiosk-export.key $(basename "$sealed") open.html " ]
check "the sealed file is age's format" sh -c "head -n 1 '$sealed' | grep -qx age-encryption.org/v1"
# Every name, full name and note of the record, and the hub's own name:
# none of them is anywhere in the bytes on the stick.
hub person list --tsv; tail -n +2 "$OUT" | cut -f2,3 | tr '\t' '\n' >"$HK_TMP/secrets"
for day in today tomorrow; do
	hub visit list --on $day --tsv; tail -n +2 "$OUT" | cut -f3,9 | tr '\t' '\n' >>"$HK_TMP/secrets"
done
printf 'Rowan House\nRowan-House\n' >>"$HK_TMP/secrets"
# five bytes and more: a shorter string turns up in random bytes by chance
LC_ALL=C grep -v '^.\{0,4\}$' "$HK_TMP/secrets" | sort -u >"$HK_TMP/secrets.u"
leaks=$(cat "$STICK"/* | grep -a -F -c -f "$HK_TMP/secrets.u")
check "no name, full name or note of the record is in any byte on the stick ($(wc -l <"$HK_TMP/secrets.u") strings)" \
	[ "$leaks" -eq 0 ]
check "... while opened, the export does hold them" \
	sh -c "age -d -i '$READER_KEY' '$sealed' | grep -a -q -F 'ليلى حداد'"
check "README.txt says how to open it, with age too" \
	sh -c "grep -q 'open.html' '$STICK/README.txt' && grep -q 'age --decrypt' '$STICK/README.txt'"
age --decrypt --identity "$HK_TMP/team.key" -o "$HK_TMP/team.zip" "$sealed" 2>"$ERR"
check "the team's key opens it too (age)" [ -s "$HK_TMP/team.zip" ]
age --decrypt --identity "$HK_TMP/other.key" -o "$HK_TMP/other.zip" "$sealed" 2>"$ERR"
check "a key that is not a reader's does not (age: no identity matched)" \
	grep -q "no identity matched" "$ERR"
folder=$(opened "$sealed")
for f in journal.csv stays.csv care.csv visits.csv contacts.csv records.csv concerns.csv \
	events.ics report.html manifest.txt; do
	check "the opened export holds $f" [ -s "$folder/$f" ]
done
check "the folder's name has no ':' (FAT)" sh -c "! basename '$folder' | grep -q :"
check "what age opened matches its manifest (sha256sum -c)" \
	sh -c "cd '$folder' && sha256sum --quiet -c manifest.txt 2>/dev/null"
succeeds "verify --export accepts the fresh export" verify --export "$folder"
succeeds "verify accepts the journal" verify

# The journal, people and visits as the CLI prints them, to compare.
hub journal --tsv; cp "$OUT" "$HK_TMP/journal.tsv"
hub person list --tsv; cp "$OUT" "$HK_TMP/people.tsv"
python3 - "$folder" "$HK_TMP" <<'PY' >"$HK_TMP/py.out" 2>&1
import csv, sys, os
folder, tmp = sys.argv[1], sys.argv[2]
ok = lambda s: print("ok - " + s)
def bad(s, why=""): print("not ok - " + s + (" (" + why + ")" if why else ""))
def check(s, cond, why=""): ok(s) if cond else bad(s, why)

cache = {}
def read(name):
    if name in cache:
        return cache[name]
    raw = open(os.path.join(folder, name), "rb").read()
    check(name + " starts with a UTF-8 byte-order mark", raw.startswith(b"\xef\xbb\xbf"))
    check(name + " ends its rows with CRLF", raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b""))
    cache[name] = list(csv.reader(open(os.path.join(folder, name), newline="", encoding="utf-8-sig"), strict=True))
    return cache[name]

def plain(cell):
    """The text as recorded: one leading apostrophe is the neutraliser."""
    return cell[1:] if cell.startswith("'") else cell

def tsv(name):
    rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(tmp, name), encoding="utf-8")]
    return rows[0], rows[1:]

j = read("journal.csv")
head, tj = tsv("journal.tsv")
check("journal.csv has the header", j[0][:8] == ["seq", "time", "clock_synced", "source", "who", "kind", "subject", "detail"])
rows = j[1:]
check("every row of journal.csv has 9 fields", all(len(r) == 9 for r in rows))
# hubctl journal lists the export's own entry too; the export holds those before it
want = [r for r in tj if int(r[0]) <= int(rows[-1][0])]
check("journal.csv holds every journal entry", len(rows) == len(want), "%d vs %d" % (len(rows), len(want)))
# hubctl's TSV writes a tab, CR or LF inside a text as a space
flat = lambda x: x.replace("\t", " ").replace("\r", " ").replace("\n", " ")
same = all([r[0], r[1], r[2]] + [flat(plain(c)) for c in r[3:8]] == w[:8] for r, w in zip(rows, want))
check("every field of journal.csv matches the journal", same)
check("every chain hash is 64 hex digits", all(len(r[8]) == 64 for r in rows))

people = {r[1]: r for r in tsv("people.tsv")[1]}
for name in ["ليلى", "अनन्या"]:
    check("the name %s is intact in the journal" % name, any(name in r[7] for r in rows))
s = read("stays.csv")
check("stays.csv has one row per stay of the demo", len(s) - 1 == 2)
check("names in Arabic and Devanagari are intact in stays.csv", {r[1] for r in s[1:]} == {"ليلى", "अनन्या"})
check("full names are in stays.csv", "ليلى حداد" in {r[2] for r in s[1:]})
check("times in stays.csv are ISO 8601 with an offset", all(len(r[6]) == 25 and r[6][19] in "+-" for r in s[1:]))
v = read("visits.csv")
names = {r[1] for r in v[1:]}
check("Polish names are intact in visits.csv", "Łucja" in names and "Zuzanna" in names)
check("a cell starting with '+' is neutralised", "'+44 7700" in names)
check("a tab-first note is neutralised", any(r[9] == "'\ttab first" for r in v[1:]))
c = read("contacts.csv")
check("contacts.csv has the demo's contact session", len(c) - 1 >= 1)

allcells = [cell for f in ["journal.csv", "stays.csv", "visits.csv", "contacts.csv"]
            for r in read(f)[1:] for cell in r]
check("no cell starts a formula", not any(x[:1] in ("=", "+", "-", "@", "\t", "\r") for x in allcells))
check("a cell starting with '=' is neutralised", '\'=HYPERLINK("http://x")' in names)
check("a full name starting with '@' is neutralised", "'@SUM(A1:A9)" in {r[2] for r in v[1:]})
check("a note starting with '-' is neutralised", "'-1" in {r[9] for r in v[1:]})
check("a text starting with an apostrophe gets one more, so plain() gives it back", "''quoted" in names)
check("every neutralised cell gives back the recorded text", plain("''quoted") == "'quoted")
PY
cat "$HK_TMP/py.out"
grep -q '^not ok' "$HK_TMP/py.out" && failures=$((failures + 1))
check "python3 parsed the CSV files" grep -q '^ok' "$HK_TMP/py.out"

# --- bookkeeping ---
hub journal --tsv
check "the export is journalled" sh -c "tail -n 1 '$OUT' | cut -f6 | grep -qx export.done"
hub export-status
check "the board's status says safe to remove" grep -q "^done.*safe to remove" "$OUT"
sleep 1
hub person add Late --role visitor
succeeds "a second export writes only what is new" export --to "$STICK"
check "the second export starts after the first" grep -q "journal entries $((first_end + 1))-" "$OUT"
succeeds "export --all writes everything again" export --to "$STICK" --all
check "export --all starts at entry 1" grep -q "journal entries 1-" "$OUT"

# --- readers change ---
age-keygen -o "$HK_TMP/new.key" 2>/dev/null
NEW=$(age-keygen -y "$HK_TMP/new.key")
succeeds "a reader who left is swapped for a new one in one command" \
	export-key recipients 1 --remove "$READER" --add "$NEW"
hub journal --tsv
check "the removal and the addition are journalled" \
	sh -c "cut -f6 '$OUT' | grep -qx recipient.remove && cut -f6 '$OUT' | grep -qx recipient.add"
succeeds "the next export after the change" export --to "$STICK"
sealed2=$(sed -n 's|^exported to \(.*\), sealed to .*|\1|p' "$OUT")
age --decrypt --identity "$HK_TMP/new.key" -o "$HK_TMP/new.zip" "$sealed2" 2>"$ERR"
check "the new reader's key opens it" [ -s "$HK_TMP/new.zip" ]
age --decrypt --identity "$READER_KEY" -o "$HK_TMP/old.zip" "$sealed2" 2>"$ERR"
check "the removed reader's key does not" grep -q "no identity matched" "$ERR"
refuses "removing a key that is not a reader names it" "not a reader" \
	export-key recipients 1 --remove "$READER"
hub export-key recipients 1 --remove "$TEAM"
refuses "the last reader cannot be removed" "last reader" export-key recipients 1 --remove "$NEW"

# --- revoking ---
succeeds "export-key revoke" export-key revoke 1
refuses_stick "a revoked stick is refused, untouched" "$STICK"
refuses "revoking twice names the key" "export key 1" export-key revoke 1
usage_error "revoke needs an id" export-key revoke
finish
