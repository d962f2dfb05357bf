#!/bin/sh
# bench_mrt.sh - "manrs mrt -m" against "bgpdump -m" on the same input in
# the same run, plus decode-only throughput, peak RSS as the input grows,
# and a full-table RIB written by our MRT writer.
#
#   1. Every file of $MANRS_SHARED_DATA/mrt is decompressed, cut to its
#      complete records, and the set is concatenated until the input is
#      at least BENCH_MRT_MB (default 200) MB.  Both tools print it with
#      -m; the outputs must be identical; wall and CPU times, the ratio
#      and peak RSS are printed.
#   2. Decode only: bench/mrt_decode iterates every route, decodes the
#      attributes and merges the AS path, printing nothing.
#   3. Peak RSS of "manrs mrt -m" at 1x, 2x and 4x the base input.
#   4. Full table: bench/mrt_gen writes a TABLE_DUMP_V2 RIB of 1 M IPv4 +
#      230 k IPv6 prefixes x 30 peers (BENCH_MRT_FULL=0 skips it); manrs
#      prints it, decodes it and loads it into a RIB view (the audit's
#      data structure); bgpdump runs on it when
#      BENCH_MRT_FULL_PEER=1 (about two minutes).
set -eu
MANRS=${MANRS_BIN:?MANRS_BIN not set}
B=${MANRS_BUILD_ROOT:?MANRS_BUILD_ROOT not set}
DATA=${MANRS_SHARED_DATA:?MANRS_SHARED_DATA not set}/mrt
TARGET_MB=${BENCH_MRT_MB:-200}
command -v bgpdump >/dev/null || { echo "skipped: bgpdump missing"; exit 0; }
[ -d "$DATA" ] || { echo "skipped: $DATA missing"; exit 0; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench_mrt.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# Decompress and keep whole records only (two of the files are cut).
python3 - "$DATA" "$tmp/base.mrt" <<'EOF'
import bz2, gzip, os, struct, sys, zlib
src, dst = sys.argv[1], sys.argv[2]
out = open(dst, 'wb')
for name in sorted(os.listdir(src)):
    raw = open(os.path.join(src, name), 'rb').read()
    if raw[:2] == b'\x1f\x8b':
        d = zlib.decompressobj(47)
        data = d.decompress(raw)
    elif raw[:3] == b'BZh':
        d = bz2.BZ2Decompressor()
        data = d.decompress(raw)
    else:
        data = raw
    off = 0
    while off + 12 <= len(data):
        n = struct.unpack('>I', data[off + 8:off + 12])[0]
        if off + 12 + n > len(data):
            break
        off += 12 + n
    out.write(data[:off])
EOF
base_mb=$(($(wc -c < "$tmp/base.mrt") / 1000000))
: > "$tmp/input.mrt"
copies=0
while [ $(($(wc -c < "$tmp/input.mrt") / 1000000)) -lt "$TARGET_MB" ]; do
	cat "$tmp/base.mrt" >> "$tmp/input.mrt"
	copies=$((copies + 1))
done
size=$(wc -c < "$tmp/input.mrt")
echo "input: shared MRT files, ${base_mb} MB uncompressed, x$copies = $size bytes"

# measure NAME CMD... : wall, user+sys CPU and peak RSS into $tmp/NAME.t
measure() {
	name=$1
	shift
	/usr/bin/time -f "%e %U %S %M" -o "$tmp/$name.t" "$@"
}
field() { awk -v f="$2" '{ print $f }' "$tmp/$1.t"; }
cpu() { awk '{ printf "%.2f", $2 + $3 }' "$tmp/$1.t"; }

cat "$tmp/input.mrt" > /dev/null	# warm the page cache for both
measure bgpdump sh -c "bgpdump -q -m '$tmp/input.mrt' > '$tmp/bgpdump.out'"
measure manrs sh -c "'$MANRS' mrt -m '$tmp/input.mrt' > '$tmp/manrs.out'"
if cmp -s "$tmp/bgpdump.out" "$tmp/manrs.out"; then
	same="identical"
else
	same="DIFFERENT"
fi
lines=$(wc -l < "$tmp/manrs.out")
rm -f "$tmp/bgpdump.out" "$tmp/manrs.out"
awk -v bw="$(field bgpdump 1)" -v mw="$(field manrs 1)" \
    -v bc="$(cpu bgpdump)" -v mc="$(cpu manrs)" -v sz="$size" \
    -v br="$(field bgpdump 4)" -v mr="$(field manrs 4)" -v l="$lines" \
    -v same="$same" 'BEGIN {
	if (mw < 0.01) mw = 0.01; if (mc < 0.01) mc = 0.01;
	printf "bgpdump -m: %.2f s wall, %.2f s cpu, %.1f MB/s, peak RSS %d KiB\n", bw, bc, sz / 1e6 / bw, br;
	printf "manrs mrt -m: %.2f s wall, %.2f s cpu, %.1f MB/s, peak RSS %d KiB\n", mw, mc, sz / 1e6 / mw, mr;
	printf "ratio (bgpdump / manrs): %.1fx wall, %.1fx cpu; output %s (%d lines)\n", bw / mw, bc / mc, same, l;
}'
[ "$same" = identical ] || exit 1

"$B/bench/mrt_decode" "$tmp/input.mrt"

# Peak RSS as the input grows.
cp "$tmp/base.mrt" "$tmp/x1.mrt"
cat "$tmp/x1.mrt" "$tmp/x1.mrt" > "$tmp/x2.mrt"
cat "$tmp/x2.mrt" "$tmp/x2.mrt" > "$tmp/x4.mrt"
for x in 1 2 4; do
	measure "rss$x" sh -c "'$MANRS' mrt -m '$tmp/x$x.mrt' > /dev/null"
	echo "peak RSS manrs mrt -m, ${x}x input ($(($(wc -c < "$tmp/x$x.mrt") / 1000000)) MB): $(field "rss$x" 4) KiB"
done
rm -f "$tmp"/x*.mrt "$tmp/input.mrt"

if [ "${BENCH_MRT_FULL:-1}" = 1 ]; then
	measure gen sh -c "'$B/bench/mrt_gen' rib -4 1000000 -6 230000 -p 30 > '$tmp/full.mrt'"
	fsize=$(wc -c < "$tmp/full.mrt")
	echo "full table (mrt_gen rib -4 1000000 -6 230000 -p 30): $fsize bytes, written in $(field gen 1) s"
	measure full sh -c "'$MANRS' mrt -m '$tmp/full.mrt' | wc -l > '$tmp/full.lines'"
	echo "manrs mrt -m full table: $(cat "$tmp/full.lines") lines, $(field full 1) s wall, $(cpu full) s cpu, peak RSS $(field full 4) KiB"
	"$B/bench/mrt_decode" "$tmp/full.mrt"
	measure view sh -c "'$MANRS' mrt --rib-stats '$tmp/full.mrt' > '$tmp/view.out'"
	echo "RIB view of the full table: $(tr '\n' ' ' < "$tmp/view.out"); load $(field view 1) s wall, $(cpu view) s cpu, peak RSS $(field view 4) KiB"
	if [ "${BENCH_MRT_FULL_PEER:-0}" = 1 ]; then
		measure fullpeer sh -c "bgpdump -q -m '$tmp/full.mrt' | wc -l > /dev/null"
		echo "bgpdump -m full table: $(field fullpeer 1) s wall, $(cpu fullpeer) s cpu, peak RSS $(field fullpeer 4) KiB"
	fi
fi
