#!/usr/bin/env python3
"""The audit on the bundled example world finds exactly the planted faults.

Generates the world with `manrs example`, runs `manrs observe` over it and
checks that the (AS, metric) pairs scoring below 100 are exactly the
planted ones (docs/audit.md lists them), then checks `manrs audit --json`
on a faulty and a clean AS against the documented schema.
"""
import csv
import io
import json
import os
import subprocess
import sys
import tempfile

MANRS = os.environ.get('MANRS_BIN', 'manrs')

# (asn, metric): every metric of every AS below 100, and nothing else.
EXPECTED = {
    # leak by AS3010 (03:00-05:00), taken and passed on by provider 2003
    (3010, 'M1'), (2003, 'M1C'),
    # hijack of a more-specific of AS3030 by AS3020 (20 min); the hijack
    # is RPKI-invalid and has no route object for AS3020
    (3020, 'M2'), (2034, 'M2C'), (3020, 'M7IRR'), (3020, 'M7RPKI'),
    # RPKI-invalid (maxLength) more-specific of AS3060, both providers
    (3060, 'M2'), (2028, 'M2C'), (2035, 'M2C'), (3060, 'M7RPKI'),
    # bogon prefix 192.168.0.0/16 from AS3040 (no ROA, no route object)
    (3040, 'M3'), (2038, 'M3C'), (3040, 'M7IRR'), (3040, 'M7RPKI'),
    (3040, 'M7RPKIN'),
    # AS64512 behind AS3050
    (3050, 'M4'), (2018, 'M4C'),
    # spoofing from AS3080; its provider has a spoofable customer
    (3080, 'M5'), (2004, 'M5C'),
    # no contacts
    (3070, 'M8'),
    # no ROA and no route object
    (3090, 'M7IRR'), (3090, 'M7RPKI'), (3090, 'M7RPKIN'),
}

METRICS = ['M1', 'M1C', 'M2', 'M2C', 'M3', 'M3C', 'M4', 'M4C', 'M5', 'M5C',
           'M6', 'M7IRR', 'M7RPKI', 'M7RPKIN', 'M8']


def run(*args):
    p = subprocess.run([MANRS] + list(args), capture_output=True, text=True,
                       timeout=300)
    if p.returncode != 0:
        sys.exit(f'FAIL: manrs {" ".join(args)}: rc {p.returncode}\n'
                 f'{p.stderr}')
    return p.stdout


def main():
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        world = os.path.join(tmp, 'world')
        run('example', world)
        rows = list(csv.DictReader(io.StringIO(run('observe', '--data',
                                                   world))))
        found = set()
        for r in rows:
            for m in METRICS:
                if r[m] not in ('', '100.0'):
                    found.add((int(r['asn']), m))
        if len(rows) != 300:
            print(f'FAIL: observe lists {len(rows)} ASes, want 300')
            failed += 1
        for x in sorted(EXPECTED - found):
            print(f'FAIL: planted fault not found: AS{x[0]} {x[1]}')
            failed += 1
        for x in sorted(found - EXPECTED):
            print(f'FAIL: found a fault that was not planted: AS{x[0]} '
                  f'{x[1]}')
            failed += 1

        # The JSON schema (docs/audit.md) on a faulty and a clean AS.
        lines = run('audit', '--json', '--data', world, '3010',
                    '3100').splitlines()
        faulty, clean = (json.loads(x) for x in lines)
        for doc in (faulty, clean):
            for key in ('schema', 'inputs', 'warnings', 'asn', 'seen',
                        'period', 'announced', 'actions', 'metrics',
                        'evidence', 'fixes'):
                if key not in doc:
                    print(f'FAIL: JSON lacks "{key}"')
                    failed += 1
            for k in ('valid', 'invalid', 'not_found', 'total'):
                if k not in doc['metrics']['M7RPKI']:
                    print(f'FAIL: metrics.M7RPKI lacks "{k}"')
                    failed += 1
        if faulty['metrics']['M1']['incidents'] != 1 or \
                faulty['actions']['filtering']['readiness'] != 'aspiring':
            print('FAIL: AS3010 should have one leak incident, aspiring')
            failed += 1
        if not any(e['metric'] == 'M1' and e['kind'] == 'incident'
                   for e in faulty['evidence']):
            print('FAIL: AS3010 has no leak evidence')
            failed += 1
        if any(a['readiness'] != 'ready'
               for a in clean['actions'].values()):
            print(f'FAIL: AS3100 should be ready everywhere: '
                  f'{clean["actions"]}')
            failed += 1
        kinds = {x['kind'] for x in clean['inputs']}
        if kinds != {'vrps', 'irr', 'asrel', 'peeringdb', 'spoofer', 'rib',
                     'updates'}:
            print(f'FAIL: inputs of the example world: {sorted(kinds)}')
            failed += 1
        if clean['fixes']:
            print(f'FAIL: AS3100 has fixes: {clean["fixes"]}')
            failed += 1
        if clean['metrics']['M7RPKI'] != {
                'has_value': True, 'value': 1, 'score': 100, 'valid': 2,
                'invalid': 0, 'not_found': 0, 'total': 2}:
            print(f'FAIL: AS3100 M7RPKI: {clean["metrics"]["M7RPKI"]}')
            failed += 1
    print(f'{0 if failed else 1} passed, {1 if failed else 0} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
