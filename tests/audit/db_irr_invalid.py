#!/usr/bin/env python3
"""observe and audit give the same verdicts from a snapshot (--db) as from
the dumps when a route object is RPKI-invalid.

A snapshot built with both IRR and VRPs marks the route objects that RPKI
says are invalid (irrd's RPKI-aware mode hides them); the audit must still
count them as registered, as it does from the dumps, and judge RPKI on its
own.  Before the fix, AS3320's route object 193.0.0.0/24 (invalid: the
ROA names AS3209) vanished with --db: M7IRR 0 instead of 100 and the
evidence said no route object covers the prefix.

The inputs are written here: an RPSL file, an rpki-client JSON file and a
TABLE_DUMP_V2 RIB of two prefixes from one peer.
"""
import json
import os
import struct
import subprocess
import sys
import tempfile

MANRS = os.environ.get('MANRS_BIN', 'manrs')
T = 1700000000
failed = 0


def check(cond, what):
    global failed
    print(('ok   ' if cond else 'FAIL ') + what)
    if not cond:
        failed += 1


def run(*args):
    p = subprocess.run([MANRS, *args], capture_output=True)
    if p.returncode not in (0, 5):
        sys.stderr.write(p.stderr.decode(errors='replace'))
        raise SystemExit(f'manrs {" ".join(args)}: exit {p.returncode}')
    return p


def verdicts(out):
    """The output without what names the inputs (they differ: the
    snapshot against the dumps)."""
    keep = []
    for line in out.decode().splitlines():
        if line.startswith('{'):
            o = json.loads(line)
            if o.get('schema') == 'manrs-inputs/1':
                continue
            o.pop('inputs', None)
            o.pop('warnings', None)
            line = json.dumps(o, sort_keys=True)
        keep.append(line)
    return '\n'.join(keep)


def mrt(typ, sub, body):
    return struct.pack('>IHHI', T, typ, sub, len(body)) + body


def attr(flags, code, value):
    return struct.pack('>BBB', flags, code, len(value)) + value


def rib(path):
    peer_ip, peer_as = bytes([62, 115, 0, 1]), 1299
    # PEER_INDEX_TABLE: collector id, no view name, one IPv4 AS4 peer
    pit = bytes([192, 0, 2, 255]) + struct.pack('>HH', 0, 1)
    pit += struct.pack('>B', 0x02) + peer_ip + peer_ip + struct.pack(
        '>I', peer_as)
    out = mrt(13, 1, pit)
    for seq, (pfx, ln, origin) in enumerate((([193, 0, 0], 24, 3320),
                                             ([194, 0, 0], 24, 8452))):
        aspath = struct.pack('>BB', 2, 2) + struct.pack('>II', peer_as,
                                                        origin)
        attrs = (attr(0x40, 1, b'\x00') + attr(0x40, 2, aspath) +
                 attr(0x40, 3, peer_ip))
        entry = struct.pack('>HIH', 0, T, len(attrs)) + attrs
        body = struct.pack('>IB', seq, ln) + bytes(pfx) + struct.pack(
            '>H', 1) + entry
        out += mrt(13, 2, body)
    with open(path, 'wb') as f:
        f.write(out)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        rpsl = os.path.join(tmp, 'test.db')
        with open(rpsl, 'w') as f:
            f.write('route:          193.0.0.0/24\norigin:         AS3320\n'
                    'mnt-by:         TEST-MNT\nsource:         TEST\n\n'
                    'route:          194.0.0.0/24\norigin:         AS8452\n'
                    'mnt-by:         TEST-MNT\nsource:         TEST\n\n')
        vrps = os.path.join(tmp, 'vrps.json')
        with open(vrps, 'w') as f:
            json.dump({'metadata': {'buildtime': '2023-11-14T22:13:20Z'},
                       'roas': [{'asn': 'AS3209', 'prefix': '193.0.0.0/24',
                                 'maxLength': 24, 'ta': 'test'},
                                {'asn': 'AS8452', 'prefix': '194.0.0.0/24',
                                 'maxLength': 24, 'ta': 'test'}]}, f)
        mrtf = os.path.join(tmp, 'rib.mrt')
        rib(mrtf)
        db = os.path.join(tmp, 'ref.mdb')
        p = subprocess.run([MANRS, 'db', 'build', '-o', db, '--now', str(T),
                            '--source', 'TEST=' + rpsl, '--vrps', vrps],
                           capture_output=True)
        check(p.returncode == 0, 'db build with IRR and VRPs')
        p = subprocess.run([MANRS, 'db', 'check', db], capture_output=True,
                           text=True)
        check('1 RPKI-invalid' in p.stdout,
              'the snapshot marks the one RPKI-invalid route object')
        dumps = ['--source', 'TEST=' + rpsl, '--vrps', vrps]
        base = ['--no-progress', '--now', str(T), '--rib', mrtf]
        for cmd in (['observe', '--csv'], ['observe', '--json'],
                    ['audit', '--json', 'AS3320', 'AS8452']):
            a = verdicts(run(*cmd, *base, *dumps).stdout)
            b = verdicts(run(*cmd, *base, '--db', db).stdout)
            check(len(a) > 100 and a == b, f'{" ".join(cmd)}: --db == '
                  'dumps (the inputs sections aside)')
        rows = {r.split(',')[0]: r for r in run(
            'observe', *base, '--db', db).stdout.decode().splitlines()}
        hdr = run('observe', *base, '--db', db).stdout.decode(
        ).splitlines()[0].split(',')
        m7irr = hdr.index('M7IRR')
        check(rows.get('3320', '').split(',')[m7irr] == '100.0',
              'AS3320: its RPKI-invalid route object still counts as '
              'registered (M7IRR 100)')
        rep = json.loads(run('audit', '--json', 'AS3320', *base, '--db',
                             db).stdout.decode().splitlines()[-1])
        ev = [e for e in rep['evidence'] if e.get('prefix') ==
              '193.0.0.0/24' and e.get('metric') == 'M7RPKI']
        check(ev and ev[0].get('route_object', {}).get('key') ==
              '193.0.0.0/24AS3320', 'its evidence names the route object '
              'beside the ROA that makes the route invalid')
    print(f'{failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
