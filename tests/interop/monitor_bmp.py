#!/usr/bin/env python3
"""monitor_bmp.py - manrs monitor as a BMP station (--bmp-listen) on the
daemon layer, driven over TCP on 127.0.0.1 by a scripted BMP router
(RFC 7854 Initiation, Peer Up, Route Monitoring, Peer Down,
Termination), two monitored peers:
- a monitored prefix announced with another origin (hijack, and
  rpki-invalid since its VRP names the right AS), a more-specific from
  the expected origin (more-specific) and a route whose origin the VRPs
  do not allow (rpki-invalid): each alert arrives once on stdout
  (--json), with the right type, prefix, origin, peers, description,
  though the routes are sent twice and by two peers;
- post-policy and Adj-RIB-Out copies (RFC 8671) are not counted;
- withdrawing them (one by UPDATE, the rest by Peer Down) resolves each
  alert once;
- latency: the hijack alert is on stdout < 100 ms after the message;
- a peer with ADD-PATH in its Peer Up OPENs: NLRI read with their path
  identifiers (hijack raised and resolved);
- /metrics counts the BMP messages; a router sending a bad version is
  dropped and the station goes on; SIGTERM: exit 0;
- --webhook to a receiver on 127.0.0.1, with the privilege drop and the
  seccomp profile in force: every alert on stdout is POSTed too, and
  /metrics counts them sent.
Ephemeral ports, every loop bounded, the daemon killed on exit."""
import http.server
import json
import os
import threading
import select
import socket
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import daemon_lib as dl  # noqa: E402


def bmp(mtype, body):
    return struct.pack(">BIB", 3, 6 + len(body), mtype) + body


def peer_hdr(peer_ip, asn, flags=0):
    addr = b"\0" * 12 + socket.inet_aton(peer_ip)
    return struct.pack(">BB8s16sI4sII", 0, flags, b"\0" * 8, addr, asn,
                       socket.inet_aton(peer_ip), int(time.time()), 0)


def bgp(mtype, body):
    return b"\xff" * 16 + struct.pack(">HB", 19 + len(body), mtype) + body


def nlri(pfx):
    a, l = pfx.split("/")
    l = int(l)
    return bytes([l]) + socket.inet_aton(a)[:(l + 7) // 8]


def update(announce=(), withdraw=(), path=()):
    w = b"".join(nlri(p) for p in withdraw)
    attrs = b""
    if announce:
        seg = struct.pack(">BB", 2, len(path)) + b"".join(
            struct.pack(">I", a) for a in path)
        attrs = (b"\x40\x01\x01\x00" +
                 struct.pack(">BBB", 0x40, 2, len(seg)) + seg +
                 b"\x40\x03\x04" + socket.inet_aton("192.0.2.254"))
    n = b"".join(nlri(p) for p in announce)
    return bgp(2, struct.pack(">H", len(w)) + w + struct.pack(">H",
               len(attrs)) + attrs + n)


def open_msg(asn, addpath=False):
    opt = b""
    if addpath:
        # capabilities: ADD-PATH (69) IPv4 unicast, send and receive
        cap = struct.pack(">BBHBB", 69, 4, 1, 1, 3)
        opt = struct.pack(">BB", 2, len(cap)) + cap
    return bgp(1, struct.pack(">BHH4sB", 4, asn, 90,
                              socket.inet_aton("10.0.0.1"), len(opt)) + opt)


def tlv(t, v):
    return struct.pack(">HH", t, len(v)) + v


def peer_up(ip, asn, addpath=False):
    return bmp(3, peer_hdr(ip, asn) + b"\0" * 12 +
               socket.inet_aton("127.0.0.1") + struct.pack(">HH", 179,
                                                           40000) +
               open_msg(64496, addpath) + open_msg(asn, addpath))


def rm(ip, asn, upd, flags=0):
    return bmp(0, peer_hdr(ip, asn, flags) + upd)


def main():
    tmp = dl.TMP
    yml = os.path.join(tmp, "prefixes.yml")
    with open(yml, "w") as f:
        f.write("""192.0.2.0/24:
  description: core net
  asn: 15562
  ignoreMorespecifics: false
  ignore: false
203.0.113.0/24:
  description: roa net
  asn: 15562
  ignoreMorespecifics: false
  ignore: false
""")
    vrps = os.path.join(tmp, "vrps.json")
    with open(vrps, "w") as f:
        json.dump({"roas": [
            {"prefix": "192.0.2.0/24", "maxLength": 25, "asn": 15562},
            {"prefix": "203.0.113.0/24", "maxLength": 24, "asn": 3333}]}, f)
    posts = []

    class Hook(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            n = int(self.headers.get("Content-Length", "0"))
            posts.append(self.rfile.read(n).decode())
            self.send_response(204)
            self.end_headers()

        def log_message(self, *a):
            pass

    hook = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=hook.serve_forever, daemon=True).start()
    pf = os.path.join(tmp, "bmp.port")
    log = os.path.join(tmp, "bmp.log")
    cmd = [dl.BIN, "monitor", "--prefixes", yml, "--vrps", vrps,
           "--bmp-listen", "127.0.0.1:0", "--port-file", pf,
           "--metrics", "127.0.0.1:0", "--json", "--min-peers", "1",
           "--min-peers", "visibility=40", "--webhook",
           "http://127.0.0.1:%d/alerts" % hook.server_address[1]]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=open(log, "w"))
    dl.PROCS.append(p)
    d = {"proc": p, "log": log, "kind": "monitor"}
    deadline = time.time() + 60
    while not (os.path.exists(pf) and os.path.getsize(pf) > 0):
        if p.poll() is not None or time.time() > deadline:
            dl.fail("monitor did not start", d)
        time.sleep(0.05)
    with open(pf) as f:
        ports = [int(x) for x in f.read().split()]
    port, mport = ports[0], ports[-1]
    if len(ports) < 2:
        mport = None

    buf = b""
    seen = []

    def alerts(n, timeout=5):
        """n JSON lines from stdout, each with its arrival time."""
        nonlocal buf
        out = []
        end = time.time() + timeout
        while len(out) < n:
            while b"\n" in buf and len(out) < n:
                line, buf = buf.split(b"\n", 1)
                if not line.startswith(b"{"):
                    continue    # "bmp listening on ..." lines
                out.append((time.time(), json.loads(line)))
                seen.append(json.loads(line))
            if len(out) >= n:
                break
            left = end - time.time()
            if left <= 0:
                break
            r, _, _ = select.select([p.stdout], [], [], left)
            if r:
                chunk = os.read(p.stdout.fileno(), 65536)
                if not chunk:
                    break
                buf += chunk
        return out

    def quiet(secs=0.5):
        got = alerts(1, secs)
        if got:
            dl.fail("unexpected alert: %s" % got[0][1], d)

    s = socket.create_connection(("127.0.0.1", port), 5)
    s.sendall(bmp(4, tlv(1, b"scripted router") + tlv(2, b"r1")))
    s.sendall(peer_up("192.0.2.10", 174) + peer_up("192.0.2.11", 6939))
    good = update(["192.0.2.0/24"], path=[174, 15562])
    s.sendall(rm("192.0.2.10", 174, good))
    quiet()
    # hijack: sent at t0, must be on stdout within 100 ms
    hij = update(["192.0.2.0/24"], path=[174, 4134])
    t0 = time.time()
    s.sendall(rm("192.0.2.10", 174, hij))
    got = alerts(2)
    if len(got) != 2:
        dl.fail("no hijack alert: %s" % got, d)
    lat = (got[0][0] - t0) * 1000
    byt = {x[1]["type"]: x[1] for x in got}
    a = byt.get("hijack")
    if a is None or (a["prefix"], a["origin"], a["peers"],
                     a["description"], a["resolved"]) != \
            ("192.0.2.0/24", 4134, 1, "core net", False):
        dl.fail("hijack alert fields: %s" % got, d)
    if "174,4134" not in a["evidence"]:
        dl.fail("hijack evidence: %s" % a, d)
    # the VRP allows only AS15562: the same route is RPKI invalid too
    r = byt.get("rpki-invalid")
    if r is None or (r["prefix"], r["origin"]) != ("192.0.2.0/24", 4134):
        dl.fail("rpki-invalid alert with the hijack: %s" % got, d)
    print("latency: hijack alert %.1f ms after the BMP message" % lat)
    if lat >= 100:
        dl.fail("latency %.1f ms >= 100 ms" % lat, d)
    # the same from the second peer, again from the first, and as
    # post-policy / Adj-RIB-Out copies: no new alert
    s.sendall(rm("192.0.2.11", 6939, update(["192.0.2.0/24"],
                                             path=[6939, 4134])))
    s.sendall(rm("192.0.2.10", 174, hij))
    s.sendall(rm("192.0.2.10", 174, hij, flags=0x40))
    s.sendall(rm("192.0.2.10", 174, hij, flags=0x10))
    quiet()
    # more-specific from the expected origin, and an RPKI-invalid route
    s.sendall(rm("192.0.2.10", 174, update(["192.0.2.128/25"],
                                            path=[174, 15562])))
    s.sendall(rm("192.0.2.10", 174, update(["203.0.113.0/24"],
                                            path=[174, 15562])))
    s.sendall(rm("192.0.2.11", 6939, update(["203.0.113.0/24"],
                                             path=[6939, 15562])))
    got = [x[1] for x in alerts(2)]
    kinds = sorted((x["type"], x["prefix"], x["origin"]) for x in got)
    if kinds != [("more-specific", "192.0.2.128/25", 15562),
                 ("rpki-invalid", "203.0.113.0/24", 15562)]:
        dl.fail("alerts: %s" % got, d)
    quiet()
    # withdrawals: the more-specific by UPDATE; the hijack needs both
    # peers to stop; peer 6939 goes down, peer 174 withdraws
    s.sendall(rm("192.0.2.10", 174, update(withdraw=["192.0.2.128/25"])))
    got = alerts(1)
    if not got or got[0][1]["type"] != "more-specific" or \
            not got[0][1]["resolved"]:
        dl.fail("more-specific not resolved: %s" % got, d)
    s.sendall(bmp(2, peer_hdr("192.0.2.11", 6939) + b"\x02\x00\x05"))
    quiet()
    s.sendall(rm("192.0.2.10", 174, update(withdraw=["192.0.2.0/24",
                                                     "203.0.113.0/24"])))
    got = [x[1] for x in alerts(3)]
    res = sorted((x["type"], x["prefix"], x["resolved"]) for x in got)
    if res != [("hijack", "192.0.2.0/24", True),
               ("rpki-invalid", "192.0.2.0/24", True),
               ("rpki-invalid", "203.0.113.0/24", True)]:
        dl.fail("not resolved: %s" % got, d)
    quiet()
    if mport is not None:
        m = dl.http_get(mport).decode()
        if 'manrs_monitor_bmp_messages_total{type="route-monitoring"} 11' \
                not in m or "manrs_monitor_bmp_not_fed_total 2" not in m:
            dl.fail("metrics:\n" + m, d)
    # a peer whose Peer Up shows ADD-PATH (RFC 7911): path identifiers
    # are read, the prefix is the real one (another origin: the 4134
    # events were resolved less than --repeat ago and would be held)
    s.sendall(peer_up("192.0.2.12", 3356, addpath=True))
    ap = update(["192.0.2.0/24"], path=[3356, 4837])
    ap = ap[:-4] + struct.pack(">I", 7) + ap[-4:]     # path id 7
    ap = ap[:16] + struct.pack(">H", len(ap)) + ap[18:]
    s.sendall(rm("192.0.2.12", 3356, ap))
    got = [x[1] for x in alerts(2)]
    if sorted((x["type"], x["prefix"], x["origin"]) for x in got) != \
            [("hijack", "192.0.2.0/24", 4837),
             ("rpki-invalid", "192.0.2.0/24", 4837)]:
        dl.fail("ADD-PATH route: %s" % got, d)
    wd = update(withdraw=["192.0.2.0/24"])
    wd = wd[:19] + struct.pack(">H", 8) + struct.pack(">I", 7) + \
        wd[21:]
    wd = wd[:16] + struct.pack(">H", len(wd)) + wd[18:]
    s.sendall(rm("192.0.2.12", 3356, wd))
    got = [x[1] for x in alerts(2)]
    if len(got) != 2 or not all(x["resolved"] for x in got):
        dl.fail("ADD-PATH withdrawal: %s" % got, d)
    # a second router that speaks BMP version 9 is dropped
    b = socket.create_connection(("127.0.0.1", port), 5)
    b.sendall(b"\x09\0\0\0\x06\x04")
    b.settimeout(5)
    try:
        if b.recv(10) != b"":
            dl.fail("bad router not closed", d)
    except (ConnectionResetError, socket.timeout):
        pass
    b.close()
    s.sendall(bmp(5, tlv(1, b"\0\0")))
    s.close()
    if "framing" not in dl.log_text(d) and "version" not in \
            dl.log_text(d):
        dl.fail("bad version not logged", d)
    # the webhook got every alert stdout had (privileges dropped,
    # seccomp on: the profile lets the POSTs out)
    end = time.time() + 10
    while len(posts) < len(seen) and time.time() < end:
        time.sleep(0.05)
    if sorted(json.dumps(json.loads(x), sort_keys=True) for x in posts) != \
            sorted(json.dumps(x, sort_keys=True) for x in seen):
        dl.fail("webhook: %d POSTs, %d alerts on stdout: %s" %
                (len(posts), len(seen), posts[:2]), d)
    if mport is not None:
        m = dl.http_get(mport).decode()
        if "manrs_monitor_webhook_sent_total %d" % len(seen) not in m or \
                "manrs_monitor_webhook_dropped_total 0" not in m:
            dl.fail("webhook metrics:\n" + m, d)
    hook.shutdown()
    hook.server_close()
    p.terminate()
    try:
        rc = p.wait(30)
    except subprocess.TimeoutExpired:
        dl.fail("no exit on SIGTERM", d)
    if rc != 0:
        dl.fail("exit %d on SIGTERM" % rc, d)
    print("ok: monitor bmp station")


main()
