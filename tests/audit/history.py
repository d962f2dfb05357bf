#!/usr/bin/env python3
"""manrs observe --store/--month: the monthly history in SQLite (issue 16).

Two months from the example world: 2026-01 is the whole world (RIB and
updates, with the planted faults), 2026-02 the same world without its
update files (the leak and the hijack of the updates are gone).  Checks,
with Python's own sqlite3:
- every stored AS, metric and action equals `manrs observe`'s CSV of the run;
- the schema version and tables of docs/observatory.md;
- the normalisation: rate = value x 30 days / max(period, 1 day) for
  M1..M4C, norm_score = max(0, 100 - penalty x rate), Filtering the
  lowest of them; other metrics unchanged;
- running a month again replaces it (and only it);
- a store of a newer schema is refused, unchanged; bad --month refused;
- `manrs audit --store` shows the trend, oldest first, in text and JSON.
"""
import csv
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile

MANRS = os.environ.get('MANRS_BIN', 'manrs')
fails = 0


def check(cond, what):
    global fails
    if not cond:
        fails += 1
        print(f'FAIL: {what}')


def run(*args, ok=(0,)):
    p = subprocess.run([MANRS, *args], capture_output=True, text=True)
    if p.returncode not in ok:
        print(f'FAIL: manrs {" ".join(args)}: exit {p.returncode}\n'
              f'{p.stderr[-2000:]}')
        sys.exit(1)
    return p


def close(a, b):
    return abs(a - b) < 0.051


def check_month(db, month, rows):
    con = sqlite3.connect(db)
    ases = {r[0]: r for r in con.execute(
        'SELECT asn, name, country, rir, seen, announced4 FROM ases '
        'WHERE month = ?', (month,))}
    check(len(ases) == len(rows), f'{month}: {len(ases)} ASes stored, '
          f'{len(rows)} in the CSV')
    secs, factor, penalty = con.execute(
        'SELECT seconds, norm_factor, incident_penalty FROM months '
        'WHERE month = ?', (month,)).fetchone()
    check(secs >= 86400 and close(factor * secs, 2592000),
          f'{month}: seconds {secs} factor {factor}')
    met = {}
    for asn, m, value, score, rate, ns in con.execute(
            'SELECT asn, metric, value, score, rate, norm_score FROM '
            'metrics WHERE month = ?', (month,)):
        met[(asn, m)] = (value, score, rate, ns)
    act = {}
    for asn, a, score, rd, ns, nrd in con.execute(
            'SELECT asn, action, score, readiness, norm_score, '
            'norm_readiness FROM actions WHERE month = ?', (month,)):
        act[(asn, a)] = (score, rd, ns, nrd)
    keys = ['filtering', 'anti_spoofing', 'coordination',
            'global_validation']
    incident = ['M1', 'M1C', 'M2', 'M2C', 'M3', 'M3C', 'M4', 'M4C']
    scaled = 0
    for r in rows:
        asn = int(r['asn'])
        check(ases.get(asn, (0,))[1:4] == (r['name'] or None,
              r['country'] or None, r['rir'] or None) and
              ases[asn][5] == int(r['announced4']), f'AS{asn} row')
        low = None
        for m in ['M1', 'M1C', 'M2', 'M2C', 'M3', 'M3C', 'M4', 'M4C',
                  'M5', 'M5C', 'M6', 'M7IRR', 'M7RPKI', 'M7RPKIN', 'M8']:
            value, score, rate, ns = met[(asn, m)]
            if r[m] == '':
                check(score is None and ns is None, f'AS{asn} {m} no data')
                continue
            check(close(score, float(r[m])), f'AS{asn} {m} score')
            if m in incident:
                want = value * factor
                check(close(rate, want) and
                      close(ns, max(0.0, 100 - penalty * want)),
                      f'AS{asn} {m} rate {rate} {ns} != {want}')
                low = ns if low is None else min(low, ns)
                scaled += value > 0
            else:
                check(rate == value and ns == score, f'AS{asn} {m} kept')
        for i, k in enumerate(keys, 1):
            score, rd, ns, nrd = act[(asn, k)]
            check(rd == r[f'A{i}_readiness'], f'AS{asn} {k} readiness')
            if r[f'A{i}_score'] == '':
                check(score is None and ns is None and nrd == 'no data',
                      f'AS{asn} {k} no data')
                continue
            check(close(score, float(r[f'A{i}_score'])), f'AS{asn} {k}')
            if k == 'filtering' and low is not None:
                check(close(ns, low), f'AS{asn} filtering normalised')
    con.close()
    return scaled


def main():
    with tempfile.TemporaryDirectory() as tmp:
        world = os.path.join(tmp, 'world')
        quiet = os.path.join(tmp, 'quiet')
        db = os.path.join(tmp, 'history.db')
        run('example', world)
        shutil.copytree(world, quiet)
        shutil.rmtree(os.path.join(quiet, 'updates'))
        jan = run('observe', '--no-progress', '--data', world, '--store',
                  db, '--month', '2026-01').stdout
        feb = run('observe', '--no-progress', '--data', quiet, '--store',
                  db, '--month', '2026-02').stdout
        jrows = list(csv.DictReader(io.StringIO(jan)))
        frows = list(csv.DictReader(io.StringIO(feb)))
        con = sqlite3.connect(db)
        check(con.execute('PRAGMA user_version').fetchone()[0] == 1,
              'schema version 1')
        tables = {r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        check(tables == {'months', 'ases', 'metrics', 'actions'},
              f'tables {tables}')
        con.close()
        scaled = check_month(db, '2026-01', jrows)
        check(scaled > 0, 'incidents normalised in 2026-01')
        check_month(db, '2026-02', frows)
        by = {r['asn']: r for r in jrows}
        check(by['3010']['M1'] not in ('', '100.0'), 'AS3010 leaks (jan)')

        # Replace one month only.
        lst = os.path.join(tmp, 'asns')
        with open(lst, 'w') as f:
            f.write('3010\n3020\n3100\n')
        sub = run('observe', '--no-progress', '--data', world, '--asns',
                  lst, '--store', db, '--month', '2026-01').stdout
        con = sqlite3.connect(db)
        n = dict(con.execute('SELECT month, count(*) FROM ases GROUP BY '
                             'month').fetchall())
        check(n == {'2026-01': 3, '2026-02': len(frows)},
              f'replaced month: {n}')
        check(con.execute('SELECT count(*) FROM metrics WHERE month = '
                          "'2026-01'").fetchone()[0] == 45,
              'replaced month: metrics')
        con.close()
        check_month(db, '2026-01', list(csv.DictReader(io.StringIO(sub))))

        # The trend in audit reports.
        t = run('audit', '--no-progress', '--data', world, '--store', db,
                '3010').stdout
        lines = [x for x in t.splitlines() if x.startswith('  2026-')]
        check('history (action scores' in t and len(lines) == 2 and
              lines[0].startswith('  2026-01') and
              lines[1].startswith('  2026-02'), f'audit text trend {lines}')
        j = [json.loads(x) for x in run(
            'audit', '--no-progress', '--json', '--data', world, '--store',
            db, '3010', '3100', '64999').stdout.splitlines()]
        con = sqlite3.connect(db)
        for o in j:
            h = o.get('history')
            if o['asn'] == 64999:
                check(h == [], 'AS64999: empty history')
                continue
            check([x['month'] for x in h] == ['2026-01', '2026-02'],
                  f'AS{o["asn"]} history months')
            for x in h:
                ns = con.execute(
                    'SELECT norm_score FROM actions WHERE month = ? AND '
                    "asn = ? AND action = 'filtering'",
                    (x['month'], o['asn'])).fetchone()[0]
                got = x['actions']['filtering']['score']
                check((got is None and ns is None) or close(got, ns),
                      f'AS{o["asn"]} {x["month"]} filtering {got} {ns}')
        con.close()
        t = run('audit', '--no-progress', '--data', world, '3010').stdout
        check('history' not in t, 'no history without --store')
        # The HTML report: a trend per AS, in its section.
        page = os.path.join(tmp, 'a.html')
        run('audit', '--no-progress', '--data', world, '--store', db,
            '--html', page, '3010', '3100')
        html = open(page).read()
        for asn in (3010, 3100):
            sec = html[html.index(f'id="AS{asn}"'):]
            sec = sec[:sec.index('</section>\n</section>')]
            pts = re.findall(r'<circle class="pt" data-action="1" '
                             r'data-month="([0-9-]+)" data-score="([0-9.]+)"',
                             sec)
            check([m for m, _ in pts] == ['2026-01', '2026-02'] and
                  f'id="trend-AS{asn}"' in sec, f'AS{asn} HTML trend {pts}')

        # Newer schema refused, unchanged; bad flags refused.
        new = os.path.join(tmp, 'new.db')
        shutil.copy(db, new)
        con = sqlite3.connect(new)
        con.execute('PRAGMA user_version = 99')
        con.commit()
        con.close()
        before = open(new, 'rb').read()
        p = run('observe', '--no-progress', '--data', world, '--store',
                new, '--month', '2026-03', ok=(1,))
        check('newer' in p.stderr, f'newer schema: {p.stderr!r}')
        check(open(new, 'rb').read() == before, 'newer store unchanged')
        run('observe', '--data', world, '--store', db, '--month',
            '2026-13', ok=(2,))
        run('observe', '--data', world, '--store', db, ok=(2,))
        run('observe', '--data', world, '--month', '2026-01', ok=(2,))
    if fails:
        return 1
    print(f'ok: {len(jrows)} + {len(frows)} AS-months stored and checked')
    return 0


if __name__ == '__main__':
    sys.exit(main())
