#!/usr/bin/env python3
"""manrs monitor --ris-live ws://...: a RIS Live websocket test server on
127.0.0.1 (python3-websockets) replays the messages built from the real
RIS update file ../shared/data/mrt/updates.20160811.1600.gz (the same
ones monitor_rislive.sh pipes in) and the client must give exactly the
alerts of the MRT replay of that file.  The server also checks the
client's side of the protocol: the "ris_subscribe" messages (peer state,
each monitored prefix with more- and less-specifics) before any data,
and the reconnection with backoff: connection 1 carries the first half
and closes, connection 2 closes at once (no message: the wait doubles),
connection 3 the second half, connection 4 ends the test.  Every wait
is bounded; the monitor is killed on the way out."""
import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

try:
    import websockets
except ImportError:
    # Debian's python3-websockets lives with /usr/bin/python3
    if sys.executable != "/usr/bin/python3" and \
            os.access("/usr/bin/python3", os.X_OK) and \
            not os.environ.get("MONITOR_WS_REEXEC"):
        os.environ["MONITOR_WS_REEXEC"] = "1"
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    print("skip: no python3 websockets module (python3-websockets)")
    sys.exit(77)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import monitor_rislive_msgs  # noqa: E402

M = os.environ.get("MANRS_BIN", "manrs")
U = os.path.join(os.environ.get("MANRS_SHARED_DATA", ""), "mrt",
                 "updates.20160811.1600.gz")
PYML = """93.181.192.0/19:
  description: planted wrong origin
  asn: 64496
  ignoreMorespecifics: false
  ignore: false
200.12.26.0/24:
  description: correctly configured
  asn: 7004
  ignoreMorespecifics: false
  ignore: false
10.0.0.0/8:
  description: ignored, so not subscribed
  asn: 64497
  ignore: true
options:
  monitorASns:
    '13118':
      group: default
"""
NSUB = 4        # peer state, two prefixes, one AS
fails = []


def bad(msg):
    print("FAIL: " + msg)
    fails.append(msg)


def strip(lines):
    return sorted(re.sub(r'"time":"[^"]*",', "", x) for x in lines if x)


class Server:
    def __init__(self, halves):
        self.halves = halves
        self.conns = 0
        self.subs = []
        self.done = asyncio.Event()

    async def handler(self, ws, path=None):
        self.conns += 1
        n = self.conns
        if n >= 4:
            self.done.set()
            await ws.wait_closed()
            return
        subs = []
        try:
            while len(subs) < NSUB:
                subs.append(json.loads(
                    await asyncio.wait_for(ws.recv(), 10)))
        except Exception as e:
            bad("connection %d: subscriptions: %r (%d got)" %
                (n, e, len(subs)))
            self.done.set()
            return
        self.subs.append(subs)
        if n == 1:
            for m in self.halves[0]:
                await ws.send(m)
        elif n == 3:
            for m in self.halves[1]:
                await ws.send(m)
        await ws.close()


async def run(msgs, tmp):
    half = len(msgs) // 2
    srv = Server((msgs[:half], msgs[half:]))
    async with websockets.serve(srv.handler, "127.0.0.1", 0,
                                max_size=2 ** 20) as ws_srv:
        port = ws_srv.sockets[0].getsockname()[1]
        out = open(os.path.join(tmp, "ws.out"), "w")
        err = open(os.path.join(tmp, "ws.err"), "w")
        p = subprocess.Popen([M, "monitor", "--prefixes",
                              os.path.join(tmp, "p.yml"), "--json",
                              "--ris-live",
                              "ws://127.0.0.1:%d/v1/ws/" % port],
                             stdout=out, stderr=err)
        try:
            await asyncio.wait_for(srv.done.wait(), 90)
        except asyncio.TimeoutError:
            bad("no 4th connection within 90 s (%d)" % srv.conns)
        finally:
            p.send_signal(signal.SIGTERM)
            try:
                rc = await asyncio.get_running_loop().run_in_executor(
                    None, lambda: p.wait(15))
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
                rc = "killed"
            out.close()
            err.close()
    return srv, rc


def main():
    if not os.access(U, os.R_OK):
        print("skip: no " + U)
        return 77
    tmp = tempfile.mkdtemp()
    try:
        with open(os.path.join(tmp, "p.yml"), "w") as f:
            f.write(PYML)
        mrt = subprocess.run([M, "mrt", "-m", U], capture_output=True,
                             text=True, timeout=300)
        msgs = list(monitor_rislive_msgs.convert(
            mrt.stdout.splitlines()))
        if len(msgs) < 40000:
            bad("only %d messages built" % len(msgs))
        ref = subprocess.run([M, "monitor", "--prefixes",
                              os.path.join(tmp, "p.yml"), "--mrt", U,
                              "--json"], capture_output=True, text=True,
                             timeout=300)
        srv, rc = asyncio.run(run(msgs, tmp))
        got = open(os.path.join(tmp, "ws.out")).read().splitlines()
        err = open(os.path.join(tmp, "ws.err")).read()
        if rc != 0:
            bad("monitor exit %r after SIGTERM: %s" % (rc, err[-500:]))
        if srv.conns != 4:
            bad("%d connections, not 4" % srv.conns)
        if not any('"type":"hijack","resolved":false,"repeat":false,'
                   '"prefix":"93.181.192.0/19","origin":13118' in x
                   for x in got):
            bad("no hijack naming AS13118: %r" % got[:3])
        if strip(got) != strip(ref.stdout.splitlines()):
            bad("websocket and MRT replay differ:\n%s\n---\n%s" %
                ("\n".join(strip(got))[:800],
                 "\n".join(strip(ref.stdout.splitlines()))[:800]))
        for i, subs in enumerate(srv.subs):
            want = [{"type": "ris_subscribe",
                     "data": {"type": "RIS_PEER_STATE"}}]
            for p in ("93.181.192.0/19", "200.12.26.0/24"):
                want.append({"type": "ris_subscribe", "data": {
                    "type": "UPDATE", "prefix": p, "moreSpecific": True,
                    "lessSpecific": True,
                    "socketOptions": {"includeRaw": False}}})
            want.append({"type": "ris_subscribe", "data": {
                "type": "UPDATE", "path": "13118",
                "socketOptions": {"includeRaw": False}}})
            if subs != want:
                bad("connection %d subscriptions: %r" % (i + 1, subs))
        # backoff: 1 s after the first close, 2 s after an empty
        # connection, back to 1 s once messages flowed again
        waits = re.findall(r"reconnecting in (\d+) s", err)
        if waits[:3] != ["1", "2", "1"]:
            bad("reconnection waits %r, not 1 2 1" % waits)
    finally:
        subprocess.run(["rm", "-rf", tmp])
    if fails:
        return 1
    print("ok: monitor ris-live websocket")
    return 0


if __name__ == "__main__":
    sys.exit(main())
