#!/usr/bin/env python3
"""Half-close (nc -N, scripts) against manrs rtrd and irrd (daemon layer).

A client sends its request and shuts its write side at once
(shutdown(SHUT_WR)).  Before the fix both daemons freed the connection on
that EOF with output queued, so the answer stopped after ~16 KiB.  Now
reading stops, every complete request is answered, the output flushed,
then the connection closes:
- rtrd: a Reset Query over the real RPKI set ($MANRS_SHARED_DATA/rpki,
  424 k VRPs; a generated 300 k set without it) brings every VRP and the
  End of Data;
- irrd: "!gAS65000" over 40 k route objects brings the whole ~0.8 MB
  answer, ending in "C".
"""
import os
import socket
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import daemon_lib as L  # noqa: E402


def rtrd():
    real = os.path.join(os.environ.get("MANRS_SHARED_DATA", ""), "rpki",
                        "json.gz")
    if os.path.exists(real):
        vrps = real
    else:
        print("note: %s absent: a generated set" % real)
        vrps = os.path.join(L.TMP, "vrps.json")
        L.gen_vrps(vrps, v4=240000, v6=60000)
    # the real set was built 2023-05-04T14:52:07Z and expires a day on:
    # judge it at its build time
    now = ["--now", "1683212000"] if vrps == real else []
    d = L.start("rtrd", ["--vrps", vrps, "--listen", "127.0.0.1:0",
                         "--metrics", "127.0.0.1:0"] + now)
    want = (L.metric(d, 'manrs_rtr_vrps{af="ipv4"}') +
            L.metric(d, 'manrs_rtr_vrps{af="ipv6"}'))
    s = socket.create_connection(("127.0.0.1", d["port"]), 5)
    s.sendall(L.rtr_reset(1))
    s.shutdown(socket.SHUT_WR)
    data = L.rtr_read_all(s, 60)
    s.close()
    p = L.rtr_pdus(data)
    got = sum(1 for x in p if x[1] in (4, 6))
    if not p or p[-1][1] != 7 or got != want:
        L.fail("rtrd: after SHUT_WR got %d bytes, %d VRPs (want %d), last "
               "PDU %r" % (len(data), got, want, p[-1][1] if p else None),
               d)
    print("ok: rtrd: Reset Query then SHUT_WR: all %d VRPs (%d bytes) and "
          "End of Data, then the close" % (got, len(data)))
    L.stop(d)


def irrd():
    rpsl = os.path.join(L.TMP, "big.db")
    with open(rpsl, "w") as f:
        for i in range(40000):
            f.write("route: 10.%d.%d.0/24\norigin: AS65000\nsource: TEST"
                    "\n\n" % (i // 256, i % 256))
    d = L.start("irrd", ["--source", "TEST=" + rpsl, "--listen",
                         "127.0.0.1:0"])
    s = socket.create_connection(("127.0.0.1", d["port"]), 5)
    s.sendall(b"!gAS65000\n")
    s.shutdown(socket.SHUT_WR)
    data = L.rtr_read_all(s, 60)
    s.close()
    head, _, rest = data.partition(b"\n")
    if not head.startswith(b"A") or len(rest) != int(head[1:]) + 2 or \
            not rest.endswith(b"C\n"):
        L.fail("irrd: after SHUT_WR got %d bytes (%r ... %r)"
               % (len(data), data[:20], data[-20:]), d)
    print("ok: irrd: !g then SHUT_WR: the whole %d-byte answer, then the "
          "close" % len(data))
    L.stop(d)


rtrd()
if L.on_layer("irrd"):
    irrd()
else:
    print("note: irrd is not on the daemon layer yet: rtrd only")
