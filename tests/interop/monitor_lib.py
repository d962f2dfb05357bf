"""monitor_lib - shared by the BMP router interop tests (monitor_frr.py,
monitor_gobgp.py; imported by path, not a test).  One scenario, one set
of checks, whatever the router: manrs monitor listens for BMP on
127.0.0.1 with two monitored prefixes and two VRPs; the test starts its
router (FRR bgpd or gobgpd, AS2914) with a BMP target at that port and a
passive BGP neighbour 127.0.0.1 AS6939; exabgp (AS6939) connects to it
and announces a hijack (AS4134), a more-specific from the expected
origin and a route the VRPs make RPKI invalid.  Each alert must arrive
once with its fields; when exabgp goes the router withdraws the routes
and every alert must resolve once; monitor exits 0 on SIGTERM.
Ephemeral ports, every wait bounded; daemon_lib kills every process on
exit.
"""
import json
import os
import select
import signal
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import daemon_lib as dl  # noqa: E402

WANT_ALERTS = [("hijack", "192.0.2.0/24", 4134, False),
               ("more-specific", "192.0.2.128/25", 15562, False),
               ("rpki-invalid", "192.0.2.0/24", 4134, False),
               ("rpki-invalid", "203.0.113.0/24", 15562, False)]
WANT_RESOLVED = [("hijack", "192.0.2.0/24", True),
                 ("more-specific", "192.0.2.128/25", True),
                 ("rpki-invalid", "192.0.2.0/24", True),
                 ("rpki-invalid", "203.0.113.0/24", True)]


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def start_monitor(tmp):
    """manrs monitor --bmp-listen: (process, daemon_lib log dict, port)."""
    yml = os.path.join(tmp, "prefixes.yml")
    with open(yml, "w") as f:
        f.write("192.0.2.0/24:\n  description: core net\n  asn: 15562\n"
                "  ignoreMorespecifics: false\n  ignore: false\n"
                "203.0.113.0/24:\n  description: roa net\n  asn: 15562\n"
                "  ignoreMorespecifics: false\n  ignore: false\n")
    vrps = os.path.join(tmp, "vrps.json")
    with open(vrps, "w") as f:
        json.dump({"roas": [
            {"prefix": "192.0.2.0/24", "maxLength": 25, "asn": 15562},
            {"prefix": "203.0.113.0/24", "maxLength": 24, "asn": 3333}]}, f)
    pf = os.path.join(tmp, "bmp.port")
    mlog = os.path.join(tmp, "monitor.log")
    mon = subprocess.Popen(
        [dl.BIN, "monitor", "--prefixes", yml, "--vrps", vrps,
         "--bmp-listen", "127.0.0.1:0", "--port-file", pf, "--json",
         "--min-peers", "1", "--min-peers", "visibility=40",
         "--metrics", "127.0.0.1:0"],
        stdout=subprocess.PIPE, stderr=open(mlog, "w"))
    dl.PROCS.append(mon)
    d = {"proc": mon, "log": mlog, "kind": "monitor"}
    end = time.time() + 60
    while not (os.path.exists(pf) and os.path.getsize(pf) > 0):
        if mon.poll() is not None or time.time() > end:
            dl.fail("monitor did not start", d)
        time.sleep(0.05)
    with open(pf) as f:
        bmp_port = int(f.read().split()[0])
    return mon, d, bmp_port


def start_exabgp(tmp, bgp_port):
    """exabgp AS6939 connecting to the router's BGP port, three routes."""
    exa_conf = os.path.join(tmp, "exabgp.conf")
    with open(exa_conf, "w") as f:
        f.write("""neighbor 127.0.0.1 {
  router-id 10.0.0.9;
  local-address 127.0.0.1;
  local-as 6939;
  peer-as 2914;
  connect %d;
  hold-time 9;
  static {
    route 192.0.2.0/24 next-hop 10.0.0.9 as-path [ 6939 4134 ];
    route 192.0.2.128/25 next-hop 10.0.0.9 as-path [ 6939 15562 ];
    route 203.0.113.0/24 next-hop 10.0.0.9 as-path [ 6939 15562 ];
  }
}
""" % bgp_port)
    env = dict(os.environ)
    env.update({"exabgp_tcp_bind": "", "exabgp_tcp_port": "0",
                "exabgp_daemon_drop": "false", "exabgp_daemon_user": "root",
                "exabgp_log_destination": os.path.join(tmp, "exabgp.log"),
                "exabgp_api_cli": "false"})
    exa = subprocess.Popen(["exabgp", exa_conf], env=env,
                           stdout=open(os.path.join(tmp, "exabgp.out"), "w"),
                           stderr=subprocess.STDOUT)
    dl.PROCS.append(exa)
    return exa


class Alerts:
    """The JSON alert lines on monitor's stdout; other lines kept."""

    def __init__(self, mon):
        self.mon = mon
        self.buf = b""
        self.banner = []

    def read(self, n, timeout):
        out = []
        end = time.time() + timeout
        while len(out) < n and time.time() < end:
            while b"\n" in self.buf and len(out) < n:
                line, self.buf = self.buf.split(b"\n", 1)
                if line.startswith(b"{"):
                    out.append(json.loads(line))
                else:
                    self.banner.append(line.decode(errors="replace"))
            if len(out) >= n:
                break
            r, _, _ = select.select([self.mon.stdout], [], [],
                                    max(0, end - time.time()))
            if r:
                chunk = os.read(self.mon.stdout.fileno(), 65536)
                if not chunk:
                    break
                self.buf += chunk
        return out


def why(alerts, tmp, logs):
    """On failure: monitor's /metrics, then the tails of the logs."""
    for b in alerts.banner:
        if b.startswith("metrics listening on"):
            mp = int(b.split(":")[-1])
            print(dl.http_get(mp).decode(errors="replace")[-2500:])
    for name in logs:
        p = os.path.join(tmp, name)
        if os.path.exists(p):
            print("--- %s ---" % name)
            print(open(p, errors="replace").read()[-2000:])


def run(router, start_router, logs, ok):
    """The scenario.  start_router(tmp, bgp_port, bmp_port) starts the
    router (AS2914, BGP on 127.0.0.1:bgp_port, BMP to bmp_port) and
    returns its process; logs are the files in tmp shown on failure;
    ok is printed at the end."""
    tmp = dl.TMP
    mon, d, bmp_port = start_monitor(tmp)
    bgp_port = free_port()
    rtr = start_router(tmp, bgp_port, bmp_port)
    dl.PROCS.append(rtr)
    exa = start_exabgp(tmp, bgp_port)
    al = Alerts(mon)

    got = al.read(4, 90)
    kinds = sorted((a["type"], a["prefix"], a["origin"], a["resolved"])
                   for a in got)
    if kinds != WANT_ALERTS:
        why(al, tmp, logs)
        dl.fail("alerts from %s: %s" % (router, got), d)
    for a in got:
        if a["peers"] != 1 or "6939" not in a["evidence"] or \
                a["description"] not in ("core net", "roa net"):
            dl.fail("alert fields: %s" % a, d)
    extra = al.read(1, 2)
    if extra:
        dl.fail("alert repeated: %s" % extra, d)
    # exabgp goes: the router withdraws, BMP carries it, each resolves
    exa.send_signal(signal.SIGTERM)
    got = al.read(4, 60)
    res = sorted((a["type"], a["prefix"], a["resolved"]) for a in got)
    if res != WANT_RESOLVED:
        why(al, tmp, logs)
        dl.fail("not resolved: %s" % got, d)
    if "bmp: router 127.0.0.1" not in dl.log_text(d):
        dl.fail("no BMP session logged", d)
    rtr.terminate()
    mon.terminate()
    try:
        rc = mon.wait(30)
    except subprocess.TimeoutExpired:
        dl.fail("monitor: no exit on SIGTERM", d)
    if rc != 0:
        dl.fail("monitor exit %d on SIGTERM" % rc, d)
    print(ok)
