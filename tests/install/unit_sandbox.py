#!/usr/bin/python3
"""unit_sandbox.py UNIT DAEMON MANRS - run a daemon inside its installed
unit's sandbox, as far as it is reproduced without systemd as PID 1.

From the unit file: User= (nobody stands in when that user does not
exist), AmbientCapabilities= and CapabilityBoundingSet=, NoNewPrivileges=,
SystemCallFilter= lines in order (groups expanded by "systemd-analyze
syscall-filter", the first line an allow list, "~" lines taking away,
later plain lines adding back), SystemCallErrorNumber=,
RestrictAddressFamilies= and MemoryDenyWriteExecute= as systemd's own
seccomp rules do them.  The daemon then listens on its privileged port
(43 or 323) inside a network namespace of its own, must start, answer a
query, reload on SIGHUP, hold no capability with both filters in place
(systemd's and its own), and exit 0 on SIGTERM.

Exit 77 when not root or without unshare, setpriv, nsenter or the
libseccomp Python binding (python3-seccomp).  Runs with /usr/bin/python3,
the interpreter the Debian binding belongs to.
"""
import errno, os, pwd, shutil, signal, socket, struct, subprocess, sys
import tempfile, time

if len(sys.argv) == 3 and sys.argv[1] == '--query':
    # Inside the namespace: one query, the number of answers.
    daemon, port = sys.argv[2], 43 if sys.argv[2] == 'irrd' else 323
    s = socket.create_connection(('127.0.0.1', port), timeout=20)
    if daemon == 'irrd':
        s.sendall(b'!gAS64500\n')
        s.shutdown(socket.SHUT_WR)
        out = b''
        while True:
            d = s.recv(65536)
            if not d:
                break
            out += d
        print(sum(1 for w in out.split() if b'/' in w))
    else:
        s.sendall(struct.pack('!BBHI', 1, 2, 0, 8))
        buf, n = b'', 0
        while True:
            while len(buf) >= 8:
                _, typ, _, ln = struct.unpack('!BBHI', buf[:8])
                if len(buf) < ln:
                    break
                buf = buf[ln:]
                n += typ in (4, 6)
                if typ in (7, 10):
                    print(n if typ == 7 else 'error')
                    sys.exit(0)
            d = s.recv(65536)
            if not d:
                print('eof')
                sys.exit(0)
            buf += d
    sys.exit(0)

if len(sys.argv) >= 4 and sys.argv[1] == '--exec':
    # The filter systemd would install, then the daemon.
    import seccomp
    spec = dict(l.split('=', 1) for l in open(sys.argv[2]).read().split('\n')
                if '=' in l)
    f = seccomp.SyscallFilter(defaction=seccomp.ERRNO(int(spec['errno'])))
    cond = {'mmap', 'mprotect', 'pkey_mprotect', 'socket', 'shmat'}
    allow = set(spec['allow'].split())
    for name in sorted(allow - cond):
        try:
            f.add_rule(seccomp.ALLOW, name)
        except (RuntimeError, ValueError):
            pass		# not a syscall of this architecture
    mdwe = spec['mdwe'] == 'yes'
    wx = 0x2 | 0x4	# PROT_WRITE | PROT_EXEC
    for name in ('mmap', 'mprotect', 'pkey_mprotect'):
        if name not in allow:
            continue
        if not mdwe:
            f.add_rule(seccomp.ALLOW, name)
        elif name == 'mmap':
            f.add_rule(seccomp.ALLOW, name,
                       seccomp.Arg(2, seccomp.MASKED_EQ, 0x4, 0))
            f.add_rule(seccomp.ALLOW, name,
                       seccomp.Arg(2, seccomp.MASKED_EQ, 0x2, 0))
        else:
            f.add_rule(seccomp.ALLOW, name,
                       seccomp.Arg(2, seccomp.MASKED_EQ, 0x4, 0))
    if 'socket' in allow:
        fams = spec['families'].split()
        if not fams:
            f.add_rule(seccomp.ALLOW, 'socket')
        for fam in fams:
            f.add_rule(seccomp.ALLOW, 'socket', seccomp.Arg(
                0, seccomp.EQ, getattr(socket, fam)))
    if 'shmat' in allow and not mdwe:
        f.add_rule(seccomp.ALLOW, 'shmat')
    f.load()
    os.execv(sys.argv[3], sys.argv[3:])

unit, daemon, manrs = sys.argv[1], sys.argv[2], os.path.abspath(sys.argv[3])
if os.geteuid() != 0:
    print('SKIP: needs root')
    sys.exit(77)
for t in ('unshare', 'setpriv', 'nsenter', 'ip', 'systemd-analyze'):
    if shutil.which(t) is None:
        print('SKIP: %s not installed' % t)
        sys.exit(77)
try:
    import seccomp		# noqa: F401
except ImportError:
    print('SKIP: no libseccomp Python binding (python3-seccomp)')
    sys.exit(77)
r = subprocess.run(['unshare', '--net', '--', 'true'], capture_output=True,
                   text=True)
if r.returncode != 0:
    print('SKIP: no network namespace here: %s' % r.stderr.strip())
    sys.exit(77)

keys = {}
filters = []
for line in open(unit):
    line = line.strip()
    if '=' not in line or line.startswith('#'):
        continue
    k, v = line.split('=', 1)
    if k == 'SystemCallFilter':
        filters.append(v)
    else:
        keys[k] = v


def expand(names):
    out = set()
    for n in names:
        if n.startswith('@'):
            r = subprocess.run(['systemd-analyze', 'syscall-filter', n],
                               capture_output=True, text=True, check=True)
            for w in r.stdout.split('\n'):
                w = w.strip()
                if w and not w.startswith('#') and w != n:
                    out |= expand([w]) if w.startswith('@') else {w}
        else:
            out.add(n)
    return out


allow = None
for v in filters:
    neg = v.startswith('~')
    names = expand(v.lstrip('~').split())
    if allow is None:
        if neg:
            print('FAIL: the first SystemCallFilter= is not an allow list')
            sys.exit(1)
        allow = names
    elif neg:
        allow -= names
    else:
        allow |= names
if allow is None:
    print('FAIL: no SystemCallFilter= in %s' % unit)
    sys.exit(1)
# systemd.exec(5): permitted whatever the filter says.
allow |= {'execve', 'exit', 'exit_group', 'getrlimit', 'rt_sigreturn',
          'sigreturn'}
err = keys.get('SystemCallErrorNumber', 'EPERM')
fams = keys.get('RestrictAddressFamilies', '').split()
try:
    user = pwd.getpwnam(keys.get('User', 'root'))
except KeyError:
    user = pwd.getpwnam('nobody')
caps = keys.get('AmbientCapabilities', '').lower().replace('cap_', '')
bound = keys.get('CapabilityBoundingSet', '').lower().replace('cap_', '')

tmp = tempfile.mkdtemp(prefix='manrs-unit.')
os.chmod(tmp, 0o755)
rundir = os.path.join(tmp, 'run')
os.mkdir(rundir)
os.chown(rundir, user.pw_uid, user.pw_gid)
with open(os.path.join(tmp, 'filter'), 'w') as fp:
    fp.write('errno=%d\nallow=%s\nmdwe=%s\nfamilies=%s\n' % (
        getattr(errno, err), ' '.join(sorted(allow)),
        keys.get('MemoryDenyWriteExecute', 'no'), ' '.join(fams)))
now = int(time.time())
data = os.path.join(tmp, 'data')
if daemon == 'irrd':
    with open(data, 'w') as fp:
        fp.write('route: 192.0.2.0/24\norigin: AS64500\nsource: T\n\n')
    args = ['irrd', '--listen', '127.0.0.1:43', '--source', 'T=' + data]
    want = '1'
else:
    with open(data, 'w') as fp:
        fp.write('{"metadata":{"buildtime":"%s"},"roas":[%s]}' % (
            time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(now)),
            ','.join('{"asn":64500,"prefix":"10.0.%d.0/24","maxLength":24,'
                     '"ta":"t","expires":%d}' % (i, now + 86400)
                     for i in range(3))))
    args = ['rtrd', '--listen', '127.0.0.1:323', '--vrps', data,
            '--no-watch']
    want = '3'
os.chmod(data, 0o644)
pf = os.path.join(rundir, 'port')
args += ['--port-file', pf]
capargs = []
if caps:
    capargs = ['--inh-caps=-all,+' + caps, '--ambient-caps=-all,+' + caps]
if bound:
    capargs.append('--bounding-set=-all,+' + bound)
if keys.get('NoNewPrivileges') == 'yes':
    capargs.append('--no-new-privs')
log = open(os.path.join(tmp, 'log'), 'w')
cmd = ['unshare', '--net', '--', 'sh', '-c',
       'ip link set lo up && exec "$@"', 'sh',
       'setpriv', '--reuid=%d' % user.pw_uid, '--regid=%d' % user.pw_gid,
       '--clear-groups'] + capargs + [
       '/usr/bin/python3', os.path.abspath(__file__), '--exec',
       os.path.join(tmp, 'filter'), manrs] + args
# A sanitizer build's leak check needs ptrace, which the unit denies
# (@debug); daemon_priv.py runs that check under the daemon's own filter.
env = dict(os.environ)
env['ASAN_OPTIONS'] = env.get('ASAN_OPTIONS', '') + ':detect_leaks=0'
p = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)
fails = 0


def check(cond, what):
    global fails
    print(('ok: ' if cond else 'FAIL: ') + '%s in its unit sandbox: %s' % (
        daemon, what))
    fails += not cond


def query():
    q = subprocess.run(['nsenter', '--net=/proc/%d/ns/net' % p.pid,
                        '/usr/bin/python3', os.path.abspath(__file__),
                        '--query', daemon], capture_output=True, text=True,
                       timeout=60)
    return q.stdout.strip() or q.stderr.strip()[-200:]


try:
    for _ in range(300):
        if p.poll() is not None or (os.path.exists(pf) and
                                    open(pf).read().endswith('\n')):
            break
        time.sleep(0.1)
    started = p.poll() is None and os.path.exists(pf)
    check(started, 'started as %s with %s, bound its port' % (
        user.pw_name, caps or 'no capability'))
    if started:
        st = dict(l.split(':', 1) for l in
                  open('/proc/%d/status' % p.pid).read().splitlines())
        z = '0000000000000000'
        check(st['Seccomp_filters'].strip() == '2' and
              st['CapEff'].strip() == z and st['CapAmb'].strip() == z and
              st['CapPrm'].strip() == z,
              'two seccomp filters (the unit\'s and its own), no '
              'capability left (%s filters, CapEff %s)' % (
                  st['Seccomp_filters'].strip(), st['CapEff'].strip()))
        if daemon == 'irrd':
            # Its heavy-query workers lower their own priority
            # (setpriority, kept out of the unit's @resources denial).
            nices = []
            for t in os.listdir('/proc/%d/task' % p.pid):
                st = open('/proc/%d/task/%s/stat' % (p.pid, t)).read()
                nices.append(int(st.rsplit(')', 1)[1].split()[16]))
            check(max(nices) > 0, 'workers run niced (thread nice '
                  'values %s)' % sorted(nices))
        check(query() == want, 'answers a query')
        p.send_signal(signal.SIGHUP)
        time.sleep(1)
        check(query() == want and p.poll() is None,
              'answers after a SIGHUP reload')
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
        check(p.returncode == 0, 'exits 0 on SIGTERM (%s)' % p.returncode)
finally:
    if p.poll() is None:
        p.kill()
        p.wait()
    if fails:
        print(open(os.path.join(tmp, 'log')).read()[-3000:])
    shutil.rmtree(tmp, ignore_errors=True)
sys.exit(1 if fails else 0)
