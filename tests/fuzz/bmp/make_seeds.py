#!/usr/bin/env python3
"""make_seeds.py - build the bmp fuzz seeds (corpus/) and BMP stream files.

Route Monitoring seeds wrap real BGP UPDATEs taken from MRT update files
(BGP4MP / BGP4MP_ET MESSAGE and MESSAGE_AS4 records) in a BMP per-peer
header with the record's peer address, AS and time, as a router's BMP
client would send them (RFC 7854 section 4.6).  The remaining seeds are
one message of every other type.

usage: make_seeds.py MRTDIR OUTDIR         (fuzz seeds)
       make_seeds.py --stream MRTFILE OUT  (a BMP byte stream of a file)
Each seed file starts with the fuzz target's chunk-size byte.
"""
import gzip
import struct
import sys

BGP_MARKER = b"\xff" * 16


def bmp(mtype, body):
    return struct.pack(">BIB", 3, 6 + len(body), mtype) + body


def peer_hdr(ptype, flags, addr, asn, bgp_id, ts, usec=0):
    if len(addr) == 16:
        flags |= 0x80
        a = addr
    else:
        a = b"\0" * 12 + addr
    return struct.pack(">BB8s16sI4sII", ptype, flags, b"\0" * 8, a, asn,
                       bgp_id, ts, usec)


def bgp_open(asn, bgp_id):
    opt = b""
    body = struct.pack(">BHH4sB", 4, asn if asn < 65536 else 23456, 90,
                       bgp_id, len(opt)) + opt
    return BGP_MARKER + struct.pack(">HB", 19 + len(body), 1) + body


def tlv(t, v):
    return struct.pack(">HH", t, len(v)) + v


def mrt_updates(path, limit):
    """Yield (ts, usec, peer_as, peer_addr, asn_size, bgp_msg)."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    off = 0
    n = 0
    while off + 12 <= len(data) and n < limit:
        ts, typ, sub, ln = struct.unpack_from(">IHHI", data, off)
        body = data[off + 12:off + 12 + ln]
        off += 12 + ln
        usec = 0
        if typ == 17:
            usec = struct.unpack_from(">I", body, 0)[0]
            body = body[4:]
        elif typ != 16:
            continue
        if sub in (1, 4):
            asz = 2 if sub == 1 else 4
            if asz == 2:
                pas, _las, _if, afi = struct.unpack_from(">HHHH", body, 0)
                p = 8
            else:
                pas, _las, _if, afi = struct.unpack_from(">IIHH", body, 0)
                p = 12
            alen = 4 if afi == 1 else 16
            paddr = body[p:p + alen]
            p += 2 * alen
            msg = body[p:]
            if len(msg) < 19 or msg[18] != 2:
                continue
            n += 1
            yield ts, usec, pas, paddr, asz, msg


def stream(path, out):
    """The whole update file as one BMP session: initiation, a peer up
    for each peer at its first message, route monitoring, termination."""
    seen = set()
    with open(out, "wb") as f:
        f.write(bmp(4, tlv(1, b"manrs make_seeds") + tlv(2, b"replay")))
        for ts, usec, pas, paddr, asz, msg in mrt_updates(path, 1 << 30):
            flags = 0x20 if asz == 2 else 0
            ph = peer_hdr(0, flags, paddr, pas, b"\x0a\0\0\x01", ts, usec)
            if (paddr, pas) not in seen:
                seen.add((paddr, pas))
                la = b"\0" * 16
                f.write(bmp(3, ph + la + struct.pack(">HH", 179, 40000) +
                            bgp_open(64496, b"\x0a\0\0\x02") +
                            bgp_open(pas, b"\x0a\0\0\x01")))
            f.write(bmp(0, ph + msg))
        f.write(bmp(5, tlv(1, b"\0\0")))


def seeds(mrtdir, outdir):
    files = ["updates.20160811.1600.gz", "updates.et-header.2015.gz",
             "updates.20070211.0141.gz", "updates.20020722.2238.gz"]
    k = 0
    for name in files:
        for i, (ts, usec, pas, paddr, asz, msg) in enumerate(
                mrt_updates(mrtdir + "/" + name, 6)):
            flags = 0x20 if asz == 2 else 0
            ptype = 0
            if i == 1:
                flags |= 0x40          # post-policy
            if i == 2:
                flags |= 0x10          # Adj-RIB-Out (RFC 8671)
            if i == 3:
                ptype, flags, paddr = 3, 0, b"\0" * 4  # Loc-RIB
            if asz == 2 and ptype == 3:
                continue
            ph = peer_hdr(ptype, flags, paddr, pas, b"\x0a\0\0\x01", ts,
                          usec)
            m = bmp(0, ph + msg)
            with open("%s/rm-%s-%d" % (outdir, name.split(".gz")[0], i),
                      "wb") as f:
                f.write(bytes([k % 256]) + m)
            k += 37
    ph = peer_hdr(0, 0, b"\xc0\x00\x02\x01", 64500, b"\x0a\0\0\x01",
                  1700000000)
    other = {
        "initiation": bmp(4, tlv(0, b"hello") + tlv(1, b"FRRouting 8.4")
                          + tlv(2, b"r1")),
        "termination": bmp(5, tlv(0, b"bye") + tlv(1, b"\0\1")),
        "peer-up": bmp(3, ph + b"\0" * 12 + b"\xc0\x00\x02\x02" +
                       struct.pack(">HH", 179, 50000) +
                       bgp_open(64496, b"\x0a\0\0\x02") +
                       bgp_open(64500, b"\x0a\0\0\x01") +
                       tlv(3, b"vrf-red")),
        "peer-down-fsm": bmp(2, ph + b"\x02\x00\x05"),
        "peer-down-notify": bmp(2, ph + b"\x01" + BGP_MARKER +
                                struct.pack(">HBBB", 21, 3, 6, 2)),
        "peer-down-nodata": bmp(2, ph + b"\x04"),
        "stats": bmp(1, ph + struct.pack(">I", 2) + tlv(0, b"\0\0\0\5") +
                     tlv(7, b"\0\0\0\0\0\0\1\0")),
    }
    for name, m in other.items():
        with open("%s/%s" % (outdir, name), "wb") as f:
            f.write(b"\x00" + m)
    # a stream: every message type back to back, fed in 8-byte chunks
    with open("%s/stream-all" % outdir, "wb") as f:
        f.write(b"\x01" + b"".join(other.values()))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--stream":
        stream(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 3:
        seeds(sys.argv[1], sys.argv[2])
    else:
        sys.exit(__doc__)
