#!/usr/bin/env python3
"""manrs observe --site DIR: the static web view (issue 16), in Chromium.

The example world, with a delegated-stats file written here (its ASes in
DE, NL and US under ripencc and arin, its address space allocated), is
stored for two months (2026-01 whole, 2026-02 without its update files)
and written as a site with --store.  Checks:
- one page per AS of the observe table, one per country and RIR, an index
  whose table has a row per AS; no external assets;
- headless Chromium at 1280 px runs a checking script on copies of the
  index, a group page and an AS page: no horizontal overflow, no two SVG
  labels overlapping; sorting the index by "filtering" orders the scores
  ascending then descending with "no data" last both times; filtering by
  "NL" shows exactly the NL rows; the AS page's trend has one point per
  month with the store's normalised score, and "no data" cells apart
  from scores; screenshots are not blank;
- writing the site again replaces it and leaves no temporary file.
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

CHECK = r'''<script>
(function () {
  var out = {overflow: document.documentElement.scrollWidth -
             window.innerWidth, overlaps: []};
  document.querySelectorAll('svg').forEach(function (svg) {
    var t = Array.prototype.slice.call(svg.querySelectorAll('text'));
    var b = t.map(function (e) { return e.getBoundingClientRect(); });
    for (var i = 0; i < b.length; i++)
      for (var j = i + 1; j < b.length; j++) {
        var w = Math.min(b[i].right, b[j].right) -
                Math.max(b[i].left, b[j].left);
        var h = Math.min(b[i].bottom, b[j].bottom) -
                Math.max(b[i].top, b[j].top);
        if (w > 0.5 && h > 0.5)
          out.overlaps.push(t[i].textContent + ' / ' + t[j].textContent);
      }
  });
  var t = document.getElementById('ases');
  if (t) {
    var ths = t.tHead.rows[0].cells, col = -1;
    for (var i = 0; i < ths.length; i++)
      if (ths[i].textContent === 'filtering') col = i;
    function vals() {
      return Array.prototype.map.call(t.tBodies[0].rows, function (r) {
        return r.cells[col].getAttribute('data-v'); });
    }
    ths[col].click(); out.asc = vals();
    ths[col].click(); out.desc = vals();
    var f = document.getElementById('filter');
    f.value = 'NL'; f.dispatchEvent(new Event('input'));
    out.visible = Array.prototype.filter.call(t.tBodies[0].rows,
      function (r) { return !r.hidden; }).map(function (r) {
        return r.getAttribute('data-asn'); });
    out.count = document.getElementById('count').textContent;
  }
  out.trend = Array.prototype.map.call(
    document.querySelectorAll('circle.pt[data-action="1"]'), function (c) {
      return [c.getAttribute('data-month'), c.getAttribute('data-score')];
    });
  out.nodata = document.querySelectorAll('td.nodata').length;
  var pre = document.createElement('pre');
  pre.id = 'check-result';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>'''


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


def chrome_check(exe, tmp, page, name):
    html = open(page).read()
    test = os.path.join(os.path.dirname(page), '.check-' + name + '.html')
    with open(test, 'w') as f:
        f.write(html.replace('</body>', CHECK + '</body>'))
    flags = ['--headless', '--no-sandbox', '--disable-gpu',
             '--disable-quic', '--no-first-run', '--hide-scrollbars',
             '--disable-background-networking',
             '--disable-component-update', '--disable-sync',
             f'--user-data-dir={tmp}/profile', '--window-size=1280,900']
    dom = subprocess.run(['timeout', '120', exe, *flags, '--dump-dom',
                          'file://' + test], capture_output=True,
                         text=True).stdout
    os.unlink(test)
    shot = os.path.join(tmp, name + '.png')
    subprocess.run(['timeout', '120', exe, *flags, f'--screenshot={shot}',
                    'file://' + page], capture_output=True)
    check(os.path.exists(shot) and os.path.getsize(shot) > 15000,
          f'{name}: screenshot')
    m = re.search(r'<pre id="check-result">(.*?)</pre>', dom, re.S)
    if not m:
        check(False, f'{name}: the checking script did not run')
        return {}
    res = json.loads(m.group(1).replace('&quot;', '"').replace(
        '&lt;', '<').replace('&gt;', '>').replace('&amp;', '&'))
    check(res['overflow'] <= 0, f'{name}: scrolls sideways '
          f'({res["overflow"]} px)')
    check(not res['overlaps'], f'{name}: labels overlap {res["overlaps"]}')
    return res


def delegated(path):
    # The world's ASes: 3001.. (tier-1, tier-2, stubs); 64512 is a bogon.
    lines = ['2|nro|20260101|5|19700101|20260101|+0000',
             'arin|US|asn|3000|100|20200101|allocated',
             'ripencc|DE|asn|3100|100|20200101|allocated',
             'ripencc|NL|asn|3200|200|20200101|allocated',
             'ripencc|NL|ipv4|20.0.0.0|33554432|20200101|allocated',
             'ripencc|NL|ipv6|2a10::|16|20200101|allocated']
    with open(path, 'w') as f:
        f.write('\n'.join(lines) + '\n')


def main():
    exe = shutil.which('chromium') or shutil.which('chromium-browser')
    if exe is None:
        print('SKIP: chromium not installed (scripts/bootstrap installs it)')
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        world = os.path.join(tmp, 'world')
        quiet = os.path.join(tmp, 'quiet')
        db = os.path.join(tmp, 'h.db')
        site = os.path.join(tmp, 'site')
        run('example', world)
        os.mkdir(os.path.join(world, 'delegated'))
        delegated(os.path.join(world, 'delegated', 'delegated.txt'))
        shutil.copytree(world, quiet)
        shutil.rmtree(os.path.join(quiet, 'updates'))
        run('observe', '--no-progress', '--data', world, '--store', db,
            '--month', '2026-01')
        run('observe', '--no-progress', '--data', quiet, '--store', db,
            '--month', '2026-02')
        table = run('observe', '--no-progress', '--data', world, '--store',
                    db, '--site', site).stdout
        rows = list(csv.DictReader(io.StringIO(table)))
        asns = sorted(int(r['asn']) for r in rows)
        pages = sorted(int(f[2:-5]) for f in os.listdir(
            os.path.join(site, 'as')))
        check(pages == asns, f'{len(pages)} AS pages, {len(asns)} ASes')
        check(sorted(os.listdir(os.path.join(site, 'country'))) ==
              ['DE.html', 'NL.html', 'US.html'], 'country pages')
        check(sorted(os.listdir(os.path.join(site, 'rir'))) ==
              ['arin.html', 'ripencc.html'], 'RIR pages')
        for root, _, files in os.walk(site):
            for f in files:
                html = open(os.path.join(root, f)).read()
                if re.search(r'(src|href)="(https?:)?//', html):
                    check(False, f'{f}: external asset')
        idx = open(os.path.join(site, 'index.html')).read()
        check(idx.count('<tr data-asn=') == len(rows), 'index rows')

        res = chrome_check(exe, tmp, os.path.join(site, 'index.html'),
                           'index')
        if res:
            asc = [v for v in res['asc']]
            nums = [float(v) for v in asc if v != '']
            check(nums == sorted(nums) and
                  asc[len(nums):] == [''] * (len(asc) - len(nums)),
                  'sorted ascending, no data last')
            desc = [float(v) for v in res['desc'] if v != '']
            check(desc == sorted(desc, reverse=True) and
                  res['desc'][len(desc):] == [''] * (len(asc) - len(desc)),
                  'sorted descending, no data last')
            nl = sorted(r['asn'] for r in rows if r['country'] == 'NL' or
                        'NL' in r['name'].upper())
            check(sorted(res['visible']) == nl and
                  res['count'] == f'{len(nl)} of {len(rows)} ASes',
                  f'filter NL: {len(res["visible"])} rows, {res["count"]}')
        res = chrome_check(exe, tmp, os.path.join(site, 'country',
                                                  'NL.html'), 'country')
        if res:
            nl = [r for r in rows if r['country'] == 'NL']
            check(len(res['asc']) == len(nl), 'NL page rows')
        res = chrome_check(exe, tmp, os.path.join(site, 'as',
                                                  'AS3010.html'), 'as')
        con = sqlite3.connect(db)
        want = [[m, f'{s:.1f}'] for m, s in con.execute(
            "SELECT month, norm_score FROM actions WHERE asn = 3010 AND "
            "action = 'filtering' ORDER BY month")]
        con.close()
        if res:
            check(res['trend'] == want, f'AS3010 trend {res["trend"]} '
                  f'!= {want}')
            check(res['nodata'] > 0, 'AS3010: no data cells')
        # Again: replaced in place, no temporary file left.
        run('observe', '--no-progress', '--data', world, '--store', db,
            '--site', site)
        left = [f for _, _, fs in os.walk(site) for f in fs
                if not f.endswith('.html')]
        check(not left, f'temporary files left: {left[:5]}')
    if fails:
        return 1
    print(f'ok: site of {len(rows)} ASes checked')
    return 0


if __name__ == '__main__':
    sys.exit(main())
