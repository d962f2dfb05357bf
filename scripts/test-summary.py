#!/usr/bin/env python3
"""Sum the results of meson test runs into one closing line:
"N passed, N failed, N skipped" (exit 1 when any failed or none ran)."""
import json
import os
import sys

passed = failed = skipped = 0
for build in sys.argv[1:]:
    path = os.path.join(build, 'meson-logs', 'testlog.json')
    if not os.path.exists(path):
        print(f'test-summary: no results in {build}')
        failed += 1
        continue
    with open(path) as f:
        for line in f:
            r = json.loads(line)
            res = r.get('result')
            if res in ('OK', 'EXPECTEDFAIL'):
                passed += 1
            elif res == 'SKIP':
                skipped += 1
            else:
                failed += 1
                print(f"FAILED: {build}: {r.get('name')} ({res})")
print(f'{passed} passed, {failed} failed, {skipped} skipped')
sys.exit(1 if failed or passed == 0 else 0)
