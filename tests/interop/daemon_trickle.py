#!/usr/bin/env python3
"""Slowloris against manrs rtrd and irrd (daemon layer).

A client trickles one byte a second of a request that would take a
minute to complete (an RTR PDU announcing 64 bytes, a whois line without
its newline).  Before the fix the idle timer restarted on every byte and
the slot was held for good (rtrd: 7500 s, irrd: forever).  Now the
request must be complete within --request-timeout (default 10 s) of its
first byte: the trickler is cut between 9 and 13 s, while a well-behaved
client on another connection is answered every second throughout.
"""
import os
import select
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import daemon_lib as L  # noqa: E402


def good_client(kind, d):
    t0 = time.time()
    if kind == "rtrd":
        p = L.rtr_sync(d["port"], timeout=5)
        ok = p is not None and p[-1][1] == 7
    else:
        ok = L.whois(d["port"], b"!gAS65000\n", 5).startswith(b"A")
    return ok, time.time() - t0


def run(kind, args, request):
    d = L.start(kind, args + ["--listen", "127.0.0.1:0", "--metrics",
                              "127.0.0.1:0"])
    s = socket.create_connection(("127.0.0.1", d["port"]), 5)
    t0 = time.time()
    cut = None
    i = 0
    worst = 0.0
    while time.time() - t0 < 20:
        try:
            s.send(request[i % len(request):i % len(request) + 1])
        except (BrokenPipeError, ConnectionResetError):
            cut = time.time() - t0
            break
        i += 1
        ok, took = good_client(kind, d)
        if not ok:
            L.fail("%s: well-behaved client not served while a trickler "
                   "runs" % kind, d)
        worst = max(worst, took)
        r, _, _ = select.select([s], [], [], max(0.0, 1.0 - took))
        if r:
            try:
                data = s.recv(4096)
            except ConnectionResetError:
                data = b""
            if not data:
                cut = time.time() - t0
                break
        # (an answer to the trickle would be a bug: it is incomplete)
    s.close()
    if cut is None:
        L.fail("%s: a 1 byte/s client still holds its slot after 20 s"
               % kind, d)
    if not 9.0 <= cut <= 13.0:
        L.fail("%s: trickler cut after %.1f s, want ~10 s" % (kind, cut),
               d)
    n = L.metric(d, L.mname(kind, 'timeouts_total{kind="request"}'))
    if not n:
        L.fail("%s: request timeout not counted" % kind, d)
    print("ok: %s: 1 byte/s client cut after %.1f s (%d bytes sent); a "
          "good client served meanwhile (slowest %.0f ms)"
          % (kind, cut, i, worst * 1000))
    L.stop(d)


vrps = os.path.join(L.TMP, "vrps.json")
L.gen_vrps(vrps)
# a Router Key PDU header announcing 64 bytes, then its body, slowly
run("rtrd", ["--vrps", vrps],
    struct.pack(">BBHI", 1, 9, 0, 64) + bytes(56) + b"x" * 64)
if L.on_layer("irrd"):
    rpsl = os.path.join(L.TMP, "test.db")
    L.gen_rpsl(rpsl)
    run("irrd", ["--source", "TEST=" + rpsl], b"!gAS65000" * 20)
else:
    print("note: irrd is not on the daemon layer yet: rtrd only")
