#!/bin/sh
# bgpq3_irrd.sh - bgpq3 (Debian) against "manrs irrd" on loopback over
# the real IRR dumps.  bgpq3 expands sets itself with "!i SET,1" and then
# asks "!gasN" / "!6asN" for every ASN, pipelined: thousands of queries
# on one connection for the big sets.  IPv4 and IPv6 prefix lists and
# the AS list are compared byte for byte with irr_ref.py, an independent
# Python expander of the same files.
set -u
. "$(dirname "$0")/irrd_common.sh"
need_data
need_prog bgpq3
need_prog python3

SETS=AS-RESTENA,AS-TMPEBONECWIX,AS-WUSEL-BASE,AS39533:AS-PEERS,AS-NETIX
start_server
refargs=
for s in $SOURCES; do refargs="$refargs $s"; done
# shellcheck disable=SC2086
python3 "$HERE/irr_ref.py" "$T/ref" "$SETS" $refargs || exit 1

fail=0
n=0
for set in $(echo "$SETS" | tr , ' '); do
	for af in 4 6; do
		# bgpq3 skips private/reserved ASNs: compare with "ns".
		# (its formatted output ends with an empty line)
		bgpq3 -3 -h "127.0.0.1:$PORT" -$af -F '%n/%l\n' "$set" \
		    2>"$T/err" | grep -v '^$' >"$T/got"
		if ! diff -u "$T/ref/$set.v${af}ns" "$T/got" >"$T/diff"; then
			echo "FAIL: bgpq3 -$af $set differs from reference:"
			head -20 "$T/diff"; head -5 "$T/err"
			fail=1
		fi
		n=$((n + 1))
	done
	bgpq3 -3 -h "127.0.0.1:$PORT" -j -f 1 "$set" 2>"$T/err" |
	    python3 -c '
import json, sys
for a in sorted(json.load(sys.stdin)["NN"]): print(a)' >"$T/got"
	python3 -c '
import sys
for l in open(sys.argv[1]):
    a = int(l)
    if not (a == 23456 or a >= 4200000000 or 64496 <= a <= 65551):
        print(a)' \
	    "$T/ref/$set.asns" >"$T/want"
	if ! diff -u "$T/want" "$T/got" >"$T/diff"; then
		echo "FAIL: bgpq3 -f $set differs from reference:"
		head -20 "$T/diff"
		fail=1
	fi
	n=$((n + 1))
	echo "ok: $set ($(wc -l <"$T/want") ASNs, $(wc -l <"$T/ref/$set.v4ns") IPv4, $(wc -l <"$T/ref/$set.v6ns") IPv6 prefixes)"
done
kill -0 "$SRV" || { echo "FAIL: server died"; fail=1; }
[ $fail -eq 0 ] && echo "PASS: $n bgpq3 comparisons"
exit $fail
