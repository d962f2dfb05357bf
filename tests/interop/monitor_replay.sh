#!/bin/sh
# manrs monitor replaying real RIS updates (issue 14): planted
# expectations in ../shared/data/mrt/updates.20160811.1600.gz (RIPE RIS,
# 40 peers, 5 minutes).  In that file AS13118 originates 93.181.192.0/19
# and AS7004 originates 200.12.26.0/24 (bgpdump -m agrees).
# - configured with a wrong origin (AS64496), 93.181.192.0/19 raises one
#   hijack naming the real origin AS13118, with every JSON field the
#   issue asks for, once (deduplicated over its many announcements);
# - configured correctly, 200.12.26.0/24 raises nothing (exit 0);
# - monitor generate from the same file writes a prefixes.yml that
#   replays without a single alert, and lists the monitored ASes;
# - text alerts go to stderr, --log gets the same lines;
# - a broken prefixes.yml is refused with its line.
# Skips without the shared data ($MANRS_SHARED_DATA).
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

cat >"$T/wrong.yml" <<'YML'
93.181.192.0/19:
  description: planted wrong origin
  asn: 64496
  ignoreMorespecifics: false
  ignore: false
  group: noc
YML
cat >"$T/right.yml" <<'YML'
200.12.26.0/24:
  description: correctly configured
  asn: 7004
  ignoreMorespecifics: false
  ignore: false
YML

$M monitor --prefixes "$T/wrong.yml" --mrt "$U" --json >"$T/w.out" \
    2>"$T/w.err"
rc=$?
[ $rc -eq 5 ] || bad "wrong origin: exit $rc, want 5: $(cat "$T/w.err")"
n=$(grep -c . "$T/w.out")
[ "$n" -eq 1 ] || bad "wrong origin: $n alerts, want 1: $(cat "$T/w.out")"
python3 - "$T/w.out" <<'PY' || bad "wrong origin: JSON fields"
import json, sys
a = json.loads(open(sys.argv[1]).readline())
want = {"type": "hijack", "prefix": "93.181.192.0/19", "origin": 13118,
        "description": "planted wrong origin", "resolved": False,
        "expected": [64496], "group": "noc"}
for k, v in want.items():
    assert a[k] == v, (k, a[k], v)
assert a["peers"] >= 3, a["peers"]          # BGPalerter's default minimum
assert a["first_seen"].startswith("2016-08-11T16:"), a["first_seen"]
assert "AS13118" in a["evidence"] and "path " in a["evidence"], a
PY

$M monitor --prefixes "$T/right.yml" --mrt "$U" --json >"$T/r.out" \
    2>"$T/r.err"
rc=$?
[ $rc -eq 0 ] || bad "right origin: exit $rc, want 0: $(cat "$T/r.err")"
[ ! -s "$T/r.out" ] || bad "right origin raised: $(cat "$T/r.out")"

# both in one file: only the planted one
cat "$T/wrong.yml" "$T/right.yml" >"$T/both.yml"
$M monitor --prefixes "$T/both.yml" --mrt "$U" --log "$T/log" \
    >"$T/b.out" 2>"$T/b.err"
rc=$?
[ $rc -eq 5 ] || bad "both: exit $rc"
grep -q "^hijack 93.181.192.0/19 origin AS13118 peers" "$T/b.err" ||
    bad "text alert on stderr: $(cat "$T/b.err")"
[ ! -s "$T/b.out" ] || bad "text mode wrote to stdout"
cmp -s "$T/log" "$T/b.err" || bad "--log differs from stderr"
grep -q 200.12.26.0 "$T/b.err" && bad "200.12.26.0/24 raised"

# generate from what the ASes announce, then replay: quiet
$M monitor generate --asn 13118 --asn 7004 --rib "$U" -o "$T/gen.yml" \
    2>"$T/g.err" || bad "generate: $(cat "$T/g.err")"
grep -q "^93.181.192.0/19:" "$T/gen.yml" || bad "generate: no 93.181.192.0/19"
grep -q "^    13118:" "$T/gen.yml" || bad "generate: no monitorASns 13118"
$M monitor --prefixes "$T/gen.yml" --mrt "$U" --json >"$T/g.out" \
    2>>"$T/g.err"
rc=$?
[ $rc -eq 0 ] || bad "generated config: exit $rc: $(cat "$T/g.out")"

# a broken configuration names its line
printf '192.0.2.0/24:\n  asn: 1\n198.51.100.0/33:\n  asn: 2\n' >"$T/bad.yml"
$M monitor --prefixes "$T/bad.yml" --mrt "$U" >/dev/null 2>"$T/bad.err"
rc=$?
[ $rc -eq 1 ] || bad "bad yml: exit $rc"
grep -q "bad.yml: line 3: bad prefix" "$T/bad.err" ||
    bad "bad yml message: $(cat "$T/bad.err")"

[ $fail -eq 0 ] && echo "ok: monitor replay"
exit $fail
