#!/usr/bin/env python3
"""manrs sync against a fault server on loopback.

A small http.server (this file) serves a good VRP file (ETag, conditional
requests, Range) and, under other paths, the faults a mirror can show:
HTTP 500, 404, a body cut short under a full Content-Length, a stalled
transfer, a corrupt gzip, the wrong format, an empty body, a RIB whose
gzip stream is cut, a delegated file whose published .md5 does not match.
Each fault must exit non-zero, name the file on stderr and keep the last
good file (and its sync.json entry) byte for byte; no temporary file may
be left.  Also: a transfer cut once is resumed with a Range request
(If-Range), within the run and by the next run when the run failed part
way (the partial body and its validator are kept), http_proxy from the
environment is used, retries are bounded, the stall is cut by the low-speed limit,
and the audit still reads DIR/manrs.conf with sync's keys in it.
"""
import gzip
import hashlib
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

BIN = os.environ.get("MANRS_BIN")
DATA = os.environ.get("MANRS_SHARED_DATA", "../shared/data")

if not BIN:
    print("SKIP: MANRS_BIN not set")
    sys.exit(77)
BVIEW = os.path.join(DATA, "mrt", "bview.20020722.2337.gz")
DELEG = os.path.join(DATA, "iana", "delegated-ripencc-extended-latest.gz")
for f in (BVIEW, DELEG):
    if not os.path.exists(f):
        print("SKIP: shared data not found: %s" % f)
        sys.exit(77)

# rpki-client's JSON form, 64 ROAs.
GOOD = json.dumps({
    "metadata": {"buildtime": "2021-09-01T00:00:00Z", "roas": 64},
    "roas": [{"asn": "AS%d" % (64500 + i), "prefix": "10.%d.0.0/16" % i,
              "maxLength": 24, "ta": "test"} for i in range(64)],
}, indent=1).encode()
GOOD2 = GOOD.replace(b"{", b"{ ", 1)   # a changed version, same meaning
CUT_RIB = open(BVIEW, "rb").read()[:200000]
DELEG_BYTES = open(DELEG, "rb").read()
# CAIDA Spoofer's Data API page form (the fuzz seed of its reader).
SESSIONS = open(os.path.join(os.environ.get("MANRS_SOURCE_ROOT", "."),
                             "tests", "fuzz", "spoofer_caida", "corpus",
                             "collection.json"), "rb").read()
log = []
state = {"resume_first": True, "version": GOOD}


def corrupt_gzip(data):
    z = bytearray(gzip.compress(data))
    mid = len(z) // 2
    for i in range(mid, mid + 16):
        z[i] ^= 0x5A
    return bytes(z)


class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def send_body(self, code, body, headers=None, length=None):
        self.send_response(code)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length",
                         str(len(body) if length is None else length))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        log.append((self.path, dict(self.headers)))
        p = self.path
        if p.startswith("http://proxied.invalid/"):
            # A proxy request (absolute URI): serve it as the origin.
            p = p[len("http://proxied.invalid"):]
        if p == "/good/vrps.json":
            body = state["version"]
            etag = '"%s"' % hashlib.sha256(body).hexdigest()[:16]
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_body(200, body, {"ETag": etag})
        elif p == "/500/vrps.json":
            self.send_body(500, b"internal error\n")
        elif p == "/404/vrps.json":
            self.send_body(404, b"not found\n")
        elif p == "/trunc/vrps.json":
            self.send_response(200)
            self.send_header("Content-Length", str(len(GOOD)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(GOOD[: len(GOOD) // 2])
            self.wfile.flush()
            self.close_connection = True
        elif p == "/stall/vrps.json":
            self.send_response(200)
            self.send_header("Content-Length", str(len(GOOD)))
            self.end_headers()
            self.wfile.write(GOOD[:10])
            self.wfile.flush()
            for _ in range(100):        # at most 10 s, then give up
                time.sleep(0.1)
                if stop.is_set():
                    break
            self.close_connection = True
        elif p == "/corruptgz/vrps.json":
            self.send_body(200, corrupt_gzip(GOOD))
        elif p == "/wrongfmt/vrps.json":
            self.send_body(200, b"<html><body>Moved</body></html>\n")
        elif p == "/empty/vrps.json":
            self.send_body(200, b"")
        elif p == "/resume/vrps.json":
            etag = '"resume-v1"'
            rng = self.headers.get("Range")
            if rng and self.headers.get("If-Range") == etag:
                start = int(rng.split("=")[1].split("-")[0])
                body = GOOD[start:]
                self.send_body(206, body, {
                    "ETag": etag,
                    "Content-Range": "bytes %d-%d/%d" % (
                        start, len(GOOD) - 1, len(GOOD))})
                return
            if state["resume_first"]:
                state["resume_first"] = False
                self.send_response(200)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(GOOD)))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(GOOD[:700])
                self.wfile.flush()
                self.close_connection = True
                return
            self.send_body(200, GOOD, {"ETag": etag})
        elif p == "/resume2/vrps.json":
            # Cut after 700 bytes; Range requests fail (503) until
            # the test lets them through: a later run must resume.
            etag = '"resume-v2"'
            rng = self.headers.get("Range")
            if rng:
                if not state.get("resume2_ok"):
                    self.send_body(503, b"busy\n")
                    return
                start = int(rng.split("=")[1].split("-")[0])
                self.send_body(206, GOOD[start:], {
                    "ETag": etag,
                    "Content-Range": "bytes %d-%d/%d" % (
                        start, len(GOOD) - 1, len(GOOD))})
                return
            self.send_response(200)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(GOOD)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(GOOD[:700])
            self.wfile.flush()
            self.close_connection = True
        elif p == "/spoofer/sessions":
            self.send_body(200, SESSIONS, {"Content-Type":
                                           "application/ld+json"})
        elif p == "/ris/rrc00/2002.07/":
            self.send_body(200, b'<html><body><a href="../">../</a>\n'
                           b'<a href="bview.20020722.2337.gz">'
                           b'bview.20020722.2337.gz</a>\n</body></html>\n',
                           {"Content-Type": "text/html"})
        elif p == "/ris/rrc00/2002.07/bview.20020722.2337.gz":
            self.send_body(200, CUT_RIB)
        elif p == "/stats/delegated-ripencc-extended-latest":
            self.send_body(200, DELEG_BYTES)
        elif p == "/stats/delegated-ripencc-extended-latest.md5":
            self.send_body(200, b"MD5 (delegated-ripencc-extended-latest)"
                           b" = 0123456789abcdef0123456789abcdef\n")
        else:
            self.send_body(404, b"no\n")


stop = threading.Event()
srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
srv.daemon_threads = True
threading.Thread(target=srv.serve_forever, daemon=True).start()
base = "http://127.0.0.1:%d" % srv.server_address[1]
tmp = tempfile.mkdtemp(prefix="manrs-sync-faults.")
failures = []


def sync(*args, timeout=60, env=None):
    t0 = time.time()
    r = subprocess.run([BIN, "sync", "--data", d] + list(args),
                       capture_output=True, text=True, timeout=timeout,
                       env=env)
    return r.returncode, r.stderr, time.time() - t0


def sha(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


try:
    d = os.path.join(tmp, "data")
    os.makedirs(d)
    with open(os.path.join(d, "manrs.conf"), "w") as f:
        f.write("# audit keys and sync keys side by side\n"
                "sync.retries = 1\n"
                "sync.backoff-ms = 50\n"
                "sync.low-speed-time = 2\n"
                "sync.low-speed-limit = 100\n"
                "sync.connect-timeout = 5\n"
                "url.rpki = %s/good/vrps.json\n" % base)
    dest = os.path.join(d, "rpki", "vrps.json")

    # The last good file, from the URL in manrs.conf.
    rc, err, _ = sync("--only", "rpki")
    check(rc == 0, "good sync: exit %d: %s" % (rc, err))
    good_sha = sha(dest)
    check(good_sha == hashlib.sha256(GOOD).hexdigest(), "good file content")
    man = json.load(open(os.path.join(d, "sync.json")))
    entry = [f for f in man["files"] if f["path"] == "rpki/vrps.json"][0]
    check(entry["url"] == base + "/good/vrps.json", "URL from manrs.conf")

    faults = [
        ("500", "HTTP 500"),
        ("404", "HTTP 404"),
        ("trunc", "remaining"),        # curl: "N bytes remaining to read"
        ("stall", "too slow"),         # the low-speed limit
        ("corruptgz", "compressed"),
        ("wrongfmt", "VRPs"),
        ("empty", "empty"),
    ]
    for name, why in faults:
        n0 = len(log)
        rc, err, secs = sync("--only", "rpki", "--url",
                             "rpki=%s/%s/vrps.json" % (base, name))
        reqs = [p for p, _ in log[n0:] if p.startswith("/" + name + "/")]
        check(rc == 1, "%s: exit %d (want 1)" % (name, rc))
        check("rpki/vrps.json: FAILED" in err and why in err,
              "%s: stderr names the file and '%s': %s" % (name, why, err))
        check(sha(dest) == good_sha, "%s: last good file replaced" % name)
        man = json.load(open(os.path.join(d, "sync.json")))
        e = [f for f in man["files"] if f["path"] == "rpki/vrps.json"][0]
        check(e["sha256"] == good_sha and e["url"] == entry["url"],
              "%s: manifest entry replaced" % name)
        check(not [f for f in os.listdir(os.path.join(d, "rpki"))
                   if f != "vrps.json"], "%s: temporary file left" % name)
        if name in ("500", "trunc", "stall"):
            check(len(reqs) == 2, "%s: %d requests (1 retry)" % (name,
                                                                  len(reqs)))
        if name == "404":
            check(len(reqs) == 1, "404 retried")
        if name == "stall":
            check(secs < 15, "stall not cut by the low-speed limit: %.1fs"
                  % secs)
        print("ok: %s -> exit %d, %d request(s), %.1fs" % (name, rc,
                                                           len(reqs), secs))

    # A transfer cut once is resumed with Range + If-Range.
    n0 = len(log)
    rc, err, _ = sync("--only", "rpki", "--url",
                      "rpki=%s/resume/vrps.json" % base)
    check(rc == 0, "resume: exit %d: %s" % (rc, err))
    rng = [h for p, h in log[n0:] if p == "/resume/vrps.json"
           and h.get("Range")]
    check(len(rng) == 1 and rng[0].get("Range") == "bytes=700-" and
          rng[0].get("If-Range") == '"resume-v1"',
          "resume: Range request %r" % rng)
    check("resumed" in err, "resume: said so: %s" % err)
    check(sha(dest) == good_sha, "resumed file differs")

    # A run cut off part way: the next run resumes the partial body.
    rc, err, _ = sync("--only", "rpki", "--url",
                      "rpki=%s/resume2/vrps.json" % base)
    check(rc == 1 and "resumed by the next run" in err,
          "cut run: exit %d: %s" % (rc, err))
    check(sorted(os.listdir(os.path.join(d, "rpki"))) ==
          [".vrps.json.part", ".vrps.json.part.meta", "vrps.json"],
          "partial kept: %r" % os.listdir(os.path.join(d, "rpki")))
    check(sha(dest) == good_sha, "cut run replaced the last good file")
    state["resume2_ok"] = True
    n0 = len(log)
    rc, err, _ = sync("--only", "rpki", "--url",
                      "rpki=%s/resume2/vrps.json" % base)
    first = [h for p, h in log[n0:] if p == "/resume2/vrps.json"]
    check(rc == 0 and "resumed" in err, "next run: %d %s" % (rc, err))
    check(len(first) == 1 and first[0].get("Range") == "bytes=700-" and
          first[0].get("If-Range") == '"resume-v2"',
          "next run resumed with Range: %r" % first)
    check(sha(dest) == good_sha and
          os.listdir(os.path.join(d, "rpki")) == ["vrps.json"],
          "resumed across runs: content, leftovers")

    # Proxies from the environment: the request goes to the proxy (this
    # server) with the absolute URI; the .invalid host is never resolved.
    env = dict(os.environ)
    for k in ("no_proxy", "NO_PROXY", "https_proxy", "HTTPS_PROXY",
              "all_proxy", "ALL_PROXY"):
        env.pop(k, None)
    env["http_proxy"] = base
    n0 = len(log)
    rc, err, _ = sync("--only", "rpki", "--url",
                      "rpki=http://proxied.invalid/good/vrps.json", env=env)
    check(rc == 0, "through http_proxy: %d %s" % (rc, err))
    check([p for p, _ in log[n0:]] ==
          ["http://proxied.invalid/good/vrps.json"],
          "proxy request: %r" % [p for p, _ in log[n0:]])

    # Conditional requests; a change is fetched; --keep keeps the old one.
    rc, err, _ = sync("--only", "rpki")
    check(rc == 0, "good again: %s" % err)
    n0 = len(log)
    rc, err, _ = sync("--only", "rpki")
    hs = [h for p, h in log[n0:] if p == "/good/vrps.json"]
    check(rc == 0 and len(hs) == 1 and hs[0].get("If-None-Match"),
          "conditional request: %r" % hs)
    check("unchanged (304)" in err, "304 said: %s" % err)
    state["version"] = GOOD2
    rc, err, _ = sync("--only", "rpki", "--keep", "2")
    check(rc == 0 and sha(dest) == hashlib.sha256(GOOD2).hexdigest(),
          "changed file fetched: %s" % err)
    kept = os.listdir(os.path.join(d, ".keep", "rpki"))
    check(len(kept) == 1 and kept[0].startswith("vrps.json."),
          "--keep: %r" % kept)

    # A RIB whose gzip stream is cut (served whole: the length is right).
    rc, err, _ = sync("--only", "ris", "--url", "ris=%s/ris/" % base,
                      "--collectors", "rrc00", "--at", "2002-07-23")
    check(rc == 1 and "rib/bview.20020722.2337.rrc00.gz: FAILED" in err and
          "truncated" in err, "cut RIB: exit %d: %s" % (rc, err))
    check(not os.path.exists(os.path.join(d, "rib",
                                          "bview.20020722.2337.rrc00.gz")),
          "cut RIB renamed into place")

    # A published checksum that does not match.
    rc, err, _ = sync("--only", "delegated.ripencc", "--url",
                      "delegated.ripencc=%s/stats/delegated-ripencc-"
                      "extended-latest" % base)
    check(rc == 1 and "published 0123456789abcdef" in err,
          "md5 mismatch: exit %d: %s" % (rc, err))

    # One run per directory: a second one while the first holds the lock.
    import fcntl
    with open(os.path.join(d, ".sync.lock"), "a") as lk:
        fcntl.flock(lk, fcntl.LOCK_EX)
        rc, err, _ = sync("--only", "rpki")
        check(rc == 1 and "another manrs sync runs" in err,
              "lock: exit %d: %s" % (rc, err))

    # CAIDA Spoofer sessions (Data API JSON-LD) land as spoofer/sessions.json
    rc, err, _ = sync("--only", "spoofer", "--url",
                      "spoofer=%s/spoofer/sessions" % base)
    check(rc == 0 and os.path.exists(os.path.join(d, "spoofer",
                                                  "sessions.json")),
          "spoofer sessions: %d %s" % (rc, err))
    # ... and an HTML page there does not.
    rc, err, _ = sync("--only", "spoofer", "--url",
                      "spoofer=%s/wrongfmt/vrps.json" % base)
    check(rc == 1 and "spoofer/sessions.json: FAILED" in err,
          "spoofer wrong format: %d %s" % (rc, err))

    # The audit reads manrs.conf with sync's keys in it.
    r = subprocess.run([BIN, "audit", "3333", "--data", d, "--rib",
                        BVIEW], capture_output=True, text=True, timeout=300)
    check(r.returncode in (0, 5) and "unknown key" not in r.stderr,
          "audit with sync keys in manrs.conf: %d %s" % (r.returncode,
                                                         r.stderr[-500:]))
finally:
    stop.set()
    srv.shutdown()
    shutil.rmtree(tmp, ignore_errors=True)

if failures:
    print("%d failure(s)" % len(failures))
    sys.exit(1)
print("ok: every fault kept the last good file")
