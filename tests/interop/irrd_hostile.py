#!/usr/bin/env python3
"""irrd_hostile.py - hostile clients against "manrs irrd" on loopback.

Garbage bytes, a 1 MB line, 10k pipelined queries, a client that asks
for megabytes and never reads, hundreds of idle connections, more
clients than --max-clients, and reloads (good and bad) on SIGHUP.  After
each, a fresh well-behaved client must still be answered correctly and
promptly, and the server must still be alive with bounded memory.
Exit 77 (skip) when the shared IRR data is absent.
"""
import os, shutil, signal, socket, subprocess, sys, tempfile, time

M = os.environ.get('MANRS_BIN', 'build/src/cmd/manrs/manrs')
D = os.path.join(os.environ.get('MANRS_SHARED_DATA', '../shared/data'), 'irr')
FILES = ['ripe.db.as-set.gz', 'ripe-nonauth.db.route.gz',
         'ripe-nonauth.db.aut-num.gz']
for f in FILES:
    if not os.access(os.path.join(D, f), os.R_OK):
        print('SKIP: shared data %s/%s absent' % (D, f))
        sys.exit(77)

tmp = tempfile.mkdtemp()
srv = None
socks = []
fails = 0


def cleanup():
    for s in socks:
        try:
            s.close()
        except OSError:
            pass
    if srv is not None and srv.poll() is None:
        srv.kill()
        srv.wait()
    shutil.rmtree(tmp, ignore_errors=True)


def check(cond, what):
    global fails
    print(('ok: ' if cond else 'FAIL: ') + what)
    if not cond:
        fails += 1


def connect():
    s = socket.create_connection(('127.0.0.1', port), timeout=10)
    socks.append(s)
    return s


def recv_until(s, n_or_end, timeout=10):
    s.settimeout(timeout)
    out = b''
    while True:
        try:
            d = s.recv(1 << 20)
        except socket.timeout:
            break
        if not d:
            break
        out += d
        if isinstance(n_or_end, bytes) and out.endswith(n_or_end):
            break
        if isinstance(n_or_end, int) and len(out) >= n_or_end:
            break
    return out


def probe(what):
    """A well-behaved client: answered right and fast?"""
    t0 = time.monotonic()
    s = connect()
    s.sendall(b'!!\n!iAS-RESTENA,1\n!q\n')
    got = recv_until(s, None, 10)
    dt = time.monotonic() - t0
    check(got == b'A41\nAS2602 AS42909 AS51966 AS211018 AS211999\nC\n' and
          dt < 2.0, '%s: other clients still answered (%.3f s)' % (what, dt))
    check(srv.poll() is None, '%s: server alive' % what)


def rss_kib():
    with open('/proc/%d/status' % srv.pid) as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1])
    return -1


try:
    # A copy of one file, so that a bad reload can be provoked.
    aset = os.path.join(tmp, 'ripe.db.as-set.gz')
    shutil.copy(os.path.join(D, FILES[0]), aset)
    # Started as root, irrd drops to an unprivileged user before it
    # reads the files: let it into the temporary directory.
    os.chmod(tmp, 0o755)
    portfile = os.path.join(tmp, 'port')
    log = open(os.path.join(tmp, 'server.log'), 'w')
    v6 = socket.has_ipv6
    try:
        socket.socket(socket.AF_INET6).bind(('::1', 0))
    except OSError:
        v6 = False
    srv = subprocess.Popen([M, 'irrd', '--listen', '127.0.0.1:0'] +
                           (['--listen', '[::1]:0'] if v6 else []) +
                           ['--port-file', portfile, '--max-clients', '400',
                            '--max-per-address', '0', '--idle-timeout', '3',
                            '--source', 'RIPE=' + aset,
                            '--source', 'RIPE-NONAUTH=%s,%s' % (
                                os.path.join(D, FILES[1]),
                                os.path.join(D, FILES[2]))],
                           stderr=log)
    for _ in range(600):
        if os.path.exists(portfile) and os.path.getsize(portfile) > 0:
            break
        if srv.poll() is not None:
            break
        time.sleep(0.1)
    ports = [int(x) for x in open(portfile).read().split()]
    port = ports[0]
    probe('start')
    if v6:
        s6 = socket.create_connection(('::1', ports[1]), timeout=10)
        socks.append(s6)
        s6.sendall(b'!iAS-RESTENA,1\n')
        check(recv_until(s6, None, 5) ==
              b'A41\nAS2602 AS42909 AS51966 AS211018 AS211999\nC\n',
              'IPv6 listener answers')
    base_rss = rss_kib()

    # 1. Garbage.
    s = connect()
    s.sendall(b'!!\n' + bytes(range(256)) * 40 + b'\n\x00\x00!g\xff\n')
    got = recv_until(s, None, 3)
    check(len(got) > 0 and all(l[:1] in (b'F', b'%', b'')
                               for l in got.split(b'\n')),
          'garbage answered with errors only')
    probe('garbage')

    # 2. A 1 MB line: refused with an error, connection closed.
    s = connect()
    try:
        s.sendall(b'!!\n!g' + b'1' * (1 << 20) + b'\n')
    except OSError:
        pass
    got = recv_until(s, None, 5)
    check(got == b'F query line longer than MANRS_WHOIS_LINE_MAX\n',
          '1 MB line refused: %r' % got[:60])
    probe('1 MB line')

    # 3. 10k pipelined queries, answered in order.
    ans = {}
    for asn in (4663, 5511, 64496):
        s = connect()
        s.sendall(b'!gAS%d\n' % asn)
        ans[asn] = recv_until(s, None, 5)
    check(ans[4663].startswith(b'A') and b' 63.105.192.0/20 ' in ans[4663]
          and ans[4663].endswith(b'\nC\n') and
          ans[64496] == b'C\n' and len(ans[5511]) > 100,
          'single-command answers')
    s = connect()
    order = [(4663, 5511, 64496)[i % 3] for i in range(10000)]
    s.sendall(b'!!\n' + b''.join(b'!gAS%d\n' % a for a in order) +
              b'!q\n')
    got = recv_until(s, None, 30)
    check(got == b''.join(ans[a] for a in order),
          '10k pipelined queries answered in order (%d bytes)' % len(got))
    probe('pipelining')

    # 4. A slow reader: asks for ~500 MB and never reads.
    slow = connect()
    slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    try:
        slow.settimeout(2)
        slow.sendall(b'!!\n' + b'!a4AS-NETIX\n' * 400)
    except OSError:
        pass
    time.sleep(1)
    probe('slow reader')
    grow = rss_kib() - base_rss
    check(grow < 64 * 1024, 'slow reader costs bounded memory (+%d KiB)' %
          grow)

    # 5. Many idle connections, then past --max-clients.
    idle = [connect() for _ in range(300)]
    time.sleep(0.5)
    probe('300 idle connections')
    extra = [connect() for _ in range(150)]
    refused = told = 0
    for s in extra:
        got = recv_until(s, None, 1)
        # The daemon layer gives a last word to a few refused clients
        # at a time and closes the others at once.
        told += got == b'F too many connections\n'
        refused += got in (b'', b'F too many connections\n')
    check(refused >= 40 and told >= 1, 'past --max-clients refused (%d, '
          '%d told why)' % (refused, told))
    # The idle timeout (3 s) closes the idle ones.
    time.sleep(4.5)
    closed = 0
    for s in idle:
        s.settimeout(0.5)
        try:
            closed += s.recv(10) == b''
        except (socket.timeout, OSError):
            pass
    check(closed == len(idle), 'idle connections closed after the idle '
          'timeout (%d/%d)' % (closed, len(idle)))
    probe('after idle timeout')

    # 6. SIGHUP: a good reload, then a bad one (file gone) keeps data.
    def wait_log(what, secs=120):
        for _ in range(secs * 10):
            if what in open(os.path.join(tmp, 'server.log')).read():
                return True
            time.sleep(0.1)
        return False

    srv.send_signal(signal.SIGHUP)
    probe('during reload')
    check(wait_log('reload done'), 'good reload done')
    probe('good reload')
    os.unlink(aset)
    srv.send_signal(signal.SIGHUP)
    check(wait_log('keeping the previous data'), 'bad reload refused')
    probe('bad reload keeps the old data')
    srv.send_signal(signal.SIGTERM)
    rc = srv.wait(timeout=30)
    log.flush()
    if rc != 0:
        print(open(os.path.join(tmp, 'server.log')).read()[-3000:])
    check(rc == 0, 'clean exit on SIGTERM (rc %d)' % rc)
finally:
    cleanup()
print('PASS' if fails == 0 else 'FAIL: %d checks' % fails)
sys.exit(1 if fails else 0)
