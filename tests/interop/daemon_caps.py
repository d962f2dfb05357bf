#!/usr/bin/env python3
"""Connection caps of manrs rtrd and irrd (daemon layer).

rtrd --max-per-address 3 --max-clients 5, listening on 127.0.0.1 and ::1:
- three routers from 127.0.0.1 sync; a fourth gets an Error Report
  (RFC 8210 section 5.10), code 1 "Internal Error" in its own version
  with its query encapsulated, then the close;
- two more from ::1 (another address) sync: 5 clients, the cap; a sixth
  (version 0) gets the Error Report in version 0;
- /metrics counts one refusal per reason; once the routers leave, new
  ones are served.
--log-format json: every log line is a JSON object with ts/level/msg.
irrd (when on the layer): the fourth client from one address is refused
(no answer) and counted.
Before the fix: no --max-per-address, and a refused router got a bare
close.
"""
import json
import os
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import daemon_lib as L  # noqa: E402


def hold_rtr(port, family, version=1):
    """A router that synced and stays connected."""
    host = "127.0.0.1" if family == socket.AF_INET else "::1"
    s = socket.create_connection((host, port), 5)
    s.sendall(L.rtr_reset(version))
    s.settimeout(10)
    data = b""
    while True:
        b = s.recv(1 << 16)
        if not b:
            return None
        data += b
        p = L.rtr_pdus(data)
        if p and p[-1][1] == 7:
            return s


def refused_rtr(port, family, version):
    host = "127.0.0.1" if family == socket.AF_INET else "::1"
    s = socket.create_connection((host, port), 5)
    q = L.rtr_reset(version)
    s.sendall(q)
    data = L.rtr_read_all(s, 5)
    s.close()
    p = L.rtr_pdus(data)
    if len(p) != 1:
        return None, data
    v, code, text = L.rtr_error(p[0])
    # the encapsulated PDU is the query
    n = struct.unpack(">I", p[0][3][:4])[0]
    return (v, code, text, p[0][3][4:4 + n] == q), data


def rtrd():
    vrps = os.path.join(L.TMP, "vrps.json")
    L.gen_vrps(vrps)
    d = L.start("rtrd", ["--vrps", vrps, "--listen", "127.0.0.1:0",
                         "--listen", "[::1]:0", "--metrics", "127.0.0.1:0",
                         "--max-per-address", "3", "--max-clients", "5",
                         "--log-format", "json"])
    p4, p6 = d["ports"]
    held = [hold_rtr(p4, socket.AF_INET) for _ in range(3)]
    if None in held:
        L.fail("rtrd: a router under the caps was not served", d)
    got, raw = refused_rtr(p4, socket.AF_INET, 1)
    want = (1, 1, "too many connections from this address", True)
    if got != want:
        L.fail("rtrd: 4th router from 127.0.0.1 got %r (%r), want %r"
               % (got, raw[:40], want), d)
    print("ok: rtrd: --max-per-address 3: the 4th router gets Error "
          "Report code 1 \"%s\" (its query encapsulated), then the close"
          % got[2])
    held += [hold_rtr(p6, socket.AF_INET6) for _ in range(2)]
    if None in held:
        L.fail("rtrd: routers from ::1 not served", d)
    got, raw = refused_rtr(p6, socket.AF_INET6, 0)
    want = (0, 1, "too many connections", True)
    if got != want:
        L.fail("rtrd: 6th router got %r (%r), want %r"
               % (got, raw[:40], want), d)
    print("ok: rtrd: --max-clients 5: the 6th router (version 0) gets "
          "Error Report code 1 in version 0")
    for r, want_n in (("per-address", 1), ("cap", 1)):
        n = L.metric(d, 'manrs_rtr_clients_refused_total{reason="%s"}' % r)
        if n != want_n:
            L.fail("rtrd: refused{%s} = %r, want %d" % (r, n, want_n), d)
    for s in held:
        s.close()
    t0 = time.time()
    while L.rtr_sync(p4, timeout=5) is None:
        if time.time() - t0 > 10:
            L.fail("rtrd: not serving after the routers left", d)
        time.sleep(0.2)
    print("ok: rtrd: refusals counted by reason; served again after")
    lines = L.log_text(d).splitlines()
    for line in lines:
        o = json.loads(line)
        if not {"ts", "daemon", "level", "msg"} <= set(o):
            L.fail("rtrd: JSON log line lacks fields: %s" % line, d)
    print("ok: rtrd --log-format json: %d log lines, each a JSON object"
          % len(lines))
    L.stop(d)


def irrd():
    rpsl = os.path.join(L.TMP, "test.db")
    L.gen_rpsl(rpsl)
    d = L.start("irrd", ["--source", "TEST=" + rpsl, "--listen",
                         "127.0.0.1:0", "--metrics", "127.0.0.1:0",
                         "--max-per-address", "3"])
    held = []
    for _ in range(3):
        s = socket.create_connection(("127.0.0.1", d["port"]), 5)
        s.sendall(b"!!\n!gAS65000\n")
        s.settimeout(5)
        if not s.recv(1).startswith(b"A"):
            L.fail("irrd: a client under the cap not served", d)
        held.append(s)
    a = L.whois(d["port"], b"!gAS65000\n", 5)
    if a.startswith(b"A"):
        L.fail("irrd: 4th client from one address answered", d)
    n = L.metric(d, 'manrs_irrd_clients_refused_total{reason='
                 '"per-address"}')
    if n != 1:
        L.fail("irrd: per-address refusal counted %r" % n, d)
    for s in held:
        s.close()
    print("ok: irrd: --max-per-address 3: the 4th client refused (%r), "
          "counted" % a[:30])
    L.stop(d)


rtrd()
if L.on_layer("irrd"):
    irrd()
else:
    print("note: irrd is not on the daemon layer yet: rtrd only")
