#!/usr/bin/env python3
"""URL sources of the daemons, on the fetcher of manrs sync: `manrs rtrd
--vrps https://...` and `manrs irrd --source NAME=https://...` against
Debian's nginx on loopback (HTTPS, a CA made here with openssl, nginx
started unprivileged on an ephemeral port).

- both load from nginx at start (as the unprivileged user, under their
  seccomp filter: the fetch runs after the privilege drop);
- they refresh with conditional requests: nginx answers 304 to requests
  carrying If-None-Match, the served data stays;
- a changed file is fetched and served (more VRPs, one more route);
- a refresh that fails (404) keeps the last good data, says why in the
  log and counts in /metrics (PREFIX_fetch_total{result="failed"});
- a URL that cannot be fetched at start is a failed start;
- SIGTERM: exit 0.
"""
import json
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import daemon_lib as L  # noqa: E402

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
for tool in (NGINX, "openssl"):
    if not (os.path.exists(tool) or shutil.which(tool)):
        L.skip("%s not installed (scripts/bootstrap)" % tool)
if not L.on_layer("rtrd") or not L.on_layer("irrd"):
    L.skip("the daemons are not on the daemon layer")

T = L.TMP
W = os.path.join(T, "www")
os.makedirs(os.path.join(W, "rpki"))
os.makedirs(os.path.join(W, "irr"))
NG = os.path.join(T, "ng")
os.makedirs(os.path.join(NG, "logs"))
os.makedirs(os.path.join(NG, "tmp"))


def write_vrps(n):
    doc = {"metadata": {"buildtime": time.strftime(
        "%Y-%m-%dT%H:%M:%SZ", time.gmtime())},
        "roas": [{"asn": "AS%d" % (64500 + i), "prefix": "10.%d.0.0/16" % i,
                  "maxLength": 24, "ta": "test"} for i in range(n)]}
    tmp = os.path.join(W, "rpki", ".vrps.json")
    with open(tmp, "w") as f:
        json.dump(doc, f)
    os.rename(tmp, os.path.join(W, "rpki", "vrps.json"))


def write_rpsl(n):
    tmp = os.path.join(W, "irr", ".test.db")
    with open(tmp, "w") as f:
        for i in range(n):
            f.write("route: 192.0.%d.0/24\norigin: AS65000\nsource: TEST"
                    "\n\n" % i)
    os.rename(tmp, os.path.join(W, "irr", "test.db"))


def sh(*cmd):
    subprocess.run(cmd, check=True, capture_output=True, timeout=60)


# A test CA and the server's certificate for 127.0.0.1.
ca, cakey = os.path.join(T, "ca.pem"), os.path.join(T, "ca.key")
sh("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
   "-subj", "/CN=manrs test CA", "-keyout", cakey, "-out", ca)
sh("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
   "-keyout", os.path.join(T, "srv.key"), "-out", os.path.join(T, "srv.csr"))
with open(os.path.join(T, "ext.cnf"), "w") as f:
    f.write("subjectAltName=IP:127.0.0.1\n")
sh("openssl", "x509", "-req", "-in", os.path.join(T, "srv.csr"), "-CA", ca,
   "-CAkey", cakey, "-CAcreateserial", "-days", "2", "-extfile",
   os.path.join(T, "ext.cnf"), "-out", os.path.join(T, "srv.pem"))
write_vrps(20)
write_rpsl(2)

s = __import__("socket").socket()
s.bind(("127.0.0.1", 0))
port = s.getsockname()[1]
s.close()
with open(os.path.join(NG, "nginx.conf"), "w") as f:
    f.write("""daemon off;
master_process off;
worker_processes 1;
pid %(ng)s/nginx.pid;
error_log %(ng)s/logs/error.log warn;
events { worker_connections 64; }
http {
	client_body_temp_path %(ng)s/tmp/body;
	proxy_temp_path %(ng)s/tmp/proxy;
	fastcgi_temp_path %(ng)s/tmp/fastcgi;
	uwsgi_temp_path %(ng)s/tmp/uwsgi;
	scgi_temp_path %(ng)s/tmp/scgi;
	log_format sync '$status "$request" inm="$http_if_none_match"';
	access_log %(ng)s/logs/access.log sync;
	server {
		listen 127.0.0.1:%(port)d ssl http2;
		ssl_certificate %(t)s/srv.pem;
		ssl_certificate_key %(t)s/srv.key;
		root %(w)s;
		default_type application/octet-stream;
	}
}
""" % {"ng": NG, "port": port, "t": T, "w": W})
for dirpath, dirs, files in os.walk(T):
    for n in dirs + files:
        os.chmod(os.path.join(dirpath, n), 0o755 if n in dirs else 0o644)
cmd = [NGINX, "-p", NG, "-c", os.path.join(NG, "nginx.conf"), "-e",
       os.path.join(NG, "logs", "error.log")]
if os.geteuid() == 0:
    subprocess.run(["chown", "-R", "nobody", NG], check=True)
    cmd = ["setpriv", "--reuid=nobody", "--regid=nogroup",
           "--clear-groups"] + cmd
ng = subprocess.Popen(cmd, stderr=subprocess.DEVNULL)
L.PROCS.append(ng)
base = "https://127.0.0.1:%d" % port
for _ in range(100):
    r = subprocess.run(["curl", "-s", "--cacert", ca, "-o", "/dev/null",
                        base + "/rpki/vrps.json"])
    if r.returncode == 0:
        break
    time.sleep(0.1)
else:
    L.fail("nginx did not start")
ACCESS = os.path.join(NG, "logs", "access.log")


def access(path):
    with open(ACCESS) as f:
        return [l for l in f if ('"GET %s ' % path) in l]


def wait(what, cond, d=None, secs=30):
    deadline = time.time() + secs
    while time.time() < deadline:
        if cond():
            return
        time.sleep(0.2)
    L.fail("timed out: " + what, d)


vrps_url = base + "/rpki/vrps.json"
rpsl_url = base + "/irr/test.db"
rtrd = L.start("rtrd", ["--listen", "127.0.0.1:0", "--metrics",
                        "127.0.0.1:0", "--vrps", vrps_url, "--cacert", ca,
                        "--reload-interval", "1"])
irrd = L.start("irrd", ["--listen", "127.0.0.1:0", "--metrics",
                        "127.0.0.1:0", "--source", "TEST=" + rpsl_url,
                        "--cacert", ca, "--refresh", "1", "--workers", "0"])


def vrps():
    return L.metric(rtrd, 'manrs_rtr_vrps{af="ipv4"}')


def routes():
    return L.whois(irrd["port"], b"!gAS65000\n").decode(errors="replace")


def fetches(d, result):
    return L.metric(d, '%s_fetch_total{source="127.0.0.1:%d/%s",'
                    'result="%s"}' % (L.PREFIX[d["kind"]], port,
                                      "rpki/vrps.json" if d is rtrd else
                                      "irr/test.db", result)) or 0


# Loaded at start from nginx.
if vrps() != 20:
    L.fail("rtrd serves %r VRPs, want 20" % vrps(), rtrd)
if "192.0.1.0/24" not in routes():
    L.fail("irrd: !gAS65000 = %r" % routes(), irrd)
print("ok: rtrd and irrd loaded from https://127.0.0.1:%d" % port)

# Refreshed with conditional requests: 304s, data unchanged.
wait("304 for both", lambda: fetches(rtrd, "not_modified") >= 2 and
     fetches(irrd, "not_modified") >= 2, rtrd)
for p in ("/rpki/vrps.json", "/irr/test.db"):
    lines = access(p)
    if not any(l.startswith("304 ") and 'inm=""' not in l for l in lines):
        L.fail("no conditional 304 for %s: %r" % (p, lines[-3:]))
    if not all(" HTTP/2.0\" " in l for l in lines):
        L.fail("not HTTP/2: %r" % lines[:2])
print("ok: refreshes are conditional (nginx 304 with If-None-Match)")

# A changed file is fetched and served.
write_vrps(25)
write_rpsl(3)
wait("rtrd serves the new file", lambda: vrps() == 25, rtrd)
wait("irrd serves the new file", lambda: "192.0.2.0/24" in routes(), irrd)
print("ok: a changed file is fetched and served")

# A failing refresh keeps the last good data, logs and counts it.
os.unlink(os.path.join(W, "rpki", "vrps.json"))
os.unlink(os.path.join(W, "irr", "test.db"))
wait("failed fetches counted", lambda: fetches(rtrd, "failed") >= 1 and
     fetches(irrd, "failed") >= 1, rtrd)
time.sleep(1.5)
if vrps() != 25 or "192.0.2.0/24" not in routes():
    L.fail("data lost after a failed refresh: %r %r" % (vrps(), routes()))
for d in (rtrd, irrd):
    if "HTTP 404; keeping the last good data" not in L.log_text(d):
        L.fail("%s does not say why the refresh failed" % d["kind"], d)
print("ok: a failed refresh keeps the data, says why, counts it")

L.stop(rtrd)
L.stop(irrd)

# Nothing to serve at start: a failed start.
p = subprocess.run([L.BIN, "rtrd", "--listen", "127.0.0.1:0", "--vrps",
                    vrps_url, "--cacert", ca], capture_output=True,
                   text=True, timeout=60)
if p.returncode == 0 or "404" not in p.stderr:
    L.fail("rtrd started without its URL source: %d %s" % (p.returncode,
                                                          p.stderr[-500:]))
print("ok: a URL source that cannot be fetched at start fails the start")
