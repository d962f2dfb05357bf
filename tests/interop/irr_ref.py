#!/usr/bin/env python3
"""irr_ref.py - an independent reference expander for the IRR interop
tests (tests/interop/bgpq4_irrd.sh, bgpq3_irrd.sh).

It shares no code with manrs: it reads the same RPSL dumps (and the ARIN
origin-AS JSON) with Python, resolves as-sets across sources in priority
order (first source defining a set wins, as IRRd 4 does), expands them
recursively (members, mp-members; loops ignored) and collects the
route/route6 prefixes of every ASN from all sources.

usage: irr_ref.py OUTDIR SET[,SET...] NAME=FILE[,FILE] ...
Writes OUTDIR/sets (one set per line) and for each set S:
  S.asns          sorted ASNs, one per line
  S.v4 / S.v6     sorted prefixes of all ASNs (what "!a4"/"!a6" gives)
  S.v4ns / S.v6ns the same without the ASNs bgpq3 skips
"""
import bz2, gzip, ipaddress, json, os, re, sys


def opener(path):
    with open(path, 'rb') as f:
        magic = f.read(3)
    if magic[:2] == b'\x1f\x8b':
        return gzip.open(path, 'rt', encoding='utf-8', errors='replace')
    if magic == b'BZh':
        return bz2.open(path, 'rt', encoding='utf-8', errors='replace')
    return open(path, 'rt', encoding='utf-8', errors='replace')


def objects(path):
    attrs = []
    for line in opener(path):
        line = line.rstrip('\n').rstrip('\r')
        if not line.strip():
            if attrs:
                yield attrs
            attrs = []
            continue
        if not attrs and line[0] in '%#':
            continue
        if line[0] == '#':
            continue
        if line[0] in ' \t+':
            if attrs:
                attrs[-1][1] += ' ' + line[1:].split('#', 1)[0].strip()
            continue
        if ':' not in line:
            attrs = [['bad', '']]
            continue
        k, v = line.split(':', 1)
        attrs.append([k.strip().lower(), v.split('#', 1)[0].strip()])
    if attrs:
        yield attrs


ASN_RE = re.compile(r'^AS(\d+)$', re.I)


def asn_of(tok):
    m = ASN_RE.match(tok)
    return int(m.group(1)) if m and int(m.group(1)) < 2**32 else None


def main():
    outdir, wanted = sys.argv[1], sys.argv[2].split(',')
    sets = {}      # name -> members (first source wins)
    mbrs = {}      # name -> mbrs-by-ref maintainers (same source)
    per_src = []   # [(source, {name: (members, mbrs-by-ref)})] in order
    memberof = {}  # set name -> [(asn, {mnt-by})] from aut-num objects
    routes = {}    # asn -> set of (af, prefix)
    for spec in sys.argv[3:]:
        name, files = spec.split('=', 1)
        here = {}
        for path in files.split(','):
            with open(path, 'rb') as f:
                head = f.read(3)
            js = False
            if head[:2] != b'\x1f\x8b' and head != b'BZh':
                js = head.lstrip()[:1] == b'{'
            else:
                with opener(path) as f:
                    js = f.read(64).lstrip().startswith('{')
            if js:
                with opener(path) as f:
                    d = json.load(f)
                for fam in ('v4', 'v6'):
                    for e in d['whois_records'].get(fam, []):
                        for tok in re.split(r'[\s,]+', e['originas']):
                            a = asn_of(tok)
                            if a is not None:
                                net = ipaddress.ip_network(e['prefix'])
                                routes.setdefault(a, set()).add(net)
                continue
            for obj in objects(path):
                cls, key = obj[0]
                if cls in ('route', 'route6'):
                    org = [v for k, v in obj if k == 'origin']
                    try:
                        net = ipaddress.ip_network(key)
                    except ValueError:
                        continue
                    if (cls == 'route') != (net.version == 4) or not org:
                        continue
                    a = asn_of(org[0])
                    if a is not None:
                        routes.setdefault(a, set()).add(net)
                elif cls == 'as-set':
                    mem, ref = [], set()
                    for k, v in obj:
                        toks = [t for t in re.split(r'[\s,]+', v) if t]
                        if k in ('members', 'mp-members'):
                            mem += toks
                        elif k == 'mbrs-by-ref':
                            ref |= {t.upper() for t in toks}
                    here[key.upper()] = (mem, ref)
                elif cls == 'aut-num':
                    a = asn_of(key)
                    mnt = {t.upper() for k, v in obj if k == 'mnt-by'
                           for t in re.split(r'[\s,]+', v) if t}
                    for k, v in obj:
                        if k == 'member-of' and a is not None:
                            for t in re.split(r'[\s,]+', v):
                                if t:
                                    memberof.setdefault(t.upper(),
                                                        []).append((a, mnt))
        per_src.append((name, here))
        for k, (mem, ref) in here.items():
            if k not in sets:
                sets[k] = mem
                mbrs[k] = ref

    def expand(top):
        # IRRd 4: nested sets come from the root set's source first.
        root = next((h for _, h in per_src if top in h), {})

        def lookup(name):
            if name in root:
                return root[name]
            return (sets[name], mbrs[name]) if name in sets else ([], set())

        seen, asns, stack = {top}, set(), [top]
        while stack:
            cur = stack.pop()
            mem, ref = lookup(cur)
            # RFC 2622 section 5.1: member-of counts when the object's
            # mnt-by is listed in mbrs-by-ref (or that says ANY).
            if ref:
                for a, mnt in memberof.get(cur, []):
                    if 'ANY' in ref or ref & mnt:
                        asns.add(a)
            for m in mem:
                a = asn_of(m)
                if a is not None:
                    asns.add(a)
                elif m.upper() in sets and m.upper() not in seen:
                    seen.add(m.upper())
                    stack.append(m.upper())
        return asns

    def special(a):
        # What bgpq3 skips: AS_TRANS, documentation and private ASNs.
        return a == 23456 or a >= 4200000000 or 64496 <= a <= 65551

    def prefixes(asns, ver):
        out = set()
        for a in asns:
            out |= {n for n in routes.get(a, ()) if n.version == ver}
        return sorted(out, key=lambda n: (int(n.network_address),
                                          n.prefixlen))

    pick = [(0, 0, name, expand(name.upper())) for name in wanted]
    os.makedirs(outdir, exist_ok=True)
    with open(os.path.join(outdir, 'sets'), 'w') as f:
        for _, _, name, _ in pick:
            f.write(name + '\n')
    for _, _, name, asns in pick:
        base = os.path.join(outdir, name)
        with open(base + '.asns', 'w') as f:
            f.writelines('%d\n' % a for a in sorted(asns))
        for ver in (4, 6):
            for suf, use in (('', asns),
                             ('ns', {a for a in asns if not special(a)})):
                with open('%s.v%d%s' % (base, ver, suf), 'w') as f:
                    f.writelines(str(n) + '\n' for n in prefixes(use, ver))


if __name__ == '__main__':
    main()
