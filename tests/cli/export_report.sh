#!/bin/sh
# report.html renders in headless Chromium (Debian's chromium) to a PNG
# the size of an A4 page at 150 dpi, and prints to a PDF; the page is one
# self-contained file (no script, no external reference). The PNG is left
# in $HK_REPORT_PNG when set, for a person to look at.
. "$(dirname "$0")/lib.inc"
DB=$HK_TMP/report.db
STICK=$HK_TMP/stick
mkdir -p "$STICK"
hub demo
stick_key "$STICK"
succeeds "export of the demo day" export --to "$STICK"
html=$(opened)/report.html
check "the report has an SVG chart per measure" sh -c "[ \$(grep -c '<svg' '$html') -eq 6 ]"
check "the report is self-contained (no script, no external link)" \
	sh -c "! grep -qiE '<script|src=|href=|@import|url\\(' '$html'"
check "the report sets up A4 printing" grep -q '@page { size: A4' "$html"
if ! command -v chromium >/dev/null; then
	not_ok "chromium is installed (apt-get install chromium)"
	finish
fi
png=${HK_REPORT_PNG:-$HK_TMP/report.png}
chrome() {
	timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$HK_TMP/chrome" "$@" >/dev/null 2>&1
}
chrome --screenshot="$png" --window-size=1240,1754 "file://$html"
check "Chromium renders the report to a PNG" [ -s "$png" ]
check "the PNG is 1240x1754 (A4 at 150 dpi)" \
	python3 -c "import struct,sys; d=open('$png','rb').read(24); sys.exit(struct.unpack('>II', d[16:24]) != (1240, 1754))"
chrome --print-to-pdf="$HK_TMP/report.pdf" --no-pdf-header-footer "file://$html"
check "Chromium prints the report to PDF" sh -c "head -c 5 '$HK_TMP/report.pdf' | grep -q '%PDF-'"
if command -v pdfinfo >/dev/null; then
	pdfinfo "$HK_TMP/report.pdf" >"$OUT" 2>/dev/null
	check "the PDF pages are A4" grep -q 'Page size:.*(A4)' "$OUT"
fi
finish
