#!/bin/sh
# Interop: bgpq4 -A (Debian bgpq4) against our bgpq4-style aggregation
# (manrs_trie_walk_aggregated, via "manrs prefix aggregate -A").
#
# "manrs irrd" serves generated RPSL files (route/route6 objects of a few
# origins, shaped to hit every fold bgpq4 makes: complete levels, stored
# parents, "son" ranges, partial subtrees) and, when the shared data is
# there, the route objects of the largest origins of the RIPE NONAUTH
# dump.  For each origin and family, bgpq4 -A renders the list in several
# formats (user format, Cisco, BIRD, JSON, Juniper route-filter, OpenBGPD,
# Huawei); we fold the origin's prefixes, taken straight from the RPSL
# file, and render them the same way here; outputs must be equal byte for
# byte.  bgpq4's -R/-r refine options, alone and with -A, are compared
# in the user format.  Exit 77 (skip) when bgpq4 or "manrs irrd" is
# missing.
set -u
M=${MANRS_BIN:-}
if ! command -v bgpq4 >/dev/null 2>&1; then
	echo "SKIP: bgpq4 not installed"
	exit 77
fi
if [ -z "$M" ] || ! "$M" irrd --help >/dev/null 2>&1; then
	echo "SKIP: 'manrs irrd' not available (MANRS_BIN=$M)"
	exit 77
fi
SHARED=${MANRS_SHARED_DATA:-}
T=$(mktemp -d)
# Started as root, irrd drops to an unprivileged user before reading.
chmod 755 "$T"
SRV=
cleanup() {
	[ -n "$SRV" ] && kill "$SRV" 2>/dev/null && wait "$SRV" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

# Generated route objects: gen SEED ASN
gen() {
	python3 - "$1" "$2" <<'EOF'
import ipaddress, random, sys
r = random.Random(int(sys.argv[1]))
asn = sys.argv[2]
v4, v6 = set(), set()
def net4(a, l):
    return ipaddress.IPv4Network((a & ((0xffffffff << (32 - l)) & 0xffffffff), l))
def fill(a, l, depth):
    if l > 32 or depth > 9:
        return
    if r.random() < 0.45:
        v4.add(net4(a, l))
    for half in (0, 1):
        if l < 32 and r.random() < 0.85:
            fill(a | (half << (31 - l)), l + 1, depth + 1)
for _ in range(60):
    a = r.getrandbits(32) & 0xdfffff00
    l = r.choice([16, 18, 20, 21, 22, 23])
    if r.random() < 0.5:
        top = min(24, l + r.choice([1, 2, 3]))
        for k in range(1 << (top - l)):
            v4.add(net4(a | (k << (32 - top)), top))
        if r.random() < 0.5:
            v4.add(net4(a, l))
        if r.random() < 0.3:
            for k in range(1 << (top - l)):
                v4.add(net4(a | (k << (32 - top)), top - 1))
    else:
        fill(a, l, 0)
for _ in range(25):
    hi = (0x2001 << 112) | (r.getrandbits(32) << 80)
    l = r.choice([32, 36, 40, 44])
    hi &= ((1 << 128) - 1) ^ ((1 << (128 - l)) - 1)
    for k in range(1 << r.choice([1, 2, 3, 4])):
        a = hi | (k << (128 - l - 4))
        v6.add(ipaddress.IPv6Network((a, l + 4)))
        if r.random() < 0.4:
            v6.add(ipaddress.IPv6Network((a, l + 8)))
            v6.add(ipaddress.IPv6Network((a | (1 << (120 - l)), l + 8)))
    if r.random() < 0.5:
        v6.add(ipaddress.IPv6Network((hi, l)))
for n in sorted(v4) + sorted(v6):
    print("%-16s%s\norigin:         %s\nmnt-by:         TEST-MNT\n"
          "source:         TEST\n" % ("route6:" if n.version == 6 else
                                     "route:", n, asn))
EOF
}

: >"$T/db.rpsl"
ASNS=
i=1
for asn in AS196615 AS196616 AS196617; do
	gen $i $asn >>"$T/db.rpsl"
	ASNS="$ASNS $asn"
	i=$((i + 1))
done
SOURCES="--source TEST=$T/db.rpsl"
ROUTES="$SHARED/irr/ripe-nonauth.db.route.gz"
if [ -n "$SHARED" ] && [ -r "$ROUTES" ]; then
	# The three origins with the most route objects.
	zcat "$ROUTES" | awk '
	    /^route:/ { p = $2 } /^origin:/ { print toupper($2), p }' \
	    >"$T/real.pairs"
	for asn in $(awk '{ print $1 }' "$T/real.pairs" | sort | uniq -c |
	    sort -k1,1nr -k2 | head -3 | awk '{ print $2 }'); do
		awk -v a="$asn" '$1 == a { printf "route:          %s\n" \
		    "origin:         %s\nsource:         REAL\n\n", $2, $1 }' \
		    "$T/real.pairs" >>"$T/real.rpsl"
		ASNS="$ASNS $asn"
	done
	SOURCES="$SOURCES --source REAL=$T/real.rpsl"
else
	echo "note: shared data absent, real route objects not compared"
fi

# shellcheck disable=SC2086
"$M" irrd --listen 127.0.0.1:0 --port-file "$T/port" $SOURCES \
    2>"$T/server.log" &
SRV=$!
n=0
while [ ! -s "$T/port" ]; do
	n=$((n + 1))
	if [ $n -gt 300 ] || ! kill -0 "$SRV" 2>/dev/null; then
		echo "FAIL: manrs irrd did not start"; cat "$T/server.log"
		exit 1
	fi
	sleep 0.1
done
PORT=$(head -1 "$T/port")

# render FORMAT AF < "ADDR LEN MIN MAX" lines: bgpq4's printers.
render() {
	awk -v fmt="$1" -v af="$2" '
	function kind() { return ($3 == $2 && $4 == $2) ? "x" : \
	    ($3 > $2 ? "ge" : "le") }
	BEGIN {
		fam = af == 4 ? "ip" : "ipv6"
		any = af == 4 ? "0.0.0.0/0" : "::/0"
		if (fmt == "cisco") print "no " fam " prefix-list NN"
		if (fmt == "json") printf "{ \"NN\": ["
		if (fmt == "juniper") printf "policy-options {\n" \
		    " policy-statement NN { \nreplace:\n  from {\n"
		if (fmt == "huawei") print "undo ip " fam "-prefix NN"
		n = 0
	}
	{
		p = $1 "/" $2; k = kind(); sep = n ? ",\n    " : "\n    "
		if (fmt == "cisco") {
			printf "%s prefix-list NN permit %s", fam, p
			if (k == "ge") printf " ge %d le %d", $3, $4
			if (k == "le") printf " le %d", $4
			printf "\n"
		} else if (fmt == "bird") {
			if (n == 0) printf "NN = ["
			printf "%s%s", sep, p
			if (k != "x") printf "{%d,%d}", $3, $4
		} else if (fmt == "json") {
			printf "%s{ \"prefix\": \"%s\\/%s\", \"exact\": ", sep,
			    $1, $2
			if (k == "x") printf "true }"
			if (k == "ge") printf "false,\n      \"greater-equal\"" \
			    ": %d, \"less-equal\": %d }", $3, $4
			if (k == "le") printf "false, \"less-equal\": %d }", $4
		} else if (fmt == "juniper") {
			printf "    route-filter %s ", p
			if (k == "x") print "exact;"
			if (k == "ge") printf "prefix-length-range /%d-/%d;\n",
			    $3, $4
			if (k == "le") printf "upto /%d;\n", $4
		} else if (fmt == "openbgpd") {
			if (n == 0) printf "prefix { "
			printf "\n\t%s", p
			if (k != "x" && $3 == $4) printf " prefixlen = %d", $4
			else if (k != "x") printf " prefixlen %d - %d", $3, $4
		} else if (fmt == "huawei") {
			printf "ip %s-prefix NN permit %s %s", fam, $1, $2
			if (k == "ge") printf " greater-equal %d less-equal %d",
			    $3, $4
			if (k == "le") printf " less-equal %d", $4
			printf "\n"
		}
		n++
	}
	END {
		if (fmt == "cisco" && n == 0)
			printf "! generated prefix-list NN is empty\n" \
			    "%s prefix-list NN deny %s\n", fam, any
		if (fmt == "bird" && n > 0) printf "\n];\n"
		if (fmt == "json") printf "\n] }\n"
		if (fmt == "juniper") {
			if (n == 0) printf "    route-filter %s orlonger " \
			    "reject;\n", any
			printf "  }\n }\n}\n"
		}
		if (fmt == "openbgpd") {
			if (n == 0) printf "# generated prefix-list NN (AS 0)" \
			    " is empty\n# use -a <asn> to generate \"deny " \
			    "from ASN <asn>\" instead of this list\nprefix { "
			printf "\n\t}\n"
		}
		if (fmt == "huawei" && n == 0)
			printf "ip %s-prefix NN deny %s\n", fam, any
	}'
}

flags() {
	case $1 in
	cisco) echo "-l NN" ;;
	bird) echo "-b" ;;
	json) echo "-j" ;;
	juniper) echo "-J -E" ;;
	openbgpd) echo "-B" ;;
	huawei) echo "-U" ;;
	esac
}

fail=0
cases=0
for asn in $ASNS; do
	# The origin's prefixes, straight from the RPSL files.
	cat "$T/db.rpsl" "$T/real.rpsl" 2>/dev/null | awk -v a="$asn" '
	    /^route6?:/ { p = $2 } /^origin:/ && toupper($2) == a { print p }' \
	    >"$T/list"
	if ! "$M" prefix aggregate -A -F '%n %l %a %A\n' "$T/list" \
	    >"$T/ranges"; then
		echo "FAIL: manrs prefix aggregate -A on $asn"; fail=1
		continue
	fi
	grep -v : "$T/ranges" >"$T/ranges.4"
	grep : "$T/ranges" >"$T/ranges.6"
	for af in 4 6; do
		for fmt in user cisco bird json juniper openbgpd huawei; do
			cases=$((cases + 1))
			if [ $fmt = user ]; then
				bgpq4 -h "127.0.0.1:$PORT" -$af -A \
				    -F '%n/%l_%a_%A\n' "$asn" >"$T/want" \
				    2>"$T/err"
			else
				# shellcheck disable=SC2046
				bgpq4 -h "127.0.0.1:$PORT" -$af -A \
				    $(flags $fmt) "$asn" >"$T/want" 2>"$T/err"
			fi
			if [ $fmt = user ]; then
				awk '{ print $1 "/" $2 "_" $3 "_" $4 }' \
				    "$T/ranges.$af" >"$T/got"
			else
				render $fmt $af <"$T/ranges.$af" >"$T/got"
			fi
			if ! cmp -s "$T/want" "$T/got"; then
				echo "FAIL: $asn IPv$af $fmt differs from" \
				    "bgpq4 -A:"
				diff "$T/want" "$T/got" | head -10
				head -3 "$T/err"
				fail=1
			fi
		done
	done
	# bgpq4's refine options, alone and with -A (user format).
	for opts in "-R 24" "-r 22" "-A -R 24" "-A -r 23" "-R 26 -r 22" \
	    "-A -R 25 -r 20" "-R 48" "-r 44" "-A -R 48" "-A -r 46"; do
		set -- $opts
		eval "last=\${$#}"
		af=4
		[ "$last" -gt 32 ] && af=6
		cases=$((cases + 1))
		bgpq4 -h "127.0.0.1:$PORT" -$af "$@" -F '%n/%l_%a_%A\n' \
		    "$asn" >"$T/want" 2>"$T/err"
		"$M" prefix aggregate -$af "$@" -F '%n/%l_%a_%A\n' \
		    "$T/list" >"$T/got"
		if ! cmp -s "$T/want" "$T/got"; then
			echo "FAIL: $asn IPv$af bgpq4 $opts differs:"
			diff "$T/want" "$T/got" | head -10
			head -3 "$T/err"
			fail=1
		fi
	done
	echo "ok: $asn ($(wc -l <"$T/list") prefixes," \
	    "$(wc -l <"$T/ranges") ranges)"
done
kill -0 "$SRV" 2>/dev/null || { echo "FAIL: manrs irrd died"; fail=1; }
echo "$cases comparisons, $([ $fail -eq 0 ] && echo all equal || echo FAILED)"
exit $fail
