#!/usr/bin/env python3
"""manrs check-config: each check, an omission planted, the exact findings.

For each dialect with a real parser in Debian (FRR: vtysh -C -f, OpenBGPD:
bgpd -n -f, BIRD: bird -p -c) the good config here (frr-good.conf,
bgpd-good.conf, bird-good.conf: a
customer, a peer and a transit provider) must give no warning or error.
Then, for each check, one omission is planted (lines commented out or
changed, line numbers kept), the real parser must still accept the
config, and the findings of severity warning/error must be exactly the
expected set of (check, line, neighbor).  The round trip: configs whose
filters come from our own `manrs filter` output pass the checks
(fix_roundtrip below).  A dialect whose parser is not installed is
skipped (said on stdout); all skipped -> exit 77.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
MANRS = os.environ.get('MANRS_BIN', 'manrs')
ROLES = ['--role', '192.0.2.2=customer', '--role', '198.51.100.1=peer',
         '--role', '203.0.113.1=provider']
CUST, PEER, PROV = '192.0.2.2', '198.51.100.1', '203.0.113.1'


def frr_block(name, seq):
    return [('route-map %s deny %d' % (name, seq), '!'),
            (None, '!'), (None, '!')]


def frr_blocks(seq, maps=('CUSTOMER-IN', 'PEER-IN', 'TRANSIT-IN')):
    out = []
    for m in maps:
        out += frr_block(m, seq)
    return out


# check -> (edits, expected {(check, neighbor)}); an edit (old, new)
# replaces the first line equal to old (after strip) and (None, new) the
# line after the previous edit.
FRR = {
    'customer-import-filter': (
        [('route-map CUSTOMER-IN permit 100', 'route-map CUSTOMER-IN permit 100'),
         (None, '!')],
        {CUST}),
    'export-filter': (
        [('route-map EXPORT permit 10', 'route-map EXPORT permit 10'),
         (None, '!')],
        {PEER, PROV}),
    'bogon-prefixes': (frr_blocks(2), {PEER, PROV}),
    'bogon-asns': (frr_blocks(3), {CUST, PEER, PROV}),
    'small-prefixes': (frr_blocks(4), {PEER, PROV}),
    'long-as-path': (frr_blocks(5), {CUST, PEER, PROV}),
    'transit-free': (frr_blocks(6, ('CUSTOMER-IN', 'PEER-IN')), {CUST, PEER}),
    'default-route': (frr_blocks(7, ('CUSTOMER-IN', 'PEER-IN')), {PEER}),
    'rpki-invalid': (frr_blocks(1), {CUST, PEER, PROV}),
    'max-prefix': ([('neighbor 192.0.2.2 maximum-prefix 100', '!')], {CUST}),
}
FRR_LINES = {CUST: 13, PEER: 15, PROV: 17}
# Without an RTR cache nothing can be invalid: all three sessions.
FRR_EXTRA = {
    'rpki-invalid/no-cache': (
        [('rpki cache 192.0.2.100 3323 preference 1', '!')],
        {CUST, PEER, PROV}),
}

BGPD = {
    'customer-import-filter': (
        [('allow from 192.0.2.2 prefix-set customer', 'allow from 192.0.2.2')],
        {CUST}),
    'export-filter': (
        [('allow to 198.51.100.1 prefix-set own', 'allow to 198.51.100.1')],
        {PEER}),
    'bogon-prefixes': (
        [('deny quick from any prefix-set bogons', '#')], {PEER, PROV}),
    'bogon-asns': (
        [('deny quick from any AS 23456', '#'),
         ('deny quick from any AS 64496 - 131071', '#'),
         ('deny quick from any AS 4200000000 - 4294967295', '#')],
        {CUST, PEER, PROV}),
    'small-prefixes': (
        [('deny quick from any inet prefixlen > 24', '#'),
         ('deny quick from any inet6 prefixlen > 48', '#')],
        {CUST, PEER, PROV}),
    'long-as-path': (
        [('deny quick from any max-as-len 100', '#')], {CUST, PEER, PROV}),
    'transit-free': (
        [('deny quick from 192.0.2.2 transit-as', '#'),
         ('deny quick from 198.51.100.1 transit-as', '#')], {CUST, PEER}),
    'default-route': (
        [('deny quick from 192.0.2.2 prefix 0.0.0.0/0', '#'),
         ('deny quick from 198.51.100.1 prefix 0.0.0.0/0', '#')], {PEER}),
    'rpki-invalid': (
        [('deny quick from ebgp ovs invalid', '#')], {CUST, PEER, PROV}),
    'max-prefix': ([('max-prefix 100 restart 15', '#')], {CUST}),
}
BGPD_LINES = {CUST: 13, PEER: 18, PROV: 23}

# BIRD names a session by its protocol; --role takes the name.
BC, BP, BT = 'customer_a', 'peer_he', 'transit_lumen'
BIRD_ROLES = ['--role', BC + '=customer', '--role', BP + '=peer',
              '--role', BT + '=provider']
BIRD = {
    'customer-import-filter': (
        [('if net ~ CUSTOMER then accept;', 'accept;')], {BC}),
    'export-filter': (
        [('export filter export_upstream;', 'export all;')], {BP}),
    'bogon-prefixes': (
        [('if net ~ BOGONS then {', 'if false then {')], {BP, BT}),
    'bogon-asns': (
        [('if bgp_path ~ BOGON_ASNS then reject;', '#')], {BC, BP, BT}),
    'small-prefixes': (
        [('if net.len > 24 then reject;', '#')], {BP, BT}),
    'long-as-path': (
        [('if bgp_path.len > 100 then reject;', '#')], {BC, BP, BT}),
    'transit-free': (
        [('if bgp_path ~ TRANSIT_ASNS then reject;', '#')], {BC, BP}),
    'default-route': (
        [('if net = 0.0.0.0/0 then reject;', '#')], {BP}),
    'rpki-invalid': (
        [('if roa_check(r4, net, bgp_path.last) = ROA_INVALID then reject;',
          '#')], {BC, BP, BT}),
    'max-prefix': ([('import limit 100 action restart;', '#')], {BC}),
}
BIRD_LINES = {BC: 93, BP: 104, BT: 115}
BIRD_EXTRA = {
    'rpki-invalid/no-cache': (
        [('roa4 table r4;', '#'), ('protocol rpki rpki_cache {', '#'),
         (None, '#'), (None, '#'), (None, '#'),
         ('if roa_check(r4, net, bgp_path.last) = ROA_INVALID then reject;',
          '#')], {BC, BP, BT}),
}
BGPD_EXTRA = {
    'rpki-invalid/no-cache': (
        [('rtr 192.0.2.100 {', '#'), ('port 3323', '#'), ('}', '#')],
        {CUST, PEER, PROV}),
}


# Junos: no parser in Debian; the documented example set (junos-good.conf)
# is checked against the same expectations.  "inactive:" takes a term out
# as Junos does.
def inactive(term, n=1):
    return [(term, 'inactive: ' + term)] * n


JUNOS = {
    # Its prefix list was also what kept the default route out.
    'customer-import-filter': (
        [('prefix-list-filter CUSTOMER-A upto /24;', '#')],
        {CUST, ('default-route', 43, CUST)}),
    'export-filter': ([('prefix-list OWN;', '#')], {PEER, PROV}),
    'bogon-prefixes': (inactive('term bogons {'), {PEER, PROV}),
    'bogon-asns': (inactive('term bogon-asns {'), {CUST, PEER, PROV}),
    'small-prefixes': (inactive('term small {'), {PEER, PROV}),
    'long-as-path': (inactive('term long {'), {CUST, PEER, PROV}),
    'transit-free': (inactive('term transit {', 2), {CUST, PEER}),
    'default-route': (inactive('term default {'), {PEER}),
    'rpki-invalid': (inactive('term invalid {'), {CUST, PEER, PROV}),
    'max-prefix': ([('maximum 100;', '#')], {CUST}),
    'urpf': ([('input CUSTOMER-A-SAV;', '#'), ('rpf-check;', '#')],
             {('urpf', 4, CUST), ('ingress-acl', 4, CUST)}),
    'ingress-acl': ([('term permitted {', 'term permitted {'),
                     ('194.153.0.0/22;', '0.0.0.0/0;')],
                    {('ingress-acl', 8, CUST)}),
    'ingress-acl/egress': ([('output BORDER-EGRESS;', '#')],
                           {('ingress-acl', 16, PROV)}),
}
JUNOS_LINES = {CUST: 43, PEER: 59, PROV: 75}
JUNOS_EXTRA = {
    'rpki-invalid/no-cache': (inactive('validation {'), {CUST, PEER, PROV}),
}


# Cisco IOS and Arista EOS: no parser in Debian; the documented example
# sets (ios-good.conf, eos-good.conf; docs/check-config.md cites the
# vendors' syntax) with the same sessions, plus uRPF and ACLs on the
# customer interface and an egress ACL on the uplink.
def ios_cases(maxpfx, long_path, cache, permit_line):
    return {
        'customer-import-filter': (
            [('route-map CUSTOMER-IN permit 100',
              'route-map CUSTOMER-IN permit 100'), (None, '!')], {CUST}),
        'export-filter': (
            [('route-map EXPORT permit 10', 'route-map EXPORT permit 10'),
             (None, '!')], {PEER, PROV}),
        'bogon-prefixes': (frr_blocks(2), {PEER, PROV}),
        'bogon-asns': (frr_blocks(3), {CUST, PEER, PROV}),
        'small-prefixes': (frr_blocks(4), {PEER, PROV}),
        'long-as-path': (long_path, {CUST, PEER, PROV}),
        'transit-free': (frr_blocks(6, ('CUSTOMER-IN', 'PEER-IN')),
                         {CUST, PEER}),
        'default-route': (frr_blocks(7, ('CUSTOMER-IN', 'PEER-IN')), {PEER}),
        'rpki-invalid': (frr_blocks(1), {CUST, PEER, PROV}),
        'rpki-invalid/no-cache': (cache, {CUST, PEER, PROV}),
        'max-prefix': ([(maxpfx, '!')], {CUST}),
    }


IOS = dict(ios_cases('neighbor 192.0.2.2 maximum-prefix 100',
                     [('bgp maxas-limit 100', '!')],
                     [('bgp rpki server tcp', '!')], None), **{
    'urpf': ([('ip verify unicast source', '!'),
              ('ip access-group CUSTOMER-A-SAV in', '!')],
             {('urpf', 5, CUST), ('ingress-acl', 5, CUST)}),
    'ingress-acl': ([('permit ip 194.153.0.0 0.0.3.255 any',
                      'permit ip any any')],
                    {('ingress-acl', 9, CUST)}),
    # IOS: an ACL applied but not defined filters nothing.
    'ingress-acl/undefined': ([('ip access-list extended CUSTOMER-A-SAV',
                                '!')], {('ingress-acl', 9, CUST)}),
    'ingress-acl/egress': ([('ip access-group BORDER-EGRESS out', '!')],
                           {('ingress-acl', 11, PROV)}),
})
IOS_LINES = {CUST: 20, PEER: 22, PROV: 24}
EOS = dict(ios_cases('neighbor 192.0.2.2 maximum-routes 100',
                     frr_blocks(5),
                     [('rpki cache RPKI', '!'), (None, '!')], None), **{
    'urpf': ([('ip verify unicast source', '!'),
              ('ip access-group CUSTOMER-A-SAV in', '!')],
             {('urpf', 5, CUST), ('ingress-acl', 5, CUST)}),
    'ingress-acl': ([('60 permit ip 194.153.0.0/22 any',
                      '60 permit ip any any')],
                    {('ingress-acl', 10, CUST)}),
    'ingress-acl/egress': ([('ip access-group BORDER-EGRESS out', '!')],
                           {('ingress-acl', 12, PROV)}),
})
EOS_LINES = {CUST: 135, PEER: 139, PROV: 144}


# Cisco IOS-XR: RPL; an "if ... then / drop / endif" block taken out of
# each policy named.
def xr_blocks(cond, n=3):
    return [('if %s then' % cond, '!'), (None, '!'), (None, '!')] * n


XR_PASS = [('if destination in CUSTOMER then', 'pass')] + [(None, '!')] * 4
IOSXR = {
    'customer-import-filter': (XR_PASS, {CUST}),
    # RPL branches: "else" after "elseif" is "not either of them".
    'customer-import-filter/elseif': (
        [('if destination in CUSTOMER then',
          'if destination in BOGONS then drop elseif destination in '
          'CUSTOMER then'), (None, 'pass'), (None, 'else'),
         (None, 'pass')], {CUST}),
    'export-filter': (
        [('if destination in OWN or destination in CUSTOMER then', 'pass'),
         (None, '!'), (None, '!')], {PEER, PROV}),
    'bogon-prefixes': (xr_blocks('destination in BOGONS'), {PEER, PROV}),
    'bogon-asns': (xr_blocks('as-path in BOGON-ASNS'), {CUST, PEER, PROV}),
    'small-prefixes': (xr_blocks('destination in (0.0.0.0/0 ge 25)'),
                       {PEER, PROV}),
    'long-as-path': (xr_blocks('as-path length ge 101'), {CUST, PEER, PROV}),
    'transit-free': (xr_blocks('as-path in TRANSIT', 2), {CUST, PEER}),
    'default-route': (xr_blocks('destination in (0.0.0.0/0)', 2), {PEER}),
    'rpki-invalid': (xr_blocks('validation-state is invalid'),
                     {CUST, PEER, PROV}),
    'rpki-invalid/no-cache': ([('rpki server 192.0.2.100', '!'),
                               (None, '!')], {CUST, PEER, PROV}),
    'max-prefix': ([('maximum-prefix 100 90', '!')], {CUST}),
    'urpf': ([('ipv4 verify unicast source', '!'),
              ('ipv4 access-group CUSTOMER-A-SAV ingress', '!')],
             {('urpf', 4, CUST), ('ingress-acl', 4, CUST)}),
    'ingress-acl': ([('60 permit ipv4 194.153.0.0/22 any',
                      '60 permit ipv4 any any')], {('ingress-acl', 8, CUST)}),
    'ingress-acl/egress': ([('ipv4 access-group BORDER-EGRESS egress', '!')],
                           {('ingress-acl', 10, PROV)}),
}
IOSXR_LINES = {CUST: 156, PEER: 165, PROV: 174}
SAV_EDITS = {
    'ios': ['ip verify unicast source', 'ip access-group CUSTOMER-A-SAV in',
            'ip access-group BORDER-EGRESS out'],
    'eos': ['ip verify unicast source', 'ip access-group CUSTOMER-A-SAV in',
            'ip access-group BORDER-EGRESS out'],
    'iosxr': ['ipv4 verify unicast source',
              'ipv4 access-group CUSTOMER-A-SAV ingress',
              'ipv4 access-group BORDER-EGRESS egress'],
}


def apply(lines, edits):
    lines = list(lines)
    last = -1
    for old, new in edits:
        if old is None:
            i = last + 1
        else:
            i = next((k for k in range(len(lines))
                      if lines[k].strip().startswith(old) and k > last
                      or (old == '}' and lines[k].strip() == '}'
                          and k > last)), None)
            if i is None:
                raise SystemExit('edit target not found: %r' % old)
        lead = lines[i][:len(lines[i]) - len(lines[i].lstrip())]
        lines[i] = lead + new + '\n'
        last = i
    return lines


def findings(path, extra=(), roles=None):
    p = subprocess.run([MANRS, 'check-config', '--json'] +
                       (roles or ROLES) +
                       list(extra) + [path], capture_output=True, timeout=120)
    if p.returncode not in (0, 5):
        raise SystemExit('check-config %s: exit %d: %s' %
                         (path, p.returncode, p.stderr.decode()))
    doc = json.loads(p.stdout)
    got = {(f['check'], f['line'], f.get('neighbor'))
           for f in doc['findings'] if f['severity'] != 'note'}
    return p.returncode, got


def parser_ok(cmd, path):
    if cmd is None:
        return True, ''
    p = subprocess.run(cmd + [path], capture_output=True, timeout=60)
    return p.returncode == 0, (p.stdout + p.stderr).decode()


def run_dialect(name, good, cases, lines_of, cmd, tmp, roles=None):
    fails = 0
    with open(os.path.join(HERE, good)) as f:
        base = f.readlines()
    ok, msg = parser_ok(cmd, os.path.join(HERE, good))
    if not ok:
        print('FAIL %s: the real parser refuses %s: %s' % (name, good, msg))
        return 1
    if cmd is None:
        print('note %s: no real parser (documented example set)' % name)
    rc, got = findings(os.path.join(HERE, good), roles=roles)
    if got or rc != 0:
        print('FAIL %s good: exit %d, findings %s' % (name, rc, sorted(got)))
        fails += 1
    else:
        print('ok   %s good: no findings, exit 0' % name)
    for check, (edits, who) in sorted(cases.items()):
        path = os.path.join(tmp, '%s-%s.conf' % (name, check.replace('/', '-')))
        with open(path, 'w') as f:
            f.writelines(apply(base, edits))
        ok, msg = parser_ok(cmd, path)
        if not ok:
            print('FAIL %s %s: the real parser refuses the planted config: '
                  '%s' % (name, check, msg))
            fails += 1
            continue
        c = check.split('/')[0]
        want = {n if isinstance(n, tuple) else (c, lines_of[n], n)
                for n in who}
        rc, got = findings(path, roles=roles)
        if got != want or rc != 5:
            print('FAIL %s %s: exit %d\n  want %s\n  got  %s' %
                  (name, check, rc, sorted(want), sorted(got)))
            fails += 1
        else:
            print('ok   %s %s: %s' % (name, check, sorted(want)))
    return fails


def roundtrip(name, good, cmd, tmp, roles=None):
    """The customer's prefix filter replaced by `manrs filter` output
    for its AS (customer.irr): the real parser accepts it, the checks
    pass, and the filter left unused is still found."""
    irr = 'TEST=' + os.path.join(HERE, 'customer.irr')
    flags = ['-R', '24', '-l', 'customer' if name == 'openbgpd' else
             'CUSTOMER']
    # bgpq4's flags: default Cisco (FRR, IOS), -e Arista.
    flags[:0] = {'openbgpd': ['-B'], 'bird': ['-b'], 'eos': ['-e'],
                 'iosxr': ['-X']}.get(name, [])
    p = subprocess.run([MANRS, 'filter', '--source', irr] + flags +
                       ['AS208500'], capture_output=True, timeout=120)
    if p.returncode != 0:
        print('FAIL %s roundtrip: manrs filter: %s' % (name, p.stderr))
        return 1
    gen = p.stdout.decode().splitlines(keepends=True)
    with open(os.path.join(HERE, good)) as f:
        base = f.readlines()
    out = []
    eos_block = xr_block = False
    for line in base:
        st = line.strip()
        # IOS-XR: the generated prefix-set where the old one was (sets
        # come before the policies using them).
        if name == 'iosxr' and st == 'prefix-set CUSTOMER':
            xr_block = True
            out += gen
            continue
        if xr_block:
            xr_block = st != 'end-set'
            continue
        if eos_block and st.startswith('seq '):
            out.append('!\n')
            continue
        eos_block = name == 'eos' and st == 'ip prefix-list CUSTOMER'
        if eos_block:
            line = '!\n'
        elif st.startswith('ip prefix-list CUSTOMER ') or \
                st.startswith('prefix-set customer ') or \
                st.startswith('define CUSTOMER ='):
            line = '!\n' if name in ('frr', 'ios') else '#\n'
            if name == 'bird':
                # In place: BIRD wants the define before its use.
                line = 'define ' + ''.join(gen).replace('\n', ' ') + '\n'
        elif name == 'openbgpd':
            line = line.replace('prefix-set customer', '$customer')
        out.append(line)
    # FRR: the generated list at the end; bgpd: macros come first.
    if name in ('frr', 'ios', 'eos'):
        out = out + gen
    elif name == 'openbgpd':
        out = gen + out
    path = os.path.join(tmp, name + '-roundtrip.conf')
    with open(path, 'w') as f:
        f.writelines(out)
    ok, msg = parser_ok(cmd, path)
    if not ok:
        print('FAIL %s roundtrip: real parser refuses: %s' % (name, msg))
        return 1
    rc, got = findings(path, roles=roles)
    if got or rc != 0:
        print('FAIL %s roundtrip: exit %d %s' % (name, rc, sorted(got)))
        return 1
    # The generated filter is what stops a foreign route: unused, found.
    leak = {'frr': [('match ip address prefix-list CUSTOMER', '!')],
            'ios': [('match ip address prefix-list CUSTOMER', '!')],
            'eos': [('match ip address prefix-list CUSTOMER', '!')],
            'iosxr': XR_PASS,
            'openbgpd': [('allow from 192.0.2.2 $customer',
                          'allow from 192.0.2.2')],
            'bird': [('if net ~ CUSTOMER then accept;', 'accept;')]}[name]
    with open(path, 'w') as f:
        f.writelines(apply(out, leak))
    rc, got = findings(path, roles=roles)
    checks = {c for c, _, _ in got}
    if checks != {'customer-import-filter'} or len(got) != 1 or rc != 5:
        print('FAIL %s roundtrip leak: exit %d %s' % (name, rc, sorted(got)))
        return 1
    print('ok   %s roundtrip: manrs filter output applied, no findings; '
          'unused, found' % name)
    return 0


def sav_roundtrip(tmp):
    """Junos: the example's own SAV taken out (rpf-check, the input and
    output filters) and `manrs sav -d junos` output for the same
    interfaces added instead: urpf and ingress-acl pass; without it they
    are found."""
    cust = os.path.join(tmp, 'customers.txt')
    with open(cust, 'w') as f:
        f.write('operator AS64500\nown 195.66.224.0/22\n'
                'uplink xe-0/0/2.0\n\ncustomer customer-a\n'
                '    interface xe-0/0/1.0\n    homing single\n'
                '    prefix 194.153.0.0/22\n')
    p = subprocess.run([MANRS, 'sav', '-d', 'junos', '--empty-family',
                        'open', cust], capture_output=True, timeout=60)
    if p.returncode != 0:
        print('FAIL junos sav roundtrip: manrs sav: %s' % p.stderr)
        return 1
    with open(os.path.join(HERE, 'junos-good.conf')) as f:
        base = apply(f.readlines(), [('input CUSTOMER-A-SAV;', '#'),
                                     ('rpf-check;', '#'),
                                     ('output BORDER-EGRESS;', '#')])
    bare = os.path.join(tmp, 'junos-nosav.conf')
    with open(bare, 'w') as f:
        f.writelines(base)
    rc, got = findings(bare)
    want = {('urpf', 4, CUST), ('ingress-acl', 4, CUST),
            ('ingress-acl', 16, PROV)}
    if got != want:
        print('FAIL junos sav roundtrip: without SAV %s' % sorted(got))
        return 1
    path = os.path.join(tmp, 'junos-sav.conf')
    with open(path, 'w') as f:
        f.writelines(base + [p.stdout.decode()])
    rc, got = findings(path)
    if got or rc != 0:
        print('FAIL junos sav roundtrip: exit %d %s' % (rc, sorted(got)))
        return 1
    print('ok   junos sav roundtrip: manrs sav -d junos output applied, '
          'urpf and ingress-acl pass; without it %d findings' % len(want))
    return 0


def ios_sav_roundtrip(name, good, sav, ifs, lines, tmp):
    """IOS / EOS / IOS-XR: the example's own SAV taken out (uRPF, the
    customer ACL and the egress ACL) and `manrs sav -d cisco|eos|iosxr`
    output for the
    same interfaces appended: urpf and ingress-acl pass; without it they
    are found."""
    cust = os.path.join(tmp, name + '-customers.txt')
    with open(cust, 'w') as f:
        f.write('operator AS64500\nown 195.66.224.0/22\n'
                'uplink %s\n\ncustomer customer-a\n'
                '    interface %s\n    homing single\n'
                '    prefix 194.153.0.0/22\n' % (ifs[1], ifs[0]))
    p = subprocess.run([MANRS, 'sav', '-d', sav, '--empty-family',
                        'open', cust], capture_output=True, timeout=60)
    if p.returncode != 0:
        print('FAIL %s sav roundtrip: manrs sav: %s' % (name, p.stderr))
        return 1
    with open(os.path.join(HERE, good)) as f:
        base = apply(f.readlines(), [(e, '!') for e in SAV_EDITS[name]])
    bare = os.path.join(tmp, name + '-nosav.conf')
    with open(bare, 'w') as f:
        f.writelines(base)
    rc, got = findings(bare)
    want = {('urpf', lines[0], CUST), ('ingress-acl', lines[0], CUST),
            ('ingress-acl', lines[1], PROV)}
    if got != want:
        print('FAIL %s sav roundtrip: without SAV %s' % (name, sorted(got)))
        return 1
    path = os.path.join(tmp, name + '-sav.conf')
    with open(path, 'w') as f:
        f.writelines(base + [p.stdout.decode()])
    rc, got = findings(path)
    if got or rc != 0:
        print('FAIL %s sav roundtrip: exit %d %s' % (name, rc, sorted(got)))
        return 1
    print('ok   %s sav roundtrip: manrs sav -d %s output applied, urpf and '
          'ingress-acl pass; without it %d findings' % (name, sav, len(want)))
    return 0


def guess(tmp):
    """Dialect guessing: IOS and EOS told from FRR by their own words."""
    fails = 0
    for good, want in (('iosxr-good.conf', 'dialect iosxr'),
                       ('ios-good.conf', 'dialect ios,'),
                       ('eos-good.conf', 'dialect eos'),
                       ('frr-good.conf', 'dialect frr')):
        p = subprocess.run([MANRS, 'check-config', '--json',
                            os.path.join(HERE, good)], capture_output=True,
                           timeout=60)
        if want not in p.stderr.decode():
            print('FAIL guess %s: %s' % (good, p.stderr.decode()))
            fails += 1
        else:
            print('ok   guess %s: %s' % (good, want))
    return fails


def audit_inside_view(tmp):
    """manrs audit --router-config: the same findings as check-config
    (roles unknown: the example world's relationships do not name these
    ASes), one more JSON line, exit 5 on warnings or errors and 0 on
    a clean config; the report itself unchanged."""
    world = os.path.join(tmp, 'world')
    p = subprocess.run([MANRS, 'example', world], capture_output=True,
                       timeout=120)
    if p.returncode != 0:
        print('FAIL audit: manrs example: %s' % p.stderr)
        return 1
    fails = 0
    base = subprocess.run([MANRS, 'audit', '64500', '--data', world,
                           '--json'], capture_output=True, timeout=300)
    for conf, want_rc in (('frr-bad.conf', 5), ('bgpd-good.conf', 0)):
        path = os.path.join(HERE, conf)
        a = subprocess.run([MANRS, 'audit', '64500', '--data', world,
                            '--json', '--router-config', path],
                           capture_output=True, timeout=300)
        c = subprocess.run([MANRS, 'check-config', '--json', path],
                           capture_output=True, timeout=120)
        lines = a.stdout.decode().splitlines()
        try:
            inside = json.loads(lines[-1])['router_config']
            # check-config's own "inputs"/"warnings" (what it read) are
            # the audit report's top-level ones there
            alone = json.loads(c.stdout)
            alone.pop('inputs', None)
            alone.pop('warnings', None)
            same = inside == alone
        except (ValueError, KeyError, IndexError) as e:
            print('FAIL audit %s: no router_config line: %s' % (conf, e))
            fails += 1
            continue
        if a.returncode != want_rc or not same or \
                '\n'.join(lines[:-1]) != base.stdout.decode().rstrip('\n'):
            print('FAIL audit %s: exit %d (want %d), same findings %s' %
                  (conf, a.returncode, want_rc, same))
            fails += 1
        else:
            print('ok   audit --router-config %s: exit %d, findings as '
                  'check-config' % (conf, want_rc))
    return fails


def irr_compare(name, good, lines_of, roles, cust):
    """--source: the customer's inbound filter against the IRR (what
    manrs filter expands): exact missing/extra lists and the IRR data's
    time, once with the AS, once with --as-set."""
    fails = 0
    path = os.path.join(HERE, good)
    cases = (
        ('customer.irr', [], '1 missing (194.153.4.0/24), 0 extra'),
        ('customer-moved.irr', ['--as-set', cust + '=AS-CUSTA'],
         'differs from the IRR for AS-CUSTA: 1 missing (194.153.4.0/24), '
         '1 extra (194.153.0.0/22)'),
    )
    for irr, extra, want in cases:
        src = ['--source', 'TEST=' + os.path.join(HERE, irr)] + extra
        p = subprocess.run([MANRS, 'check-config', '--json'] + roles + src +
                           [path], capture_output=True, timeout=120)
        doc = json.loads(p.stdout or b'{}')
        got = [f for f in doc.get('findings', [])
               if f['severity'] != 'note']
        ok = (p.returncode == 5 and len(got) == 1 and
              got[0]['check'] == 'customer-import-filter' and
              got[0]['severity'] == 'warning' and
              got[0]['line'] == lines_of[cust] and want in got[0]['text'] and
              'IRR data of 2026-11-02T10:00:00Z' in got[0]['text'] and
              '194.153.4.0/24' in got[0]['fix'])
        if not ok:
            print('FAIL %s irr %s: exit %d %s' % (name, irr, p.returncode,
                                                got))
            fails += 1
        else:
            print('ok   %s irr %s: %s' % (name, irr, want))
    return fails


def main():
    dialects = [
        ('frr', 'frr-good.conf', dict(FRR, **FRR_EXTRA), FRR_LINES,
         ['vtysh', '-C', '-f'], 'vtysh'),
        ('openbgpd', 'bgpd-good.conf', dict(BGPD, **BGPD_EXTRA), BGPD_LINES,
         ['bgpd', '-n', '-f'], 'bgpd'),
        ('bird', 'bird-good.conf', dict(BIRD, **BIRD_EXTRA), BIRD_LINES,
         ['bird', '-p', '-c'], 'bird'),
        ('junos', 'junos-good.conf', dict(JUNOS, **JUNOS_EXTRA),
         JUNOS_LINES, None, None),
    ]
    fails = ran = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, good, cases, lines_of, sav, ifs, lines in (
                ('ios', 'ios-good.conf', IOS, IOS_LINES, 'cisco',
                 ('GigabitEthernet0/0/1', 'GigabitEthernet0/0/2'), (5, 11)),
                ('eos', 'eos-good.conf', EOS, EOS_LINES, 'eos',
                 ('Ethernet1', 'Ethernet2'), (5, 12)),
                ('iosxr', 'iosxr-good.conf', IOSXR, IOSXR_LINES, 'iosxr',
                 ('HundredGigE0/0/0/1', 'HundredGigE0/0/0/2'), (4, 10))):
            ran += 1
            fails += run_dialect(name, good, cases, lines_of, None, tmp)
            fails += roundtrip(name, good, None, tmp)
            fails += ios_sav_roundtrip(name, good, sav, ifs, lines, tmp)
            fails += irr_compare(name, good, lines_of, ROLES, CUST)
        fails += guess(tmp)
        for name, good, cases, lines_of, cmd, tool in dialects:
            if tool is None:
                fails += run_dialect(name, good, cases, lines_of, cmd, tmp)
                fails += sav_roundtrip(tmp)
                continue
            if shutil.which(tool) is None and not os.path.exists(
                    '/usr/sbin/' + tool):
                print('SKIP %s: %s not installed (scripts/bootstrap)' %
                      (name, tool))
                continue
            if shutil.which(tool) is None:
                cmd = ['/usr/sbin/' + tool] + cmd[1:]
            ran += 1
            fails += run_dialect(name, good, cases, lines_of, cmd, tmp,
                                 BIRD_ROLES if name == 'bird' else None)
            fails += roundtrip(name, good, cmd, tmp,
                               BIRD_ROLES if name == 'bird' else None)
            fails += irr_compare(name, good, lines_of,
                                 BIRD_ROLES if name == 'bird' else ROLES,
                                 BC if name == 'bird' else CUST)
        if ran:
            fails += audit_inside_view(tmp)
    if ran == 0:
        return 77
    print('%d failed' % fails)
    return 1 if fails else 0


if __name__ == '__main__':
    sys.exit(main())
