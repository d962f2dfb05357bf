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
resolved once.  The scenario and its checks are monitor_lib.run (shared
with monitor_frr.py).  Ephemeral ports, every wait bounded, every
process killed on exit.  exit 77 when gobgpd or exabgp is not
installed."""
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import daemon_lib as dl  # noqa: E402
import monitor_lib as ml  # noqa: E402

GOBGPD = shutil.which("gobgpd")
if GOBGPD is None or shutil.which("exabgp") is None:
    dl.skip("gobgpd or exabgp not installed (scripts/bootstrap)")


def start_gobgpd(tmp, bgp_port, bmp_port):
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
    return subprocess.Popen(
        [GOBGPD, "-f", conf, "--api-hosts", "127.0.0.1:%d" % ml.free_port(),
         "--pprof-disable", "-p"],
        stdout=open(os.path.join(tmp, "gobgpd.log"), "w"),
        stderr=subprocess.STDOUT)


ml.run("GoBGP", start_gobgpd, ("gobgpd.log", "exabgp.out", "exabgp.log"),
       "ok: gobgpd BMP -> manrs monitor, exabgp speaker")
