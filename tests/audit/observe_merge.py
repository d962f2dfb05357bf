#!/usr/bin/env python3
"""manrs observe --partial / --merge == one run, byte for byte (issue 16.5).

A real RIPE RIS updates file (2016-08-11 16:00, five minutes) is split in
two with the project's MRT writer (mrt_split): by peer (two collectors
seeing disjoint peers) and by time (the first and the second half).  Each
half is observed with --partial, the partials are merged with --merge,
and the CSV (stdout and the stderr inputs section) and the JSON must be
the bytes of one `manrs observe` over both halves, with real reference
data (RPKI, CAIDA AS relationships, RIPE IRR, RIPE delegated stats).
Partials that are truncated, foreign, of another version or corrupt are
refused with the file named.  Merging a partial twice is refused too
(the same MRT file twice).
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from shards_lib import (REF, SHARED, check, done, ref_present,  # noqa: E402
                        run)
BUILD = os.environ.get('MANRS_BUILD_ROOT', '.')
SPLIT = os.path.join(BUILD, 'tests', 'audit', 'mrt_split')
UPD = os.path.join(SHARED, 'mrt', 'updates.20160811.1600.gz')


def same(tmp, kind, a, b):
    one = ['--updates', a, '--updates', b]
    pa, pb = os.path.join(tmp, kind + 'a.part'), os.path.join(tmp,
                                                              kind + 'b.part')
    run('observe', '--partial', pa, *REF, '--updates', a)
    run('observe', '--partial', pb, *REF, '--updates', b)
    for fmt in ('--csv', '--json'):
        s = run('observe', fmt, *REF, *one)
        m = run('observe', fmt, *REF, '--merge', pa, pb)
        check(len(s.stdout) > 10000 and s.stdout == m.stdout,
              f'{kind} split {fmt}: merge == one run ({len(s.stdout)} '
              f'bytes)')
        check(s.stderr == m.stderr, f'{kind} split {fmt}: same inputs '
              'section and warnings')
    return pa


def main():
    if not os.path.exists(UPD) or not ref_present():
        print(f'SKIP: shared data absent ({SHARED})')
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        halves = {}
        for kind in ('peer', 'time'):
            a, b = os.path.join(tmp, kind + 'a.mrt'), os.path.join(
                tmp, kind + 'b.mrt')
            p = subprocess.run([SPLIT, kind, UPD, a, b], capture_output=True,
                               text=True)
            if p.returncode != 0:
                raise SystemExit(p.stderr)
            na, nb = map(int, p.stdout.split())
            check(na > 1000 and nb > 1000, f'{kind} split: {na} + {nb} '
                  'records')
            halves[kind] = (a, b)
        part = same(tmp, 'peer', *halves['peer'])
        same(tmp, 'time', *halves['time'])

        data = open(part, 'rb').read()
        bad = os.path.join(tmp, 'bad.part')
        cases = [('truncated', data[:len(data) // 2], 'truncated'),
                 ('foreign', b'PK\x03\x04' + data[4:], 'not a manrs'),
                 ('other version', data[:8] + b'\x09' + data[9:],
                  'unsupported version'),
                 ('corrupt', data[:100] + bytes([data[100] ^ 1]) +
                  data[101:], 'checksum mismatch'),
                 ('empty', b'', 'not a manrs')]
        for what, blob, msg in cases:
            with open(bad, 'wb') as f:
                f.write(blob)
            p = run('observe', *REF, '--merge', bad, rc=1)
            err = p.stderr.decode()
            check(bad in err and msg in err and 'byte' in err,
                  f'{what} partial refused, file and offset named')
        p = run('observe', '--merge', rc=2)
        check(b'needs partial files' in p.stderr, '--merge without parts')
        p = run('observe', '--partial', bad, '--merge', part, rc=2)
        check(b'--partial writes only' in p.stderr, '--partial --merge')
    return done()


if __name__ == '__main__':
    sys.exit(main())
