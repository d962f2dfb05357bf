#!/usr/bin/env python3
"""RIS Live messages from "manrs mrt -m" lines on stdin, one a line on
stdout: the websocket envelope {"type": "ris_message", "data": {...}} of
each announcement, withdrawal and peer state change as RIS Live sends it
(https://ris-live.ripe.net/manual/).  Shared by monitor_rislive.sh (the
stdin path) and monitor_rislive_ws.py (the websocket client)."""
import json
import sys


def convert(lines):
    for line in lines:
        f = line.rstrip("\n").split("|")
        if len(f) < 6:
            continue
        d = {"timestamp": float(f[1]), "peer": f[3], "peer_asn": f[4],
             "host": "rrc00", "id": "x"}
        if f[2] == "STATE":
            d["type"] = "RIS_PEER_STATE"
            d["state"] = "connected" if f[6] == "6" else "down"
        elif f[2] == "W":
            d["type"] = "UPDATE"
            d["withdrawals"] = [f[5]]
        elif f[2] == "A":
            path = []
            for tok in f[6].split():
                if tok.startswith("{"):
                    path.append([int(x) for x in tok.strip("{}").split(",")])
                else:
                    path.append(int(tok))
            d["type"] = "UPDATE"
            d["path"] = path
            d["announcements"] = [{"next_hop": f[8], "prefixes": [f[5]]}]
        else:
            continue
        yield json.dumps({"type": "ris_message", "data": d})


if __name__ == "__main__":
    for m in convert(sys.stdin):
        print(m)
