#!/bin/sh
# rtrclient (rtr-tools, rtrlib) against manrs rtrd: the exported pfx table
# must be exactly the loaded set, for protocol versions 1 and 0 (the
# latter reached by rtrlib's own downgrade after our Unsupported Protocol
# Version error, RFC 8210 section 7).
. "$(dirname "$0")/rtr_lib.sh"
need rtrclient python3

gen "$TMP/vrps.json" --v4 20000 --v6 5000 --aspa 100 --seed 11
expected "$TMP/vrps.json" > "$TMP/want.txt"

to_lines() {	# rtrclient CSV "addr, len, maxlen, asn" -> our line form
	python3 -c '
import ipaddress, sys
out = set()
for l in open(sys.argv[1]):
    f = [x.strip() for x in l.split(",")]
    if len(f) != 4:
        continue
    n = ipaddress.ip_network("%s/%s" % (f[0], f[1]))
    # rtrclient 0.8 prints ASNs above 2^31 as negative (%d): undo that
    out.add("%s-%s %d" % (n.compressed, f[2], int(f[3]) % 2**32))
for l in sorted(out):
    print(l)
' "$1"
}

status=0
for ver in 2 0; do
	start_manrs "v$ver" --vrps "$TMP/vrps.json" --max-version "$ver"
	timeout 120 rtrclient -e -t csv -o "$TMP/export$ver.csv" \
	    tcp 127.0.0.1 "$MANRS_PORT" > /dev/null 2> "$TMP/rtrclient$ver.log"
	to_lines "$TMP/export$ver.csv" > "$TMP/got$ver.txt"
	if cmp -s "$TMP/want.txt" "$TMP/got$ver.txt"; then
		echo "ok: max-version $ver: rtrclient has all $(wc -l < "$TMP/want.txt") VRPs"
	else
		echo "FAIL: max-version $ver: rtrclient set differs"
		diff "$TMP/want.txt" "$TMP/got$ver.txt" | head -20
		status=1
	fi
done
if ! grep -q "Downgrading from 1 to version 0" "$TMP/rtrclient0.log"; then
	echo "FAIL: rtrlib did not downgrade to version 0"
	status=1
fi
exit $status
