#!/bin/sh
# The opener on the stick (open.html, tools/opener) in a real browser:
# Debian's chromium, driven by playwright-core (tests/browser/opener.mjs),
# loads it from file:// with every request that is not the page itself
# or a blob: it made aborted and counted, and gives it a real export of a
# hub with records and concerns, sealed with Debian's age to a reader's key
# made by Debian's age-keygen. It must show the report and offer every
# file byte for byte as `age -d` and unzip give them; refuse, each with its
# own message and no report, a wrong key, a flipped byte, a cut file, a
# file that is not age, the stick's token as a key, and re-sealed exports
# whose report was altered, or with a file removed or added; and make a key
# pair that Debian's age accepts.
#
# The sealed export is the one `hubctl export` wrote (STICK/*.age), and
# the page the one it put beside it (STICK/open.html, copied from this
# build's through HUBKIOSK_OPENER). A hubctl that writes a plain folder
# gets it zipped here (bsdtar, as libarchive writes it, else python3's
# zipfile to a pipe: data descriptors either way) and sealed by `age -r`.
#
# Skipped when chromium, node, playwright-core or age is missing.
# Screenshots go to build/browser (HK_SHOTS).
. "$(dirname "$0")/lib.inc"
here=$(cd "$(dirname "$0")/../browser" && pwd)
skip() { echo "ok - # SKIP the opener in chromium: $1"; exit 0; }
HK_CHROMIUM=${HK_CHROMIUM:-$(command -v chromium || true)}
[ -n "$HK_CHROMIUM" ] && [ -x "$HK_CHROMIUM" ] || skip "no chromium (apt-get install chromium)"
command -v node >/dev/null || skip "no node (apt-get install nodejs npm)"
node -e 'process.exit(parseInt(process.versions.node) >= 20 ? 0 : 1)' ||
	skip "node $(node --version) is older than 20, which playwright-core needs"
command -v age >/dev/null && command -v age-keygen >/dev/null || skip "no age (apt-get install age)"
has_modules() { [ -d "$1/node_modules/playwright-core" ] && [ -d "$1/node_modules/axe-core" ]; }
if [ -z "${HK_NODE_DIR:-}" ]; then
	for d in "$here" "$HOME/.cache/hubkiosk/node"; do
		has_modules "$d" && { HK_NODE_DIR=$d; break; }
	done
fi
[ -n "${HK_NODE_DIR:-}" ] && has_modules "$HK_NODE_DIR" ||
	skip "no playwright-core and axe-core (cd tests/browser && npm ci)"
OPENER=$HK_BUILD/open.html
check "open.html is built ($OPENER)" [ -s "$OPENER" ] || finish

# --- a real export, sealed to a reader's key --------------------------------
DB=$HK_TMP/opener.db
STICK=$HK_TMP/stick
F=$HK_TMP/fixture
mkdir -p "$STICK" "$F"
age-keygen -o "$F/reader.key" 2>/dev/null
age-keygen -o "$F/stranger.key" 2>/dev/null
pub=$(age-keygen -y "$F/reader.key")
. "$(dirname "$0")/records_fixture.inc"
hub export-key create "$STICK" --to "$pub"
[ "$rc" -eq 0 ] || hub export-key create "$STICK"      # a hubctl that does not seal yet
check "the stick is authorised" [ "$rc" -eq 0 ]
# The hub copies the opener to the stick from here (else /usr/share/hubkiosk).
HUBKIOSK_OPENER=$OPENER
export HUBKIOSK_OPENER
succeeds "export of a hub with records and concerns" export --to "$STICK"
# The worker opens the page that is on the stick, when the hub put one there.
if [ -f "$STICK/open.html" ]; then
	check "the stick's open.html is the one built" cmp -s "$STICK/open.html" "$OPENER"
	OPENER=$STICK/open.html
fi

# zip_folder DIR OUT: DIR as FOLDER/NAME entries, deflated and stored mixed,
# written to a pipe (so with data descriptors), as a stream writer does.
zip_folder() {
	if command -v bsdtar >/dev/null; then
		(cd "$(dirname "$1")" && bsdtar -cf - --format zip "$(basename "$1")") | cat >"$2"
	else
		python3 - "$1" <<'PY' | cat >"$2"
import os, sys, zipfile
d = sys.argv[1]
with zipfile.ZipFile(sys.stdout.buffer, "w") as z:
    for i, n in enumerate(sorted(os.listdir(d))):
        z.write(os.path.join(d, n), os.path.basename(d) + "/" + n,
                zipfile.ZIP_STORED if i % 3 == 0 else zipfile.ZIP_DEFLATED)
PY
	fi
}
# unzip_to ZIP DIR: what a worker's unzip gives, each file by its NAME.
unzip_to() {
	mkdir -p "$2"
	python3 - "$1" "$2" <<'PY'
import sys, zipfile, os
with zipfile.ZipFile(sys.argv[1]) as z:
    for i in z.infolist():
        if not i.filename.endswith("/"):
            open(os.path.join(sys.argv[2], i.filename.split("/")[-1]), "wb").write(z.read(i))
PY
}

sealed=$(ls "$STICK"/*.age 2>/dev/null | head -n 1)
if [ -n "$sealed" ]; then
	echo "# the export as hubctl sealed it: $(basename "$sealed")"
else
	folder=$(sed -n 's|^exported to \(.*\): .*|\1|p' "$OUT")
	echo "# hubctl wrote a plain folder: zipped and sealed here"
	zip_folder "$folder" "$F/export.zip"
	sealed=$STICK/hubkiosk_export_$(basename "$folder" | sed 's/.*_export_//').age
	age -r "$pub" -o "$sealed" "$F/export.zip"
fi
check "the sealed export is an age file" sh -c "head -c 22 '$sealed' | grep -q '^age-encryption.org/v1'"
check "Debian's age opens it with the reader's key" age -d -i "$F/reader.key" -o "$F/plain.zip" "$sealed"
unzip_to "$F/plain.zip" "$F/expected"
inner=$(python3 -c "import zipfile,sys; print(zipfile.ZipFile(sys.argv[1]).namelist()[0].split('/')[0])" \
	"$F/plain.zip")
check "what age gives holds a report and a manifest" \
	[ -s "$F/expected/report.html" ] && [ -s "$F/expected/manifest.txt" ]

# --- what must be refused -------------------------------------------------
# A byte flipped in the middle of the payload; the file cut at two thirds.
python3 - "$sealed" "$F" <<'PY'
import sys
b = bytearray(open(sys.argv[1], "rb").read())
open(sys.argv[2] + "/cut.age", "wb").write(b[: len(b) * 2 // 3])
b[len(b) // 2] ^= 0x20
open(sys.argv[2] + "/flipped.age", "wb").write(b)
PY
# Re-sealed to the right reader, the manifest no longer matching: the
# report altered; a file gone; a file added.
reseal() {
	rm -rf "$F/w"; mkdir -p "$F/w/$inner"
	cp "$F/expected/"* "$F/w/$inner/"
	sh -c "$2"
	zip_folder "$F/w/$inner" "$F/w.zip"
	age -r "$pub" -o "$F/$1.age" "$F/w.zip"
}
reseal altered "printf '<p>added later</p>' >>'$F/w/$inner/report.html'"
reseal missing "rm '$F/w/$inner/stays.csv'"
reseal extra "echo later >'$F/w/$inner/notes.txt'"
printf 'not an export at all\n' >"$F/plain.txt"
check "the refusals were made" [ -s "$F/altered.age" ] && [ -s "$F/missing.age" ] && [ -s "$F/extra.age" ]

export HK_CHROMIUM HK_NODE_DIR OPENER
export FIX_DIR=$F SEALED=$sealed STICK_TOKEN=$STICK/hubkiosk-export.key
timeout 300 node "$here/opener.mjs" >"$HK_TMP/node.out" 2>&1
rc=$?
cat "$HK_TMP/node.out"
grep -q '^not ok' "$HK_TMP/node.out" && failures=$((failures + 1))
[ "$rc" -eq 0 ] || echo "# node exited $rc"
check "the browser tests ran to their end" grep -q '^# done' "$HK_TMP/node.out"
finish
