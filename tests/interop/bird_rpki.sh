#!/bin/sh
# BIRD 2 with an rpki protocol against manrs rtrd: its roa4/roa6 tables
# must hold exactly the loaded VRPs (checked with birdc).  BIRD runs with
# its own config and control socket in a temporary directory.
. "$(dirname "$0")/rtr_lib.sh"
need bird birdc python3

gen "$TMP/vrps.json" --v4 20000 --v6 5000 --aspa 100 --seed 13
expected "$TMP/vrps.json" > "$TMP/want.txt"
want=$(wc -l < "$TMP/want.txt")
start_manrs m --vrps "$TMP/vrps.json"

cat > "$TMP/bird.conf" <<CONF
router id 192.0.2.1;
roa4 table r4;
roa6 table r6;
protocol rpki rpki1 {
	roa4 { table r4; };
	roa6 { table r6; };
	remote 127.0.0.1 port $MANRS_PORT;
	retry keep 5;
	refresh keep 60;
	expire keep 600;
}
CONF
bird -f -c "$TMP/bird.conf" -s "$TMP/bird.ctl" -P "$TMP/bird.pid" \
    > "$TMP/bird.log" 2>&1 &
PIDS="$PIDS $!"

count() {
	n4=$(birdc -s "$TMP/bird.ctl" show route table r4 count 2>/dev/null |
	    awk '/routes for/ { print $1 }')
	n6=$(birdc -s "$TMP/bird.ctl" show route table r6 count 2>/dev/null |
	    awk '/routes for/ { print $1 }')
	echo $(( ${n4:-0} + ${n6:-0} ))
}
i=0
while [ "$(count)" -ne "$want" ]; do
	i=$((i + 1))
	if [ $i -gt 120 ]; then
		echo "FAIL: BIRD has $(count) of $want ROAs after 60 s"
		birdc -s "$TMP/bird.ctl" show protocols all rpki1 | head -20
		exit 1
	fi
	sleep 0.5
done
for t in r4 r6; do
	birdc -s "$TMP/bird.ctl" show route table $t
done | python3 -c '
import ipaddress, re, sys
out = set()
for l in sys.stdin:
    m = re.match(r"^(\S+)-(\d+) AS(\d+)\s", l)
    if m:
        n = ipaddress.ip_network(m.group(1))
        out.add("%s-%s %s" % (n.compressed, m.group(2), m.group(3)))
for l in sorted(out):
    print(l)
' > "$TMP/got.txt"
if cmp -s "$TMP/want.txt" "$TMP/got.txt"; then
	echo "ok: BIRD roa4/roa6 tables hold exactly the $want loaded VRPs"
	exit 0
fi
echo "FAIL: BIRD tables differ from the loaded set"
diff "$TMP/want.txt" "$TMP/got.txt" | head -20
exit 1
