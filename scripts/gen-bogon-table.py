#!/usr/bin/env python3
"""Generate src/lib/bogon/bogon_iana.c from the IANA special-purpose
address registries (RFC 6890, as updated by RFC 8190).

usage: gen-bogon-table.py IPV4_XML IPV6_XML [OUTPUT.c]
       (OUTPUT defaults to stdout)
       gen-bogon-table.py --check COMMITTED.c IPV4_XML IPV6_XML
       (exit 0 when COMMITTED.c is exactly what would be generated, 1
       with a diff when not, 77 when the XML files are absent)

Python 3 standard library only.  The output is deterministic: entries
appear in registry order (IPv4 first), so regenerating from the same XML
yields the same bytes; the unit test "bogon-table" relies on that.

Rules (documented in docs/bogon.md):
  - every registry record becomes one entry per address block it lists
    ("192.0.0.170/32, 192.0.0.171/32" gives two);
  - the "Globally Reachable" column decides: "True" -> not a bogon (an
    exception when it lies inside a bogon entry), "False" -> bogon,
    "N/A" (Teredo 2001::/32, 6to4 2002::/16) -> bogon, and an empty
    column (deprecated blocks 192.88.99.0/24, 2001:10::/28) -> bogon;
  - footnote xrefs inside a field are ignored;
  - two supplementary entries that the special-purpose registries leave
    to the multicast registries (224.0.0.0/4, RFC 5771; ff00::/8, RFC
    4291) are appended and marked as such.
Any field value other than True/False/N/A/empty is an error: the script
refuses to guess.
"""
import ipaddress
import sys
import xml.etree.ElementTree as ET

NS = '{http://www.iana.org/assignments}'

FLAG_BITS = [
    ('global', 'MANRS_BOGON_F_GLOBAL', 'MANRS_BOGON_F_GLOBAL_NA'),
    ('source', 'MANRS_BOGON_F_SOURCE', None),
    ('destination', 'MANRS_BOGON_F_DESTINATION', None),
    ('forwardable', 'MANRS_BOGON_F_FORWARDABLE', None),
    ('reserved', 'MANRS_BOGON_F_RESERVED', None),
]

SUPPLEMENT = [
    ('224.0.0.0/4', 'Multicast', 'RFC 5771',
     'iana-multicast-addresses', 'Multicast'),
    ('ff00::/8', 'Multicast', 'RFC 4291',
     'ipv6-multicast-addresses', 'Multicast'),
]


def text(elem):
    """Text of an element without its child elements (footnotes)."""
    if elem is None:
        return ''
    return (elem.text or '').strip()


def flag_value(rec, name, where):
    v = text(rec.find(NS + name))
    if v not in ('True', 'False', 'N/A', ''):
        sys.exit(f'{where}: unexpected {name} value {v!r}')
    return v


def c_string(s):
    out = ''
    for ch in s:
        if ch in '\\"':
            out += '\\' + ch
        elif 32 <= ord(ch) < 127:
            out += ch
        else:
            sys.exit(f'non-ASCII character in {s!r}')
    return '"' + out + '"'


def c_prefix(net):
    af = 'MANRS_AF_INET' if net.version == 4 else 'MANRS_AF_INET6'
    addr = list(net.network_address.packed)
    while len(addr) > 1 and addr[-1] == 0:
        addr.pop()              # the rest is zero-initialised
    body = ', '.join(f'0x{b:02x}' for b in addr)
    return f'{{ {af}, {net.prefixlen}, {{ 0, 0 }}, {{ {body} }} }}'


def records(path):
    tree = ET.parse(path)
    root = tree.getroot()
    regid = root.get('id')
    n = 0
    for rec in root.iter(NS + 'record'):
        n += 1
        where = f'{path}: record {n}'
        addrs = text(rec.find(NS + 'address'))
        name = ' '.join(text(rec.find(NS + 'name')).split())
        rfcs = []
        for x in rec.findall(NS + 'spec/' + NS + 'xref'):
            if x.get('type') == 'rfc':
                d = x.get('data', '')
                if not d.startswith('rfc') or not d[3:].isdigit():
                    sys.exit(f'{where}: odd RFC reference {d!r}')
                rfcs.append('RFC ' + d[3:])
        flags = []
        gl = flag_value(rec, 'global', where)
        for field, bit, na_bit in FLAG_BITS:
            v = flag_value(rec, field, where)
            if v == 'True':
                flags.append(bit)
            elif v == 'N/A' and na_bit:
                flags.append(na_bit)
        if gl == '':
            flags.append('MANRS_BOGON_F_DEPRECATED')
        for a in addrs.split(','):
            a = a.strip()
            try:
                net = ipaddress.ip_network(a)
            except ValueError as e:
                sys.exit(f'{where}: bad address block {a!r}: {e}')
            yield net, name, ', '.join(rfcs), regid, flags


def check(committed, xml4, xml6):
    import difflib
    import os
    for x in (xml4, xml6):
        if not os.path.exists(x):
            print(f'SKIP: IANA registry {x} absent')
            return 77
    want = generate(xml4, xml6)
    with open(committed) as f:
        have = f.read()
    if have == want:
        print(f'{committed}: matches the generator output')
        return 0
    print(f'{committed}: differs from the generator output '
          '(run scripts/gen-bogon-table.py and commit):')
    sys.stdout.writelines(difflib.unified_diff(
        have.splitlines(True), want.splitlines(True), committed, 'generated'))
    return 1


def main():
    if len(sys.argv) == 5 and sys.argv[1] == '--check':
        sys.exit(check(sys.argv[2], sys.argv[3], sys.argv[4]))
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    data = generate(sys.argv[1], sys.argv[2])
    if len(sys.argv) == 4:
        with open(sys.argv[3], 'w') as f:
            f.write(data)
    else:
        sys.stdout.write(data)


def generate(xml4, xml6):
    entries = list(records(xml4)) + list(records(xml6))
    for pfx, name, rfc, reg, _ in SUPPLEMENT:
        entries.append((ipaddress.ip_network(pfx), name, rfc, reg,
                        ['MANRS_BOGON_F_SUPPLEMENT']))
    out = []
    out.append('/*\n'
               ' * bogon_iana.c - GENERATED by scripts/gen-bogon-table.py '
               'from the IANA\n'
               ' * IPv4 and IPv6 special-purpose address registries '
               '(RFC 6890, RFC 8190).\n'
               ' * Do not edit: regenerate, and the "bogon-table" test '
               'checks it matches.\n'
               ' */\n')
    out.append('#include "bogon_int.h"\n\n')
    out.append('const struct manrs_bogon_entry manrs_bogon_iana[] = {\n')
    for net, name, rfc, reg, flags in entries:
        fl = ' |\n\t    '.join(flags) if flags else '0'
        out.append(f'\t{{ {c_prefix(net)},\n'
                   f'\t    {fl},\n'
                   f'\t    {c_string(name)},\n'
                   f'\t    {c_string(rfc)}, {c_string(reg)} }},\n')
    out.append('};\n\n')
    out.append('const size_t manrs_bogon_iana_count =\n'
               '    sizeof(manrs_bogon_iana) / sizeof(manrs_bogon_iana[0]);\n')
    return ''.join(out)


if __name__ == '__main__':
    main()
