#!/bin/sh
# Interop: "manrs filter" against bgpq4 1.9, byte for byte.
#
# "manrs irrd" serves the real IRR dumps ($MANRS_SHARED_DATA/irr: RIPE
# as-sets, RIPE NONAUTH routes and aut-nums, ARIN origin-AS JSON) plus a
# small generated source (an as-set tree with IPv4 and IPv6 routes, a
# nested set, a special ASN, a loop); bgpq4 -h queries it, and
# "manrs filter --keep-bogons --batch" computes the same lists from the
# same files, loaded once.  The matrix: every bgpq4 output dialect
# (Cisco IOS, IOS XR, Junos, BIRD, OpenBGPD, Arista EOS, Nokia SR OS
# classic and MD-CLI, Huawei, Huawei XPL, MikroTik v6 and v7, JSON, -F)
# x {plain, -A} x {-4, -6} x 8 sets (7 real, the largest RIPE as-sets
# whose members have route objects, and the generated one), plus per set
# the modifiers -R, -r, -m, -l, -s, -E, -z, -M, -S, -L, EXCEPT, -f, -G,
# -H, -t, -W, -w.  Every output must be equal to bgpq4's.
# Exit 77 (skip) when bgpq4, "manrs irrd" or the shared data is missing.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/irrd_common.sh"
need_prog bgpq4
need_data
if ! "$M" filter --help >/dev/null 2>&1; then
	echo "SKIP: 'manrs filter' not available (MANRS_BIN=$M)"
	exit 77
fi

# The generated source: IPv4 + IPv6 routes under a set tree.
cat >"$T/gen.rpsl" <<'EOF'
as-set:         AS-MANRSFILTERTEST
members:        AS196615, AS196616, AS-MANRSFILTERSUB, AS64512
mnt-by:         TEST-MNT
source:         GENTEST

as-set:         AS-MANRSFILTERSUB
members:        AS196617, AS-MANRSFILTERTEST, AS4200000001
mnt-by:         TEST-MNT
source:         GENTEST

route-set:      RS-MANRSFILTERTEST
members:        185.0.0.0/16^18-20, 193.0.0.0/22^+, 192.0.2.0/24,
                2a00:1000::/32^33-34, 2a00:2000::/48^49-50, RS-MANRSFILTERSUB^24
mp-members:     2a00:3000::/32
mnt-by:         TEST-MNT
source:         GENTEST

route-set:      RS-MANRSFILTERSUB
members:        198.51.0.0/16^+, 203.0.113.0/24
mnt-by:         TEST-MNT
source:         GENTEST

EOF
python3 - >>"$T/gen.rpsl" <<'EOF'
import ipaddress, random
r = random.Random(7)
for asn in (196615, 196616, 196617, 64512, 4200000001):
    nets = set()
    for _ in range(40):
        a = r.getrandbits(32) & 0xdfffff00
        l = r.choice([16, 19, 20, 22, 23, 24])
        n = ipaddress.IPv4Network((a & ((0xffffffff << (32 - l)) &
                                         0xffffffff), l))
        nets.add(n)
        if r.random() < 0.4:
            for s in n.subnets(new_prefix=min(24, l + 1)):
                nets.add(s)
    for _ in range(15):
        hi = (0x2a00 << 112) | (r.getrandbits(24) << 88)
        l = r.choice([29, 32, 36, 48])
        n = ipaddress.IPv6Network((hi & (((1 << 128) - 1) ^
                                         ((1 << (128 - l)) - 1)), l))
        nets.add(n)
        if r.random() < 0.5:
            for s in n.subnets(new_prefix=l + 1):
                nets.add(s)
    for n in sorted(nets, key=lambda x: (x.version, x)):
        print("%-16s%s\norigin:         AS%d\nmnt-by:         TEST-MNT\n"
              "source:         GENTEST\n" % ("route6:" if n.version == 6
                                             else "route:", n, asn))
EOF
SOURCES="$SOURCES
GENTEST=$T/gen.rpsl"
start_server

SETS="AS-TEDATA AS-SEABONECUSTMEAF AS-36992 AS-RAYA AS-UBNIX-MEMBERS
AS-DECIX-RS AS-LIQUID AS-MANRSFILTERTEST"
DIALECTS="cisco -X -J -b -B -e -N -n -U -u -K -K7 -j -F"
FMT='%n/%l_%a_%A_%N_%m\n'

# The matrix as lines of bgpq4 arguments.
: >"$T/cases"
n=0
addcase() {
	n=$((n + 1))
	printf "%s\n" "$T/got.$n $*" >>"$T/cases"
}
for s in $SETS; do
	for d in $DIALECTS; do
		case $d in
		cisco) d= ;;
		-F) d="-F '$FMT'" ;;
		esac
		for af in -4 -6; do
			addcase "$d $af $s"
			[ "$d" = -J ] || addcase "$d $af -A $s"
		done
	done
	for af in -4 -6; do
		addcase "$af -R 24 $s"
		addcase "-b $af -r 20 -R 28 $s"
		addcase "-J -E $af -A -R 24 $s"
		addcase "-J -z $af -A $s"
		addcase "-B -E $af -A $s"
		addcase "-N -E $af $s"
		addcase "-n -E $af $s"
		addcase "-j $af -m 22 -A $s"
		addcase "-l MANRS-TEST -U $af -A $s"
		addcase "-s $af -A $s"
		addcase "-e $af -l EOS $s"
		addcase "-X $af -A -r 24 $s"
		addcase "-K7 $af -A -R 26 $s"
	done
	addcase "-E -A $s"
	addcase "-J -E -M 'community blackhole' -l POL/TERM $s"
	addcase "-S RIPE-NONAUTH,RIPE,GENTEST -A $s"
	addcase "-L 2 -A $s"
	addcase "-L 1 -f 65000 $s"
	for d in cisco -X -J -b -B -N -n -U -u -e -j; do
		[ $d = cisco ] && d=
		addcase "$d -f 8452 $s"
		case $d in -b|-j) ;; *) addcase "$d -G 8452 $s" ;; esac
	done
	addcase "-f 8452 -W 3 $s"
	addcase "-J -G 8452 -W 0 $s"
	addcase "-J -H 8452 $s"
	addcase "-J -H 8452 -W 5 $s"
	addcase "-j -t $s"
	addcase "-b -t $s"
	addcase "-B -t $s"
	addcase "-w -f 8452 $s"
done
for d in cisco -J -b -j -B; do
	[ $d = cisco ] && d=
	addcase "$d RS-MANRSFILTERTEST"
	addcase "$d -6 RS-MANRSFILTERTEST"
done
addcase "-A RS-MANRSFILTERTEST"
addcase "-A -6 RS-MANRSFILTERTEST"
addcase "-m 21 RS-MANRSFILTERTEST AS196615"
addcase "-J -E -A -m 28 193.0.0.0/22^24-26 192.0.2.0/24^+"
addcase "-m 20 RS-MANRSFILTERTEST"
addcase "-6 192.0.2.0/24"
addcase "-m 20 192.0.2.0/24"
addcase "AS-MANRSFILTERTEST EXCEPT AS196616"
addcase "-6 -A AS-MANRSFILTERTEST EXCEPT AS-MANRSFILTERSUB"
addcase "-f 196615 AS-MANRSFILTERTEST EXCEPT AS196617"
addcase "AS196615 AS196617 192.0.2.0/24"
addcase "-6 AS196615 2001:db8::/32"
addcase "-A RIPE-NONAUTH::AS-TEDATA"
addcase "AS-NO-SUCH-SET"
addcase "-J AS-NO-SUCH-SET"
addcase "-B AS-NO-SUCH-SET"
addcase "-B -a 65001 AS-NO-SUCH-SET"
addcase "-b -f 65001 AS-NO-SUCH-SET"
addcase "-K AS-NO-SUCH-SET"

# Ours, all in one run (jobs bgpq4 refuses fail here too: checked below).
# shellcheck disable=SC2046
"$M" filter --keep-bogons --allow-empty $(for s in $SOURCES; do
    printf -- '--source %s ' "$s"; done) --batch "$T/cases" \
    2>"$T/batch.err"
if ! grep -q "^manrs: filter: $n jobs," "$T/batch.err"; then
	echo "FAIL: manrs filter --batch did not run the $n jobs:"
	grep -v "no such set" "$T/batch.err" | tail -5
	exit 1
fi

fail=0
cases=0
refused=0
while IFS= read -r line; do
	out=${line%% *}
	args=${line#* }
	cases=$((cases + 1))
	# bgpq4 enumerates prefix ranges without a bound: cap it (4 GiB,
	# 120 s) so a bad case cannot take the machine down.
	(ulimit -v 4194304; eval "timeout 120 bgpq4 -h 127.0.0.1:$PORT $args") \
	    >"$T/want" 2>"$T/err"
	rc=$?
	[ $rc -eq 0 ] && cp "$T/want" "$out.want"
	ours=0
	grep -q "cases:$cases: job exit code" "$T/batch.err" && ours=1
	if [ $rc -ne 0 ] && [ $ours -eq 0 ]; then
		echo "FAIL: bgpq4 $args: bgpq4 fails ($(head -1 "$T/err"))," \
		    "we do not"
		fail=$((fail + 1))
	elif [ $rc -eq 0 ] && [ $ours -ne 0 ]; then
		echo "FAIL: bgpq4 $args: we fail, bgpq4 does not"
		fail=$((fail + 1))
	elif [ $rc -ne 0 ]; then
		refused=$((refused + 1))	# both refuse the flags
	elif ! cmp -s "$T/want" "$out"; then
		echo "FAIL: bgpq4 $args: differs"
		diff "$T/want" "$out" | head -6
		fail=$((fail + 1))
	fi
done <"$T/cases"

# Our own IRRd client (-h), pipelined, against the same server: every
# 4th job that bgpq4 accepted (not -L / EXCEPT, which need the local
# database), compared with bgpq4's output.
remote=0
i=0
while IFS= read -r line; do
	i=$((i + 1))
	out=${line%% *}
	args=${line#* }
	[ $((i % 4)) -eq 0 ] && [ -f "$out.want" ] || continue
	case " $args " in *" -L "*|*EXCEPT*) continue ;; esac
	remote=$((remote + 1))
	eval "\"$M\" filter --keep-bogons --allow-empty -h 127.0.0.1:$PORT \
	    $args" >"$T/rgot" 2>"$T/rerr"
	if ! cmp -s "$out.want" "$T/rgot"; then
		echo "FAIL: manrs filter -h ... $args: differs from bgpq4"
		diff "$out.want" "$T/rgot" | head -4; head -3 "$T/rerr"
		fail=$((fail + 1))
	fi
done <"$T/cases"
echo "$remote jobs through manrs filter -h compared with bgpq4"

# A dead server (closed port) and a silent one: an error naming the
# cause, exit 1, no hang.
python3 -c '
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])
' >"$T/deadport"
"$M" filter -h "127.0.0.1:$(cat "$T/deadport")" AS-TEDATA \
    >/dev/null 2>"$T/dead.err"
rc=$?
if [ $rc -ne 1 ] || ! grep -q "cannot connect: Connection refused" \
    "$T/dead.err"; then
	echo "FAIL: dead server: rc $rc, $(cat "$T/dead.err")"
	fail=$((fail + 1))
fi
python3 -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
print(s.getsockname()[1]); sys.stdout.flush()
c, _ = s.accept(); time.sleep(8)
' >"$T/silentport" &
PIDS="$PIDS $!"
n=0
while [ ! -s "$T/silentport" ] && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
t0=$(date +%s)
"$M" filter --timeout 2 -h "127.0.0.1:$(cat "$T/silentport")" AS-TEDATA \
    >/dev/null 2>"$T/silent.err"
rc=$?
t1=$(date +%s)
if [ $rc -ne 1 ] || ! grep -q "no answer within 2 s (0 of 2 queries" \
    "$T/silent.err" || [ $((t1 - t0)) -gt 6 ]; then
	echo "FAIL: silent server: rc $rc after $((t1 - t0)) s," \
	    "$(cat "$T/silent.err")"
	fail=$((fail + 1))
fi

kill -0 "$SRV" 2>/dev/null || { echo "FAIL: manrs irrd died"; fail=1; }
echo "$cases comparisons with bgpq4 ($refused refused by both), $fail differ"
[ $fail -eq 0 ]
