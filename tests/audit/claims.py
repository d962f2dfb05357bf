#!/usr/bin/env python3
"""The audit's claims about AS174, AS702 and AS13657 on the shared data,
checked against an independent reading of the raw files.

Nothing here uses manrs to read data: the MRT RIB dumps (TABLE_DUMP_V2,
bzip2, cut short upstream) are decoded by the small reader below, the
RPSL route and aut-num dumps and ARIN's origin-AS JSON are parsed here,
and route origin validation (RFC 6811) is computed here from the
rpki-client JSON.  The audit (JSON) must then agree on:
  - the announced prefixes per family,
  - M7IRR matched/total (exact route objects, irr_covering = no),
  - M7RPKI valid/invalid/not-found (judged at the snapshot's build time,
    where every ROA of the file is in force),
  - M6 import/export line counts of the aut-num,
  - every route object and ROA an evidence line names exists in the
    files with that prefix, origin/ASN and source/maxLength, and every
    "no route object covers it" / "no ROA covers it" is true.
"""
import bz2
import collections
import gzip
import ipaddress
import json
import os
import struct
import subprocess
import sys

MANRS = os.environ.get('MANRS_BIN', 'manrs')
SHARED = os.environ.get('MANRS_SHARED_DATA', '../shared/data')
ASNS = [174, 702, 13657]
RIBS = ['mrt/rib.20140523.0600_firstMB.bz2',
        'mrt/rib6.20151101.0600_firstMB.bz2']
ROUTES = 'irr/ripe-nonauth.db.route.gz'
AUTNUMS = 'irr/ripe-nonauth.db.aut-num.gz'
ASSETS = 'irr/ripe.db.as-set.gz'
ARIN = 'irr/arin-whois-originas.json.bz2'
VRPS = 'rpki/json.gz'


def bz2_bytes(path):
    """All the bytes a (possibly truncated) bzip2 file decodes to."""
    d = bz2.BZ2Decompressor()
    out = []
    with open(path, 'rb') as f:
        while True:
            chunk = f.read(1 << 16)
            if not chunk:
                break
            try:
                out.append(d.decompress(chunk))
            except (EOFError, OSError):
                break
    return b''.join(out)


def mrt_pairs(path):
    """(prefix, origin) of every TABLE_DUMP_V2 RIB entry (RFC 6396 4.3)."""
    data = bz2_bytes(path)
    pairs = set()
    off = 0
    while off + 12 <= len(data):
        _, typ, sub, length = struct.unpack_from('>IHHI', data, off)
        body = data[off + 12:off + 12 + length]
        off += 12 + length
        if len(body) < length:
            break                       # cut short: the last record
        if typ != 13 or sub not in (2, 4):
            continue
        fam = 4 if sub == 2 else 6
        plen = body[4]
        nb = (plen + 7) // 8
        raw = body[5:5 + nb] + bytes((4 if fam == 4 else 16) - nb)
        net = ipaddress.ip_network((raw, plen))
        p = 5 + nb
        (count,) = struct.unpack_from('>H', body, p)
        p += 2
        for _ in range(count):
            _, _, alen = struct.unpack_from('>HIH', body, p)
            p += 8
            origin = as_path_origin(body[p:p + alen])
            p += alen
            if origin:
                pairs.add((net, origin))
    return pairs


def as_path_origin(attrs):
    """Last AS of the AS_PATH (four-octet), None when it ends in a set."""
    p = 0
    while p + 3 <= len(attrs):
        flags, typ = attrs[p], attrs[p + 1]
        if flags & 0x10:
            (alen,) = struct.unpack_from('>H', attrs, p + 2)
            p += 4
        else:
            alen = attrs[p + 2]
            p += 3
        val = attrs[p:p + alen]
        p += alen
        if typ != 2:
            continue
        q, origin = 0, None
        while q + 2 <= len(val):
            st, n = val[q], val[q + 1]
            asns = struct.unpack_from('>%dI' % n, val, q + 2)
            q += 2 + 4 * n
            if st == 2 and n:
                origin = asns[-1]
            elif st == 1:
                origin = None
        return origin
    return None


def rpsl_objects(path):
    """RPSL objects as lists of (attribute, value), continuation lines
    folded into their attribute."""
    obj = []
    with gzip.open(path, 'rt', encoding='utf-8', errors='replace') as f:
        for line in f:
            line = line.rstrip('\n')
            if not line.strip():
                if obj:
                    yield obj
                obj = []
                continue
            if line[0] in '#%':
                continue
            if line[0] in ' \t+' and obj:
                continue
            k, _, v = line.partition(':')
            obj.append((k.strip().lower(), v.strip()))
    if obj:
        yield obj


def route_objects():
    """(prefix, origin) -> set of sources, from both IRR files."""
    ro = collections.defaultdict(set)
    for obj in rpsl_objects(os.path.join(SHARED, ROUTES)):
        if obj[0][0] not in ('route', 'route6'):
            continue
        attrs = dict(obj)
        net = ipaddress.ip_network(obj[0][1].split()[0], strict=False)
        origin = int(attrs['origin'].upper().removeprefix('AS'))
        ro[(net, origin)].add('RIPE-NONAUTH')
    with bz2.open(os.path.join(SHARED, ARIN), 'rt') as f:
        doc = json.load(f)
    for fam in doc['whois_records'].values():
        for r in fam:
            for o in r.get('originas', '').split():
                if o.upper().startswith('AS') and o[2:].isdigit():
                    net = ipaddress.ip_network(r['prefix'], strict=False)
                    ro[(net, int(o[2:]))].add('ARIN')
    return ro


def autnum_lines(asn):
    for obj in rpsl_objects(os.path.join(SHARED, AUTNUMS)):
        if obj[0][0] == 'aut-num' and obj[0][1].upper() == f'AS{asn}':
            imp = sum(k in ('import', 'mp-import') for k, _ in obj)
            exp = sum(k in ('export', 'mp-export') for k, _ in obj)
            return imp, exp
    return None


def vrps():
    with gzip.open(os.path.join(SHARED, VRPS), 'rt') as f:
        doc = json.load(f)
    by = collections.defaultdict(list)
    for r in doc['roas']:
        asn = r['asn']
        asn = int(str(asn).upper().removeprefix('AS'))
        net = ipaddress.ip_network(r['prefix'], strict=False)
        by[(net.version, net.prefixlen, net)].append((r['maxLength'], asn))
    return by


def covering(net, index):
    """Every (network, value) of index covering net, shortest first."""
    for plen in range(net.prefixlen + 1):
        sup = net.supernet(new_prefix=plen)
        for v in index.get((net.version, plen, sup), ()):
            yield sup, v


def rov(net, origin, index):
    """RFC 6811: valid / invalid / not-found."""
    state = 'not-found'
    for _, (maxlen, asn) in covering(net, index):
        state = 'invalid'
        if asn == origin and asn != 0 and net.prefixlen <= maxlen:
            return 'valid'
    return state


def main():
    need = RIBS + [ROUTES, AUTNUMS, ASSETS, ARIN, VRPS]
    if not all(os.path.exists(os.path.join(SHARED, f)) for f in need):
        print(f'SKIP: shared data absent ({SHARED})')
        return 77
    pairs = set()
    for rib in RIBS:
        pairs |= mrt_pairs(os.path.join(SHARED, rib))
    ro = route_objects()
    ro_index = collections.defaultdict(list)
    for (net, origin), srcs in ro.items():
        for s in srcs:
            ro_index[(net.version, net.prefixlen, net)].append((origin, s))
    vi = vrps()

    args = [MANRS, 'audit', '--json', '--no-progress',
            '--vrps', os.path.join(SHARED, VRPS),
            '--source', 'RIPE-NONAUTH=' + ','.join(
                os.path.join(SHARED, f) for f in (ROUTES, AUTNUMS, ASSETS)),
            '--source', 'ARIN=' + os.path.join(SHARED, ARIN)]
    for rib in RIBS:
        args += ['--rib', os.path.join(SHARED, rib)]
    a = subprocess.run(args + [str(x) for x in ASNS], capture_output=True,
                       text=True, timeout=600)
    if a.returncode != 0:
        print(f'FAIL: manrs audit: rc {a.returncode}: {a.stderr[-2000:]}')
        return 1
    failed = checks = 0

    def check(ok, what):
        nonlocal failed, checks
        checks += 1
        if not ok:
            failed += 1
            print(f'FAIL: {what}')

    docs = [json.loads(x) for x in a.stdout.splitlines()]
    check([d['asn'] for d in docs] == ASNS, 'one report per AS, in order')
    for d in docs:
        asn = d['asn']
        mine = sorted((n for n, o in pairs if o == asn),
                      key=lambda n: (n.version, n))
        v4 = sum(n.version == 4 for n in mine)
        v6 = len(mine) - v4
        check((d['announced']['ipv4'], d['announced']['ipv6']) == (v4, v6),
              f'AS{asn} announced {d["announced"]}, files say {v4}/{v6}')
        matched = sum(bool(ro.get((n, asn))) for n in mine)
        m = d['metrics']['M7IRR']
        check((m['matched'], m['total']) == (matched, len(mine)),
              f'AS{asn} M7IRR {m["matched"]}/{m["total"]}, files say '
              f'{matched}/{len(mine)}')
        states = collections.Counter(rov(n, asn, vi) for n in mine)
        m = d['metrics']['M7RPKI']
        got = (m['valid'], m['invalid'], m['not_found'])
        want = (states['valid'], states['invalid'], states['not-found'])
        check(got == want, f'AS{asn} M7RPKI {got}, files say {want}')
        lines = autnum_lines(asn)
        m6 = d['metrics']['M6']
        if lines is None:
            check(m6['value'] == 0, f'AS{asn} has no aut-num, M6 {m6}')
        else:
            check(m6['policy_lines'] == sum(lines),
                  f'AS{asn} M6 {m6["policy_lines"]} lines, aut-num has '
                  f'{lines}')
            ev = [e['text'] for e in d['evidence'] if e['metric'] == 'M6']
            check(any(f'{lines[0]} import and {lines[1]} export' in t
                      for t in ev), f'AS{asn} M6 evidence {ev}')
        for e in d['evidence']:
            if 'prefix' not in e or e['kind'] not in ('route', 'incident'):
                continue
            net = ipaddress.ip_network(e['prefix'])
            if 'route_object' in e:
                r = e['route_object']
                rnet = ipaddress.ip_network(r['prefix'])
                check(r['source'] in ro.get((rnet, r['origin']), ()),
                      f'AS{asn} {net}: route object {r} not in the files')
                check(rnet.version == net.version and
                      net.subnet_of(rnet),
                      f'AS{asn} {net}: route object {r} does not cover it')
            if 'other origins only' in e['text']:
                check(not any(o == asn for _, (o, _) in
                              covering(net, ro_index)),
                      f'AS{asn} {net}: "other origins only" but a '
                      'covering object has this origin')
            if 'route_object' in e:
                pass
            elif 'IRR no route object covers it' in e['text']:
                check(not list(covering(net, ro_index)),
                      f'AS{asn} {net}: "no route object" but one covers it')
            if 'roa' in e:
                r = e['roa']
                rnet = ipaddress.ip_network(r['prefix'])
                check((r['max_length'], r['asn']) in
                      vi.get((rnet.version, rnet.prefixlen, rnet), ()),
                      f'AS{asn} {net}: ROA {r} not in the file')
            elif 'no ROA covers it' in e['text']:
                check(not list(covering(net, vi)),
                      f'AS{asn} {net}: "no ROA covers it" but one does')
    print(f'{checks - failed} passed, {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
