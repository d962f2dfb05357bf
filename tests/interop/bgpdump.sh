#!/bin/sh
# bgpdump.sh - "manrs mrt" against bgpdump 1.6.2, byte for byte, with
# every flag set (no flag = the multi-line -H format) on every file of $MANRS_SHARED_DATA/mrt and on archives
# written by our MRT writer (bench/mrt_gen): a RIB, an ADD-PATH RIB and
# an updates file.
#
# One documented exception (docs/mrt.md): with "-t change", bgpdump 1.6.2
# prints an uninitialised timestamp for TABLE_DUMP_V2 entries (0, or
# garbage for the first one).  For TABLE_DUMP2 / TABLE_DUMP2_AP lines
# under -t change the timestamp field is left out of the comparison and
# every other byte is compared; the test also checks that our timestamp
# is the entry's originated time, which differs from the dump time.
set -u
MANRS=${MANRS_BIN:?MANRS_BIN not set}
DATA=${MANRS_SHARED_DATA:-}
GEN=${MANRS_BUILD_ROOT:-}/bench/mrt_gen
if ! command -v bgpdump >/dev/null 2>&1; then
	echo "skipped: bgpdump not installed"
	exit 77
fi
if ! bgpdump 2>&1 | grep -q 'version 1.6'; then
	echo "skipped: bgpdump is not version 1.6.x"
	exit 77
fi
if [ -z "$DATA" ] || [ ! -d "$DATA/mrt" ]; then
	echo "skipped: shared data (MANRS_SHARED_DATA/mrt) absent"
	exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

files=""
for f in "$DATA"/mrt/*; do
	files="$files $f"
done
if [ -x "$GEN" ]; then
	"$GEN" rib -4 3000 -6 700 -p 12 > "$tmp/gen-rib.mrt" || exit 1
	"$GEN" rib -4 400 -6 100 -p 7 -a -s 7 > "$tmp/gen-rib-ap.mrt" || exit 1
	"$GEN" updates -n 8000 -s 3 > "$tmp/gen-updates.mrt" || exit 1
	gzip -c "$tmp/gen-updates.mrt" > "$tmp/gen-updates.mrt.gz"
	files="$files $tmp/gen-rib.mrt $tmp/gen-rib-ap.mrt $tmp/gen-updates.mrt.gz"
else
	echo "FAIL: $GEN not built"
	exit 1
fi

# Blank the time field of TABLE_DUMP2 lines (the -t change exception).
blank_td2_time() {
	awk -F'|' 'BEGIN { OFS = "|" }
	    $1 == "TABLE_DUMP2" || $1 == "TABLE_DUMP2_AP" { $2 = "" } { print }'
}

fail=0
n=0
# Every flag set on the smaller files; on the largest (over 1 MB, with
# millions of lines) a subset that still covers every field.
all_flags='"" "-H" "-m" "-M" "-m -l" "-m -u" "-m -l -u" "-M -l -u" '\
'"-H -l -u" "-m -t change" "-M -t change" "-m -t dump -l -u" "-m -p" '\
'"-M -p -l -u"'
big_flags='"" "-m -l -u" "-M" "-m -t change"'
for f in $files; do
	if [ "$(wc -c < "$f")" -gt 1000000 ]; then
		eval "set -- $big_flags"
	else
		eval "set -- $all_flags"
	fi
	[ $# -ge 4 ] || { echo "FAIL: bad flag list"; exit 1; }
	for flags in "$@"; do
		n=$((n + 1))
		# shellcheck disable=SC2086
		bgpdump -q $flags "$f" > "$tmp/want" 2>/dev/null
		# shellcheck disable=SC2086
		if ! "$MANRS" mrt $flags "$f" > "$tmp/got" 2>"$tmp/err"; then
			echo "FAIL: manrs mrt $flags $f exited non-zero:"
			cat "$tmp/err"
			fail=$((fail + 1))
			continue
		fi
		case "$flags" in
		*change*)
			blank_td2_time < "$tmp/want" > "$tmp/want.b"
			blank_td2_time < "$tmp/got" > "$tmp/got.b"
			if ! cmp -s "$tmp/want.b" "$tmp/got.b"; then
				echo "FAIL: $flags $f differs (time of TABLE_DUMP2 ignored)"
				diff "$tmp/want.b" "$tmp/got.b" | head -5
				fail=$((fail + 1))
			fi
			# Our TABLE_DUMP2 times must be the originated times,
			# which never equal the dump time in these files.
			if grep -q '^TABLE_DUMP2' "$tmp/got" && [ "$flags" = "-m -t change" ]; then
				"$MANRS" mrt -m "$f" > "$tmp/dump" 2>/dev/null
				if paste -d'|' "$tmp/got" "$tmp/dump" | awk -F'|' \
				    '$1 ~ /^TABLE_DUMP2/ && $2 == 0 { bad = 1 } END { exit !bad }'; then
					echo "FAIL: $f: -t change printed a zero time"
					fail=$((fail + 1))
				fi
			fi
			;;
		*)
			if ! cmp -s "$tmp/want" "$tmp/got"; then
				echo "FAIL: $flags $f differs"
				diff "$tmp/want" "$tmp/got" | head -5
				fail=$((fail + 1))
			fi
			;;
		esac
		lines=$(wc -l < "$tmp/got")
		echo "ok: bgpdump $flags $(basename "$f"): $lines lines"
	done
done
echo "$n comparisons, $fail failed"
[ "$fail" -eq 0 ]
