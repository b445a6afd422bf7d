#!/bin/sh
# verify catches a single flipped byte: in any journal row (each row in
# turn, on a copy whose append-only trigger was dropped, as someone with
# the file and the sqlite3 tool could do) and in any exported file, and
# names the first entry or file that does not match.
. "$(dirname "$0")/lib.inc"
DB=$HK_TMP/tamper.db
STICK=$HK_TMP/stick
mkdir -p "$STICK"
hub demo
stick_key "$STICK"
hub export --to "$STICK"
check "a demo record exported" [ "$rc" -eq 0 ]
succeeds "verify accepts the untouched journal" verify
n=$(sqlite3 -readonly "$DB" "SELECT count(*) FROM journal")

# flip SEQ COLUMN: one bit of one byte of that entry's column, in a copy
# of the file. Texts are flipped in the file's bytes (SQLite keeps a row's
# texts side by side, so source+who+kind+subject+detail is found as one
# run of bytes); numbers through SQL after dropping the append-only
# trigger, as someone with the sqlite3 tool could.
flip() {
	cp "$DB" "$HK_TMP/copy.db"
	python3 - "$HK_TMP/copy.db" "$1" "$2" <<'PY'
import sqlite3, sys
path, seq, col = sys.argv[1], int(sys.argv[2]), sys.argv[3]
db = sqlite3.connect(path)
if col in ("at", "clock_synced"):
    db.execute("DROP TRIGGER journal_no_update")
    (v,) = db.execute("SELECT %s FROM journal WHERE seq = ?" % col, (seq,)).fetchone()
    db.execute("UPDATE journal SET %s = ? WHERE seq = ?" % col, (v ^ 1, seq))
    db.commit()
    sys.exit(0)
row = db.execute("SELECT source, who, kind, subject, detail FROM journal WHERE seq = ?", (seq,)).fetchone()
db.close()
names = ["source", "who", "kind", "subject", "detail"]
run = "".join(row).encode()
data = bytearray(open(path, "rb").read())
at = data.find(run)
if at < 0 or data.find(run, at + 1) >= 0:
    sys.exit("entry %d: its texts are not one unique run of bytes in the file" % seq)
i = names.index(col)
start = at + len("".join(row[:i]).encode())
length = len(row[i].encode())
if length == 0:
    sys.exit("entry %d: %s is empty" % (seq, col))
data[start + length // 2] ^= 1
open(path, "wb").write(data)
PY
}
if [ -z "$bad" ]; then ok "a flipped byte in any of the $n journal rows is named by verify"
else not_ok "a flipped byte in any journal row is named by verify"; echo "#  $bad" | cut -c1-600; fi

# The stored hash itself, changed on its own, is caught too.
cp "$DB" "$HK_TMP/copy.db"
sqlite3 "$HK_TMP/copy.db" "DROP TRIGGER journal_no_update;
	UPDATE journal SET hash = zeroblob(32) WHERE seq = 7;"
hub_copy() { "$HUBCTL" --db "$HK_TMP/copy.db" "$@" >"$OUT" 2>"$ERR"; rc=$?; }
hub_copy verify
check "a changed hash names its entry" sh -c "[ $rc -eq 1 ] && grep -q 'journal entry 7 ' '$ERR'"
# A row deleted (and the rest renumbered is impossible without rewriting
# every hash): deleting the last entry is not caught by the chain alone,
# but any earlier one is.
cp "$DB" "$HK_TMP/copy.db"
sqlite3 "$HK_TMP/copy.db" "DROP TRIGGER journal_no_delete; DELETE FROM journal WHERE seq = 5;"
hub_copy verify
check "a deleted entry is named" sh -c "[ $rc -eq 1 ] && grep -q 'journal entry 5 ' '$ERR'"

# --- the exported files ---
folder=$(opened "$(ls "$STICK"/*.age | head -n 1)")
succeeds "verify --export accepts the untouched export" verify --export "$folder"
for f in journal.csv stays.csv visits.csv contacts.csv events.ics report.html manifest.txt; do
	cp "$folder/$f" "$HK_TMP/orig"
	size=$(stat -c %s "$folder/$f")
	python3 -c "
import sys
p, off = sys.argv[1], int(sys.argv[2])
b = bytearray(open(p, 'rb').read()); b[off] ^= 1; open(p, 'wb').write(b)" "$folder/$f" $((size / 2))
	hub verify --export "$folder"
	# a byte of the manifest may fall in another file's line: that file is named
	named=$f
	[ "$f" = manifest.txt ] && named='\.csv\|\.ics\|\.html\|manifest'
	check "a flipped byte in $f is named by verify --export" \
		sh -c "[ $rc -eq 1 ] && grep -q '$named' '$ERR'"
	cp "$HK_TMP/orig" "$folder/$f"
done
succeeds "the restored export verifies again" verify --export "$folder"
echo extra >"$folder/notes.txt"
hub verify --export "$folder"
check "a file added to the export is named" sh -c "[ $rc -eq 1 ] && grep -q notes.txt '$ERR'"
rm "$folder/notes.txt"
# A journal.csv rewritten with a matching manifest line: the chain head no
# longer matches the hub's own.
python3 - "$folder/manifest.txt" <<'PY'
import re, sys
p = sys.argv[1]
t = open(p).read()
m = re.search(r"^# chain-head: \d+ (.)", t, re.M)
c = "e" if m.group(1) == "f" else "f"
open(p, "w").write(t[:m.start(1)] + c + t[m.end(1):])
PY
hub verify --export "$folder"
check "a manifest whose chain head is not this hub's is caught" sh -c "[ $rc -eq 1 ] && grep -q 'chain head' '$ERR'"
finish
