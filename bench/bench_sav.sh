#!/bin/sh
# bench_sav.sh - "manrs sav" on N customers (4 prefixes each, IPv4 and
# IPv6), every dialect, and nftables' own parser ("nft -c -f", the only
# Debian peer that touches this output) on the same ruleset in the same
# run: our generation time against the time nft needs just to check it.
#   usage: bench_sav.sh [N]     (default 10000)
set -eu
n=${1:-10000}
manrs=${MANRS_BIN:?MANRS_BIN not set}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
awk -v n="$n" 'BEGIN {
	print "operator AS64500\nown 185.0.0.0/16 2a0a::/16\nuplink up0"
	for (i = 0; i < n; i++) {
		a = 64 + int(i / 256); b = i % 256
		printf "customer c%d\n interface e%d\n homing %s\n", i, i, (i % 5) ? "single" : "multi"
		printf " prefix 45.%d.%d.0/24 46.%d.%d.0/24\n", a, b, a, b
		printf " prefix 2a0b:%x:%x::/48 2a0c:%x:%x::/48\n", a, b, a, b
	}
}' >"$tmp/customers.txt"
echo "input: $n customers, $((4 * n)) prefixes"
for d in summary nft sysctl cisco iosxr junos eos sros; do
	t0=$(date +%s.%N)
	/usr/bin/time -f %M -o "$tmp/rss" "$manrs" sav -d "$d" "$tmp/customers.txt" >"$tmp/out.$d"
	t1=$(date +%s.%N)
	printf 'manrs sav -d %-8s %8.3fs  %9d bytes  peak RSS %s KiB\n' "$d" \
	    "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" \
	    "$(wc -c <"$tmp/out.$d")" "$(tail -1 "$tmp/rss")"
	[ "$d" = nft ] && ours=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
done
if command -v nft >/dev/null && nft -c -f /dev/null 2>/dev/null; then
	t0=$(date +%s.%N)
	/usr/bin/time -f %M -o "$tmp/rss" nft -c -f "$tmp/out.nft"
	t1=$(date +%s.%N)
	peer=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
	echo "nft -c -f (same ruleset): ${peer}s, peak RSS $(tail -1 "$tmp/rss") KiB"
	echo "ratio (manrs sav -d nft / nft -c): $(awk -v a="$ours" -v b="$peer" 'BEGIN { printf "%.3f", a / b }')"
else
	echo "nft -c not usable here: peer skipped"
fi
