#!/usr/bin/env python3
"""monitor_frr.py - manrs monitor's BMP station fed by a real router:
FRR's bgpd (-M bmp, Debian frr) connects to it over BMP on 127.0.0.1;
exabgp (Debian exabgp) is a second speaker peering with bgpd and
announcing a monitored prefix with another origin (AS4134), a
more-specific from the expected origin and a route the VRPs make
RPKI invalid.  Each alert arrives once, with the right fields (the
hijacked /24 is RPKI invalid as well, its VRP names AS15562); when
exabgp goes away, bgpd withdraws the routes and every alert is
resolved once.  bgpd keeps the Adj-RIB-In (soft-reconfiguration
inbound), without which FRR's pre-policy monitoring reports every route
as withdrawn.  FRR 8.4 puts its own AS in front of the pre-policy path
it reports, so both ASes are public ones (a documentation or private
AS there would raise bogon-asn as well).  The scenario and its checks
are monitor_lib.run (shared with monitor_gobgp.py).  Ephemeral ports,
every wait bounded, every process killed on exit.  exit 77 when bgpd or
exabgp is not installed."""
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import daemon_lib as dl  # noqa: E402
import monitor_lib as ml  # noqa: E402

BGPD = "/usr/lib/frr/bgpd"
if not os.access(BGPD, os.X_OK) or shutil.which("exabgp") is None:
    dl.skip("FRR bgpd or exabgp not installed (scripts/bootstrap)")


def start_bgpd(tmp, bgp_port, bmp_port):
    conf = os.path.join(tmp, "bgpd.conf")
    with open(conf, "w") as f:
        f.write("""hostname r1
log file %s/bgpd.log
router bgp 2914
 bgp router-id 10.0.0.1
 no bgp ebgp-requires-policy
 no bgp network import-check
 neighbor 127.0.0.1 remote-as 6939
 neighbor 127.0.0.1 passive
 neighbor 127.0.0.1 timers 3 9
 address-family ipv4 unicast
  neighbor 127.0.0.1 soft-reconfiguration inbound
 exit-address-family
 bmp targets station
  bmp connect 127.0.0.1 port %d min-retry 100 max-retry 1000
  bmp monitor ipv4 unicast pre-policy
 exit
!
""" % (tmp, bmp_port))
    vty = os.path.join(tmp, "vty")
    os.mkdir(vty)
    return subprocess.Popen(
        [BGPD, "-M", "bmp", "-f", conf, "-i", os.path.join(tmp, "bgpd.pid"),
         "--vty_socket", vty, "-P", "0", "-Z", "-n", "-S",
         "-l", "127.0.0.1", "-p", str(bgp_port)],
        stdout=open(os.path.join(tmp, "bgpd.out"), "w"),
        stderr=subprocess.STDOUT)


ml.run("FRR", start_bgpd,
       ("bgpd.log", "bgpd.out", "exabgp.out", "exabgp.log"),
       "ok: FRR bgpd -M bmp -> manrs monitor, exabgp speaker")
