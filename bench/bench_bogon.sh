#!/bin/sh
# bench_bogon.sh - "manrs prefix bogon" against Debian's grepcidr 2.0 on the
# same input in the same run: N addresses (IPv4 and IPv6, deterministic
# pseudo-random, about 8% in bogon space), grepcidr given the same
# special-purpose bogon blocks as patterns (-f).  Both print the lines in
# bogon space; the counts must agree except for the globally reachable
# carve-outs grepcidr cannot express.  Prints times, ratio and peak RSS.
#   usage: bench_bogon.sh [N]     (default 1000000)
set -eu
n=${1:-1000000}
manrs=${MANRS_BIN:?MANRS_BIN not set}
command -v grepcidr >/dev/null || { echo "skipped: grepcidr not installed"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
python3 - "$n" "$tmp/in.txt" <<'EOP'
import random, sys, ipaddress
n, path = int(sys.argv[1]), sys.argv[2]
r = random.Random(20261126)
with open(path, 'w') as f:
    for i in range(n):
        if r.random() < 0.8:
            a = r.getrandbits(32)
            if r.random() < 0.05:      # make some private ones
                a = (10 << 24) | r.getrandbits(24)
            f.write(str(ipaddress.IPv4Address(a)) + '\n')
        else:
            a = (0x2 << 124) | r.getrandbits(124) if r.random() < 0.9 \
                else (0xfc << 120) | r.getrandbits(120)
            f.write(str(ipaddress.IPv6Address(a)) + '\n')
EOP
# The bogon source blocks, taken from our own nft output (same table).
printf 'customer x\n interface e\n homing single\n prefix 185.0.0.0/24\n' >"$tmp/c.txt"
"$manrs" sav -d nft --empty-family drop "$tmp/c.txt" | sed -n 's/^\t\telements = { \(.*\) }$/\1/p' |
    head -2 | tr ',' '\n' | tr -d ' ' >"$tmp/bogons.txt"
# Best of 3 runs each, alternating, to damp the noise of a shared machine.
best() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b < a) ? b : a }'; }
ours= peer=
for run in 1 2 3; do
	t0=$(date +%s.%N)
	/usr/bin/time -f %M -o "$tmp/rss.ours" "$manrs" prefix bogon "$tmp/in.txt" >"$tmp/ours.out" || [ $? = 5 ]
	t1=$(date +%s.%N)
	/usr/bin/time -f %M -o "$tmp/rss.peer" grepcidr -f "$tmp/bogons.txt" "$tmp/in.txt" >"$tmp/peer.out" || true
	t2=$(date +%s.%N)
	ours=$(best "$ours" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')")
	peer=$(best "$peer" "$(awk -v a="$t1" -v b="$t2" 'BEGIN { print b - a }')")
done
echo "input: $n addresses, $(wc -l <"$tmp/bogons.txt") bogon blocks"
echo "manrs prefix bogon: $(wc -l <"$tmp/ours.out") bogons, ${ours}s, peak RSS $(tail -1 "$tmp/rss.ours") KiB"
echo "grepcidr -f:        $(wc -l <"$tmp/peer.out") matches, ${peer}s, peak RSS $(tail -1 "$tmp/rss.peer") KiB"
echo "ratio (ours / grepcidr): $(awk -v a="$ours" -v b="$peer" 'BEGIN { printf "%.2f", a / b }')"
