"""daemon_lib - shared by the daemon-layer interop tests (imported, not a
test).  Starts "manrs rtrd" or "manrs irrd" on ephemeral loopback ports
over small generated data, talks RTR and whois to them, reads /proc, and
kills every process it started on exit.  Needs MANRS_BIN and
MANRS_SOURCE_ROOT (set by meson).
"""
import atexit
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

BIN = os.environ.get("MANRS_BIN", "build/src/cmd/manrs/manrs")
ROOT = os.environ.get("MANRS_SOURCE_ROOT", ".")
PROCS = []
TMP = tempfile.mkdtemp(prefix="manrs-daemon.")
# started as root, the daemons drop to "manrs" or nobody before reading
os.chmod(TMP, 0o755)


def _cleanup():
    for p in PROCS:
        if p.poll() is None:
            p.kill()
    for p in PROCS:
        try:
            p.wait(5)
        except subprocess.TimeoutExpired:
            pass
    shutil.rmtree(TMP, ignore_errors=True)


atexit.register(_cleanup)
signal.signal(signal.SIGTERM, lambda *a: sys.exit(1))


def fail(msg, log=None):
    print("FAIL: " + msg)
    if log is not None:
        print("--- daemon log (tail) ---")
        print(log_text(log)[-3000:])
    sys.exit(1)


def skip(msg):
    print("SKIP: " + msg)
    sys.exit(77)


def log_text(d):
    with open(d["log"], errors="replace") as f:
        return f.read()


def on_layer(kind):
    """Does this daemon run on the daemon layer (has its flags)?"""
    out = subprocess.run([BIN, kind, "--help"], capture_output=True,
                         text=True, timeout=10)
    return "--max-per-address" in out.stdout + out.stderr


def gen_vrps(path, v4=2000, v6=500, seed=16):
    with open(path, "w") as f:
        subprocess.run([sys.executable, os.path.join(ROOT, "bench/vrp_gen"),
                        "--v4", str(v4), "--v6", str(v6), "--aspa", "10",
                        "--seed", str(seed)], stdout=f, check=True,
                       timeout=300)


def gen_rpsl(path, routes=200, members=50):
    """A small IRR: AS65000..  route objects and AS-TEST with members."""
    with open(path, "w") as f:
        for i in range(routes):
            f.write("route: 10.%d.%d.0/24\norigin: AS%d\nsource: TEST\n\n"
                    % (i // 256, i % 256, 65000 + i % members))
        f.write("as-set: AS-TEST\nmembers: %s\nsource: TEST\n\n"
                % ", ".join("AS%d" % (65000 + i) for i in range(members)))


def start(kind, args, name=None, prlimit=None):
    """Start a daemon; returns a dict with proc, ports, metrics, log.
    rtrd's ports come from its stdout ("rtr listening on ADDR:PORT"),
    irrd's from --port-file."""
    name = name or kind
    pf = os.path.join(TMP, name + ".port")
    log = os.path.join(TMP, name + ".log")
    out = os.path.join(TMP, name + ".out")
    cmd = [BIN, kind] + (["--port-file", pf] if kind == "irrd" else []) + \
        args
    if prlimit is not None:
        cmd = ["prlimit", "--nofile=%d:%d" % (prlimit, prlimit)] + cmd
    p = subprocess.Popen(cmd, stdout=open(out, "w"), stderr=open(log, "w"))
    PROCS.append(p)
    d = {"proc": p, "pid": p.pid, "log": log, "out": out, "kind": kind}
    deadline = time.time() + 120
    while True:
        if p.poll() is not None:
            fail("%s exited with %d at start" % (kind, p.returncode), d)
        if time.time() > deadline:
            fail("%s did not start" % kind, d)
        if ready(d, out):
            break
        time.sleep(0.1)
    if kind == "irrd":
        with open(pf) as f:
            d["ports"] = [int(x) for x in f.read().split()]
    else:
        with open(out) as f:
            d["ports"] = [int(x.split(":")[-1]) for x in f
                          if x.startswith("rtr listening on")]
    d["port"] = d["ports"][0]
    d["metrics"] = metrics_on(d)
    return d


def stop(d):
    """SIGTERM; the daemon must exit 0 (under ASan: no leak, no error)."""
    d["proc"].terminate()
    try:
        rc = d["proc"].wait(30)
    except subprocess.TimeoutExpired:
        fail("%s does not exit on SIGTERM" % d["kind"], d)
    if rc != 0:
        fail("%s exited with %d on SIGTERM" % (d["kind"], rc), d)


def ready(d, out):
    """Data loaded: the daemon logged its load (it binds first)."""
    t = log_text(d)
    return "loaded" in t


def metrics_on(d):
    with open(d["out"]) as f:
        for line in f:
            if line.startswith("metrics listening on"):
                return int(line.split(":")[-1])
    return None


def http_get(port, path="/metrics", timeout=5):
    s = socket.create_connection(("127.0.0.1", port), timeout)
    s.sendall(("GET %s HTTP/1.1\r\nHost: x\r\n\r\n" % path).encode())
    data = b""
    while True:
        try:
            b = s.recv(65536)
        except (ConnectionResetError, socket.timeout):
            break
        if not b:
            break
        data += b
    s.close()
    return data


PREFIX = {"rtrd": "manrs_rtr", "irrd": "manrs_irrd"}


def mname(kind, name):
    """The full metric name: mname("rtrd", "clients") = manrs_rtr_clients"""
    return PREFIX[kind] + "_" + name


def metric(d, name):
    """Value of one series ("name" or 'name{label="x"}'), or None."""
    body = http_get(d["metrics"]).decode(errors="replace")
    for line in body.splitlines():
        if line.startswith("#"):
            continue
        f = line.rsplit(" ", 1)
        if len(f) == 2 and f[0] == name:
            return float(f[1])
    return None


def cpu_seconds(pid):
    """utime + stime of a process, in seconds."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


# ---- RTR (RFC 8210) ----

def rtr_reset(version=1):
    return struct.pack(">BBHI", version, 2, 0, 8)


def rtr_read_all(s, timeout=30):
    """Read until EOF or timeout; returns the bytes."""
    s.settimeout(timeout)
    data = b""
    while True:
        try:
            b = s.recv(1 << 16)
        except socket.timeout:
            break
        except ConnectionResetError:
            break
        if not b:
            break
        data += b
    return data


def rtr_pdus(data):
    """[(version, type, field, body)] of complete PDUs."""
    out = []
    i = 0
    while i + 8 <= len(data):
        v, t, f, ln = struct.unpack(">BBHI", data[i:i + 8])
        if ln < 8 or i + ln > len(data):
            break
        out.append((v, t, f, data[i + 8:i + ln]))
        i += ln
    return out


def rtr_sync(port, version=1, timeout=30, family=socket.AF_INET):
    """Reset Query; returns the PDUs up to End of Data (or None)."""
    host = "127.0.0.1" if family == socket.AF_INET else "::1"
    s = socket.create_connection((host, port), timeout)
    s.sendall(rtr_reset(version))
    s.settimeout(timeout)
    data = b""
    t0 = time.time()
    while time.time() - t0 < timeout:
        try:
            b = s.recv(1 << 16)
        except socket.timeout:
            break
        if not b:
            break
        data += b
        p = rtr_pdus(data)
        if p and p[-1][1] in (7, 10):
            s.close()
            return p
    s.close()
    return None


def rtr_error(pdu):
    """(version, code, text) of an Error Report PDU."""
    v, t, code, body = pdu
    if t != 10:
        return None
    n = struct.unpack(">I", body[:4])[0]
    tl = struct.unpack(">I", body[4 + n:8 + n])[0]
    return v, code, body[8 + n:8 + n + tl].decode(errors="replace")


# ---- whois (IRRd) ----

def whois(port, query, timeout=10):
    """One "!!"-less query; returns the answer up to EOF."""
    s = socket.create_connection(("127.0.0.1", port), timeout)
    s.sendall(query)
    data = rtr_read_all(s, timeout)
    s.close()
    return data
