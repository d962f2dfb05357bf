#!/bin/sh
# Reload: routers connected to manrs rtrd (rtrclient and BIRD 2) get a
# Serial Notify and an incremental update when the VRP file changes, and
# end with exactly the new set; a broken file is refused (the served data
# and serial stay, metrics say the reload failed); SIGHUP reloads too.
. "$(dirname "$0")/rtr_lib.sh"
need rtrclient bird birdc python3 curl stdbuf

gen "$TMP/a.json" --v4 5000 --v6 1000 --aspa 50 --seed 15
# B: every 7th ROA gone, 300 new ones, and some maxLength changes
python3 - "$TMP/a.json" "$TMP/b.json" "$TMP/c.json" <<'PY'
import copy, json, sys
a = json.load(open(sys.argv[1]))
b = copy.deepcopy(a)
roas = [r for i, r in enumerate(a["roas"]) if i % 7]
for i, r in enumerate(roas):
    if i % 50 == 0 and r["maxLength"] < (24 if ":" not in r["prefix"] else 48):
        r = dict(r)
        r["maxLength"] += 1
        roas[i] = r
exp = a["roas"][0]["expires"]
for i in range(300):
    roas.append({"asn": 64512 + i, "prefix": "100.%d.%d.0/24" % (64 + i // 256, i % 256),
                 "maxLength": 24, "ta": "test", "expires": exp})
b["roas"] = roas
json.dump(b, open(sys.argv[2], "w"))
c = copy.deepcopy(b)
c["roas"] = c["roas"][:-100]
json.dump(c, open(sys.argv[3], "w"))
PY
cp "$TMP/a.json" "$TMP/cur.json"
mport=$(free_port)
start_manrs m --vrps "$TMP/cur.json" --metrics "127.0.0.1:$mport" \
    --notify-interval 10
sid=$(curl -s "http://127.0.0.1:$mport/metrics" | awk '/^manrs_rtr_session_id/ { print $2 }')

stdbuf -oL rtrclient -p tcp 127.0.0.1 "$MANRS_PORT" > "$TMP/rc.out" 2> "$TMP/rc.err" &
PIDS="$PIDS $!"
cat > "$TMP/bird.conf" <<CONF
router id 192.0.2.1;
roa4 table r4;
roa6 table r6;
protocol rpki rpki1 {
	roa4 { table r4; };
	roa6 { table r6; };
	remote 127.0.0.1 port $MANRS_PORT;
	retry keep 5;
	refresh keep 3600;
	expire keep 7200;
}
CONF
bird -f -c "$TMP/bird.conf" -s "$TMP/bird.ctl" -P "$TMP/bird.pid" > "$TMP/bird.log" 2>&1 &
PIDS="$PIDS $!"

rc_set() {	# the set rtrclient holds, from its +/- update lines
	python3 -c '
import ipaddress, sys
s = set()
for l in open(sys.argv[1]):
    f = l.split()
    if len(f) != 6 or f[0] not in "+-" or f[3] != "-":
        continue
    k = "%s-%s %d" % (ipaddress.ip_network("%s/%s" % (f[1], f[2])).compressed, f[4], int(f[5]) % 2**32)
    if f[0] == "+":
        s.add(k)
    else:
        s.discard(k)
for k in sorted(s):
    print(k)
' "$TMP/rc.out"
}
bird_set() {
	for t in r4 r6; do
		birdc -s "$TMP/bird.ctl" show route table $t 2>/dev/null
	done | python3 -c '
import ipaddress, re, sys
out = set()
for l in sys.stdin:
    m = re.match(r"^(\S+)-(\d+) AS(\d+)\s", l)
    if m:
        out.add("%s-%s %s" % (ipaddress.ip_network(m.group(1)).compressed, m.group(2), m.group(3)))
for l in sorted(out):
    print(l)
'
}
wait_for() {	# wait_for FILE-WITH-WANTED-SET WHAT
	i=0
	while :; do
		rc_set > "$TMP/rc_now.txt"
		bird_set > "$TMP/bird_now.txt"
		if cmp -s "$1" "$TMP/rc_now.txt" && cmp -s "$1" "$TMP/bird_now.txt"; then
			echo "ok: $2: rtrclient and BIRD hold exactly the $(wc -l < "$1") VRPs"
			return 0
		fi
		i=$((i + 1))
		if [ $i -gt 120 ]; then
			echo "FAIL: $2: after 60 s rtrclient has $(wc -l < "$TMP/rc_now.txt"), BIRD $(wc -l < "$TMP/bird_now.txt"), want $(wc -l < "$1")"
			diff "$1" "$TMP/rc_now.txt" | head -5
			exit 1
		fi
		sleep 0.5
	done
}
metric() {
	curl -s "http://127.0.0.1:$mport/metrics" | awk -v m="$1" '$1 == m { print $2 }'
}

expected "$TMP/a.json" > "$TMP/want_a.txt"
expected "$TMP/b.json" > "$TMP/want_b.txt"
expected "$TMP/c.json" > "$TMP/want_c.txt"
wait_for "$TMP/want_a.txt" "initial sync"

# 1. the file changes (atomic rename): watch -> reload -> notify -> delta
cp "$TMP/b.json" "$TMP/cur.json.new"
mv "$TMP/cur.json.new" "$TMP/cur.json"
wait_for "$TMP/want_b.txt" "after the file changed"
[ "$(metric manrs_rtr_serial)" = 1 ] || { echo "FAIL: serial is not 1"; exit 1; }
if ! grep -q "Serial Notify received" "$TMP/rc.err"; then
	echo "FAIL: rtrclient got no Serial Notify"; exit 1
fi
if grep -q "Cache Reset" "$TMP/rc.err"; then
	echo "FAIL: rtrclient got a Cache Reset instead of a delta"; exit 1
fi
# the update went out as a delta: rtrclient saw withdrawals, and the
# whole update was far smaller than a full set
nwd=$(grep -c '^-' "$TMP/rc.out" || true)
nplus=$(grep -c '^+' "$TMP/rc.out" || true)
echo "ok: delta: $nwd withdrawals; $nplus announcements in total (full set $(wc -l < "$TMP/want_a.txt"))"
[ "$nwd" -gt 0 ] && [ "$nplus" -lt $(( $(wc -l < "$TMP/want_a.txt") * 2 )) ] ||
    { echo "FAIL: update was not incremental"; exit 1; }

# 2. a broken file never replaces good data
printf '{"roas":[{"asn":1,"prefix":"10.0.0.0/8","maxLength":99}]}' > "$TMP/cur.json.new"
mv "$TMP/cur.json.new" "$TMP/cur.json"
i=0
while [ "$(metric manrs_rtr_last_reload_success)" != 0 ]; do
	i=$((i + 1)); [ $i -gt 40 ] && { echo "FAIL: bad file not noticed"; exit 1; }
	sleep 0.25
done
[ "$(metric manrs_rtr_serial)" = 1 ] || { echo "FAIL: bad file changed the serial"; exit 1; }
grep -q 'maxLength" 99 outside 8..32' "$TMP/m.log" || { echo "FAIL: no diagnostic"; cat "$TMP/m.log"; exit 1; }
rc_set > "$TMP/rc_now.txt"
cmp -s "$TMP/want_b.txt" "$TMP/rc_now.txt" || { echo "FAIL: clients changed after a bad file"; exit 1; }
echo "ok: a broken file was refused, serial stays 1"

# 3. SIGHUP: a new serial at once (a new router sees it); the routers
# already connected get the next Serial Notify only when the rate limit
# (--notify-interval 10 here, 60 s by default) allows it.
cp "$TMP/c.json" "$TMP/cur.json.new"
mv "$TMP/cur.json.new" "$TMP/cur.json"
kill -HUP $(echo $PIDS | awk '{ print $1 }')
i=0
while [ "$(metric manrs_rtr_serial)" != 2 ]; do
	i=$((i + 1)); [ $i -gt 40 ] && { echo "FAIL: no serial 2"; exit 1; }
	sleep 0.25
done
[ "$(metric manrs_rtr_last_reload_success)" = 1 ] || { echo "FAIL: reload not ok"; exit 1; }
timeout 60 rtrclient -e -t csv -o "$TMP/c.csv" tcp 127.0.0.1 "$MANRS_PORT" > /dev/null 2>&1
python3 -c '
import ipaddress, sys
out = set()
for l in open(sys.argv[1]):
    f = [x.strip() for x in l.split(",")]
    if len(f) == 4:
        out.add("%s-%s %d" % (ipaddress.ip_network("%s/%s" % (f[0], f[1])).compressed, f[2], int(f[3]) % 2**32))
for l in sorted(out):
    print(l)
' "$TMP/c.csv" > "$TMP/c_got.txt"
cmp -s "$TMP/want_c.txt" "$TMP/c_got.txt" || { echo "FAIL: after SIGHUP"; exit 1; }
echo "ok: SIGHUP reload: serial 2, a new router gets the $(wc -l < "$TMP/want_c.txt") VRPs"
# the routers still connected catch up once the rate-limited notify fires
wait_for "$TMP/want_c.txt" "after SIGHUP (rate-limited notify)"

# 4. an entry that expires while served is withdrawn (DESIGN.md: stale
# data is not served forever): serial 3 with it, serial 4 without it
python3 - "$TMP/c.json" "$TMP/d.json" <<'PY'
import json, sys, time
d = json.load(open(sys.argv[1]))
d["roas"].append({"asn": 65000, "prefix": "100.127.0.0/24", "maxLength": 24,
                  "ta": "test", "expires": int(time.time()) + 4})
json.dump(d, open(sys.argv[2], "w"))
PY
mv "$TMP/d.json" "$TMP/cur.json"
i=0
while [ "$(metric manrs_rtr_serial)" != 3 ]; do
	i=$((i + 1)); [ $i -gt 40 ] && { echo "FAIL: no serial 3"; exit 1; }
	sleep 0.25
done
[ "$(metric 'manrs_rtr_vrps{af="ipv4"}')" -gt 0 ] || exit 1
n3=$(curl -s "http://127.0.0.1:$mport/metrics" | awk '/^manrs_rtr_vrps/ { s += $2 } END { print s }')
i=0
while [ "$(metric manrs_rtr_serial)" != 4 ]; do
	i=$((i + 1)); [ $i -gt 60 ] && { echo "FAIL: the expired entry was not withdrawn"; exit 1; }
	sleep 0.25
done
n4=$(curl -s "http://127.0.0.1:$mport/metrics" | awk '/^manrs_rtr_vrps/ { s += $2 } END { print s }')
[ "$n4" -eq $((n3 - 1)) ] || { echo "FAIL: $n3 -> $n4 VRPs after the expiry"; exit 1; }
grep -q "withdrew 1 expired entries" "$TMP/m.log" || { echo "FAIL: no expiry withdrawal logged"; exit 1; }
echo "ok: an entry that expired while served was withdrawn (serial 4, $n3 -> $n4 VRPs)"
echo "session id $sid"
