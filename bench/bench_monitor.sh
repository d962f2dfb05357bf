#!/bin/sh
# bench_monitor.sh - "manrs monitor" replay throughput through every
# monitor against decode-only (bench/mrt_decode) on the same input in
# the same run, and peak RSS as the replay grows.
#
#   1. The update files of $MANRS_SHARED_DATA/mrt (BGP4MP and BGP4MP_ET:
#      RIS 2002-2016 and a PCH full table) are decompressed, cut to whole
#      records and concatenated until the input is at least
#      BENCH_MONITOR_MB (default 100) MB.
#   2. prefixes.yml: "manrs monitor generate" for the 50 origins with the
#      most announcements in the base input (their prefixes and
#      monitorASns), plus 10 planted wrong origins and a path rule on
#      every prefix; RPKI from the shared VRP snapshot, relationships
#      from CAIDA's as-rel.  Every monitor runs.
#   3. Decode only: mrt_decode iterates every route, decodes attributes
#      and merges the AS path.  Then manrs monitor --stats on the same
#      file; both report routes/s; /usr/bin/time gives peak RSS.
#   4. Peak RSS of the replay at 1x and 2x the input (flat = the engine
#      keeps events, not routes).
set -eu
MANRS=${MANRS_BIN:?MANRS_BIN not set}
B=${MANRS_BUILD_ROOT:?MANRS_BUILD_ROOT not set}
DATA=${MANRS_SHARED_DATA:?MANRS_SHARED_DATA not set}
TARGET_MB=${BENCH_MONITOR_MB:-100}
[ -d "$DATA/mrt" ] || { echo "skipped: $DATA/mrt missing"; exit 0; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench_monitor.XXXXXX")
[ -n "${BENCH_MONITOR_KEEP:-}" ] || trap 'rm -rf "$tmp"' EXIT INT TERM

python3 - "$DATA/mrt" "$tmp/base.mrt" <<'PY'
import gzip, os, struct, sys, zlib
src, dst = sys.argv[1], sys.argv[2]
out = open(dst, 'wb')
for name in sorted(os.listdir(src)):
    if not name.startswith('updates.'):
        continue
    data = zlib.decompressobj(47).decompress(
        open(os.path.join(src, name), 'rb').read())
    off = 0
    while off + 12 <= len(data):
        n = struct.unpack('>I', data[off + 8:off + 12])[0]
        if off + 12 + n > len(data):
            break
        off += 12 + n
    out.write(data[:off])
PY
: > "$tmp/input.mrt"
copies=0
while [ $(($(wc -c < "$tmp/input.mrt") / 1000000)) -lt "$TARGET_MB" ]; do
	cat "$tmp/base.mrt" >> "$tmp/input.mrt"
	copies=$((copies + 1))
done
cat "$tmp/input.mrt" "$tmp/input.mrt" > "$tmp/input2.mrt"
echo "input: shared MRT update files, $(wc -c < "$tmp/base.mrt") bytes" \
    "uncompressed, x$copies = $(wc -c < "$tmp/input.mrt") bytes"

# the 50 busiest origins of the base input
"$MANRS" mrt -m "$tmp/base.mrt" 2>/dev/null |
    awk -F'|' '$3 == "A" { n = split($7, a, " "); if (a[n] ~ /^[0-9]+$/) c[a[n]]++ }
	END { for (k in c) print c[k], k }' | sort -rn | head -50 |
    awk '{ print $2 }' > "$tmp/asns"
set --
for a in $(cat "$tmp/asns"); do set -- "$@" --asn "$a"; done
"$MANRS" monitor generate "$@" --rib "$tmp/base.mrt" -o "$tmp/gen.yml" \
    2>"$tmp/gen.err"
cat "$tmp/gen.err"
python3 - "$tmp/gen.yml" "$tmp/prefixes.yml" <<'PY'
import sys
src, dst = sys.argv[1], sys.argv[2]
lines = open(src).read().split('\n')
out, planted = [], 0
for l in lines:
    out.append(l)
    if l.startswith('  ignore: false'):
        out.append('  path:\n    match: ".*,64512,.*"\n'
                   '    matchDescription: private AS in the path')
text = '\n'.join(out)
# plant wrong origins: the first ten prefixes expect AS 64496 instead
parts = text.split('\n  asn:\n    - ')
for i in range(1, min(11, len(parts))):
    rest = parts[i].split('\n', 1)
    parts[i] = '64496\n' + rest[1]
open(dst, 'w').write('\n  asn:\n    - '.join(parts))
PY
VRPS=$DATA/rpki/json.gz
ASREL=$DATA/caida/whole-internet-rel.txt
extra=""
[ -r "$VRPS" ] && extra="$extra --vrps $VRPS --allow-stale"
[ -r "$ASREL" ] && extra="$extra --asrel $ASREL"
echo "config: $(grep -c '^[0-9a-f].*:$' "$tmp/prefixes.yml") prefixes," \
    "$(wc -l < "$tmp/asns") monitored ASes, 10 planted wrong origins," \
    "path rules;$extra"

echo "-- decode only (bench/mrt_decode)"
/usr/bin/time -f "peak RSS: %M KiB, CPU %U+%S s" \
    "$B/bench/mrt_decode" "$tmp/input.mrt" 2>&1
echo "-- every monitor (manrs monitor --stats)"
# shellcheck disable=SC2086
/usr/bin/time -f "peak RSS: %M KiB, CPU %U+%S s" \
    "$MANRS" monitor --prefixes "$tmp/prefixes.yml" --mrt "$tmp/input.mrt" \
    $extra --json --stats >"$tmp/alerts" 2>"$tmp/mon.err" || [ $? -eq 5 ]
grep -v '^manrs: ' "$tmp/mon.err" | tail -3
echo "alerts: $(grep -c '"resolved":false' "$tmp/alerts") raised," \
    "$(grep -c '"resolved":true' "$tmp/alerts") resolved;" \
    "by type: $(sed 's/^{"type":"\([a-z-]*\)".*/\1/' "$tmp/alerts" |
    sort | uniq -c | tr '\n' ' ')"
echo "-- memory as the replay grows (2x the input)"
# shellcheck disable=SC2086
/usr/bin/time -f "peak RSS at 2x: %M KiB" \
    "$MANRS" monitor --prefixes "$tmp/prefixes.yml" --mrt "$tmp/input2.mrt" \
    $extra --json --stats >/dev/null 2>"$tmp/mon2.err" || [ $? -eq 5 ]
grep -v '^manrs: ' "$tmp/mon2.err" | tail -2

echo "-- live: BMP message to alert on stdout (--bmp-listen, loopback)"
python3 - "$MANRS" "$tmp" <<'PY'
import os, select, socket, struct, subprocess, sys, time
manrs, tmp = sys.argv[1], sys.argv[2]
yml = os.path.join(tmp, "live.yml")
open(yml, "w").write("192.0.2.0/24:\n  description: bench\n  asn: 15562\n"
                     "  ignoreMorespecifics: false\n  ignore: false\n")
pf = os.path.join(tmp, "live.port")
p = subprocess.Popen([manrs, "monitor", "--prefixes", yml, "--bmp-listen",
                      "127.0.0.1:0", "--port-file", pf, "--json",
                      "--min-peers", "1", "--min-peers", "visibility=1000"],
                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
try:
    end = time.time() + 30
    while not (os.path.exists(pf) and os.path.getsize(pf)):
        assert time.time() < end and p.poll() is None, "no start"
        time.sleep(0.05)
    port = int(open(pf).read().split()[0])

    def bmp(t, body):
        return struct.pack(">BIB", 3, 6 + len(body), t) + body

    ph = struct.pack(">BB8s16sI4sII", 0, 0, b"\0" * 8, b"\0" * 12 +
                     socket.inet_aton("192.0.2.10"), 174,
                     socket.inet_aton("192.0.2.10"), 0, 0)

    def upd(w, attrs, n):
        body = struct.pack(">H", len(w)) + w + struct.pack(">H",
               len(attrs)) + attrs + n
        return b"\xff" * 16 + struct.pack(">HB", 19 + len(body), 2) + body

    def ann(origin):
        seg = struct.pack(">BBII", 2, 2, 174, origin)
        attrs = (b"\x40\x01\x01\x00" + struct.pack(">BBB", 0x40, 2,
                 len(seg)) + seg + b"\x40\x03\x04" +
                 socket.inet_aton("192.0.2.254"))
        return bmp(0, ph + upd(b"", attrs, pfx))

    pfx = b"\x18\xc0\x00\x02"
    wd = bmp(0, ph + upd(pfx, b"", b""))
    s = socket.create_connection(("127.0.0.1", port), 5)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    fd = p.stdout.fileno()
    buf = b""
    lat = []

    for i in range(400):
        # a new origin each round: a new event, never dampened
        for msg in (ann(4134 + i), wd):
            t0 = time.perf_counter()
            s.sendall(msg)
            while True:
                if b"\n" in buf:
                    line, buf = buf.split(b"\n", 1)
                    if line.startswith(b"{"):
                        break
                    continue
                r, _, _ = select.select([fd], [], [], 5)
                assert r, "no alert within 5 s"
                buf += os.read(fd, 65536)
            lat.append((time.perf_counter() - t0) * 1000)
    lat.sort()
    n = len(lat)
    print("alerts: %d (raise + resolve), latency ms: p50 %.2f, p99 %.2f, "
          "max %.2f (target < 100)" % (n, lat[n // 2], lat[n * 99 // 100],
                                      lat[-1]))
finally:
    p.terminate()
    p.wait(10)
PY
