#!/usr/bin/env python3
"""The audit's HTML report laid out by headless Chromium at 1280 px.

`manrs audit --html` for several ASes of the example world (leaks, a
hijack, no spoofing data, a clean AS) and for real-data ASes with many
incidents (the 2016 RIS update file): a checking script is added to a copy
of each page, Chromium runs it (--dump-dom at --window-size=1280,...), and
it reports what it measured into the DOM:
- no horizontal overflow (the document is no wider than the window);
- no two text labels of one SVG chart overlap (bounding boxes);
- "no data" is not drawn as a score: every action without a score is a
  hatched bar labelled "no data" (class nodata) and no bar; every bar
  carries a score; metric cells "no data" are styled apart from scores;
- several ASes get a summary table with a row (and link) per AS.
A screenshot of each page is taken too (not blank).
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

MANRS = os.environ.get('MANRS_BIN', 'manrs')
SHARED = os.environ.get('MANRS_SHARED_DATA', '../shared/data')

CHECK = r'''<script>
(function () {
  var out = {overflow: 0, width: 0, overlaps: [], nodata_bad: [],
             nodata_bars: 0, score_bars: 0, summary_rows: 0,
             nodata_cells: 0, nodata_style_same: 0};
  var de = document.documentElement;
  out.width = de.scrollWidth;
  out.overflow = de.scrollWidth - window.innerWidth;
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
          out.overlaps.push((svg.id || 'svg') + ': "' + t[i].textContent +
                            '" / "' + t[j].textContent + '"');
      }
  });
  document.querySelectorAll('svg.chart[id^="actions-"]').forEach(
    function (svg) {
      svg.querySelectorAll('rect.bar').forEach(function (r) {
        out.score_bars++;
        if (r.getAttribute('data-score') === null)
          out.nodata_bad.push(svg.id + ': a bar without a score');
      });
      svg.querySelectorAll('rect.nodata').forEach(function () {
        out.nodata_bars++;
      });
      var labels = svg.querySelectorAll('text.nodata');
      if (labels.length !== svg.querySelectorAll('rect.nodata').length)
        out.nodata_bad.push(svg.id + ': hatched bars and labels differ');
      labels.forEach(function (l) {
        if (l.textContent !== 'no data')
          out.nodata_bad.push(svg.id + ': label ' + l.textContent);
      });
  });
  var sc = document.querySelector('td.score');
  document.querySelectorAll('td.nodata').forEach(function (c) {
    out.nodata_cells++;
    if (sc) {
      var a = getComputedStyle(c), s = getComputedStyle(sc);
      if (a.fontStyle === s.fontStyle &&
          a.backgroundColor === s.backgroundColor)
        out.nodata_style_same++;
    }
  });
  out.summary_rows = document.querySelectorAll(
    '#summary tr[data-asn] a[href^="#AS"]').length;
  var pre = document.createElement('pre');
  pre.id = 'layout-result';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>'''


def chrome():
    for c in ('chromium', 'chromium-browser'):
        p = shutil.which(c)
        if p:
            return p
    return None


def measure(exe, tmp, page, name):
    with open(page) as f:
        html = f.read()
    test = os.path.join(tmp, name + '.check.html')
    with open(test, 'w') as f:
        f.write(html.replace('</body>', CHECK + '</body>'))
    flags = ['--headless', '--no-sandbox', '--disable-gpu',
             '--disable-quic', '--no-first-run',
             '--disable-background-networking',
             '--disable-component-update', '--disable-sync',
             '--hide-scrollbars', f'--user-data-dir={tmp}/profile',
             '--window-size=1280,900']
    dom = subprocess.run(['timeout', '120', exe, *flags, '--dump-dom',
                          'file://' + test], capture_output=True,
                         text=True).stdout
    shot = os.path.join(tmp, name + '.png')
    subprocess.run(['timeout', '120', exe, *flags, f'--screenshot={shot}',
                    'file://' + page], capture_output=True)
    m = re.search(r'<pre id="layout-result">(.*?)</pre>', dom, re.S)
    if not m:
        return None, 0
    res = json.loads(m.group(1).replace('&quot;', '"')
                     .replace('&amp;', '&').replace('&lt;', '<')
                     .replace('&gt;', '>'))
    size = os.path.getsize(shot) if os.path.exists(shot) else 0
    return res, size


def main():
    exe = chrome()
    if exe is None:
        print('SKIP: chromium not installed (scripts/bootstrap installs it)')
        return 77
    fails = 0
    with tempfile.TemporaryDirectory() as tmp:
        world = os.path.join(tmp, 'world')
        subprocess.run([MANRS, 'example', world], check=True,
                       capture_output=True)
        pages = {}
        p = os.path.join(tmp, 'world.html')
        subprocess.run([MANRS, 'audit', '--no-progress', '--data', world,
                        '--html', p, '3010', '3020', '3080', '3100'],
                       check=True, capture_output=True)
        pages['world'] = (p, 4)
        upd = os.path.join(SHARED, 'mrt', 'updates.20160811.1600.gz')
        if os.path.exists(upd):
            # The ASes with the most incidents in the real update file.
            obs = subprocess.run([MANRS, 'observe', '--no-progress',
                                  '--updates', upd, '--sort', 'A1'],
                                 capture_output=True, text=True).stdout
            worst = [ln.split(',')[0] for ln in obs.splitlines()[1:4]]
            p = os.path.join(tmp, 'real.html')
            subprocess.run([MANRS, 'audit', '--no-progress', '--updates',
                            upd, '--html', p, *worst], check=True,
                           capture_output=True)
            pages['real'] = (p, len(worst))
        else:
            print(f'note: {upd} absent, real-data page not checked')
        for name, (page, nas) in pages.items():
            res, size = measure(exe, tmp, page, name)
            if res is None:
                print(f'FAIL: {name}: the checking script did not run')
                fails += 1
                continue
            print(f'{name}: {json.dumps(res)[:300]}')
            if res['overflow'] > 0:
                print(f'FAIL: {name}: {res["width"]} px wide, scrolls '
                      f'sideways at 1280 px')
                fails += 1
            if res['overlaps']:
                print(f'FAIL: {name}: overlapping labels: '
                      f'{res["overlaps"][:5]}')
                fails += 1
            if res['nodata_bad'] or res['nodata_style_same']:
                print(f'FAIL: {name}: no data drawn like a score: '
                      f'{res["nodata_bad"][:5]} '
                      f'{res["nodata_style_same"]} cells')
                fails += 1
            if res['summary_rows'] != nas:
                print(f'FAIL: {name}: {res["summary_rows"]} summary rows, '
                      f'{nas} ASes')
                fails += 1
            if size < 20000:
                print(f'FAIL: {name}: screenshot blank ({size} bytes)')
                fails += 1
        # The example world has both kinds: no data (anti-spoofing of
        # AS3010 has no test) and scores.
        res, _ = measure(exe, tmp, pages['world'][0], 'world2')
        if res is None or res['nodata_bars'] == 0 or \
                res['score_bars'] == 0 or res['nodata_cells'] == 0:
            print(f'FAIL: world page lacks no-data or score bars: {res}')
            fails += 1
    if fails:
        return 1
    print('ok: no sideways scroll, no overlapping labels, no data apart')
    return 0


if __name__ == '__main__':
    sys.exit(main())
