#!/bin/sh
# sav_netns.sh - proof that "manrs sav" filters stop spoofing, in network
# namespaces (iproute2 + nftables from Debian):
#
#   customer ns  --veth--  router ns  --veth--  upstream ns
#   185.0.4.2/24            (manrs sav nft        45.0.0.2/24
#   2a0a:1000:100::2/64      + sysctl output)     2a0b::2/64 (receiver)
#
# 1. With the ruleset of "manrs sav -d nft" and the rp_filter values of
#    "-d sysctl" loaded in the router, "manrs spoof-probe" from the
#    customer must see its legit probes arrive and every spoofed class
#    (private, routable, neighbour) dropped, for IPv4 and IPv6 (exit 0,
#    CSV spoofed=no).
#    With the nft filters alone (no uRPF) they are still all dropped, by
#    the exact rules expected (counters).
# 2. With the rules removed (and rp_filter 0), the same probes must arrive
#    (exit 5, CSV spoofed=yes): the test can fail.
# 3. A multi-homed customer: loose uRPF alone lets spoofing through (the
#    router has a default route); with the explicit-permit filter it stops.
# Each CSV is read back by "manrs audit --spoofer" (M5).
# Needs root with CAP_NET_ADMIN/CAP_NET_RAW and "ip netns"; otherwise it
# skips (77) saying why.  Every namespace it creates is deleted on exit.
set -u
manrs=${MANRS_BIN:?MANRS_BIN not set}
src=${MANRS_SOURCE_ROOT:?MANRS_SOURCE_ROOT not set}
PATH=$PATH:/usr/sbin:/sbin
skip() { echo "SKIP: $*"; exit 77; }
command -v ip >/dev/null || skip "ip (iproute2) not installed"
command -v nft >/dev/null || skip "nft (nftables) not installed"
command -v sysctl >/dev/null || skip "sysctl (procps) not installed"
[ "$(id -u)" = 0 ] || skip "needs root (ip netns, raw sockets)"

tag=h$$
C=sav-c-$tag R=sav-r-$tag U=sav-u-$tag
tmp=$(mktemp -d)
# spoof-probe drops to an unprivileged user and then replaces its --csv
# file by rename in the CSV's folder: that user must be able to write it.
# Sticky, as /tmp: the temporary file is handed to that user before the
# drop, so it may rename it there.
chmod 1777 "$tmp"
rpid=
cleanup() {
	[ -n "$rpid" ] && kill "$rpid" 2>/dev/null && wait "$rpid" 2>/dev/null
	for ns in $C $R $U; do ip netns del "$ns" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
ip netns add "$C" 2>"$tmp/err" || skip "ip netns add refused: $(cat "$tmp/err")"
ip netns add "$R" && ip netns add "$U" || exit 1
inC() { ip netns exec "$C" "$@"; }
inR() { ip netns exec "$R" "$@"; }
inU() { ip netns exec "$U" "$@"; }

set -e
ip link add c0-$tag netns "$C" type veth peer name rc-$tag netns "$R"
ip link add u0-$tag netns "$U" type veth peer name ru-$tag netns "$R"
inC ip link set lo up; inR ip link set lo up; inU ip link set lo up
inC ip link set c0-$tag name c0; inR ip link set rc-$tag name rcust
inU ip link set u0-$tag name u0; inR ip link set ru-$tag name rup
for ns in $C $R $U; do
	ip netns exec "$ns" sysctl -qw net.ipv4.conf.all.rp_filter=0
	ip netns exec "$ns" sysctl -qw net.ipv4.conf.default.rp_filter=0
done
inC ip addr add 185.0.4.2/24 dev c0
inC ip addr add 2a0a:1000:100::2/64 dev c0 nodad
inC ip link set c0 up
inC ip route add default via 185.0.4.1
inC ip -6 route add default via 2a0a:1000:100::1
inR ip addr add 185.0.4.1/24 dev rcust
inR ip addr add 2a0a:1000:100::1/64 dev rcust nodad
inR ip addr add 45.0.0.1/24 dev rup
inR ip addr add 2a0b::1/64 dev rup nodad
inR ip link set rcust up; inR ip link set rup up
inR sysctl -qw net.ipv4.ip_forward=1
inR sysctl -qw net.ipv6.conf.all.forwarding=1
inR sysctl -qw net.ipv4.conf.rcust.rp_filter=0 net.ipv4.conf.rup.rp_filter=0
inU ip addr add 45.0.0.2/24 dev u0
inU ip addr add 2a0b::2/64 dev u0 nodad
inU ip link set u0 up
inU ip route add default via 45.0.0.1
inU ip -6 route add default via 2a0b::1
inU sysctl -qw net.ipv4.conf.u0.rp_filter=0
# The router's way to the rest of the world is its upstream.
inR ip route add default via 45.0.0.2
inR ip -6 route add default via 2a0b::2
set +e
# Wait for IPv6 duplicate address detection of the link-local addresses:
# until it ends, neighbour discovery holds packets back and the first
# probes could arrive after the sender asked for its results.
i=0
while [ -n "$(inC ip -6 addr show tentative)$(inR ip -6 addr show tentative)$(inU ip -6 addr show tentative)" ]; do
	i=$((i + 1))
	[ $i -gt 100 ] && { echo "FAIL: IPv6 addresses stay tentative"; exit 1; }
	sleep 0.1
done

cat >"$tmp/customers.txt" <<EOC
operator AS64500
own 185.0.0.0/22 45.0.0.0/24 2a0a:1000::/32 2a0b::/64
uplink rup
customer acme
    interface rcust
    homing single
    prefix 185.0.4.0/24 2a0a:1000:100::/48
EOC
"$manrs" sav -d nft "$tmp/customers.txt" >"$tmp/sav.nft" || exit 1
"$manrs" sav -d sysctl "$tmp/customers.txt" >"$tmp/sav.sysctl" || exit 1

port=$((40000 + $$ % 20000))
inU "$manrs" spoof-probe --receive 45.0.0.2 --receive 2a0b::2 \
    --port "$port" --duration 120 >"$tmp/recv.log" 2>&1 &
rpid=$!
i=0
while [ "$(grep -c listening "$tmp/recv.log" 2>/dev/null)" != 2 ]; do
	i=$((i + 1))
	[ $i -gt 50 ] && { echo "FAIL: receiver did not start"; cat "$tmp/recv.log"; exit 1; }
	sleep 0.1
done

probe() {	# $1 = run name; prints the report, leaves the CSV
	inC "$manrs" spoof-probe --to 45.0.0.2 --to 2a0b::2 --port "$port" \
	    --count 3 --rate 50 --wait 1 --routable 46.0.0.9 \
	    --routable 2a0c::9 --asn 64500 --csv "$tmp/$1.csv" >"$tmp/$1.out"
	echo $? >"$tmp/$1.rc"
	sed "s/^/  $1: /" "$tmp/$1.out"
}

fail=0
check() {	# $1 = what, $2 = condition result (0 = ok)
	if [ "$2" = 0 ]; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi
}

# --- 1: filters loaded ----------------------------------------------
inR nft -f "$tmp/sav.nft" || { echo "FAIL: nft -f rejected the ruleset"; exit 1; }
inR sysctl -q -p "$tmp/sav.sysctl" >/dev/null || { echo "FAIL: sysctl -p"; exit 1; }
probe filtered
check "filtered: exit status 0 (spoofing blocked)" "$([ "$(cat "$tmp/filtered.rc")" = 0 ]; echo $?)"
for fam in ipv4 ipv6; do
	n=$(grep -c "^  legit .*received 3$" "$tmp/filtered.out")
	check "filtered: legit probes arrive (both families: $n of 2)" "$([ "$n" = 2 ]; echo $?)"
	break
done
for cls in private routable neighbour; do
	n=$(grep -c "^  $cls .*received 0  blocked$" "$tmp/filtered.out")
	check "filtered: $cls class dropped for IPv4 and IPv6" "$([ "$n" = 2 ]; echo $?)"
done
check "filtered: CSV header and two 'no' rows" "$([ "$(head -1 "$tmp/filtered.csv")" = time,asn,prefix,spoofed ] &&
    [ "$(grep -c ',64500,185.0.4.0/24,no$\|,64500,2a0a:1000:100::/48,no$' "$tmp/filtered.csv")" = 2 ]; echo $?)"
# The CSV feeds the audit (MANRS M5): no prefix leaked, score 100.
m5() {	# $1 = csv; prints "value score tests" of M5 for AS64500
	: >"$tmp/empty.mrt"
	"$manrs" audit 64500 --json --rib "$tmp/empty.mrt" --spoofer "$1" 2>/dev/null |
	    python3 -c 'import json,sys; m=json.load(sys.stdin)["metrics"]["M5"]; print(m["value"], round(m["score"]), m["tests"])'
}
check "filtered: manrs audit reads the CSV: M5 = 0 leaking prefixes, score 100 ($(m5 "$tmp/filtered.csv"))" \
    "$([ "$(m5 "$tmp/filtered.csv")" = "0 100 2" ]; echo $?)"
drops=$(inR nft list ruleset | grep -c 'counter packets [1-9]')
check "filtered: router counters show drops ($drops rules hit)" "$([ "$drops" -ge 1 ]; echo $?)"

# --- 1b: explicit-permit filters alone (no uRPF): still all dropped --
inR nft -f "$tmp/sav.nft"
inR nft delete chain inet manrs_sav urpf6
inR sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.rcust.rp_filter=0
probe aclonly
check "acl only: exit status 0 (spoofing blocked without uRPF)" "$([ "$(cat "$tmp/aclonly.rc")" = 0 ]; echo $?)"
for cls in private routable neighbour; do
	n=$(grep -c "^  $cls .*received 0  blocked$" "$tmp/aclonly.out")
	check "acl only: $cls class dropped for IPv4 and IPv6" "$([ "$n" = 2 ]; echo $?)"
done
inR nft list chain inet manrs_sav in_acme >"$tmp/chain.txt"
bog=$(grep 'bogon source' "$tmp/chain.txt" | sed -n 's/.*counter packets \([0-9]*\).*/\1/p' | awk '{ s += $1 } END { print s + 0 }')
npm=$(grep 'source not permitted' "$tmp/chain.txt" | sed -n 's/.*counter packets \([0-9]*\).*/\1/p')
check "acl only: bogon-source rules dropped the 6 private probes ($bog)" "$([ "$bog" = 6 ]; echo $?)"
check "acl only: explicit-permit default dropped the 12 routable+neighbour probes ($npm)" "$([ "$npm" = 12 ]; echo $?)"

# --- 2: filters removed: the probes must get through ----------------
inR nft delete table inet manrs_sav
inR sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.rcust.rp_filter=0
probe open
check "open: exit status 5 (spoofed probes got through)" "$([ "$(cat "$tmp/open.rc")" = 5 ]; echo $?)"
for cls in legit private routable neighbour; do
	n=$(grep -c "^  $cls .*received 3" "$tmp/open.out")
	check "open: $cls class arrives for IPv4 and IPv6" "$([ "$n" = 2 ]; echo $?)"
done
check "open: CSV has two 'yes' rows" "$([ "$(grep -c ',yes$' "$tmp/open.csv")" = 2 ]; echo $?)"
check "open: manrs audit reads the CSV: M5 = 2 leaking prefixes ($(m5 "$tmp/open.csv"))" \
    "$([ "$(m5 "$tmp/open.csv" | cut -d' ' -f1,3)" = "2 2" ]; echo $?)"
# --- 4: a multi-homed customer: loose uRPF alone lets spoofing through
# (the router has a default route, RFC 3704 section 2.4), the explicit-
# permit filter of the same "manrs sav" output stops it.
sed 's/homing single/homing multi/' "$tmp/customers.txt" >"$tmp/multi.txt"
"$manrs" sav -d nft "$tmp/multi.txt" >"$tmp/multi.nft" || exit 1
"$manrs" sav -d sysctl "$tmp/multi.txt" >"$tmp/multi.sysctl" || exit 1
check "multi: sysctl output sets rcust loose (rp_filter = 2)" \
    "$(grep -q '^net.ipv4.conf.rcust.rp_filter = 2$' "$tmp/multi.sysctl"; echo $?)"
inR sysctl -q -p "$tmp/multi.sysctl" >/dev/null
inR nft -f "$tmp/multi.nft"
inR nft delete chain inet manrs_sav forward
probe looseonly
check "multi, loose uRPF only: spoofed routable/neighbour probes get through (exit 5)" \
    "$([ "$(cat "$tmp/looseonly.rc")" = 5 ] &&
    [ "$(grep -c '^  routable .*received 3  GOT THROUGH$' "$tmp/looseonly.out")" = 2 ]; echo $?)"
inR nft -f "$tmp/multi.nft"
probe multi
check "multi, loose uRPF + explicit permit: every spoofed class dropped (exit 0)" \
    "$([ "$(cat "$tmp/multi.rc")" = 0 ]; echo $?)"

# --- 5: a customer with IPv4 space only (its IPv6 used to be dropped in
# silence).  Without --empty-family it is refused; with "drop" its IPv6
# really is dropped by the router; with "open" its IPv6 really passes
# (no IPv6 filter, no IPv6 uRPF), while the uplink egress filter still
# keeps space that is not ours from leaving.
fam() {	# $1 = report, $2 = ipv4|ipv6: that family's block
	awk -v f="$2" '/^ipv[46] receiver/ { on = ($1 == f) } on' "$1"
}
v4ok() {	# $1 = run: IPv4 legit arrives, the 3 spoofed classes blocked
	fam "$tmp/$1.out" ipv4 | grep -q '^  legit .*received 3$' &&
	    [ "$(fam "$tmp/$1.out" ipv4 | grep -c 'received 0  blocked$')" = 3 ]
}
rule_count() {	# $1 = rule comment: its packet counter in chain in_acme
	inR nft list chain inet manrs_sav in_acme | grep "$1" |
	    sed -n 's/.*counter packets \([0-9]*\).*/\1/p'
}
cat >"$tmp/v4only.txt" <<EOC
operator AS64500
own 185.0.0.0/22 45.0.0.0/24 2a0a:1000::/32 2a0b::/64
uplink rup
customer acme
    interface rcust
    homing multi
    prefix 185.0.4.0/24
EOC
"$manrs" sav -d nft "$tmp/v4only.txt" >"$tmp/v4only.nft" 2>"$tmp/v4only.err"
rc=$?
check "IPv4-only customer: refused without --empty-family (exit $rc, names it and IPv6, prints nothing)" \
    "$([ $rc = 1 ] && [ ! -s "$tmp/v4only.nft" ] &&
    grep -q "customer 'acme' has no IPv6 prefix" "$tmp/v4only.err"; echo $?)"
for e in drop open; do
	"$manrs" sav -d nft --empty-family $e "$tmp/v4only.txt" \
	    >"$tmp/$e.nft" 2>/dev/null || { echo "FAIL: sav --empty-family $e"; exit 1; }
	"$manrs" sav -d sysctl --empty-family $e "$tmp/v4only.txt" \
	    >"$tmp/$e.sysctl" 2>/dev/null || exit 1
	inR nft -f "$tmp/$e.nft" || { echo "FAIL: nft -f rejected the $e ruleset"; exit 1; }
	inR sysctl -q -p "$tmp/$e.sysctl" >/dev/null
	probe "v6$e"
	rule_count "empty-family $e" >"$tmp/$e.count"
	check "empty-family $e: IPv4 legit arrives, IPv4 spoofing still blocked" \
	    "$(v4ok "v6$e"; echo $?)"
done
n=$(fam "$tmp/v6drop.out" ipv6 | grep -c ' received 0')
check "empty-family drop: no IPv6 probe arrives, not even legit ($n of 4 classes at 0)" \
    "$([ "$n" = 4 ]; echo $?)"
n=$(cat "$tmp/drop.count")
check "empty-family drop: the router's IPv6 drop rule dropped them ($n >= 9: legit, routable, neighbour)" \
    "$([ "${n:-0}" -ge 9 ]; echo $?)"
n=$(fam "$tmp/v6open.out" ipv6 | grep -c '^  legit .*received 3$')
check "empty-family open: IPv6 legit probes arrive" "$([ "$n" = 1 ]; echo $?)"
check "empty-family open: IPv6 from the neighbour /48 (our space) passes: no IPv6 ingress filter" \
    "$(fam "$tmp/v6open.out" ipv6 | grep -q '^  neighbour .*received 3  GOT THROUGH$'; echo $?)"
check "empty-family open: IPv6 from outside our space is still stopped by the uplink egress filter" \
    "$(fam "$tmp/v6open.out" ipv6 | grep -q '^  routable .*received 0  blocked$'; echo $?)"
n=$(cat "$tmp/open.count")
check "empty-family open: the router's IPv6 return rule passed them ($n >= 9)" \
    "$([ "${n:-0}" -ge 9 ]; echo $?)"
if [ $fail != 0 ]; then
	echo "--- receiver log"; cat "$tmp/recv.log"
	echo "--- ruleset"; cat "$tmp/sav.nft"
fi
exit $fail
