#!/bin/sh
# The audit's HTML page, rendered in headless Chromium (Debian package):
# the rendered DOM has one section per AS with verdicts, SVG charts whose
# bars carry the scores, the incident timeline and the fixes; the page
# loads nothing from outside; a screenshot is produced and is not blank.
set -u
MANRS=${MANRS_BIN:-manrs}
CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROME" ]; then
	echo "SKIP: chromium not installed (scripts/bootstrap installs it)"
	exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() {	# check DESCRIPTION PATTERN FILE
	if grep -q -- "$2" "$3"; then
		echo "ok: $1"
	else
		echo "FAIL: $1 (no '$2' in the rendered page)"
		fail=$((fail + 1))
	fi
}
"$MANRS" example "$tmp/world" || exit 1
"$MANRS" audit --data "$tmp/world" --html "$tmp/audit.html" 3010 3100 \
    >/dev/null || exit 1
if grep -Eq '(src|href)="(https?:)?//' "$tmp/audit.html"; then
	echo "FAIL: the page loads external assets"
	fail=$((fail + 1))
fi
flags="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
    --disable-background-networking --disable-component-update
    --disable-sync --user-data-dir=$tmp/profile"
# shellcheck disable=SC2086
timeout 120 "$CHROME" $flags --dump-dom "file://$tmp/audit.html" \
    >"$tmp/dom.html" 2>"$tmp/chrome.log"
# shellcheck disable=SC2086
timeout 120 "$CHROME" $flags --window-size=1000,1400 \
    --screenshot="$tmp/shot.png" "file://$tmp/audit.html" \
    >>"$tmp/chrome.log" 2>&1
check "section for AS3010" 'id="AS3010"' "$tmp/dom.html"
check "section for AS3100" 'id="AS3100"' "$tmp/dom.html"
check "AS3010 filtering is aspiring" \
    '<tr data-action="1"><td>Action 1: Filtering</td><td class="verdict">aspiring</td><td>80.0</td>' \
    "$tmp/dom.html"
check "AS3100 validation is ready" \
    '<tr data-action="4"><td>Action 4: Global validation</td><td class="verdict">ready</td><td>100.0</td>' \
    "$tmp/dom.html"
check "score bars drawn" 'class="bar" data-score="80.0"' "$tmp/dom.html"
check "leak incident on the timeline" '<rect class="incident"' \
    "$tmp/dom.html"
check "leak evidence listed" 'data-metric="M1"><b>M1</b>' "$tmp/dom.html"
check "a fix is shown" 'class="fix"' "$tmp/dom.html"
size=$(stat -c %s "$tmp/shot.png" 2>/dev/null || echo 0)
if [ "$size" -gt 20000 ]; then
	echo "ok: screenshot rendered ($size bytes)"
else
	echo "FAIL: screenshot missing or blank ($size bytes)"
	sed -n 1,20p "$tmp/chrome.log"
	fail=$((fail + 1))
fi
if [ -n "${MANRS_KEEP_SHOT:-}" ]; then
	cp "$tmp/shot.png" "$MANRS_KEEP_SHOT"
fi
[ "$fail" -eq 0 ]
