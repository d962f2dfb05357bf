#!/usr/bin/env python3
"""SIGHUP during a reload, and failed reloads retried with backoff
(manrs rtrd and irrd, daemon layer).

1. A SIGHUP arrives while the reload of another runs: it is queued, not
   dropped: two reloads run (log "queued", reloads_queued_total 1, the
   reload counters grow by 2).  Before the fix irrd logged "reload
   already running" and dropped it; neither daemon counted it.
2. The file turns to garbage and a SIGHUP asks for a reload: it fails,
   the old data keeps being served, and the retry backs off (1 s, 2 s,
   4 s ...: reload_retries_total >= 2 after 4 s, the log says why and
   when).  The file is repaired: the next retry installs it.  (rtrd;
   irrd chooses which of its failures to retry.)
"""
import os
import shutil
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import daemon_lib as L  # noqa: E402


def reloads(d, kind):
    return sum(L.metric(d, L.mname(kind, 'reloads_total{result="%s"}' % r))
               or 0 for r in ("changed", "unchanged", "failed"))


def wait_for(what, cond, d, limit=60):
    t0 = time.time()
    while not cond():
        if time.time() - t0 > limit:
            L.fail(what, d)
        time.sleep(0.02)


def run(kind, args, path, garbage):
    d = L.start(kind, args + ["--listen", "127.0.0.1:0", "--metrics",
                              "127.0.0.1:0"])
    n0 = reloads(d, kind)
    running = L.mname(kind, "reload_running")
    d["proc"].send_signal(signal.SIGHUP)
    wait_for("%s: SIGHUP started no reload" % kind,
             lambda: L.metric(d, running) == 1 or reloads(d, kind) > n0, d)
    d["proc"].send_signal(signal.SIGHUP)
    if L.metric(d, running) != 1:
        L.fail("%s: the first reload ended before the second SIGHUP: "
               "test data too small to overlap" % kind, d)
    wait_for("%s: two SIGHUPs did not give two reloads" % kind,
             lambda: reloads(d, kind) >= n0 + 2, d)
    q = L.metric(d, L.mname(kind, "reloads_queued_total"))
    if q != 1 or "queued" not in L.log_text(d):
        L.fail("%s: the SIGHUP during a reload was not queued (%r)"
               % (kind, q), d)
    print("ok: %s: a SIGHUP during a reload is queued: %d reloads ran"
          % (kind, reloads(d, kind) - n0))
    if garbage is None:
        L.stop(d)
        return

    # a failed reload: old data kept, retried with backoff
    good = path + ".good"
    shutil.copy(path, good)
    with open(path + ".tmp", "w") as f:
        f.write(garbage)
    os.rename(path + ".tmp", path)
    d["proc"].send_signal(signal.SIGHUP)
    retries = L.mname(kind, "reload_retries_total")
    wait_for("%s: a failed reload is not retried" % kind,
             lambda: (L.metric(d, retries) or 0) >= 1, d, 20)
    t1 = time.time()
    wait_for("%s: no second retry" % kind,
             lambda: (L.metric(d, retries) or 0) >= 2, d, 20)
    if time.time() - t1 < 0.5:
        L.fail("%s: retries do not back off" % kind, d)
    backoff = L.metric(d, L.mname(kind, "reload_backoff_seconds"))
    if not backoff or backoff < 2:
        L.fail("%s: backoff %r after two retries" % (kind, backoff), d)
    if "failed, old data kept; retrying in" not in L.log_text(d):
        L.fail("%s: the log does not say when it retries" % kind, d)
    if L.metric(d, L.mname(kind, "last_reload_success")) != 0:
        L.fail("%s: failed reload not reported" % kind, d)
    os.rename(good, path)
    wait_for("%s: the repaired file is not picked up by a retry" % kind,
             lambda: L.metric(d, L.mname(kind, "last_reload_success")) == 1,
             d, 30)
    print("ok: %s: a failed reload keeps the data and is retried with "
          "backoff (%d s after two tries), then succeeds" % (kind, backoff))
    L.stop(d)


vrps = os.path.join(L.TMP, "vrps.json")
L.gen_vrps(vrps, v4=200000, v6=50000)
run("rtrd", ["--vrps", vrps, "--no-watch"], vrps, "{ not json")
if L.on_layer("irrd"):
    rpsl = os.path.join(L.TMP, "test.db")
    L.gen_rpsl(rpsl, routes=100000)
    # (irrd decides itself which failed reloads to retry)
    run("irrd", ["--source", "TEST=" + rpsl], rpsl, None)
else:
    print("note: irrd is not on the daemon layer yet: rtrd only")
