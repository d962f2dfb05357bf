#!/usr/bin/env python3
"""manrs monitor --webhook: an HTTP receiver on 127.0.0.1 (Python's
http.server) gets the alerts of a replay of the real RIS update file
../shared/data/mrt/updates.20160811.1600.gz:
  - JSON: one POST per alert, Content-Type application/json, the body
    equal to the --json line on stdout (the planted hijack naming
    AS13118);
  - --webhook-format slack: {"text": ...} with the alert's text form;
  - a receiver answering 500: counted as failed and reported, the
    replay's own output unchanged;
  - a slow receiver with --webhook-queue 1: the monitor does not wait
    for it (the replay ends long before the POSTs would), alerts that
    do not fit are dropped and counted, sent + dropped = alerts;
  - a URL that is not http(s) is refused (exit 2).
Every wait is bounded; the server thread is shut down on the way out."""
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
import time

M = os.environ.get("MANRS_BIN", "manrs")
U = os.path.join(os.environ.get("MANRS_SHARED_DATA", ""), "mrt",
                 "updates.20160811.1600.gz")
fails = []


def bad(msg):
    print("FAIL: " + msg)
    fails.append(msg)


class Recv(http.server.BaseHTTPRequestHandler):
    got = []
    status = 200
    delay = 0.0

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(n).decode()
        Recv.got.append((self.path, self.headers.get("Content-Type"),
                         body))
        if Recv.delay:
            time.sleep(Recv.delay)
        self.send_response(Recv.status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *a):
        pass


def run(args, timeout=120):
    return subprocess.run([M, "monitor"] + args, capture_output=True,
                          text=True, timeout=timeout)


def main():
    if not os.access(U, os.R_OK):
        print("skip: no " + U)
        return 77
    tmp = tempfile.mkdtemp()
    pyml = os.path.join(tmp, "p.yml")
    with open(pyml, "w") as f:
        f.write("93.181.192.0/19:\n  description: planted wrong origin\n"
                "  asn: 64496\n  ignoreMorespecifics: false\n"
                "200.12.26.0/24:\n  description: also wrong\n"
                "  asn: 64497\n  ignoreMorespecifics: false\n"
                "89.186.32.0/19:\n  description: wrong too\n"
                "  asn: 64498\n  ignoreMorespecifics: false\n"
                "110.170.17.0/24:\n  description: wrong as well\n"
                "  asn: 64499\n  ignoreMorespecifics: false\n"
                "103.242.52.0/22:\n  description: and this\n"
                "  asn: 64500\n  ignoreMorespecifics: false\n")
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recv)
    port = srv.server_address[1]
    th = threading.Thread(target=srv.serve_forever, daemon=True)
    th.start()
    url = "http://127.0.0.1:%d/hook" % port
    try:
        base = ["--prefixes", pyml, "--mrt", U, "--json"]
        r = run(base + ["--webhook", url, "--stats"])
        lines = [x for x in r.stdout.splitlines() if x]
        if r.returncode != 5:
            bad("json: exit %d: %s" % (r.returncode, r.stderr[-300:]))
        if not any('"origin":13118' in x and '"type":"hijack"' in x
                   for x in lines):
            bad("no hijack naming AS13118 on stdout: %r" % lines[:3])
        bodies = [b for (p, ct, b) in Recv.got]
        if sorted(bodies) != sorted(lines):
            bad("POST bodies differ from stdout: %r vs %r" %
                (bodies[:2], lines[:2]))
        if any(p != "/hook" or ct != "application/json"
               for (p, ct, b) in Recv.got):
            bad("path / content type: %r" % Recv.got[:1])
        for b in bodies:
            json.loads(b)
        if "webhook: %d sent, 0 failed, 0 dropped" % len(lines) \
                not in r.stderr:
            bad("stats: %s" % r.stderr[-300:])
        nalerts = len(lines)

        Recv.got = []
        r = run(base + ["--webhook", url, "--webhook-format", "slack"])
        if len(Recv.got) != nalerts:
            bad("slack: %d POSTs, not %d" % (len(Recv.got), nalerts))
        for (p, ct, b) in Recv.got:
            d = json.loads(b)
            if list(d) != ["text"]:
                bad("slack body keys: %r" % list(d))
        if not any("93.181.192.0/19" in json.loads(b)["text"] and
                   "13118" in json.loads(b)["text"]
                   for (p, ct, b) in Recv.got):
            bad("slack: no text naming the hijack: %r" % Recv.got[:1])

        Recv.got = []
        Recv.status = 500
        r = run(base + ["--webhook", url])
        if r.returncode != 5 or \
                [x for x in r.stdout.splitlines() if x] != lines:
            bad("receiver 500: exit %d or output changed" % r.returncode)
        if "webhook: 0 sent, %d failed" % nalerts not in r.stderr or \
                "error status" not in r.stderr:
            bad("receiver 500: not reported: %s" % r.stderr[-300:])
        Recv.status = 200

        # slow receiver, one slot: the replay does not wait for it
        Recv.got = []
        Recv.delay = 2.0
        t0 = time.monotonic()
        p = subprocess.Popen([M, "monitor"] + base +
                             ["--webhook", url, "--webhook-queue", "1",
                              "--stats"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        out, err = p.communicate(timeout=120)
        dt = time.monotonic() - t0
        Recv.delay = 0.0
        import re
        m = re.search(r"webhook: (\d+) sent, (\d+) failed, (\d+) dropped",
                      err)
        if m is None:
            bad("slow: no webhook stats: %s" % err[-300:])
        else:
            sent, failed, dropped = map(int, m.groups())
            if dropped == 0 or sent + dropped != nalerts or failed:
                bad("slow: sent %d dropped %d failed %d of %d" %
                    (sent, dropped, failed, nalerts))
            if sent != len(Recv.got):
                bad("slow: %d sent, %d received" % (sent, len(Recv.got)))
        if dt > nalerts * 2.0 + 5:
            bad("slow: the monitor waited %.1f s" % dt)

        r = run(["--prefixes", pyml, "--mrt", U, "--webhook",
                 "ftp://127.0.0.1/"])
        if r.returncode != 2:
            bad("ftp:// webhook accepted (exit %d)" % r.returncode)
    finally:
        srv.shutdown()
        srv.server_close()
        subprocess.run(["rm", "-rf", tmp])
    if fails:
        return 1
    print("ok: monitor webhook (%d alerts)" % nalerts)
    return 0


if __name__ == "__main__":
    sys.exit(main())
