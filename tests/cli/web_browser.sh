#!/bin/sh
# The carer's companion in a real browser: Debian's chromium, driven by
# playwright-core with axe-core (tests/browser/companion.mjs), against a
# real hubweb on a temporary database at phone and tablet size: pairing,
# check-in, emergency arrival, a record, a concern, the roll call, the
# replays that must read and write nothing, accessibility, the first load
# in bytes, revocation. Screenshots go to build/browser (HK_SHOTS).
#
# Skipped when chromium, node, the npm modules (cd tests/browser && npm ci)
# or hubweb are missing. The modules are looked up in $HK_NODE_DIR, else
# tests/browser, else ~/.cache/hubkiosk/node.
. "$(dirname "$0")/lib.inc"
here=$(cd "$(dirname "$0")/../browser" && pwd)
skip() { echo "ok - # SKIP the companion in chromium: $1"; exit 0; }

HK_CHROMIUM=${HK_CHROMIUM:-$(command -v chromium || true)}
[ -n "$HK_CHROMIUM" ] && [ -x "$HK_CHROMIUM" ] || skip "no chromium (apt-get install chromium)"
command -v node >/dev/null || skip "no node (apt-get install nodejs npm)"
node -e 'process.exit(parseInt(process.versions.node) >= 20 ? 0 : 1)' ||
	skip "node $(node --version) is older than 20, which playwright-core needs"
has_modules() { [ -d "$1/node_modules/playwright-core" ] && [ -d "$1/node_modules/axe-core" ]; }
if [ -z "${HK_NODE_DIR:-}" ]; then
	for d in "$here" "$HOME/.cache/hubkiosk/node"; do
		has_modules "$d" && { HK_NODE_DIR=$d; break; }
	done
fi
[ -n "${HK_NODE_DIR:-}" ] && has_modules "$HK_NODE_DIR" ||
	skip "no playwright-core and axe-core (cd tests/browser && npm ci)"
[ -x "$HK_BUILD/hubweb" ] || skip "no $HK_BUILD/hubweb"
"$HUBCTL" device list --help >/dev/null 2>&1 || skip "this hubctl has no 'device' command"

export HK_CHROMIUM HK_NODE_DIR
timeout 300 node "$here/companion.mjs" >"$HK_TMP/node.out" 2>&1
rc=$?
cat "$HK_TMP/node.out"
grep -q '^not ok' "$HK_TMP/node.out" && failures=$((failures + 1))
[ "$rc" -eq 0 ] || echo "# node exited $rc"
check "the browser tests ran to their end" grep -q '^# done' "$HK_TMP/node.out"
finish
