#!/bin/sh
# bgpq4_irrd.sh - bgpq4 (Debian) against "manrs irrd" on loopback, over
# the real RIPE as-set dump, RIPE-NONAUTH route/aut-num dumps and the
# ARIN origin-AS JSON.  For real sets (small, hierarchical, 46k-51k member
# ASNs) it checks IPv4 and IPv6 prefix lists (bgpq4 uses "!a4"/"!a6"
# here) and AS lists (bgpq4 -t, "!i...,1") against irr_ref.py, an
# independent Python expander of the same files.  Byte-for-byte diffs.
set -u
. "$(dirname "$0")/irrd_common.sh"
need_data
need_prog bgpq4
need_prog python3

SETS=AS-RESTENA,AS-TMPEBONECWIX,AS-WUSEL-BASE,AS39533:AS-PEERS,AS-NETIX,AS3326:AS-PEERS-UAE
start_server
refargs=
for s in $SOURCES; do refargs="$refargs $s"; done
# shellcheck disable=SC2086
python3 "$HERE/irr_ref.py" "$T/ref" "$SETS" $refargs || exit 1

fail=0
n=0
for set in $(echo "$SETS" | tr , ' '); do
	for af in 4 6; do
		bgpq4 -h "127.0.0.1:$PORT" -$af -F '%n/%l\n' "$set" \
		    >"$T/got" 2>"$T/err"
		if ! diff -u "$T/ref/$set.v$af" "$T/got" >"$T/diff"; then
			echo "FAIL: bgpq4 -$af $set differs from reference:"
			head -20 "$T/diff"; cat "$T/err"
			fail=1
		fi
		n=$((n + 1))
	done
	bgpq4 -h "127.0.0.1:$PORT" -tj "$set" 2>"$T/err" | python3 -c '
import json, sys
for a in sorted(json.load(sys.stdin)["NN"]): print(a)' >"$T/got"
	# bgpq4 drops private/documentation ASNs from AS lists.
	python3 -c '
import sys
for l in open(sys.argv[1]):
    a = int(l)
    if not (a >= 4200000000 or 64496 <= a <= 65551): print(a)' \
	    "$T/ref/$set.asns" >"$T/want"
	if ! diff -u "$T/want" "$T/got" >"$T/diff"; then
		echo "FAIL: bgpq4 -t $set differs from reference:"
		head -20 "$T/diff"
		fail=1
	fi
	n=$((n + 1))
	echo "ok: $set ($(wc -l <"$T/want") ASNs, $(wc -l <"$T/ref/$set.v4") IPv4, $(wc -l <"$T/ref/$set.v6") IPv6 prefixes)"
done
# A Cisco prefix-list and a Juniper AS-path list render without errors.
bgpq4 -h "127.0.0.1:$PORT" -l CUST AS-RESTENA >"$T/got" || fail=1
grep -q '^ip prefix-list CUST permit 74.116.176.0/22$' "$T/got" || {
	echo "FAIL: prefix-list"; cat "$T/got"; fail=1; }
bgpq4 -h "127.0.0.1:$PORT" -J -f 2602 -l CUST AS-RESTENA >"$T/got" || fail=1
grep -q '42909' "$T/got" || { echo "FAIL: as-path"; cat "$T/got"; fail=1; }
kill -0 "$SRV" || { echo "FAIL: server died"; fail=1; }
[ $fail -eq 0 ] && echo "PASS: $n bgpq4 comparisons"
exit $fail
