#!/bin/sh
# Data safety of "manrs rtrd" (issues 11 and 12):
# 1. a VRP whose "expires" passes while the VRP file has become garbage,
#    then disappeared, is withdrawn anyway: rtrclient gets a Serial Notify and a delta
#    withdrawing exactly the expired VRPs, the log and /metrics say so;
# 2. an empty or all-expired set is refused at start (exit 1, saying why)
#    and on reload (old data and serial kept) unless --allow-empty; --now
#    pins the judging clock (ISO 8601 or Unix seconds);
# 3. a Serial Query with another Session ID gets Error Report "Corrupt
#    Data" and the connection ends (RFC 8210 section 5.1).
. "$(dirname "$0")/rtr_lib.sh"
need rtrclient python3 curl stdbuf

now=$(date +%s)
# mk OUT EXPIRES-SOON N-SOON N-LATER: rpki-client JSON, N-SOON VRPs of
# 10.1.x.0/24 expiring at EXPIRES-SOON, N-LATER of 10.2.x.0/24 in a day
mk() {
	python3 - "$@" <<'PY'
import json, sys, time
out, soon, ns, nl = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
later = int(time.time()) + 86400
roas = [{"asn": 64500 + i, "prefix": "10.1.%d.0/24" % i, "maxLength": 24,
         "ta": "test", "expires": soon} for i in range(ns)]
roas += [{"asn": 65000 + i, "prefix": "10.2.%d.0/24" % i, "maxLength": 24,
          "ta": "test", "expires": later} for i in range(nl)]
json.dump({"metadata": {"buildtime": time.strftime("%Y-%m-%dT%H:%M:%SZ",
           time.gmtime(time.time() - 600))}, "roas": roas}, open(out, "w"))
PY
}

rc_set() {	# the set rtrclient holds, from its +/- update lines
	python3 -c '
import sys
s = set()
for l in open(sys.argv[1]):
    f = l.split()
    if len(f) != 6 or f[0] not in "+-" or f[3] != "-":
        continue
    k = "%s/%s-%s %s" % (f[1], f[2], f[4], f[5])
    if f[0] == "+":
        s.add(k)
    else:
        s.discard(k)
print(len(s), sum(1 for k in s if k.startswith("10.1.")))
' "$TMP/rc.out"
}

# wait_for CMD...: up to 30 s for CMD to succeed
wait_for() {
	i=0
	until "$@"; do
		i=$((i + 1))
		if [ $i -gt 300 ]; then
			return 1
		fi
		sleep 0.1
	done
}
metric() {
	curl -s "http://127.0.0.1:$mport/metrics" | awk -v m="$1" '$1 == m { print $2 }'
}

# --- 1: expiry while the file is garbage -------------------------------
soon=$((now + 8))
mk "$TMP/cur.json" "$soon" 5 20
mport=$(free_port)
start_manrs exp --vrps "$TMP/cur.json" --metrics "127.0.0.1:$mport" \
    --notify-interval 1
stdbuf -oL rtrclient -p tcp 127.0.0.1 "$MANRS_PORT" > "$TMP/rc.out" \
    2> "$TMP/rc.err" &
PIDS="$PIDS $!"
wait_for sh -c "[ \"\$(grep -c '^+ ' '$TMP/rc.out')\" -ge 25 ]" || {
	echo "FAIL: rtrclient did not get 25 VRPs"; cat "$TMP/rc.out"
	cat "$TMP/exp.log"; exit 1; }
[ "$(rc_set)" = "25 5" ] || { echo "FAIL: start set $(rc_set)"; exit 1; }
serial0=$(metric manrs_rtr_serial)
printf '{"roas": [ this is garbage\n' > "$TMP/cur.json"
wait_for grep -q "reload (file changed) failed" "$TMP/exp.log" || {
	echo "FAIL: garbage file not refused"; cat "$TMP/exp.log"; exit 1; }
[ "$(date +%s)" -lt "$soon" ] || {
	echo "SKIP: too slow to refuse the garbage before the expiry"; exit 77; }
# then gone altogether: the expiry must not wait for a readable file
rm -f "$TMP/cur.json"
echo "ok: garbage refused before the expiry, file removed; waiting"
wait_for sh -c "[ \"\$(grep -c '^- ' '$TMP/rc.out')\" -ge 5 ]" || {
	echo "FAIL: expired VRPs not withdrawn"; cat "$TMP/exp.log"
	rc_set; exit 1; }
sleep 1
[ "$(rc_set)" = "20 0" ] || {
	echo "FAIL: after the expiry rtrclient holds $(rc_set), want 20 0"
	cat "$TMP/rc.out"; exit 1; }
[ "$(date +%s)" -ge "$soon" ] || { echo "FAIL: withdrawn early"; exit 1; }
grep -q "withdrew 5 expired entries" "$TMP/exp.log" || {
	echo "FAIL: log does not say what was withdrawn"; cat "$TMP/exp.log"
	exit 1; }
[ "$(metric manrs_rtr_serial)" -gt "$serial0" ] || {
	echo "FAIL: no new serial"; exit 1; }
[ "$(metric manrs_rtr_expired_withdrawn_total)" = 5 ] || {
	echo "FAIL: withdrawn metric"; curl -s "http://127.0.0.1:$mport/metrics"
	exit 1; }
[ "$(metric 'manrs_rtr_expired{kind="vrp"}')" = 5 ] || {
	echo "FAIL: expired metric"; exit 1; }
age=$(metric manrs_rtr_data_age_seconds)
[ "$age" -ge 600 ] && [ "$age" -lt 900 ] || {
	echo "FAIL: data age $age"; exit 1; }
echo "ok: 5 expired VRPs withdrawn by delta while the file is unreadable"

# --- 2: empty and all-expired sets --------------------------------------
mk "$TMP/expired.json" $((now - 3600)) 5 0
echo '{"roas": []}' > "$TMP/empty.json"
for f in expired empty; do
	if "$MANRS_BIN" rtrd --listen 127.0.0.1:0 --vrps "$TMP/$f.json" \
	    > /dev/null 2> "$TMP/refuse.log"; then
		echo "FAIL: rtrd starts on the $f set"; exit 1
	fi
	grep -q -e "every entry expired: 5 of 5 VRPs" -e "no VRP, ASPA or" \
	    "$TMP/refuse.log" && grep -q -- "--allow-empty" "$TMP/refuse.log" || {
		echo "FAIL: $f: no reason"; cat "$TMP/refuse.log"; exit 1; }
	start_manrs "allow-$f" --vrps "$TMP/$f.json" --allow-empty
	echo "ok: $f set refused at start, served with --allow-empty"
done
# --now pins the judging clock: before the expiry the set is in force
iso=$(date -u -d "@$((now - 7200))" +%Y-%m-%dT%H:%M:%SZ)
start_manrs pinned --vrps "$TMP/expired.json" --now "$iso"
grep -q "5 IPv4" "$TMP/pinned.log" || {
	echo "FAIL: --now $iso"; cat "$TMP/pinned.log"; exit 1; }
echo "ok: --now $iso judges the set in force"

# refused on reload: the served data and serial stay
mk "$TMP/r.json" $((now + 86400)) 3 3
mport=$(free_port)
start_manrs rel --vrps "$TMP/r.json" --metrics "127.0.0.1:$mport"
s0=$(metric manrs_rtr_serial)
for f in expired empty; do
	cp "$TMP/$f.json" "$TMP/r.json.new"
	mv "$TMP/r.json.new" "$TMP/r.json"
	case $f in
	expired) why="every entry expired" ;;
	empty) why="no VRP, ASPA or router key in the input" ;;
	esac
	wait_for grep -q "$why" "$TMP/rel.log" || {
		echo "FAIL: $f reload not refused"; cat "$TMP/rel.log"; exit 1; }
	[ "$(metric manrs_rtr_serial)" = "$s0" ] &&
	    [ "$(metric 'manrs_rtr_vrps{af="ipv4"}')" = 6 ] || {
		echo "FAIL: $f reload changed the served data"; exit 1; }
	echo "ok: $f reload refused, 6 VRPs still served at serial $s0"
done

# --- 3: Serial Query with another Session ID -----------------------------
python3 - "$MANRS_PORT" "$(metric manrs_rtr_session_id)" <<'PY'
import socket, struct, sys
port, sid = int(sys.argv[1]), int(sys.argv[2])
s = socket.create_connection(("127.0.0.1", port), timeout=10)
def pdus():
    buf = b""
    while True:
        while len(buf) >= 8:
            n = struct.unpack("!I", buf[4:8])[0]
            if len(buf) < n:
                break
            yield buf[:n]
            buf = buf[n:]
        d = s.recv(65536)
        if not d:
            return
        buf += d
s.sendall(struct.pack("!BBHI", 1, 2, 0, 8))		# Reset Query, v1
it = pdus()
for p in it:
    if p[1] == 7:					# End of Data
        serial = struct.unpack("!I", p[8:12])[0]
        break
bad = (sid + 1) & 0xffff
q = struct.pack("!BBHII", 1, 1, bad, 12, serial)	# Serial Query
s.sendall(q)
got = list(it)						# until the cache closes
assert len(got) == 1, got
p = got[0]
assert p[0] == 1 and p[1] == 10, p			# v1 Error Report
assert struct.unpack("!H", p[2:4])[0] == 0, p		# Corrupt Data
elen = struct.unpack("!I", p[8:12])[0]
assert p[12:12 + elen] == q, p				# the query, encapsulated
tlen = struct.unpack("!I", p[12 + elen:16 + elen])[0]
print("ok: Serial Query with session %d (ours %d): Error Report Corrupt "
      "Data \"%s\", connection closed" % (bad, sid,
      p[16 + elen:16 + elen + tlen].decode()))
PY
echo "PASS"
