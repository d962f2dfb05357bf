#!/usr/bin/env python3
"""The /metrics HTTP endpoint of manrs rtrd and irrd (daemon layer) is
bounded: headers, time, connections.

- 10 MB of request headers: refused (431, or the close) after 8 KiB, and
  the daemon's RSS grows by less than 2 MiB (before the fix evhttp
  buffered it all: 400 MB of headers took rtrd from 42 to 433 MB);
- 24 connections that send nothing: 16 are held, the others get 503 at
  once; the held ones are closed after 5 s;
- a request line without its end: closed after 5 s;
- then a normal GET /metrics answers 200 with the counters of the above;
- a client that half-closes right after its request (a whole one, or 8 KiB
  of headers) still gets its 200 or 431.
"""
import os
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import daemon_lib as L  # noqa: E402


def closed_within(s, secs):
    """Seconds until the peer closed s (None: still open)."""
    t0 = time.time()
    s.settimeout(secs)
    try:
        while True:
            b = s.recv(4096)
            if not b:
                return time.time() - t0
    except socket.timeout:
        return None
    except ConnectionResetError:
        return time.time() - t0


def first_bytes(s):
    """The first bytes of the answer on s (b"" if none in 5 s), and close."""
    s.settimeout(5)
    try:
        reply = s.recv(100)
    except (ConnectionResetError, socket.timeout):
        reply = b""
    s.close()
    return reply


def run(kind, args):
    d = L.start(kind, args + ["--listen", "127.0.0.1:0", "--metrics",
                              "127.0.0.1:0"])
    m = d["metrics"]
    rss0 = L.rss_kib(d["pid"])
    s = socket.create_connection(("127.0.0.1", m), 5)
    s.sendall(b"GET /metrics HTTP/1.1\r\n")
    sent = 0
    line = b"X-Filler: " + b"a" * 1000 + b"\r\n"
    try:
        while sent < 10 * 1024 * 1024:
            s.sendall(line)
            sent += len(line)
    except (BrokenPipeError, ConnectionResetError):
        pass
    reply = first_bytes(s)
    grew = L.rss_kib(d["pid"]) - rss0
    if sent >= 10 * 1024 * 1024 and not reply.startswith(b"HTTP/1.1 431"):
        L.fail("%s: 10 MB of headers accepted (reply %r)" % (kind, reply),
               d)
    if grew > 2048:
        L.fail("%s: RSS grew %d KiB on 10 MB of headers" % (kind, grew), d)
    print("ok: %s: %d bytes of headers refused after %d (%r), RSS +%d KiB"
          % (kind, 10 * 1024 * 1024, sent, reply[:12], grew))

    held = []
    busy = 0
    for _ in range(24):
        c = socket.create_connection(("127.0.0.1", m), 5)
        held.append(c)
    time.sleep(0.5)
    for c in held[16:]:
        c.settimeout(2)
        try:
            if c.recv(100).startswith(b"HTTP/1.1 503"):
                busy += 1
        except socket.timeout:
            pass
    if busy != 8:
        L.fail("%s: %d of 8 connections over the limit got 503"
               % (kind, busy), d)
    t = closed_within(held[0], 8)
    if t is None or t > 6:
        L.fail("%s: an idle metrics connection stays open" % kind, d)
    for c in held:
        c.close()
    print("ok: %s: 16 metrics connections at most (8 more got 503), idle "
          "ones closed after ~5 s" % kind)

    s = socket.create_connection(("127.0.0.1", m), 5)
    s.sendall(b"GET /metr")
    t = closed_within(s, 8)
    s.close()
    if t is None or t > 6:
        L.fail("%s: a slow request is not cut after 5 s" % kind, d)
    print("ok: %s: an unfinished request is closed after %.1f s"
          % (kind, t))

    body = L.http_get(m).decode(errors="replace")
    if not body.startswith("HTTP/1.1 200"):
        L.fail("%s: GET /metrics after the abuse: %r" % (kind, body[:40]), d)
    want = {'outcome="too_large"} 1', 'outcome="refused"} 8',
            'outcome="timeout"} '}
    for w in want:
        if w not in body:
            L.fail("%s: /metrics lacks %s" % (kind, w), d)
    if L.http_get(m, "/nope").split(b"\r\n")[0] != b"HTTP/1.1 404 Not Found":
        L.fail("%s: unknown path not 404" % kind, d)
    print("ok: %s: /metrics answers and counts the refusals" % kind)

    # A client that half-closes after its request still gets the answer
    # (a whole head: 200; 8 KiB of headers without their end: 431).
    head = b"GET /metrics HTTP/1.1\r\nHost: x\r\n"
    big = head + b"X-Filler: " + b"a" * (8192 - len(head) - 12) + b"\r\n"
    for what, req, want in (("a whole request", head + b"\r\n", b"200"),
                            ("8 KiB of headers", big[:8192], b"431")):
        for i in range(20):
            s = socket.create_connection(("127.0.0.1", m), 5)
            s.sendall(req)
            s.shutdown(socket.SHUT_WR)
            reply = first_bytes(s)
            if not reply.startswith(b"HTTP/1.1 " + want):
                L.fail("%s: %s then half-close: reply %r (try %d)"
                       % (kind, what, reply[:20], i + 1), d)
        print("ok: %s: %s, then half-closed: %s, 20 times of 20"
              % (kind, what, want.decode()))
    L.stop(d)


vrps = os.path.join(L.TMP, "vrps.json")
L.gen_vrps(vrps)
run("rtrd", ["--vrps", vrps])
if L.on_layer("irrd"):
    rpsl = os.path.join(L.TMP, "test.db")
    L.gen_rpsl(rpsl)
    run("irrd", ["--source", "TEST=" + rpsl])
else:
    print("note: irrd is not on the daemon layer yet: rtrd only")
