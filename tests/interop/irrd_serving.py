#!/usr/bin/env python3
"""irrd_serving.py - "manrs irrd" serving under load (issue 12, items 3,
4, 7 and 8), on loopback over the real RIPE/ARIN dumps:

1. half-close: a client that shuts its write side right after a query
   with a ~1.4 MB answer ("!aAS-DECIX") gets the whole answer, byte for
   byte what a normal client gets; pipelined queries before the
   half-close are all answered;
2. 30 clients that ask for large answers (distinct expansions, cache
   off) and never read: irrd's RSS stays under its start + 64 MB, and
   a well-behaved client is still answered at once;
3. head-of-line blocking: while 20 clients loop "!aAS-DECIX", a
   well-behaved client's "!gAS3333" has p99 under 250 ms;
4. an as-set nested deeper than the expansion limit (64) is answered
   with an "F" line naming the cut, not a silently partial list, and
   "manrs filter" says so on stderr;
5. /metrics has the irrd series (queries by type, latency histogram,
   clients, refused, reloads, objects per source, data age).

Each part is bounded in time; every process started is killed.  Exit 77
(skip) when the shared data is absent.
"""
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

M = os.environ.get('MANRS_BIN', 'build/src/cmd/manrs/manrs')
D = os.path.join(os.environ.get('MANRS_SHARED_DATA', '../shared/data'),
                 'irr')
FILES = ['ripe.db.as-set.gz', 'ripe-nonauth.db.route.gz',
         'ripe-nonauth.db.aut-num.gz', 'arin-whois-originas.json.bz2']
for f in FILES:
    if not os.access(os.path.join(D, f), os.R_OK):
        print('SKIP: shared data %s/%s absent' % (D, f))
        sys.exit(77)

tmp = tempfile.mkdtemp()
os.chmod(tmp, 0o755)    # irrd started as root reads as an unprivileged user
procs = []
socks = []
fails = 0
HELP = subprocess.run([M, 'irrd', '--help'], capture_output=True,
                      text=True).stdout


def check(cond, what):
    global fails
    print(('ok: ' if cond else 'FAIL: ') + what)
    sys.stdout.flush()
    if not cond:
        fails += 1


def flags(*pairs):
    """Daemon flags this binary knows (an old build lacks some)."""
    out = []
    for p in pairs:
        if p[0] in HELP:
            out += list(p)
    return out


def start(name, extra, sources=None):
    port_file = os.path.join(tmp, name + '.port')
    log_path = os.path.join(tmp, name + '.log')
    if sources is None:
        sources = ['RIPE=' + os.path.join(D, FILES[0]),
                   'RIPE-NONAUTH=%s,%s' % (os.path.join(D, FILES[1]),
                                           os.path.join(D, FILES[2])),
                   'ARIN-WHOIS=' + os.path.join(D, FILES[3])]
    args = [M, 'irrd', '--listen', '127.0.0.1:0', '--port-file', port_file,
            '--idle-timeout', '60'] + flags(('--max-per-address', '0'))
    for s in sources:
        args += ['--source', s]
    p = subprocess.Popen(args + extra, stderr=open(log_path, 'w'))
    procs.append(p)
    for _ in range(1200):
        if os.path.exists(port_file) and os.path.getsize(port_file) > 0 \
                and 'loaded' in open(log_path).read():
            break
        if p.poll() is not None:
            break
        time.sleep(0.1)
    if p.poll() is not None:
        print(open(log_path).read())
        raise SystemExit('FAIL: %s did not start' % name)
    return p, int(open(port_file).read().split()[0]), log_path


def connect(port):
    s = socket.create_connection(('127.0.0.1', port), timeout=30)
    socks.append(s)
    return s


def read_all(s, limit=30):
    s.settimeout(limit)
    out = []
    try:
        while True:
            d = s.recv(1 << 20)
            if not d:
                break
            out.append(d)
    except socket.timeout:
        pass
    return b''.join(out)


def answer_len(b):
    """Length of the first complete IRRd answer in b, or 0."""
    nl = b.find(b'\n')
    if nl < 0:
        return 0
    if b[:1] in (b'C', b'D', b'F'):
        return nl + 1
    n = int(b[1:nl])
    return nl + 1 + n + 2 if len(b) >= nl + 1 + n + 2 else 0


def ask(port, q, timeout=10):
    s = connect(port)
    s.sendall(q)
    got = read_all(s, timeout)
    s.close()
    return got


def rss_kib(p):
    with open('/proc/%d/status' % p.pid) as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1])
    return -1


def probe(port, what):
    t0 = time.monotonic()
    got = ask(port, b'!!\n!iAS-RESTENA,1\n!q\n')
    dt = time.monotonic() - t0
    check(got == b'A41\nAS2602 AS42909 AS51966 AS211018 AS211999\nC\n'
          and dt < 2.0, '%s: a well-behaved client answered (%.3f s)' %
          (what, dt))


try:
    srv, port, log = start('main', flags(('--metrics', '127.0.0.1:0')))

    # 1. Half-close.
    full = ask(port, b'!aAS-DECIX\n', 30)
    check(full.startswith(b'A') and len(full) > 1000000 and
          answer_len(full) == len(full),
          'normal read: !aAS-DECIX answer of %d bytes' % len(full))
    s = connect(port)
    s.sendall(b'!aAS-DECIX\n')
    s.shutdown(socket.SHUT_WR)
    half = read_all(s, 30)
    check(half == full, 'half-close after the query: whole answer, byte '
          'for byte (%d of %d bytes)' % (len(half), len(full)))
    s = connect(port)
    s.sendall(b'!!\n!gAS3333\n!aAS-DECIX\n!iAS-RESTENA,1\n')
    s.shutdown(socket.SHUT_WR)
    got = read_all(s, 30)
    g = ask(port, b'!gAS3333\n')
    check(got == g + full +
          b'A41\nAS2602 AS42909 AS51966 AS211018 AS211999\nC\n',
          'half-close after 3 pipelined queries: all answered in order '
          '(%d bytes)' % len(got))

    # 5. Metrics (here: the main server is up and has answered queries).
    m = re.search(r'metrics \(http\) listening on 127\.0\.0\.1:(\d+)',
                  open(log).read())
    text = ''
    if m:
        try:
            text = urllib.request.urlopen('http://127.0.0.1:%s/metrics' %
                                          m.group(1), timeout=10).read(
                                          ).decode()
        except OSError as e:
            print('metrics: %s' % e)
    want = ['manrs_irrd_queries_total{type="!a"}',
            'manrs_irrd_queries_total{type="!g"}',
            'manrs_irrd_query_duration_seconds_bucket{le="+Inf"}',
            'manrs_irrd_query_duration_seconds_count',
            'manrs_irrd_clients ', 'manrs_irrd_clients_refused_total{',
            'manrs_irrd_reloads_total{', 'manrs_irrd_reloads_refused_total{',
            'manrs_irrd_objects{source="RIPE"} 25174',
            'manrs_irrd_data_age_seconds ',
            'manrs_irrd_data_loaded_timestamp_seconds ']
    missing = [w for w in want if w not in text]
    check(m is not None and not missing, '/metrics has the irrd series%s' %
          (' (missing: %s)' % ', '.join(missing) if missing else ''))
    q = re.search(r'manrs_irrd_queries_total\{type="!a"\} (\d+)', text)
    check(q is not None and int(q.group(1)) >= 3,
          '/metrics counts the !a queries (%s)' % (q.group(1) if q else '-'))

    # 3. Head-of-line blocking: 20 heavy clients, one light one.
    stop = threading.Event()
    heavy_done = [0]

    def heavy(n):
        hs = []
        for _ in range(n):
            c = socket.create_connection(('127.0.0.1', port), timeout=30)
            c.sendall(b'!!\n!aAS-DECIX\n')
            hs.append([c, b''])
        while not stop.is_set():
            for h in hs:
                h[0].settimeout(0.01)
                try:
                    d = h[0].recv(1 << 20)
                except socket.timeout:
                    continue
                except OSError:
                    return
                if not d:
                    return
                h[1] += d
                n = answer_len(h[1])
                if n:
                    h[1] = h[1][n:]
                    heavy_done[0] += 1
                    h[0].sendall(b'!aAS-DECIX\n')
        for h in hs:
            h[0].close()

    th = threading.Thread(target=heavy, args=(20,))
    th.start()
    time.sleep(2)
    s = connect(port)
    s.sendall(b'!!\n')
    lat = []
    deadline = time.monotonic() + 60
    while len(lat) < 100 and time.monotonic() < deadline:
        t0 = time.monotonic()
        s.sendall(b'!gAS3333\n')
        buf = b''
        s.settimeout(30)
        while not answer_len(buf):
            d = s.recv(65536)
            if not d:
                break
            buf += d
        lat.append(time.monotonic() - t0)
        time.sleep(0.01)
    stop.set()
    th.join(30)
    lat.sort()
    p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] if lat else 99
    check(len(lat) == 100 and p99 < 0.25 and heavy_done[0] > 0,
          'light !g while 20 clients loop !aAS-DECIX: p50 %.1f ms, p99 %.1f '
          'ms (%d answers, %d heavy answers)' % (
              lat[len(lat) // 2] * 1e3 if lat else -1, p99 * 1e3, len(lat),
              heavy_done[0]))
    srv.kill()
    srv.wait()

    # 2. 30 non-reading clients, distinct large answers, no cache.
    srv, port, log = start('rss', flags(('--cache-size', '0')))
    probe(port, 'rss start')
    base = rss_kib(srv)
    qs = [b'!aAS-DECIX', b'!a4AS-DECIX', b'!aAS-TELIANET', b'!iAS-DECIX,1',
          b'!aAS-NETIX', b'!aAS39533:AS-PEERS']
    slow = []
    for i in range(30):
        c = connect(port)
        c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        c.settimeout(2)
        try:
            c.sendall(b'!!\n' + b''.join(q + b'\n' for q in qs) * 3)
        except OSError:
            pass
        slow.append(c)
    peak = base
    for _ in range(40):
        time.sleep(0.25)
        peak = max(peak, rss_kib(srv))
    probe(port, '30 non-reading clients')
    grow = peak - base
    check(grow < 64 * 1024, '30 non-reading clients: RSS %d MB at start, '
          'peak +%d MB (bound +64 MB)' % (base // 1024, grow // 1024))
    for c in slow:
        c.close()
    srv.kill()
    srv.wait()

    # 4. Depth limit: AS-DEEP0 > AS-DEEP1 > ... > AS-DEEP69 > AS65001.
    deep = os.path.join(tmp, 'deep.db')
    with open(deep, 'w') as f:
        for i in range(70):
            f.write('as-set: AS-DEEP%d\nmembers: %s\nsource: DEEP\n\n' %
                    (i, 'AS-DEEP%d' % (i + 1) if i < 69 else 'AS65001'))
        f.write('as-set: AS-SHALLOW\nmembers: AS-DEEP60\nsource: DEEP\n\n')
        f.write('route: 192.0.2.0/24\norigin: AS65001\nsource: DEEP\n\n')
    srv, port, log = start('deep', [], ['DEEP=' + deep])
    got = ask(port, b'!iAS-DEEP0,1\n')
    check(got.startswith(b'F ') and b'deeper than 64' in got and
          b'AS-DEEP' in got, '!i of a set nested deeper than 64: %r' %
          got[:120])
    got = ask(port, b'!aAS-DEEP0\n')
    check(got.startswith(b'F ') and b'deeper than 64' in got,
          '!a of a set nested deeper than 64: %r' % got[:120])
    got = ask(port, b'!aAS-SHALLOW\n')
    check(got == b'A13\n192.0.2.0/24\nC\n', 'a set within the limit: %r' %
          got[:60])
    srv.kill()
    srv.wait()
    r = subprocess.run([M, 'filter', '--source', 'DEEP=' + deep, '-4',
                        'AS-DEEP0'], capture_output=True, text=True,
                       timeout=60)
    check('depth' in r.stderr and 'AS-DEEP0' in r.stderr,
          'manrs filter reports the depth limit on stderr: %r' %
          r.stderr.strip()[:160])
finally:
    for s in socks:
        try:
            s.close()
        except OSError:
            pass
    for p in procs:
        if p.poll() is None:
            p.kill()
            p.wait()
    shutil.rmtree(tmp, ignore_errors=True)
print('PASS' if fails == 0 else 'FAIL: %d checks' % fails)
sys.exit(1 if fails else 0)
