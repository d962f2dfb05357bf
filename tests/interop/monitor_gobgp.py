#!/usr/bin/env python3
"""monitor_gobgp.py - manrs monitor's BMP station fed by GoBGP: gobgpd
(Debian gobgpd, [[bmp-servers]] with pre-policy route monitoring)
connects to it over BMP on 127.0.0.1; exabgp (Debian exabgp) is a
second speaker peering with gobgpd and
announcing a monitored prefix with another origin (AS4134), a
more-specific from the expected origin and a route the VRPs make
RPKI invalid.  Each alert arrives once, with the right fields (the
hijacked /24 is RPKI invalid as well, its VRP names AS15562); when
exabgp goes away, gobgpd withdraws the routes and every alert is
resolved once.  Ephemeral ports, every wait bounded, every process
killed on exit.  exit 77 when gobgpd or exabgp is not installed."""
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import daemon_lib as dl  # noqa: E402

GOBGPD = shutil.which("gobgpd")
if GOBGPD is None or shutil.which("exabgp") is None:
    dl.skip("gobgpd or exabgp not installed (scripts/bootstrap)")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def main():
    tmp = dl.TMP
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

    bgp_port = free_port()
    conf = os.path.join(tmp, "gobgpd.toml")
    with open(conf, "w") as f:
        f.write("""[global.config]
  as = 2914
  router-id = "10.0.0.1"
  port = %d
  local-address-list = ["127.0.0.1"]
[[bmp-servers]]
  [bmp-servers.config]
    address = "127.0.0.1"
    port = %d
    route-monitoring-policy = "pre-policy"
[[neighbors]]
  [neighbors.config]
    neighbor-address = "127.0.0.1"
    peer-as = 6939
  [neighbors.transport.config]
    passive-mode = true
""" % (bgp_port, bmp_port))
    bgpd = subprocess.Popen(
        [GOBGPD, "-f", conf, "--api-hosts", "127.0.0.1:%d" % free_port(),
         "--pprof-disable", "-p"],
        stdout=open(os.path.join(tmp, "gobgpd.log"), "w"),
        stderr=subprocess.STDOUT)
    dl.PROCS.append(bgpd)

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

    buf = b""
    banner = []

    def alerts(n, timeout):
        nonlocal buf
        out = []
        end = time.time() + timeout
        while len(out) < n and time.time() < end:
            while b"\n" in buf and len(out) < n:
                line, buf = buf.split(b"\n", 1)
                if line.startswith(b"{"):
                    out.append(json.loads(line))
                else:
                    banner.append(line.decode(errors="replace"))
            if len(out) >= n:
                break
            r, _, _ = select.select([mon.stdout], [], [],
                                    max(0, end - time.time()))
            if r:
                chunk = os.read(mon.stdout.fileno(), 65536)
                if not chunk:
                    break
                buf += chunk
        return out

    def why():
        for b in banner:
            if b.startswith("metrics listening on"):
                mp = int(b.split(":")[-1])
                print(dl.http_get(mp).decode(errors="replace")[-2500:])
        for name in ("gobgpd.log", "exabgp.out", "exabgp.log"):
            p = os.path.join(tmp, name)
            if os.path.exists(p):
                print("--- %s ---" % name)
                print(open(p, errors="replace").read()[-2000:])

    got = alerts(4, 90)
    kinds = sorted((a["type"], a["prefix"], a["origin"], a["resolved"])
                   for a in got)
    want = [("hijack", "192.0.2.0/24", 4134, False),
            ("more-specific", "192.0.2.128/25", 15562, False),
            ("rpki-invalid", "192.0.2.0/24", 4134, False),
            ("rpki-invalid", "203.0.113.0/24", 15562, False)]
    if kinds != want:
        why()
        dl.fail("alerts from FRR: %s" % got, d)
    for a in got:
        if a["peers"] != 1 or "6939" not in a["evidence"] or \
                a["description"] not in ("core net", "roa net"):
            dl.fail("alert fields: %s" % a, d)
    extra = alerts(1, 2)
    if extra:
        dl.fail("alert repeated: %s" % extra, d)
    # exabgp goes: bgpd withdraws, BMP carries it, each alert resolves
    exa.send_signal(signal.SIGTERM)
    got = alerts(4, 60)
    res = sorted((a["type"], a["prefix"], a["resolved"]) for a in got)
    if res != [("hijack", "192.0.2.0/24", True),
               ("more-specific", "192.0.2.128/25", True),
               ("rpki-invalid", "192.0.2.0/24", True),
               ("rpki-invalid", "203.0.113.0/24", True)]:
        why()
        dl.fail("not resolved: %s" % got, d)
    if "bmp: router 127.0.0.1" not in dl.log_text(d):
        dl.fail("no BMP session logged", d)
    bgpd.terminate()
    mon.terminate()
    try:
        rc = mon.wait(30)
    except subprocess.TimeoutExpired:
        dl.fail("monitor: no exit on SIGTERM", d)
    if rc != 0:
        dl.fail("monitor exit %d on SIGTERM" % rc, d)
    print("ok: gobgpd BMP -> manrs monitor, exabgp speaker")


main()
