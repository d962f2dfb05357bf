#!/usr/bin/env python3
"""File descriptor exhaustion against manrs rtrd and irrd (daemon layer).

1. Started under "prlimit --nofile=128:128" with --max-clients 4096, the
   daemon fits the cap below the limit and says so in its log.
2. The live limit is then cut to 48 (prlimit --pid) and 150 clients
   connect: accept() fails with EMFILE.  The daemon must not spin: over
   3 s it uses < 0.5 s of CPU and writes < 4 KiB of log (before the fix:
   a core at 100 % and megabytes of "Error from accept() call").
3. The clients leave: the daemon serves again, and /metrics counts the
   accept pauses.
"""
import os
import shutil
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import daemon_lib as L  # noqa: E402

if shutil.which("prlimit") is None:
    L.skip("prlimit not installed")


def serve_ok(kind, d):
    if kind == "rtrd":
        p = L.rtr_sync(d["port"], timeout=10)
        return p is not None and p[-1][1] == 7
    a = L.whois(d["port"], b"!gAS65000\n", 10)
    return a.startswith(b"A")


def run(kind, args):
    # --user root: "prlimit --pid" needs the same uid (or CAP_SYS_RESOURCE,
    # which containers often lack); the layer is the same either way
    d = L.start(kind, args + ["--user", "root", "--listen", "127.0.0.1:0",
                              "--metrics",
                              "127.0.0.1:0", "--max-clients", "4096"],
                prlimit=128)
    if "lowered to" not in L.log_text(d):
        L.fail("%s: --max-clients not fitted below RLIMIT_NOFILE 128"
               % kind, d)
    cap = L.metric(d, L.mname(kind, "max_clients"))
    if cap is None or cap >= 128:
        L.fail("%s: max_clients metric %r not below 128" % (kind, cap), d)
    print("ok: %s: --max-clients 4096 fitted to %d under nofile 128"
          % (kind, cap))

    subprocess.run(["prlimit", "--pid", str(d["pid"]), "--nofile=48:48"],
                   check=True, timeout=10)
    held = []
    for _ in range(150):
        s = socket.socket()
        s.setblocking(False)
        try:
            s.connect(("127.0.0.1", d["port"]))
        except BlockingIOError:
            pass
        held.append(s)
    time.sleep(1.0)
    size0 = os.path.getsize(d["log"])
    cpu0 = L.cpu_seconds(d["pid"])
    time.sleep(3.0)
    cpu = L.cpu_seconds(d["pid"]) - cpu0
    grew = os.path.getsize(d["log"]) - size0
    if d["proc"].poll() is not None:
        L.fail("%s died under EMFILE" % kind, d)
    if cpu >= 0.5:
        L.fail("%s: %.2f s CPU in 3 s at EMFILE (spinning)" % (kind, cpu),
               d)
    if grew >= 4096:
        L.fail("%s: log grew %d bytes in 3 s at EMFILE" % (kind, grew), d)
    if "EMFILE" not in L.log_text(d) and \
            "Too many open files" not in L.log_text(d):
        L.fail("%s: EMFILE not reported in the log" % kind, d)
    print("ok: %s: at EMFILE %.2f s CPU and %d bytes of log in 3 s"
          % (kind, cpu, grew))

    for s in held:
        s.close()
    t0 = time.time()
    while not serve_ok(kind, d):
        if time.time() - t0 > 20:
            L.fail("%s does not serve after the clients left" % kind, d)
        time.sleep(0.5)
    pauses = L.metric(d, L.mname(kind, "accept_pauses_total"))
    if not pauses:
        L.fail("%s: accept pauses not counted (%r)" % (kind, pauses), d)
    print("ok: %s serves again after the clients left (%d accept pauses)"
          % (kind, pauses))
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
