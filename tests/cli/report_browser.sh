#!/bin/sh
# The report in a real browser: Debian's chromium, driven by playwright-core
# (tests/browser/report.mjs), opens report.html of an export with records
# and concerns and checks its DOM, then prints it to PDF, which must be A4
# and hold a long section whole. Skipped when chromium, node or
# playwright-core is missing (tools/install-deps test; cd tests/browser &&
# npm ci). The PDF's first page is left as a PNG in $HK_REPORT_PNG when
# set, for a person to look at.
. "$(dirname "$0")/lib.inc"
here=$(cd "$(dirname "$0")/../browser" && pwd)
skip() { echo "ok - # SKIP the report in chromium: $1"; exit 0; }
HK_CHROMIUM=${HK_CHROMIUM:-$(command -v chromium || true)}
[ -n "$HK_CHROMIUM" ] && [ -x "$HK_CHROMIUM" ] || skip "no chromium (apt-get install chromium)"
command -v node >/dev/null || skip "no node (apt-get install nodejs npm)"
node -e 'process.exit(parseInt(process.versions.node) >= 20 ? 0 : 1)' ||
	skip "node $(node --version) is older than 20, which playwright-core needs"
# The same modules as the companion's browser tests (tests/browser/package.json).
if [ -z "${HK_NODE_DIR:-}" ]; then
	for d in "$here" "$HOME/.cache/hubkiosk/node"; do
		[ -d "$d/node_modules/playwright-core" ] && { HK_NODE_DIR=$d; break; }
	done
fi
[ -n "${HK_NODE_DIR:-}" ] && [ -d "$HK_NODE_DIR/node_modules/playwright-core" ] ||
	skip "no playwright-core (cd tests/browser && npm ci)"

DB=$HK_TMP/browser.db
STICK=$HK_TMP/stick
mkdir -p "$STICK"
. "$(dirname "$0")/records_fixture.inc"
stick_key "$STICK"
succeeds "export of a hub with records and concerns" export --to "$STICK"
folder=$(opened)
html=$folder/report.html
pdf=$HK_TMP/report.pdf
export ACT WELL WORDS FIX SAYS CONCERN_OPEN XSS_SCRIPT XSS_IMG FORMULA HK_NODE_DIR HK_CHROMIUM
export LONG_FILE=$HK_TMP/long.txt
timeout 180 node "$here/report.mjs" "$html" "$pdf" >"$HK_TMP/node.out" 2>&1
rc=$?
cat "$HK_TMP/node.out"
grep -q '^not ok' "$HK_TMP/node.out" && failures=$((failures + 1))
check "the browser check ran to its end" [ "$rc" -eq 0 ] || sed 's/^/#   /' "$HK_TMP/node.out" | tail -n 5
if command -v pdfinfo >/dev/null && [ -s "$pdf" ]; then
	pdfinfo "$pdf" >"$OUT" 2>/dev/null
	check "every page of the PDF is A4" grep -q 'Page size:.*(A4)' "$OUT"
	pdftotext "$pdf" "$HK_TMP/report.txt"
	# the sheets' running headers and page numbers fall inside a long
	# text: keep only the characters the text is made of
	check "the printed PDF holds the 20,000-character section whole" python3 -c "
import sys
long = open('$HK_TMP/long.txt', encoding='utf-8').read()
keep = set(long) - set(' \n\t')
text = ''.join(c for c in open('$HK_TMP/report.txt', encoding='utf-8').read() if c in keep)
sys.exit(''.join(c for c in long if c in keep) not in text)"
	check "the printed PDF names each child at the top of their pages" \
		grep -q '^Ada (Ada Example)$' "$HK_TMP/report.txt"
	if [ -n "${HK_REPORT_PNG:-}" ] && command -v pdftoppm >/dev/null; then
		pdftoppm -r 100 -png -f 1 -l 1 -singlefile "$pdf" "${HK_REPORT_PNG%.png}"
	fi
fi
finish
