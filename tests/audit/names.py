#!/usr/bin/env python3
"""manrs observe: names and places (issue 16 part 1) on the real data.

Every row of `manrs observe` over the real 2014 RouteViews RIB carries the
AS's name, country and RIR, checked here against this script's own reading
of the raw files: the name is the PeeringDB net "name" (page-1.json), else
the as-name of the AS's aut-num (RIPE non-auth dump); country and RIR come
from the "asn" records of the RIPE NCC delegated stats (ranges: first and
count).  Then --asns FILE restricts the table to exactly the listed ASes
(seen or not, duplicates and comments ignored, a bad line refused with its
line number), and --group-by country|rir sums the rows per group: the counts
and means are recomputed here from the per-AS table.
"""
import bz2
import csv
import gzip
import io
import json
import os
import subprocess
import sys
import tempfile

MANRS = os.environ.get('MANRS_BIN', 'manrs')
SHARED = os.environ.get('MANRS_SHARED_DATA', '../shared/data')
RIB = 'mrt/rib.20140523.0600_firstMB.bz2'
PDB = 'peeringdb/net/page-1.json'
AUTNUM = 'irr/ripe-nonauth.db.aut-num.gz'
DELEG = 'iana/delegated-ripencc-extended-latest.gz'

fails = 0


def check(cond, what):
    global fails
    if not cond:
        fails += 1
        print(f'FAIL: {what}')


def run(*args, ok=(0,)):
    p = subprocess.run([MANRS, 'observe', '--no-progress', *args],
                       capture_output=True, text=True)
    if p.returncode not in ok:
        print(f'FAIL: observe {" ".join(args)}: exit {p.returncode}: '
              f'{p.stderr[-2000:]}')
        sys.exit(1)
    return p


def expected(paths):
    names = {}
    with open(paths[PDB], encoding='utf-8') as f:
        for net in json.load(f)['data']:
            if net.get('name'):
                names.setdefault(int(net['asn']), net['name'])
    asnames = {}
    cur = None
    with gzip.open(paths[AUTNUM], 'rt', encoding='utf-8',
                   errors='replace') as f:
        for line in f:
            if line.startswith('aut-num:'):
                v = line.split(':', 1)[1].strip().upper()
                cur = int(v[2:]) if v.startswith('AS') and \
                    v[2:].isdigit() else None
            elif line.startswith('as-name:') and cur is not None:
                asnames.setdefault(cur, line.split(':', 1)[1].strip())
            elif not line.strip():
                cur = None
    ranges = []
    with gzip.open(paths[DELEG], 'rt') as f:
        for line in f:
            x = line.strip().split('|')
            if len(x) >= 7 and x[2] == 'asn' and x[3].isdigit() and \
                    x[6] in ('allocated', 'assigned'):
                cc = x[1] if len(x[1]) == 2 and x[1] != 'ZZ' else ''
                ranges.append((int(x[3]), int(x[3]) + int(x[4]) - 1, cc,
                               x[0]))
    return names, asnames, ranges


def place(ranges, asn):
    for lo, hi, cc, reg in ranges:
        if lo <= asn <= hi:
            return cc, reg
    return '', ''


def main():
    paths = {f: os.path.join(SHARED, f) for f in (RIB, PDB, AUTNUM, DELEG)}
    if not all(os.path.exists(p) for p in paths.values()):
        print(f'SKIP: shared data absent ({SHARED})')
        return 77
    names, asnames, ranges = expected(paths)
    inputs = ['--rib', paths[RIB], '--peeringdb', paths[PDB],
              '--source', 'RIPE=' + paths[AUTNUM], '--delegated',
              paths[DELEG]]
    rows = list(csv.DictReader(io.StringIO(run(*inputs).stdout)))
    check(len(rows) > 2000, f'{len(rows)} ASes in the table')
    named = placed = 0
    for r in rows:
        asn = int(r['asn'])
        want = names.get(asn) or asnames.get(asn, '')
        check(r['name'] == want, f'AS{asn} name {r["name"]!r} != {want!r}')
        cc, reg = place(ranges, asn)
        check((r['country'], r['rir']) == (cc, reg),
              f'AS{asn} country/rir {r["country"]!r}/{r["rir"]!r} != '
              f'{cc!r}/{reg!r}')
        named += bool(want)
        placed += bool(reg)
    # Both sources of names and the places are exercised.
    check(named > 100 and placed > 500, f'{named} named, {placed} placed')
    check(any(int(r['asn']) in asnames and int(r['asn']) not in names
              and r['name'] for r in rows), 'a name from an aut-num')
    by = {int(r['asn']): r for r in rows}
    check(by[3320]['country'] == 'DE' and by[3320]['rir'] == 'ripencc',
          'AS3320 DE ripencc')

    # JSON carries the same three fields.
    js = [json.loads(x) for x in run('--json', *inputs).stdout.splitlines()]
    for o in js[1:]:
        r = by[o['asn']]
        check((o['name'] or '', o['country'] or '', o['rir'] or '') ==
              (r['name'], r['country'], r['rir']), f'AS{o["asn"]} JSON')

    # --asns: exactly the listed ASes, seen or not.
    with tempfile.TemporaryDirectory() as tmp:
        lst = os.path.join(tmp, 'asns.txt')
        with open(lst, 'w') as f:
            f.write('# MANRS participants\nAS3320\n1299, Arelion\n\n'
                    '64512\n3320\n')
        sub = list(csv.DictReader(io.StringIO(
            run('--asns', lst, *inputs).stdout)))
        check([int(r['asn']) for r in sub] == [1299, 3320, 64512],
              f'--asns rows {[r["asn"] for r in sub]}')
        if len(sub) == 3:
            check(sub[0] == by[1299] and sub[1] == by[3320],
                  '--asns rows equal the full table\'s')
            check(sub[2]['A1_readiness'] == 'no data' and
                  sub[2]['A1_score'] == '', 'an AS not seen: no data')
        with open(lst, 'w') as f:
            f.write('3320\nAS12x\n')
        p = run('--asns', lst, *inputs, ok=(1,))
        check('line 2' in p.stderr, f'bad --asns line: {p.stderr!r}')

    # --group-by: recomputed from the per-AS rows.
    for key in ('country', 'rir'):
        grp = list(csv.DictReader(io.StringIO(
            run('--group-by', key, *inputs).stdout)))
        want = {}
        for r in rows:
            want.setdefault(r[key], []).append(r)
        check(sorted(g[key] for g in grp) == sorted(want),
              f'--group-by {key}: groups')
        check(grp[-1][key] == '', f'--group-by {key}: unknown last')
        for g in grp:
            members = want.get(g[key], [])
            check(int(g['ases']) == len(members), f'{key} {g[key]} ases')
            for a in range(1, 5):
                sc = [float(m[f'A{a}_score']) for m in members
                      if m[f'A{a}_score']]
                mean = f'{sum(sc) / len(sc):.1f}' if sc else ''
                check(abs(float(g[f'A{a}_mean'] or 0) - float(mean or 0))
                      < 0.051 and bool(g[f'A{a}_mean']) == bool(mean),
                      f'{key} {g[key]} A{a} mean {g[f"A{a}_mean"]} {mean}')
                for rd in ('ready', 'aspiring', 'lagging', 'no data'):
                    n = sum(m[f'A{a}_readiness'] == rd for m in members)
                    col = f'A{a}_{rd.replace(" ", "_")}'
                    check(int(g[col]) == n, f'{key} {g[key]} {col}')
        js = [json.loads(x) for x in run('--group-by', key, '--json',
                                         *inputs).stdout.splitlines()]
        check(js[0]['schema'] == 'manrs-inputs/1' and
              all(o['schema'] == 'manrs-observe-group/1' for o in js[1:])
              and len(js) == len(grp) + 1, f'--group-by {key} --json')
    p = subprocess.run([MANRS, 'observe', '--group-by', 'city'],
                       capture_output=True, text=True)
    check(p.returncode == 2, '--group-by city refused')
    if fails:
        return 1
    print(f'ok: {len(rows)} ASes, {named} named, {placed} placed')
    return 0


if __name__ == '__main__':
    sys.exit(main())
