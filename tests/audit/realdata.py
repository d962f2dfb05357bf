#!/usr/bin/env python3
"""The audit on real data agrees with `manrs validate` on the same routes.

Real RouteViews RIB slices (IPv4 2014, IPv6 2015) and the real
rpki-client output of the RIPE prepdev trust anchor (2023, judged at its
build time with --rpki-now / --now, since its ROAs have expired since).
Prefix/origin pairs are extracted with Debian's bgpdump (not with our
reader), validated with `manrs validate`, and counted per origin; the
audit's metrics.M7RPKI counts must be the same for the ASes with the most
RPKI-covered pairs, the most invalid pairs, and a mix.
"""
import collections
import json
import os
import shutil
import subprocess
import sys

MANRS = os.environ.get('MANRS_BIN', 'manrs')
SHARED = os.environ.get('MANRS_SHARED_DATA', '../shared/data')
RIBS = ['mrt/rib.20140523.0600_firstMB.bz2', 'mrt/rib6.20151101.0600_firstMB.bz2']
VRPS = 'rpki/json.gz'
NOW = '1683212000'       # 2023-05-04T14:53:20Z, just after the buildtime


def main():
    paths = [os.path.join(SHARED, f) for f in RIBS + [VRPS]]
    if not all(os.path.exists(p) for p in paths):
        print(f'SKIP: shared data absent ({SHARED})')
        return 77
    if shutil.which('bgpdump') is None:
        print('SKIP: bgpdump not installed')
        return 77
    pairs = set()
    for rib in paths[:2]:
        out = subprocess.run(['bgpdump', '-m', rib], capture_output=True,
                             text=True).stdout
        for line in out.splitlines():
            f = line.split('|')
            if len(f) > 6 and f[2] == 'B' and f[6]:
                origin = f[6].split()[-1]
                if origin.isdigit():
                    pairs.add((f[5], int(origin)))
    text = ''.join(f'{p} {o}\n' for p, o in sorted(pairs))
    v = subprocess.run([MANRS, 'validate', '--now', NOW, '--vrps', paths[2]],
                       input=text, capture_output=True, text=True)
    if v.returncode not in (0, 5):      # 5: some routes are invalid
        print(f'FAIL: manrs validate: {v.stderr}')
        return 1
    counts = collections.defaultdict(collections.Counter)
    for line in v.stdout.splitlines():
        f = line.split()
        counts[int(f[1])][f[2]] += 1
    by_valid = sorted(counts, key=lambda a: (-counts[a]['valid'], a))[:3]
    by_invalid = sorted(counts, key=lambda a: (-counts[a]['invalid'], a))[:3]
    mixed = [a for a in sorted(counts) if all(counts[a][s] for s in
             ('valid', 'invalid', 'not-found'))][:2]
    asns = sorted(set(by_valid + by_invalid + mixed))
    args = [MANRS, 'audit', '--json', '--no-progress', '--rpki-now', NOW,
            '--vrps', paths[2]]
    for rib in paths[:2]:
        args += ['--rib', rib]
    # The other real inputs too: they must load and must not change the
    # RPKI counts.
    irr = ','.join(os.path.join(SHARED, 'irr', f) for f in (
        'ripe-nonauth.db.route.gz', 'ripe-nonauth.db.aut-num.gz',
        'ripe.db.as-set.gz'))
    args += ['--source', 'RIPE-NONAUTH=' + irr,
             '--source', 'ARIN=' + os.path.join(
                 SHARED, 'irr/arin-whois-originas.json.bz2'),
             '--asrel', os.path.join(SHARED, 'caida/whole-internet-rel.txt'),
             '--peeringdb', os.path.join(SHARED, 'peeringdb/net/page-1.json'),
             '--peeringdb', os.path.join(SHARED,
                                         'peeringdb/netixlan/page-1.json')]
    a = subprocess.run(args + [str(x) for x in asns], capture_output=True,
                       text=True)
    if a.returncode != 0:
        print(f'FAIL: manrs audit: {a.stderr[-2000:]}')
        return 1
    failed = 0
    for line in a.stdout.splitlines():
        doc = json.loads(line)
        m = doc['metrics']['M7RPKI']
        c = counts[doc['asn']]
        got = (m['valid'], m['invalid'], m['not_found'])
        want = (c['valid'], c['invalid'], c['not-found'])
        ok = got == want and m['total'] == sum(want)
        print(f"{'ok' if ok else 'FAIL'}: AS{doc['asn']}: audit "
              f"valid/invalid/not_found {got}, manrs validate {want}")
        failed += not ok
    if len(a.stdout.splitlines()) != len(asns):
        print('FAIL: not every AS was reported')
        failed += 1
    print(f'{len(asns) - failed} passed, {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
