#!/usr/bin/env python3
"""M5/M5C from CAIDA Spoofer's published session results (issue 16).

Generates the example world, rewrites its spoofing tests (our CSV) as
CAIDA Spoofer Data API sessions -- a gzipped JSON-LD collection page
("hydra:member") and one session per line as CAIDA's dump script writes --
and checks that `manrs observe` gives the very same table from either form
as from the CSV (AS3080, planted spoofable, keeps its M5), that a session
with a status CAIDA does not define is reported with its session id and
skipped, and that a cut-off JSON file is refused (exit 1) naming it.
"""
import csv
import gzip
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile

MANRS = os.environ.get('MANRS_BIN', 'manrs')


def run(*args, ok=(0,)):
    p = subprocess.run([MANRS, *args], capture_output=True, text=True)
    if p.returncode not in ok:
        print(f'FAIL: manrs {" ".join(args)}: exit {p.returncode}\n'
              f'{p.stderr[-2000:]}')
        sys.exit(1)
    return p


def sessions(rows):
    out = []
    for i, r in enumerate(rows):
        v6 = ':' in r['prefix']
        fam = '6' if v6 else ''
        s = {'@id': f'/sessions/{1000 + i}', '@type': 'Session',
             'session': 1000 + i,
             'timestamp': r['time'].replace('Z', '+00:00'),
             'asn4': None, 'asn6': None, 'client4': None, 'client6': None,
             'country': 'nld', 'nat4': True, 'nat6': None,
             'privatespoof': None, 'privatespoof6': None,
             'routedspoof': None, 'routedspoof6': None}
        s['asn' + ('6' if v6 else '4')] = r['asn'].removeprefix('AS')
        s['client' + ('6' if v6 else '4')] = r['prefix']
        spoofed = r['spoofed'] == 'yes'
        # Alternate which test saw it; a NAT rewrite is not spoofing.
        if i % 2:
            s['routedspoof' + fam] = 'received' if spoofed else 'rewritten'
            s['privatespoof' + fam] = 'blocked'
        else:
            s['privatespoof' + fam] = 'received' if spoofed else 'blocked'
            s['routedspoof' + fam] = 'unknown'
        out.append(s)
    return out


def main():
    fails = 0
    with tempfile.TemporaryDirectory() as tmp:
        world = os.path.join(tmp, 'world')
        run('example', world)
        spdir = os.path.join(world, 'spoofer')
        with open(os.path.join(spdir, 'spoofer.csv')) as f:
            rows = list(csv.DictReader(f))
        ss = sessions(rows)
        want = run('observe', '--no-progress', '--data', world).stdout
        m5 = {r['asn']: r['M5'] for r in csv.DictReader(io.StringIO(want))}
        if m5.get('3080', '') in ('', '100.0'):
            print(f'FAIL: AS3080 M5 {m5.get("3080")!r} from the CSV')
            fails += 1
        shutil.move(os.path.join(spdir, 'spoofer.csv'),
                    os.path.join(tmp, 'spoofer.csv'))
        page = {'@context': '/contexts/Session', '@id': '/sessions',
                '@type': 'hydra:Collection', 'hydra:member': ss,
                'hydra:totalItems': len(ss),
                'hydra:view': {'@id': '/sessions?page=1',
                               '@type': 'hydra:PartialCollectionView'}}
        forms = {
            'sessions.json.gz': lambda p: gzip.open(p, 'wt').write(
                json.dumps(page)),
            'sessions.jsonl': lambda p: open(p, 'w').write(
                ''.join(json.dumps(s) + '\n' for s in ss)),
        }
        for name, write in forms.items():
            path = os.path.join(spdir, name)
            write(path)
            got = run('observe', '--no-progress', '--data', world)
            if got.stdout != want:
                print(f'FAIL: observe with {name} differs from the CSV')
                fails += 1
            if f'spoofer {path}: {len(rows)} records' not in got.stderr:
                print(f'FAIL: {name}: inputs line: {got.stderr[:600]}')
                fails += 1
            os.unlink(path)
        # A status CAIDA does not define: reported, session skipped.
        bad = dict(ss[0], routedspoof='maybe', session=77, asn4='3080',
                   client4='20.1.0.0/24')
        path = os.path.join(spdir, 'sessions.jsonl')
        with open(path, 'w') as f:
            f.write(''.join(json.dumps(s) + '\n' for s in ss + [bad]))
        got = run('observe', '--no-progress', '--data', world)
        if got.stdout != want or 'session 77: routedspoof "maybe"' not in \
                got.stderr:
            print(f'FAIL: bad status: {got.stderr[-800:]}')
            fails += 1
        with open(path, 'w') as f:
            f.write(json.dumps(page)[:-40])
        got = run('observe', '--no-progress', '--data', world, ok=(1,))
        if 'sessions.jsonl' not in got.stderr or 'JSON' not in got.stderr:
            print(f'FAIL: cut-off JSON: {got.stderr[-800:]}')
            fails += 1
    if fails:
        return 1
    print(f'ok: {len(rows)} tests as CAIDA sessions, same table')
    return 0


if __name__ == '__main__':
    sys.exit(main())
