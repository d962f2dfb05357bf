#!/bin/sh
# spoof_probe_csv.sh - spoof-probe --csv replaces its file atomically:
# a good run (as nobody, seccomp on) writes the new rows over the old
# file; a run that fails (receiver unreachable: inconclusive) and one
# that cannot replace the file (its folder not writable by the run-as
# user: refused before a probe is sent) leave the previous CSV byte for
# byte, with no temporary file left behind.  In a sticky folder (mode
# 1777, as /tmp) the dropped user may rename only its own files: the
# temporary file is handed to it before the drop, so a run replaces a
# CSV it owns (or creates one), and a CSV owned by root there is refused
# before a probe is sent (not an EPERM after the run, with a root-owned
# temporary file that nobody could remove).  Loopback, ephemeral port;
# needs root (raw sockets), skips (77) otherwise.  Kills what it starts.
set -u
manrs=${MANRS_BIN:?MANRS_BIN not set}
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (raw sockets)"; exit 77; }
id nobody >/dev/null 2>&1 || { echo "SKIP: no user nobody"; exit 77; }
tmp=$(mktemp -d)
rpid=
spid=
trap '[ -n "$rpid" ] && kill "$rpid" 2>/dev/null; [ -n "$spid" ] && kill "$spid" 2>/dev/null; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
chmod 755 "$tmp"
mkdir "$tmp/out" "$tmp/ro" "$tmp/sticky"
chown nobody "$tmp/out"
chmod 1777 "$tmp/sticky"	# root's, like /tmp
freeport() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
port=$(freeport)
"$manrs" spoof-probe --receive 127.0.0.1 --port "$port" --duration 60 \
    >"$tmp/recv.log" 2>&1 &
rpid=$!
i=0
until grep -q listening "$tmp/recv.log"; do
	i=$((i + 1)); [ $i -gt 50 ] && { echo "FAIL: receiver did not start"; exit 1; }
	sleep 0.1
done
fail=0
csv=$tmp/out/m5.csv
printf 'time,asn,prefix,spoofed\n2020-01-01T00:00:00Z,64500,127.0.0.0/24,no\n' >"$csv"
probe() {	# port csv log; its exit status in rc
	timeout 60 "$manrs" spoof-probe --to 127.0.0.1 --port "$1" \
	    --count 2 --rate 4 --wait 1 --asn 64500 --user nobody \
	    --csv "$2" >"$3.out" 2>"$3.err"
	rc=$?
}

# result STATUS OK FAIL: STATUS 0 (the checks before held) prints "ok: OK"
result() {
	if [ "$1" = 0 ]; then
		echo "ok: $2"
	else
		echo "FAIL: $3"
		fail=1
	fi
}

# 1. a good run replaces the file
probe "$port" "$csv" "$tmp/good"
[ $rc = 5 ] && [ "$(head -1 "$csv")" = time,asn,prefix,spoofed ] &&
    grep -q '^20[0-9-]*T[0-9:]*Z,64500,127.0.0.0/24,yes$' "$csv" &&
    ! grep -q 2020-01-01 "$csv"
result $? "good run (exit 5) replaced the CSV: $(tail -1 "$csv")" \
    "good run: exit $rc, CSV: $(cat "$csv"); $(cat "$tmp/good.err")"
cp "$csv" "$tmp/before.csv"

# 1b. interrupted (SIGTERM while waiting for the answers): file kept
"$manrs" spoof-probe --to 127.0.0.1 --port "$port" --count 2 --rate 4 \
    --wait 20 --asn 64500 --user nobody --csv "$csv" \
    >"$tmp/int.out" 2>"$tmp/int.err" &
spid=$!
sleep 2
kill -TERM "$spid" 2>/dev/null
wait "$spid"
rc=$?
[ $rc = 1 ] && cmp -s "$csv" "$tmp/before.csv"
result $? "interrupted run (exit 1) left the CSV byte-identical" \
    "interrupted run: exit $rc, CSV changed: $(cat "$tmp/int.err")"

# 1c. a sticky folder: a new CSV, then one nobody owns, replaced
st=$tmp/sticky/m5.csv
probe "$port" "$st" "$tmp/sticky1"
[ $rc = 5 ] && [ "$(stat -c %U "$st" 2>/dev/null)" = nobody ] &&
    grep -q ',64500,127.0.0.0/24,yes$' "$st"
result $? "sticky folder: new CSV written (exit 5), owned by nobody" \
    "sticky folder, new CSV: exit $rc: $(cat "$tmp/sticky1.err")"
cp "$tmp/before.csv" "$st"
chown nobody "$st"
probe "$port" "$st" "$tmp/sticky2"
[ $rc = 5 ] && ! cmp -s "$st" "$tmp/before.csv" &&
    grep -q ',64500,127.0.0.0/24,yes$' "$st"
result $? "sticky folder: nobody's CSV replaced (exit 5)" \
    "sticky folder, nobody's CSV: exit $rc: $(cat "$tmp/sticky2.err")"

# 1d. a sticky folder, the CSV root's: refused before probing, kept
cp "$tmp/before.csv" "$st"
chown root "$st"
probe "$port" "$st" "$tmp/sticky3"
[ $rc = 1 ] && cmp -s "$st" "$tmp/before.csv" &&
    grep -q 'sticky and the file belongs to root' "$tmp/sticky3.err" &&
    ! grep -q 'received' "$tmp/sticky3.out"
result $? "sticky folder, root's CSV: refused before probing, kept" \
    "sticky folder, root's CSV: exit $rc: $(cat "$tmp/sticky3.err")"
chown nobody "$st"

# 2. receiver unreachable: inconclusive, the previous file stays
kill "$rpid" 2>/dev/null; wait "$rpid" 2>/dev/null; rpid=
probe "$(freeport)" "$csv" "$tmp/dead"
[ $rc = 1 ] && cmp -s "$csv" "$tmp/before.csv" &&
    grep -q 'previous file is unchanged' "$tmp/dead.err"
result $? "failed run (exit 1) left the CSV byte-identical" \
    "failed run: exit $rc, CSV changed or no message: $(cat "$tmp/dead.err")"

# 2b. the same in the sticky folder: nobody removes its temporary file
probe "$(freeport)" "$st" "$tmp/sticky4"
[ $rc = 1 ] && cmp -s "$st" "$tmp/before.csv"
result $? "sticky folder: failed run (exit 1) left the CSV byte-identical" \
    "sticky folder, failed run: exit $rc: $(cat "$tmp/sticky4.err")"

# 3. folder not writable by nobody: refused before sending, file kept
cp "$tmp/before.csv" "$tmp/ro/m5.csv"
probe "$(freeport)" "$tmp/ro/m5.csv" "$tmp/ro"
[ $rc = 1 ] && cmp -s "$tmp/ro/m5.csv" "$tmp/before.csv" &&
    grep -q 'not writable by nobody' "$tmp/ro.err"
result $? "unwritable folder refused before probing, CSV kept" \
    "unwritable folder: exit $rc: $(cat "$tmp/ro.err")"

# no temporary file left in any folder
left=$(ls -A "$tmp/out" "$tmp/ro" "$tmp/sticky" | grep '^\.m5\.csv\.' || true)
[ -z "$left" ]
result $? "no temporary file left" "temporary files left: $left"
exit $fail
