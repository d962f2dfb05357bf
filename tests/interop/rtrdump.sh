#!/bin/sh
# rtrdump (StayRTR) against manrs rtrd and against stayrtr serving the
# same file, protocol version 1: both dumps must hold exactly the loaded
# VRPs and router keys.  (StayRTR 0.5.1's version 2 is 8210bis-10, whose
# ASPA PDU has AFI flags and a count, 16 + 4n bytes; we implement the
# current draft's 12 + 4n PDU, so v2 is checked by unit tests instead.)
. "$(dirname "$0")/rtr_lib.sh"
need rtrdump stayrtr python3

gen "$TMP/vrps.json" --v4 20000 --v6 5000 --aspa 100 --keys 25 --seed 12
expected "$TMP/vrps.json" > "$TMP/want.txt"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for l in sorted("%d %s %s" % (k["asn"], k["ski"].lower(), k["pubkey"])
               for k in d["bgpsec_keys"]):
    print(l)' "$TMP/vrps.json" > "$TMP/want_keys.txt"

norm() {	# rtrdump JSON -> sorted VRP lines; keys to $2
	python3 -c '
import base64, ipaddress, json, sys
d = json.load(open(sys.argv[1]))
out = set()
for r in d.get("roas") or []:
    asn = r["asn"]
    if isinstance(asn, str):
        asn = int(asn.upper().lstrip("AS"))
    n = ipaddress.ip_network(r["prefix"])
    out.add("%s-%d %d" % (n.compressed, r["maxLength"], asn))
for l in sorted(out):
    print(l)
keys = set()
for k in d.get("bgpsec_keys") or []:
    keys.add("%d %s %s" % (k["asn"], k["ski"].lower(), k["pubkey"]))
with open(sys.argv[2], "w") as f:
    for l in sorted(keys):
        f.write(l + "\n")
' "$1" "$2"
}

start_manrs m --vrps "$TMP/vrps.json"
start_stayrtr "$TMP/vrps.json"
timeout 120 rtrdump -connect "127.0.0.1:$MANRS_PORT" -rtr.version 1 \
    -file "$TMP/dump_m.json" 2> "$TMP/rtrdump_m.log"
timeout 120 rtrdump -connect "127.0.0.1:$STAY_PORT" -rtr.version 1 \
    -file "$TMP/dump_s.json" 2> "$TMP/rtrdump_s.log"
norm "$TMP/dump_m.json" "$TMP/keys_m.txt" > "$TMP/got_m.txt"
norm "$TMP/dump_s.json" "$TMP/keys_s.txt" > "$TMP/got_s.txt"
status=0
for who in m s; do
	if ! cmp -s "$TMP/want.txt" "$TMP/got_$who.txt"; then
		echo "FAIL: rtrdump of $who: VRPs differ from the file"
		diff "$TMP/want.txt" "$TMP/got_$who.txt" | head
		status=1
	fi
	if ! cmp -s "$TMP/want_keys.txt" "$TMP/keys_$who.txt"; then
		echo "FAIL: rtrdump of $who: router keys differ"
		diff "$TMP/want_keys.txt" "$TMP/keys_$who.txt" | head
		status=1
	fi
done
[ $status -eq 0 ] && echo "ok: rtrdump: manrs and stayrtr serve the same $(wc -l < "$TMP/want.txt") VRPs and $(wc -l < "$TMP/want_keys.txt") router keys"
exit $status
