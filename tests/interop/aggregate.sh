#!/bin/sh
# Interop: "manrs prefix aggregate" against Debian's aggregate(1) on the
# same input, for several option sets; standard output must be equal
# byte for byte.  Inputs: random prefix lists (fixed seeds), messy lines
# (short forms, zero padding, trailing text, bad lines, host bits), and
# real route objects from the RIPE NONAUTH dump in the shared data.
# Exit 77 (skip) when aggregate(1) or the manrs binary is missing.
set -u
MANRS_BIN=${MANRS_BIN:-}
AGG=$(command -v aggregate || true)
if [ -z "$AGG" ]; then
	echo "SKIP: aggregate(1) not installed (Debian package aggregate)"
	exit 77
fi
if [ -z "$MANRS_BIN" ] || [ ! -x "$MANRS_BIN" ]; then
	echo "SKIP: MANRS_BIN not set or not executable"
	exit 77
fi
SHARED=${MANRS_SHARED_DATA:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0
cases=0

# compare NAME INPUT [OPTIONS...]
compare() {
	name=$1 in=$2
	shift 2
	cases=$((cases + 1))
	"$AGG" -q "$@" < "$in" > "$tmp/want" 2>/dev/null
	"$MANRS_BIN" prefix aggregate -q "$@" < "$in" > "$tmp/got" 2>/dev/null
	if ! cmp -s "$tmp/want" "$tmp/got"; then
		echo "FAIL: $name (options: $*): output differs from aggregate"
		diff "$tmp/want" "$tmp/got" | head -20
		fail=$((fail + 1))
	fi
}

# Random IPv4 lists: nested, adjacent and duplicate prefixes.
gen_random() {
	python3 - "$1" "$2" <<'EOF'
import random, sys
seed, n = int(sys.argv[1]), int(sys.argv[2])
r = random.Random(seed)
bases = [r.getrandbits(32) for _ in range(max(1, n // 40))]
for _ in range(n):
    b = r.choice(bases)
    ln = r.choice([8, 12, 16, 18, 20, 21, 22, 23, 24, 24, 24, 25, 26,
                   28, 30, 31, 32])
    a = (b ^ r.getrandbits(max(0, 28 - r.randrange(0, 20)))) & \
        ((0xffffffff << (32 - ln)) & 0xffffffff)
    if r.random() < 0.1:
        a |= r.getrandbits(32 - ln) if ln < 32 else 0   # host bits
    print("%d.%d.%d.%d/%d" % (a >> 24, (a >> 16) & 255, (a >> 8) & 255,
                              a & 255, ln))
    if r.random() < 0.2 and ln < 32:      # the sibling, to merge
        s = a ^ (1 << (32 - ln))
        s &= (0xffffffff << (32 - ln)) & 0xffffffff
        print("%d.%d.%d.%d/%d" % (s >> 24, (s >> 16) & 255,
                                  (s >> 8) & 255, s & 255, ln))
EOF
}

# Full /24 blocks that merge into long chains, in shuffled order.
gen_blocks() {
	python3 - "$1" <<'EOF'
import random, sys
r = random.Random(int(sys.argv[1]))
out = []
for blk in range(20):
    base = r.getrandbits(16) << 16
    for i in range(r.choice([2, 4, 8, 16, 32, 64])):
        if r.random() < 0.9:
            out.append("%d.%d.%d.0/24" % (base >> 24, (base >> 16) & 255, i))
    out.append("%d.%d.%d.0/25" % (base >> 24, (base >> 16) & 255, 200))
    out.append("%d.%d.%d.128/25" % (base >> 24, (base >> 16) & 255, 200))
r.shuffle(out)
print("\n".join(out))
EOF
}

for seed in 1 2 3 4 5; do
	gen_random $seed 1500 > "$tmp/r$seed"
	compare "random-$seed" "$tmp/r$seed"
	compare "random-$seed" "$tmp/r$seed" -t
	compare "random-$seed" "$tmp/r$seed" -v
	compare "random-$seed" "$tmp/r$seed" -t -v -o 24
	compare "random-$seed" "$tmp/r$seed" -m 28 -o 22
	compare "random-$seed" "$tmp/r$seed" -p 32 -t
	gen_blocks $seed > "$tmp/b$seed"
	compare "blocks-$seed" "$tmp/b$seed"
	compare "blocks-$seed" "$tmp/b$seed" -v
	compare "blocks-$seed" "$tmp/b$seed" -o 23 -v
done

# Messy lines: aggregate's own reading rules.
cat > "$tmp/messy" <<'EOF'
10.0.0.0/24
10.0.1.0/ 24
10.0.2.0 /24
010.000.003.000/24
10.4/16
10.5.0/16
167772160/8
10.6.0.0/16 trailing text
10.7.0.0 comment/16
10.8.0.1/24
10.9.0.0/33
10.10.0.0/0
10.11.0.0/-8
 10.12.0.0/16
10.13.0.0/+16
256.0.0.0/8
10.14.0.0.0/16
a.b.c.d/8
10.15.0.0/16x
0.0.0.0/1
128.0.0.0/1
192.168.0.0/16
192.168.0.0/16
EOF
compare messy "$tmp/messy"
compare messy "$tmp/messy" -v
compare messy "$tmp/messy" -t -v
compare messy "$tmp/messy" -p 24 -t -v

# Real route objects (RIPE NONAUTH), first 6000 and a shuffled 6000.
if [ -n "$SHARED" ] && [ -r "$SHARED/irr/ripe-nonauth.db.route.gz" ]; then
	zcat "$SHARED/irr/ripe-nonauth.db.route.gz" |
	    awk '$1 == "route:" { print $2 }' > "$tmp/routes"
	head -n 6000 "$tmp/routes" > "$tmp/real1"
	python3 -c '
import random, sys
l = open(sys.argv[1]).read().split()
random.Random(7).shuffle(l)
print("\n".join(l[:6000]))' "$tmp/routes" > "$tmp/real2"
	compare ripe-nonauth-head "$tmp/real1"
	compare ripe-nonauth-head "$tmp/real1" -v
	compare ripe-nonauth-shuffled "$tmp/real2"
	compare ripe-nonauth-shuffled "$tmp/real2" -o 22 -v
else
	echo "note: shared data absent, real route objects not compared"
fi

echo "$cases cases, $fail failed"
[ "$fail" -eq 0 ]
