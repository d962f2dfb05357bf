"""What observe_merge.py and observe_jobs.py share: the real reference
data of the shared folder, running manrs, and counting checks."""
import os
import subprocess
import sys

MANRS = os.environ.get('MANRS_BIN', 'manrs')
SHARED = os.environ.get('MANRS_SHARED_DATA', '../shared/data')
D = SHARED
REF = ['--no-progress', '--vrps', os.path.join(D, 'rpki/json.gz'),
       '--now', '1683212000',
       '--asrel', os.path.join(D, 'caida/20210901.as-rel2.txt.bz2'),
       '--source', 'RIPE-NONAUTH=' + ','.join(
           os.path.join(D, 'irr', f) for f in (
               'ripe-nonauth.db.route.gz', 'ripe-nonauth.db.aut-num.gz')),
       '--delegated', os.path.join(D, 'iana/delegated-ripencc-extended-'
                                   'latest.gz')]
failed = 0


def ref_present():
    return all(os.path.exists(x) for x in REF if x.startswith('/'))


def check(cond, what):
    global failed
    print(('ok   ' if cond else 'FAIL ') + what)
    if not cond:
        failed += 1


def run(*args, rc=0, stdin=None):
    p = subprocess.run([MANRS, *args], capture_output=True, stdin=stdin)
    if p.returncode != rc:
        sys.stderr.write(p.stderr.decode(errors='replace'))
        raise SystemExit(f'manrs {" ".join(args)}: exit {p.returncode}')
    return p


def done():
    print(f'{failed} failed')
    return 1 if failed else 0
