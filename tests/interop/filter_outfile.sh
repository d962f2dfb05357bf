#!/bin/sh
# Output safety of "manrs filter" (docs/filter.md, "Output safety"): a
# named output file (-o, --batch) is replaced atomically and only when
# the job is accepted.  A refused job (empty: exit 3; changed too much:
# exit 4), a failure in the middle of the write (a file size limit) and
# a bad output path leave the previous file byte for byte; --previous
# may name the output itself; --previous-missing ok is a first run; the
# mode of an existing file is kept; batch messages carry the job's
# output name.  Needs only the manrs binary (a generated IRR file).
set -u
M=${MANRS_BIN:-manrs}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

python3 - >"$T/irr.rpsl" <<'PY'
print("as-set: AS-BIG\nmembers: AS196615, AS196616\nsource: T\n")
print("as-set: AS-OTHER\nmembers: AS196617\nsource: T\n")
print("as-set: AS-BOGONS\nmembers: AS23456\nsource: T\n")
for i in range(400):
    print("route: 185.%d.%d.0/24\norigin: AS196615\nsource: T\n" %
          (i // 200, i % 200))
print("route: 193.0.0.0/22\norigin: AS196616\nsource: T\n")
print("route: 194.0.0.0/22\norigin: AS196617\nsource: T\n")
print("route: 10.0.0.0/8\norigin: AS23456\nsource: T\n")
PY
F="$M filter --source T=$T/irr.rpsl"
out=$T/list.txt

# First run: the output names itself as --previous; missing is ok.
$F -o "$out" --previous "$out" AS-BIG 2>"$T/e1"
rc=$?
[ $rc -eq 1 ] && grep -q "No such file or directory" "$T/e1" ||
    bad "missing --previous without ok: rc $rc, $(cat "$T/e1")"
[ -e "$out" ] && bad "a refused first run wrote $out"
$F -o "$out" --previous "$out" --previous-missing ok AS-BIG 2>"$T/e2" ||
    bad "first run with --previous-missing ok: rc $?, $(cat "$T/e2")"
[ "$(wc -l <"$out")" -eq 402 ] || bad "first run: $(wc -l <"$out") lines"
$F AS-BIG 2>/dev/null | cmp -s - "$out" || bad "-o differs from stdout"
cp "$out" "$T/good"
chmod 640 "$out"

# Same list again, --previous naming the output: accepted, mode kept.
$F -o "$out" --previous "$out" AS-BIG 2>"$T/e3" ||
    bad "rerun with --previous = output: rc $?, $(cat "$T/e3")"
cmp -s "$out" "$T/good" || bad "rerun changed the list"
[ "$(stat -c %a "$out")" = 640 ] || bad "mode not kept: $(stat -c %a "$out")"

# Change too large: exit 4, previous file untouched.
$F -o "$out" --previous "$out" AS-OTHER 2>"$T/e4"
rc=$?
[ $rc -eq 4 ] || bad "change too large: rc $rc"
cmp -s "$out" "$T/good" || bad "exit 4 touched the previous file"

# Empty result: exit 3, previous file untouched.
$F -o "$out" AS-BOGONS 2>"$T/e5"
rc=$?
[ $rc -eq 3 ] || bad "empty: rc $rc"
cmp -s "$out" "$T/good" || bad "exit 3 touched the previous file"

# A failure in the middle of the write (file size limit 1 KiB, the list
# is ~16 KiB): exit 1, the old file stays, no temporary file is left.
(trap '' XFSZ; ulimit -f 1; $F -o "$out" -l OTHERNAME AS-BIG) 2>"$T/e6"
rc=$?
[ $rc -eq 1 ] && grep -q "File too large (the previous file is unchanged)" \
    "$T/e6" || bad "write failure: rc $rc, $(cat "$T/e6")"
cmp -s "$out" "$T/good" || bad "a failed write touched the previous file"
[ -z "$(find "$T" -name '.list.txt.*')" ] || bad "temporary file left"

# An output that is a folder: the system's reason.
mkdir "$T/dir"
$F -o "$T/dir" AS-BIG 2>"$T/e7"
rc=$?
[ $rc -eq 1 ] && grep -q "Is a directory" "$T/e7" ||
    bad "-o folder: rc $rc, $(cat "$T/e7")"

# Batch: a refused job keeps its file; messages carry the output name.
printf 'old\n' >"$T/b1"
cp "$out" "$T/b2"
cat >"$T/jobs" <<JOBS
$T/b1 AS-BOGONS
$T/b2 --previous $T/b2 AS-BIG
$T/b3 --previous $T/b3 AS-OTHER
JOBS
$F --batch "$T/jobs" --previous-missing ok 2>"$T/e8"
rc=$?
[ $rc -eq 3 ] || bad "batch: rc $rc, $(cat "$T/e8")"
[ "$(cat "$T/b1")" = old ] || bad "batch: a refused job replaced its file"
cmp -s "$T/b2" "$T/good" || bad "batch: --previous = output job"
[ -s "$T/b3" ] || bad "batch: first run with --previous-missing ok"
grep -q "^manrs: filter: $T/b1: the result is empty" "$T/e8" ||
    bad "batch: message without the output name: $(cat "$T/e8")"
grep -q "jobs:1: job exit code 3 ($T/b1)" "$T/e8" ||
    bad "batch: exit code line: $(cat "$T/e8")"

# The other commands write named files through the same helper: a bad
# input leaves "manrs mrt -O FILE" untouched, a good one replaces it.
printf 'old\n' >"$T/mrt.txt"
"$M" mrt -O "$T/mrt.txt" "$T/no-such.mrt" 2>/dev/null
[ "$(cat "$T/mrt.txt")" = old ] || bad "mrt -O: a failed run replaced the file"
mrt=${MANRS_SHARED_DATA:-/nonexistent}/mrt/bird-mrtdump_bgp
if [ -f "$mrt" ]; then
	"$M" mrt -O "$T/mrt.txt" "$mrt" 2>/dev/null
	"$M" mrt "$mrt" 2>/dev/null | cmp -s - "$T/mrt.txt" ||
	    bad "mrt -O: not the same bytes as stdout"
fi

# A device or FIFO as the output is written in place, never replaced by
# a rename (as root, "-o /dev/null" replaced the device node with a file).
mkfifo "$T/fifo"
timeout 10 cat "$T/fifo" >"$T/fifo.out" &
$F -o "$T/fifo" -l NAME AS-BIG 2>/dev/null
wait
[ -p "$T/fifo" ] || bad "-o FIFO: the FIFO was replaced"
$F -l NAME AS-BIG 2>/dev/null | cmp -s - "$T/fifo.out" ||
    bad "-o FIFO: not the bytes of standard output"
"$M" mrt -O /dev/null "${MANRS_SHARED_DATA:-/nonexistent}/mrt/bird-mrtdump_bgp" \
    2>/dev/null
[ -c /dev/null ] || bad "mrt -O /dev/null: /dev/null is no longer a device"

[ $fail -eq 0 ] || exit 1
echo "filter output safety: all cases passed"
