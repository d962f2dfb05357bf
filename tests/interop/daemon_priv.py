#!/usr/bin/env python3
"""daemon_priv.py - the daemons leave root after binding (issue 12 item 6).

Started as root, "manrs rtrd" and "manrs irrd" with --user nobody run as
nobody in every thread (/proc/PID/task/*/status: Uid and Gid, NoNewPrivs
1, Seccomp 2, no capability), still answer a query, and reload on SIGHUP
as nobody (a readable file reloads; a file only root may read fails the
reload and the old data stays).  --user root stays uid 0, says so with a
WARNING, and still sheds every capability under seccomp; another name
for uid 0 and a member of group 0 are refused.  Without --user the daemon
runs as the manrs user (one is made in a mount namespace of the test's
own), or nobody when there is none.  The
spoof-probe receiver and sender are no longer root once their sockets are
open.  As the shipped units start them (the unprivileged user holding
ambient CAP_NET_BIND_SERVICE), rtrd binds port 323 in a private network
namespace and then holds no capability at all.

Needs root (exit 77 otherwise) and the "nobody" user.  Ports: ephemeral
ones on 127.0.0.1, and 323 only inside a namespace of our own.
"""
import json, os, pwd, shutil, signal, socket, struct, subprocess, sys
import tempfile, time

M = os.environ.get('MANRS_BIN', 'build/src/cmd/manrs/manrs')
SRC = os.environ.get('MANRS_SOURCE_ROOT', '.')
ZERO = '0000000000000000'


def rtr_count(host, port, timeout=20):
    """Reset Query (RFC 8210 section 5.4); prefixes until End of Data."""
    s = socket.create_connection((host, port), timeout=timeout)
    s.sendall(struct.pack('!BBHI', 1, 2, 0, 8))
    buf, n, end = b'', 0, time.time() + timeout
    while time.time() < end:
        while len(buf) >= 8:
            ver, typ, _, length = struct.unpack('!BBHI', buf[:8])
            if length < 8 or length > 65536:
                raise ValueError('bad PDU length %d' % length)
            if len(buf) < length:
                break
            buf = buf[length:]
            if typ in (4, 6):
                n += 1
            elif typ == 7:
                s.close()
                return n
            elif typ == 10:
                raise ValueError('Error Report')
        d = s.recv(65536)
        if not d:
            break
        buf += d
    s.close()
    raise ValueError('no End of Data')


if len(sys.argv) == 4 and sys.argv[1] == '--rtr-count':
    print(rtr_count(sys.argv[2], int(sys.argv[3])))
    sys.exit(0)

if os.geteuid() != 0:
    print('SKIP: needs root (the test starts daemons as root)')
    sys.exit(77)
try:
    NOBODY = pwd.getpwnam('nobody')
except KeyError:
    print('SKIP: no "nobody" user')
    sys.exit(77)
try:
    DEFAULT = pwd.getpwnam('manrs')
except KeyError:
    DEFAULT = NOBODY

tmp = tempfile.mkdtemp(prefix='manrs-priv.')
os.chmod(tmp, 0o755)		# nobody reads the data files in here
procs = []
fails = 0


def check(cond, what):
    global fails
    print(('ok: ' if cond else 'FAIL: ') + what)
    sys.stdout.flush()
    if not cond:
        fails += 1


def cleanup():
    for p in procs:
        if p.poll() is None:
            p.kill()
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
    shutil.rmtree(tmp, ignore_errors=True)


def path(name):
    return os.path.join(tmp, name)


def readf(name):
    try:
        with open(path(name), errors='replace') as f:
            return f.read()
    except OSError:
        return ''


def status(pid, tid=None):
    """The /proc status fields of a process (or one of its threads)."""
    p = '/proc/%d/status' % pid if tid is None else \
        '/proc/%d/task/%d/status' % (pid, tid)
    out = {}
    with open(p) as f:
        for line in f:
            k, _, v = line.partition(':')
            out[k] = v.strip()
    return out


def ids(u):
    return '\t'.join([str(u)] * 4)


def confined(pid, user, what):
    """Every thread: user's ids, no-new-privs, seccomp, no capability
    (waiting up to 5 s: the port file may be written before the drop)."""
    want = {'Uid': ids(user.pw_uid), 'Gid': ids(user.pw_gid),
            'NoNewPrivs': '1', 'Seccomp': '2', 'CapEff': ZERO,
            'CapPrm': ZERO, 'CapInh': ZERO, 'CapAmb': ZERO}
    end = time.time() + 5
    while True:
        tids = sorted(int(t) for t in os.listdir('/proc/%d/task' % pid))
        bad = []
        for t in tids:
            try:
                st = status(pid, t)
            except OSError:
                continue	# a thread that just ended
            for k, v in want.items():
                if st.get(k) != v:
                    bad.append('thread %d %s %r' % (t, k, st.get(k)))
        if not bad or time.time() > end:
            break
        time.sleep(0.05)
    check(not bad, '%s: %d threads run as %s (uid %d), NoNewPrivs 1, '
          'Seccomp 2, CapEff/CapPrm/CapAmb 0%s' % (
              what, len(tids), user.pw_name, user.pw_uid,
              '' if not bad else ': ' + '; '.join(bad)))
    return not bad


def start(name, args, wait_port=True):
    """Start manrs; the bound port from --port-file (or None)."""
    log = open(path(name + '.log'), 'w')
    p = subprocess.Popen([M] + args, stdout=log, stderr=subprocess.STDOUT)
    procs.append(p)
    if not wait_port:
        return p, None
    pf = path(name + '.port')
    for _ in range(300):
        if p.poll() is not None:
            break
        txt = readf(name + '.port')
        if txt.endswith('\n'):
            return p, int(txt.split()[0])
        time.sleep(0.1)
    print(readf(name + '.log'))
    check(False, '%s started and wrote %s' % (name, pf))
    return p, None


def stop(p, what=None):
    """SIGTERM; with what, check a clean exit (sanitizers' too)."""
    if p.poll() is None:
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
    if what is not None:
        check(p.returncode == 0, '%s exits 0 on SIGTERM (%s)' % (
            what, p.returncode))


def wait_log(name, text, start_at=0, secs=30):
    end = time.time() + secs
    while time.time() < end:
        if text in readf(name + '.log')[start_at:]:
            return True
        time.sleep(0.1)
    return False


def vrps(name, n):
    """n distinct VRPs valid now, world-readable; their count."""
    now = int(time.time())
    roas = [{'prefix': '10.%d.%d.0/24' % (i // 256, i % 256),
             'maxLength': 24, 'asn': 64500 + i % 7, 'ta': 'test',
             'expires': now + 86400} for i in range(n)]
    with open(path(name), 'w') as f:
        json.dump({'metadata': {'buildtime': time.strftime(
            '%Y-%m-%dT%H:%M:%SZ', time.gmtime(now))}, 'roas': roas}, f)
    os.chmod(path(name), 0o644)
    return n


def rpsl(name, routes):
    with open(path(name), 'w') as f:
        for r in routes:
            f.write('route: %s\norigin: AS64500\nsource: TEST\n\n' % r)
    os.chmod(path(name), 0o644)


def whois(port, q, timeout=20):
    s = socket.create_connection(('127.0.0.1', port), timeout=timeout)
    s.sendall(q.encode() + b'\n')
    s.shutdown(socket.SHUT_WR)
    out = b''
    end = time.time() + timeout
    while time.time() < end:
        d = s.recv(65536)
        if not d:
            break
        out += d
    s.close()
    return out.decode(errors='replace')


def routes_of(answer):
    return sorted(w for w in answer.split() if '/' in w)


def run_rtrd():
    n1 = vrps('a.json', 20)
    p, port = start('rtrd', ['rtrd', '--listen', '127.0.0.1:0', '--vrps',
                             path('a.json'), '--no-watch', '--port-file',
                             path('rtrd.port'), '--user', 'nobody'])
    if port is None:
        return
    confined(p.pid, NOBODY, 'rtrd --user nobody')
    try:
        got = rtr_count('127.0.0.1', port)
    except (OSError, ValueError) as e:
        got = str(e)
    check(got == n1, 'rtrd serves after the drop: %s of %d VRPs' % (got, n1))
    # A reload reads the file as nobody: a readable one goes in ...
    mark = len(readf('rtrd.log'))
    n2 = vrps('a.json', 35)
    p.send_signal(signal.SIGHUP)
    got = None
    for _ in range(100):
        try:
            got = rtr_count('127.0.0.1', port)
        except (OSError, ValueError) as e:
            got = str(e)
        if got == n2:
            break
        time.sleep(0.1)
    check(got == n2, 'rtrd reloads on SIGHUP after the drop: %s of %d '
          'VRPs' % (got, n2))
    # ... and one only root may read fails: the worker is not root.
    mark = len(readf('rtrd.log'))
    vrps('a.json', 50)
    os.chmod(path('a.json'), 0o600)
    p.send_signal(signal.SIGHUP)
    denied = wait_log('rtrd', 'Permission denied', mark)
    try:
        got = rtr_count('127.0.0.1', port)
    except (OSError, ValueError) as e:
        got = str(e)
    check(denied and got == n2, 'rtrd: a root-only file fails the reload '
          '("Permission denied" logged: %s), the old %s VRPs stay' % (
              denied, got))
    confined(p.pid, NOBODY, 'rtrd after reloads')
    check(p.poll() is None, 'rtrd alive')
    stop(p, 'rtrd')


def run_rtrd_root():
    n = vrps('b.json', 5)
    p, port = start('rtrd-root', ['rtrd', '--listen', '127.0.0.1:0',
                                  '--vrps', path('b.json'), '--no-watch',
                                  '--port-file', path('rtrd-root.port'),
                                  '--user', 'root'])
    if port is None:
        return
    root = pwd.getpwnam('root')
    confined(p.pid, root, 'rtrd --user root (uid 0, no capability)')
    check(wait_log('rtrd-root', 'WARNING: running as root', 0, 5),
          'rtrd --user root logs "WARNING: running as root"')
    try:
        got = rtr_count('127.0.0.1', port)
    except (OSError, ValueError) as e:
        got = str(e)
    check(got == n, 'rtrd --user root serves: %s of %d VRPs' % (got, n))
    stop(p)
    # No --user: the manrs user when it exists, else nobody.
    p, port = start('rtrd-default', ['rtrd', '--listen', '127.0.0.1:0',
                                     '--vrps', path('b.json'), '--no-watch',
                                     '--port-file',
                                     path('rtrd-default.port')])
    if port is None:
        return
    confined(p.pid, DEFAULT, 'rtrd without --user')
    stop(p)
    if DEFAULT is NOBODY:
        run_default_manrs()


def run_default_manrs():
    """No --user with a manrs user, and the names refused (another name
    for uid 0, a member of group 0): in a mount namespace whose
    /etc/passwd and /etc/group have them (the system's stay as they are)."""
    if shutil.which('unshare') is None:
        print('skip: default manrs user: no unshare')
        return
    r = subprocess.run(['unshare', '--mount', '--', 'true'],
                       capture_output=True, text=True)
    if r.returncode != 0:
        print('skip: default manrs user: no mount namespace here: %s' %
              r.stderr.strip())
        return
    used = {pw.pw_uid for pw in pwd.getpwall()}
    uid = next(u for u in range(64990, 60000, -1) if u not in used)
    with open('/etc/passwd') as f:
        pw = f.read()
    with open('/etc/group') as f:
        gr = f.read()
    # manrs; toor, a second name for uid 0; wheel0, in group 0.
    with open(path('passwd'), 'w') as f:
        f.write(pw + 'manrs:x:%d:%d:MANRS daemons:/nonexistent:'
                '/usr/sbin/nologin\n' % (uid, uid) +
                'toor:x:0:0::/root:/bin/sh\n' +
                'wheel0:x:%d:%d::/nonexistent:/usr/sbin/nologin\n' % (
                    uid - 1, uid - 1))
    lines = []
    for line in gr.splitlines():
        if line.startswith('root:'):	# wheel0 joins group 0
            line += 'wheel0' if line.endswith(':') else ',wheel0'
        lines.append(line + '\n')
    with open(path('group'), 'w') as f:
        f.write(''.join(lines) + 'manrs:x:%d:\nwheel0:x:%d:\n' % (
            uid, uid - 1))

    def ns_run(name, extra):
        log = open(path(name + '.log'), 'w')
        q = subprocess.Popen(
            ['unshare', '--mount', '--propagation', 'private', '--', 'sh',
             '-c', 'mount --bind "$1" /etc/passwd && '
             'mount --bind "$2" /etc/group && shift 2 && exec "$@"', 'sh',
             path('passwd'), path('group'), M, 'rtrd', '--listen',
             '127.0.0.1:0', '--vrps', path('b.json'), '--no-watch',
             '--port-file', path(name + '.port')] + extra,
            stdout=log, stderr=subprocess.STDOUT)
        procs.append(q)
        return q

    for who, want in (('toor', 'has uid 0; only "--user root" keeps root'),
                      ('wheel0', 'member of group 0 (root); refusing')):
        q = ns_run('rtrd-' + who, ['--user', who])
        try:
            rc = q.wait(timeout=60)
        except subprocess.TimeoutExpired:
            rc = None
        check(rc not in (0, None) and want in readf('rtrd-%s.log' % who),
              'rtrd --user %s refused (exit %s): %r' % (
                  who, rc, readf('rtrd-%s.log' % who).strip()[-120:]))
    p = ns_run('rtrd-manrs', [])
    for _ in range(300):
        if p.poll() is not None or readf('rtrd-manrs.port').endswith('\n'):
            break
        time.sleep(0.1)
    if not readf('rtrd-manrs.port').endswith('\n'):
        check(False, 'rtrd with a manrs user started: %s' %
              readf('rtrd-manrs.log'))
        return
    manrs = pwd.struct_passwd(('manrs', 'x', uid, uid, '', '/', ''))
    confined(p.pid, manrs, 'rtrd without --user, a manrs user existing')
    stop(p, 'rtrd as manrs')


def run_irrd():
    rpsl('test.db', ['192.0.2.0/24'])
    p, port = start('irrd', ['irrd', '--listen', '127.0.0.1:0', '--source',
                             'TEST=' + path('test.db'), '--port-file',
                             path('irrd.port'), '--user', 'nobody'])
    if port is None:
        return
    confined(p.pid, NOBODY, 'irrd --user nobody')
    nices = []
    for t in os.listdir('/proc/%d/task' % p.pid):
        with open('/proc/%d/task/%s/stat' % (p.pid, t)) as f:
            nices.append(int(f.read().rsplit(')', 1)[1].split()[16]))
    check(max(nices) > 0, 'irrd: workers lowered their priority under the '
          'filter (thread nice values %s)' % sorted(nices))
    a = whois(port, '!gAS64500')
    check(routes_of(a) == ['192.0.2.0/24'], 'irrd serves after the drop: '
          '!gAS64500 -> %r' % a)
    rpsl('test.db', ['192.0.2.0/24', '198.51.100.0/24'])
    p.send_signal(signal.SIGHUP)
    want = ['192.0.2.0/24', '198.51.100.0/24']
    for _ in range(100):
        a = whois(port, '!gAS64500')
        if routes_of(a) == want:
            break
        time.sleep(0.1)
    check(routes_of(a) == want, 'irrd reloads on SIGHUP after the drop: '
          '%r' % a)
    mark = len(readf('irrd.log'))
    rpsl('test.db', want + ['203.0.113.0/24'])
    os.chmod(path('test.db'), 0o600)
    p.send_signal(signal.SIGHUP)
    denied = wait_log('irrd', 'Permission denied', mark) and \
        wait_log('irrd', 'keeping the previous data', mark)
    a = whois(port, '!gAS64500')
    check(denied and routes_of(a) == want, 'irrd: a root-only file fails '
          'the reload ("Permission denied" logged: %s), the old data '
          'stays' % denied)
    confined(p.pid, NOBODY, 'irrd after reloads')
    check(p.poll() is None, 'irrd alive')
    stop(p, 'irrd')


def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


def run_spoof_probe():
    port = free_port()
    r = subprocess.Popen([M, 'spoof-probe', '--receive', '127.0.0.1',
                          '--port', str(port), '--duration', '60',
                          '--user', 'nobody'],
                         stdout=open(path('recv.out'), 'w'),
                         stderr=open(path('recv.log'), 'w'))
    procs.append(r)
    for _ in range(100):
        if 'running as nobody' in readf('recv.log') or r.poll() is not None:
            break
        time.sleep(0.1)
    if r.poll() is not None:
        check(False, 'spoof-probe receiver started: %s' % readf('recv.log'))
        return
    confined(r.pid, NOBODY, 'spoof-probe receiver once bound')
    s = subprocess.Popen([M, 'spoof-probe', '--to', '127.0.0.1', '--port',
                          str(port), '--count', '2', '--rate', '4',
                          '--wait', '1', '--user', 'nobody'],
                         stdout=open(path('send.out'), 'w'),
                         stderr=open(path('send.log'), 'w'))
    procs.append(s)
    seen = None
    end = time.time() + 30
    while s.poll() is None and time.time() < end:
        try:
            # The uid changes a moment before the filter is in: wait
            # for both while the sender is still sending.
            st = status(s.pid)
            if st['Uid'] == ids(NOBODY.pw_uid):
                seen = st
                if st['Seccomp'] == '2':
                    break
        except (OSError, KeyError):
            pass
        time.sleep(0.05)
    rc = s.wait(timeout=60)
    check(seen is not None and seen['CapEff'] == ZERO and
          seen['Seccomp'] == '2' and seen['NoNewPrivs'] == '1',
          'spoof-probe sender runs as nobody, no capability, seccomp, '
          'while sending (raw socket opened before)')
    check('running as nobody' in readf('send.log'),
          'spoof-probe sender logs the drop')
    check(rc == 5 and readf('send.out').count('received 2') == 4,
          'spoof-probe still probes after the drop: exit %d, %d of 4 '
          'classes arrived' % (rc, readf('send.out').count('received 2')))
    stop(r)


def run_ambient():
    """As the units start it: nobody with ambient CAP_NET_BIND_SERVICE."""
    for t in ('unshare', 'setpriv', 'nsenter', 'ip'):
        if shutil.which(t) is None:
            print('skip: ambient-capability start needs %s' % t)
            return
    r = subprocess.run(['unshare', '--net', '--', 'true'],
                       capture_output=True, text=True)
    if r.returncode != 0:
        print('skip: ambient-capability start: no network namespace '
              'here: %s' % r.stderr.strip())
        return
    vrps('c.json', 7)
    # The port file is written by the unprivileged user.
    os.mkdir(path('amb'))
    os.chown(path('amb'), NOBODY.pw_uid, NOBODY.pw_gid)
    log = open(path('amb.log'), 'w')
    caps = '-all,+net_bind_service'
    p = subprocess.Popen(
        ['unshare', '--net', '--', 'sh', '-c',
         'ip link set lo up && exec setpriv --reuid=%d --regid=%d '
         '--clear-groups --inh-caps=%s --ambient-caps=%s '
         '--bounding-set=%s "$@"' % (NOBODY.pw_uid, NOBODY.pw_gid, caps,
                                    caps, caps),
         'sh', M, 'rtrd', '--listen', '127.0.0.1:323', '--vrps',
         path('c.json'), '--no-watch', '--port-file',
         path('amb/amb.port')],
        stdout=log, stderr=subprocess.STDOUT)
    procs.append(p)
    for _ in range(300):
        if p.poll() is not None or readf('amb/amb.port').endswith('\n'):
            break
        time.sleep(0.1)
    if not readf('amb/amb.port').endswith('\n'):
        check(False, 'rtrd as nobody with ambient CAP_NET_BIND_SERVICE '
              'binds 323 in a private netns: %s' % readf('amb.log'))
        return
    check(readf('amb/amb.port').split()[0] == '323', 'rtrd as nobody with '
          'ambient CAP_NET_BIND_SERVICE bound port 323 (private netns)')
    confined(p.pid, NOBODY, 'rtrd started with an ambient capability')
    q = subprocess.run(['nsenter', '--net=/proc/%d/ns/net' % p.pid,
                        sys.executable, os.path.abspath(__file__),
                        '--rtr-count', '127.0.0.1', '323'],
                       capture_output=True, text=True, timeout=60)
    check(q.stdout.strip() == '7', 'and serves there: %r VRPs' %
          (q.stdout.strip() or q.stderr.strip()))
    stop(p)


try:
    run_rtrd()
    run_rtrd_root()
    run_irrd()
    run_spoof_probe()
    run_ambient()
finally:
    if fails:
        for n in ('rtrd', 'rtrd-root', 'rtrd-default', 'irrd', 'recv',
                  'send', 'amb'):
            t = readf(n + '.log')
            if t:
                print('--- %s.log\n%s' % (n, t[-3000:]))
    cleanup()
sys.exit(1 if fails else 0)
