#!/bin/sh
# manrs monitor's neighbour monitor (BGPalerter's monitorPathNeighbors:
# options.monitorASns.<AS>.upstreams / downstreams) on the real RIS
# update file ../shared/data/mrt/updates.20160811.1600.gz, where AS13118
# is reached through AS12389 and AS44237, and AS44237 through AS25091,
# AS24482 and AS12389:
#  - AS13118 expecting only AS12389 upstream: one alert per prefix whose
#    path has "44237 13118" (counted here with awk, independently), each
#    naming AS44237 as an unknown upstream of AS13118;
#  - AS44237 with "downstreams: []": AS13118 is an unknown downstream;
#  - every neighbour listed: no neighbour alert; a malformed list is an
#    error with its line.
set -u
M=${MANRS_BIN:-manrs}
U=${MANRS_SHARED_DATA:-}/mrt/updates.20160811.1600.gz
if [ ! -r "$U" ]; then
	echo "skip: no $U"
	exit 77
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

"$M" mrt -m "$U" 2>/dev/null >"$T/m.txt"
# distinct prefixes announced with ADJ directly in the path (prepends
# collapsed); $1: the pair "A B"
pairs() {
	awk -F'|' -v P="$1" '$3 == "A" {
		n = split($7, a, " "); o = ""; k = 0
		for (i = 1; i <= n; i++)
			if (k == 0 || a[i] != b[k]) b[++k] = a[i]
		for (i = 1; i < k; i++)
			if (b[i] " " b[i + 1] == P) { print $6; break }
	}' "$T/m.txt" | sort -u | wc -l
}
want_up=$(pairs "44237 13118")
[ "$want_up" -gt 0 ] || bad "no path with 44237 13118 in $U"

cat >"$T/p.yml" <<'YML'
options:
  monitorASns:
    13118:
      group: up
      upstreams:
        - 12389
    44237:
      group: down
      upstreams: [25091, 24482, 12389]
      downstreams: []
    7004:
      upstreams: [12956]
      downstreams:
YML
"$M" monitor --prefixes "$T/p.yml" --mrt "$U" --json >"$T/o" 2>"$T/e"
rc=$?
[ $rc -eq 5 ] || bad "exit $rc: $(head -3 "$T/e")"
grep '"type":"neighbor","resolved":false,"repeat":false' "$T/o" >"$T/n"
up=$(grep -c '"evidence":"AS44237 is not a known upstream of AS13118;' "$T/n")
[ "$up" -eq "$want_up" ] ||
    bad "$up upstream alerts, $want_up prefixes have 44237 13118: $(head -2 "$T/n")"
grep '"evidence":"AS44237 is not a known upstream' "$T/n" | grep -v -q '"asn":44237,' &&
    bad "an upstream alert not naming AS44237 in asn"
grep '"evidence":"AS44237 is not a known upstream' "$T/n" | grep -v -q '"group":"up"' &&
    bad "upstream alert without the AS's group"
down=$(grep -c '"evidence":"AS13118 is not a known downstream of AS44237;' "$T/n")
[ "$down" -eq "$want_up" ] ||
    bad "$down downstream alerts, want $want_up"
other=$(grep -v -c 'not a known upstream of AS13118\|not a known downstream of AS44237' "$T/n")
[ "$other" -eq 0 ] || bad "$other other neighbour alerts: $(grep -v 'AS13118\|AS44237' "$T/n" | head -2)"

# every neighbour known: nothing
cat >"$T/ok.yml" <<'YML'
options:
  monitorASns:
    13118:
      upstreams: [12389, 44237]
    44237:
      upstreams: [25091, 24482, 12389]
      downstreams: [13118]
YML
"$M" monitor --prefixes "$T/ok.yml" --mrt "$U" --json 2>/dev/null |
    grep -q '"type":"neighbor"' && bad "neighbour alert with every neighbour listed"
"$M" monitor --prefixes "$T/p.yml" --mrt "$U" --json --disable neighbor \
    2>/dev/null | grep -q '"type":"neighbor"' && bad "--disable neighbor ignored"
printf 'options:\n  monitorASns:\n    13118:\n      upstreams:\n        x: 1\n' \
    >"$T/bad.yml"
"$M" monitor --prefixes "$T/bad.yml" --mrt "$U" >/dev/null 2>"$T/be"
rc=$?
[ $rc -ne 0 ] && [ $rc -ne 5 ] || bad "malformed upstreams: exit $rc"
grep -q 'bad.yml: line 5: upstreams / downstreams must be a list' "$T/be" || bad "malformed upstreams not reported with its line: $(cat "$T/be")"

[ $fail -eq 0 ] && echo "ok: monitor neighbors ($want_up prefixes)"
exit $fail
