#!/usr/bin/env python3
"""One time flag, one staleness policy, exit 5 for invalid routes.

On the real rpki-client snapshot (rpki/json.gz: RIPE prepdev, built
2023-05-04, every ROA expired since May 2023), read independently here
with Python's json module:
- validate, filter and irrd refuse (exit 1) when every VRP is expired at the
  judging time, naming the count, the build time, --now and --allow-stale;
- --now TIME (ISO 8601 or Unix seconds, aliases --vrps-now/--rpki-now)
  judges at another time and gives real verdicts; validate exits 5 when a
  route is invalid;
- more than 1 % expired: a warning with the count; at most 1 %: silence;
- --allow-stale goes on (not-found) after the warning;
- --stats names the input with its build time and counts;
- a CSV without a build time is dated by its mtime; an empty file is
  refused.
Skips (77) without the shared data.
"""
import datetime
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile

MANRS = os.environ.get('MANRS_BIN', 'manrs')
SHARED = os.environ.get('MANRS_SHARED_DATA', '../shared/data')
VRPS = os.path.join(SHARED, 'rpki', 'json.gz')
ROUTES = os.path.join(SHARED, 'irr', 'ripe-nonauth.db.route.gz')
fails = 0


def iso(t):
    return datetime.datetime.fromtimestamp(
        t, datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')


def run(*args, stdin=None):
    p = subprocess.run([MANRS] + list(args), input=stdin,
                       capture_output=True, text=True, timeout=300)
    return p.returncode, p.stdout, p.stderr


def check(name, ok, detail=''):
    global fails
    print(('ok   ' if ok else 'FAIL ') + name)
    if not ok:
        fails += 1
        print('     ' + detail.replace('\n', '\n     '))


def main():
    if not os.path.exists(VRPS):
        print(f'SKIP: shared data absent ({SHARED})')
        return 77
    with gzip.open(VRPS, 'rt') as f:
        doc = json.load(f)
    roas = doc['roas']
    n = len(roas)
    build = int(datetime.datetime.strptime(
        doc['metadata']['buildtime'], '%Y-%m-%dT%H:%M:%SZ').replace(
            tzinfo=datetime.timezone.utc).timestamp())
    bs = iso(build)
    exp = sorted(r['expires'] for r in roas)
    # A VRP and a route it makes valid / invalid.
    v = next(r for r in roas if r['prefix'] == r['prefix'].split('/')[0] +
             '/' + str(r['maxLength']) and ':' not in r['prefix'])
    asns = {r['asn'] for r in roas if r['prefix'] == v['prefix']}
    bad = next(a for a in range(64496, 64512) if a not in asns)
    good = f"{v['prefix']} {v['asn']}"

    # 1. Today (every ROA expired): refused, and the message says why.
    rc, out, err = run('validate', '--vrps', VRPS, '1.1.1.0/24', '13335')
    check('validate refuses an all-expired snapshot (exit 1)',
          rc == 1 and out == '', f'rc={rc} out={out!r} err={err}')
    for word in (f'{n} of {n} VRPs', bs, '--now', '--allow-stale'):
        check(f'  stderr names {word!r}', word in err, err)

    # 2. At the build time: real verdicts, ISO and Unix seconds alike.
    rc, out, err = run('validate', '--vrps', VRPS, '--now', bs,
                       *good.split())
    check('validate --now BUILDTIME: valid, exit 0',
          rc == 0 and out.split()[2] == 'valid' and err == '',
          f'rc={rc} out={out!r} err={err}')
    for flag, t in (('--now', str(build)), ('--vrps-now', bs),
                    ('--rpki-now', str(build))):
        rc2, out2, _ = run('validate', '--vrps', VRPS, flag, t,
                           *good.split())
        check(f'validate {flag} {t}: same verdict', rc2 == 0 and
              out2 == out, out2)

    # 3. Exit 5 when any route is invalid (also among valid ones).
    rc, out, err = run('validate', '--vrps', VRPS, '--now', bs,
                       v['prefix'], str(bad))
    check('validate: invalid route exits 5', rc == 5 and
          out.split()[2] == 'invalid', f'rc={rc} out={out!r} err={err}')
    rc, out, err = run('validate', '--vrps', VRPS, '--now', bs,
                       stdin=f"{good}\n{v['prefix']} {bad}\n")
    check('validate: stdin with one invalid route exits 5', rc == 5 and
          len(out.splitlines()) == 2, f'rc={rc} out={out!r}')

    # 4. More than 1 % expired: named; at most 1 %: silent.
    # (expiry times cluster: pick them from the cumulative counts)
    cum = []
    for i, e in enumerate(exp):
        if i + 1 == n or exp[i + 1] != e:
            cum.append((e, i + 1))
    mid, want = next((e, c) for e, c in cum if c * 100 > n and c < n)
    rc, out, err = run('validate', '--vrps', VRPS, '--now', str(mid),
                       *good.split())
    check(f'more than 1 % expired: warning names {want} of {n}',
          rc in (0, 5) and f'{want} of {n} VRPs' in err and bs in err and
          '--now' in err, f'rc={rc} err={err}')
    low, k = [(e, c) for e, c in cum if c * 100 <= n][-1]
    rc, out, err = run('validate', '--vrps', VRPS, '--now', str(low),
                       *good.split())
    check(f'{k} of {n} expired (<= 1 %): no warning', k * 100 <= n and
          k > 0 and rc in (0, 5) and 'expired' not in err, f'err={err}')

    # 5. --allow-stale: goes on, says so.
    rc, out, err = run('validate', '--vrps', VRPS, '--allow-stale',
                       *good.split())
    check('validate --allow-stale: not-found, exit 0, warned', rc == 0 and
          out.split()[2] == 'not-found' and f'{n} of {n}' in err,
          f'rc={rc} out={out!r} err={err}')

    # 6. The time forms cli_parse_time takes, and what it refuses.
    day = bs[:10]
    for t in (day, bs[:16] + 'Z', bs[:16], bs.replace('T', ' ')):
        rc2, out2, err2 = run('validate', '--vrps', VRPS, '--now', t,
                              *good.split())
        check(f'validate --now {t!r}: accepted, valid', rc2 == 0 and
              out2.split()[2] == 'valid', f'rc={rc2} err={err2}')
    for t in ('yesterday', '0', '2023-13-01', '2023-05-04T25:00:00Z',
              '-5', ''):
        rc2, out2, err2 = run('validate', '--vrps', VRPS, '--now', t,
                              *good.split())
        check(f'validate --now {t!r}: exit 2 naming --now', rc2 == 2 and
              '--now' in err2 and out2 == '', f'rc={rc2} err={err2}')

    # 7. --stats names the input, its build time and counts.
    rc, out, err = run('validate', '--vrps', VRPS, '--now', bs, '--stats',
                       *good.split())
    line = (f'input vrps {VRPS}: {n} records, 0 skipped; time {bs} '
            f'(buildtime); {n} in force, 0 expired at {bs}')
    check('validate --stats: provenance line', line in err.splitlines(),
          f'want {line!r}\ngot {err}')

    # 7b. validate --mrt: each MRT file's first and last record time
    # (read here with bgpdump), and a warning when the routes lie more
    # than 2 days from the time the VRPs are judged at.
    upd = os.path.join(SHARED, 'mrt', 'updates.20160811.1600.gz')
    if shutil.which('bgpdump') and os.path.exists(upd):
        ts = [int(l.split('|')[1]) for l in subprocess.run(
            ['bgpdump', '-m', upd], capture_output=True,
            text=True).stdout.splitlines()]
        rc, out, err = run('validate', '--vrps', VRPS, '--now', bs,
                           '--mrt', upd, '--quiet')
        first, last = iso(min(ts)), iso(max(ts))
        check('validate --mrt --quiet: MRT provenance line', rc == 5 and
              f'records {first} to {last}' in err, err)
        days = (build - max(ts)) // 86400
        check(f'validate --mrt: routes {days} days from the VRPs warned',
              f'routes of {first} to {last} judged against VRPs at {bs}, '
              f'{days} days apart' in err, err)
        rc, out, err = run('validate', '--vrps', VRPS, '--now',
                           str(max(ts) + 3600), '--allow-stale', '--mrt',
                           upd, '--quiet')
        check('validate --mrt at the routes\' own time: no skew warning',
              'days apart' not in err, err)

    # 8. filter refuses too; --now makes it judge.
    if os.path.exists(ROUTES):
        src = f'RIPE-NONAUTH={ROUTES}'
        rc, out, err = run('filter', '--source', src, '--vrps', VRPS,
                           'AS4663')
        check('filter refuses an all-expired snapshot (exit 1)',
              rc == 1 and out == '' and f'{n} of {n} VRPs' in err and
              '--allow-stale' in err, f'rc={rc} err={err}')
        rc, out, err = run('filter', '--source', src, '--rpki', VRPS,
                           '--now', bs, 'AS4663')
        check('filter --rpki --now BUILDTIME: runs', rc == 0 and
              'permit' in out and 'expired' not in err, f'rc={rc} {err}')

        # irrd (RPKI-aware mode) refuses to start on them, same flags.
        rc, out, err = run('irrd', '--check', '--source', src, '--vrps',
                           VRPS)
        check('irrd --vrps refuses an all-expired snapshot (exit 1)',
              rc == 1 and f'{n} of {n} VRPs' in err and '--allow-stale'
              in err, f'rc={rc} err={err}')
        rc, out, err = run('irrd', '--check', '--source', src, '--vrps',
                           VRPS, '--now', bs)
        check('irrd --now BUILDTIME: loads, none expired', rc == 0 and
              f'{n} VRPs (0 expired' in err, f'rc={rc} err={err}')
        rc, out, err = run('irrd', '--check', '--source', src, '--vrps',
                           VRPS, '--allow-stale')
        check('irrd --allow-stale: loads, warned', rc == 0 and
              f'{n} of {n} VRPs' in err, f'rc={rc} err={err}')

    with tempfile.TemporaryDirectory() as tmp:
        # 9. CSV: no build time, so the mtime dates it.
        csv = os.path.join(tmp, 'vrps.csv')
        with open(csv, 'w') as f:
            f.write('ASN,IP Prefix,Max Length,Trust Anchor,Expires\n'
                    'AS64496,192.0.2.0/24,24,test,1600000000\n')
        os.utime(csv, (1500000000, 1500000000))
        rc, out, err = run('validate', '--vrps', csv, '192.0.2.0/24',
                           '64497')
        check('CSV all expired: refused', rc == 1 and '1 of 1 VRPs' in err
              and f'snapshot built {iso(1500000000)} (mtime)' in err, err)
        rc, out, err = run('validate', '--vrps', csv, '--now',
                           '2020-01-01', '--stats', '192.0.2.0/24', '64497')
        check('CSV at --now 2020-01-01: invalid, exit 5, mtime named',
              rc == 5 and f'time {iso(1500000000)} (mtime)' in err,
              f'rc={rc} out={out!r} err={err}')
        # 10. Nothing loaded at all: refused.
        empty = os.path.join(tmp, 'empty.json')
        with open(empty, 'w') as f:
            f.write('{"roas": []}\n')
        rc, out, err = run('validate', '--vrps', empty, '192.0.2.0/24',
                           '64496')
        check('empty VRP file: refused', rc == 1 and 'no VRPs' in err,
              f'rc={rc} err={err}')
    return 1 if fails else 0


if __name__ == '__main__':
    sys.exit(main())
