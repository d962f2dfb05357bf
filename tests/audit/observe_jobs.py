#!/usr/bin/env python3
"""observe/audit --jobs N == one job, byte for byte (issue 16 part 5).

Every real MRT file of the shared data (RIBs of 2002 and 2014 -- one of
them truncated, so the reader warns --, IPv6 and add-path RIBs, update
files from 2002 to 2016 with session state changes, a long withdrawal,
NLRI with trailing bits) with real VRPs, AS relationships, IRR and
delegated stats.  The files lie years apart, so the BGP data has gaps
that close incidents; the jobs must agree on them, on peer numbers, on
the order of the pairs (evidence) and on the warnings, which must come
once each and in stream order.  Jobs 2 and 3 (uneven shards) against 1:
observe CSV with the inputs section on stderr, observe JSON, and audit
JSON with evidence and fixes for the ASes with the most prefixes.
"""
import glob
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from shards_lib import (D, REF, SHARED, check, done, ref_present,  # noqa: E402
                        run)


def mrt_args():
    args = []
    for f in sorted(glob.glob(os.path.join(D, 'mrt', '*.gz')) +
                    glob.glob(os.path.join(D, 'mrt', '*.bz2'))):
        name = os.path.basename(f)
        if name.startswith(('bview', 'rib')):
            args += ['--rib', f]
        elif name.startswith('updates'):
            args += ['--updates', f]
    return args


def main():
    mrt = mrt_args()
    if len(mrt) < 10 or not ref_present():
        print(f'SKIP: shared data absent ({SHARED})')
        return 77
    one = {}
    for fmt in ('--csv', '--json'):
        one[fmt] = run('observe', fmt, *REF, *mrt, '--jobs', '1')
    check(len(one['--csv'].stdout) > 100000, 'one job: '
          f'{len(one["--csv"].stdout)} bytes of CSV')
    check(b'warning' in one['--csv'].stderr, 'one job: the truncated RIB '
          'is warned about')
    rows = one['--csv'].stdout.decode().splitlines()[1:]
    top = sorted(rows, key=lambda r: -int(r.split(',')[-5]))[:6]
    ases = ['AS' + r.split(',')[0] for r in top]
    aud1 = run('audit', '--json', *REF, *mrt, '--jobs', '1', *ases)
    for jobs in ('2', '3'):
        for fmt in ('--csv', '--json'):
            p = run('observe', fmt, *REF, *mrt, '--jobs', jobs)
            check(p.stdout == one[fmt].stdout,
                  f'--jobs {jobs} {fmt}: the bytes of one job')
            check(p.stderr == one[fmt].stderr,
                  f'--jobs {jobs} {fmt}: the same inputs section and '
                  'warnings, once each, in order')
        p = run('audit', '--json', *REF, *mrt, '--jobs', jobs, *ases)
        check(len(aud1.stdout) > 10000 and p.stdout == aud1.stdout,
              f'--jobs {jobs}: audit JSON with evidence of {len(ases)} '
              f'ASes ({len(aud1.stdout)} bytes) == one job')
        p = run('audit', '--fixes', 'json', *REF, *mrt, '--jobs', jobs,
                *ases)
        q = run('audit', '--fixes', 'json', *REF, *mrt, *ases)
        check(p.stdout == q.stdout, f'--jobs {jobs}: the same fixes')
    # --jobs 0: one per CPU, same bytes
    p = run('observe', *REF, *mrt, '--jobs', '0')
    check(p.stdout == one['--csv'].stdout, '--jobs 0 (one per CPU)')
    # A pipe cannot be read by every job: one job, said so.
    upd = os.path.join(D, 'mrt', 'updates.20160811.1600.gz')
    s = run('observe', *REF, '--updates', upd)
    with open(upd, 'rb') as f:
        p = run('observe', *REF, '--updates', '-', '--jobs', '2', stdin=f)
    check(b'--jobs 2: one job (an MRT input is not a regular file)' in
          p.stderr and p.stdout == s.stdout, 'stdin: one job, said, same '
          'table')
    # Bad values and a missing file.
    p = run('observe', *REF, '--updates', upd, '--jobs', '65', rc=2)
    check(b'--jobs wants 0..64' in p.stderr, '--jobs 65 refused')
    p = run('observe', *REF, '--updates', upd, '--jobs', 'x', rc=2)
    check(b'--jobs wants' in p.stderr, '--jobs x refused')
    p = run('observe', *REF, '--updates', '/nonexistent.mrt', '--jobs',
            '2', rc=1)
    check(p.stderr.count(b'/nonexistent.mrt') == 1,
          'a missing file: named once, exit 1')
    return done()


if __name__ == '__main__':
    sys.exit(main())
