#!/bin/sh
# spoof_probe_hostile.sh - the spoof-probe receiver never dies on a
# client's bytes: on loopback (ephemeral port), hostile datagrams and TCP
# queries (oversized, binary, forged payloads, no newline, a client that
# sends nothing) are thrown at it, each with the exact answer expected;
# then a real probe run must still get every answer.  Needs root (raw
# sockets for the sender); skips (77) otherwise.  Kills what it starts.
set -u
manrs=${MANRS_BIN:?MANRS_BIN not set}
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (raw sockets)"; exit 77; }
tmp=$(mktemp -d)
rpid=
trap '[ -n "$rpid" ] && kill "$rpid" 2>/dev/null; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$manrs" spoof-probe --receive 127.0.0.1 --receive ::1 --port "$port" \
    --duration 60 >"$tmp/recv.log" 2>&1 &
rpid=$!
i=0
while [ "$(grep -c listening "$tmp/recv.log")" != 2 ]; do
	i=$((i + 1)); [ $i -gt 50 ] && { echo "FAIL: receiver did not start"; exit 1; }
	sleep 0.1
done
fail=0
python3 - "$port" >"$tmp/hostile.out" 2>&1 <<'EOP' || fail=1
import socket, sys, time
port = int(sys.argv[1])
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for d in [b'', b'\x00' * 1400, b'MANRS-SPOOF/1', b'\xff' * 60000,
          b'MANRS-SPOOF/1 0123456789abcdef 1 legit 1.2.3.4',       # no \n
          b'MANRS-SPOOF/1 0123456789abcdef 99999999999 legit 1.2.3.4\n',
          b'MANRS-SPOOF/1 0123456789abcdef 1 evil 1.2.3.4\n',
          b'MANRS-SPOOF/1 0123456789abcdef 1 legit 1.2.3.4\n' + b'x' * 200]:
    u.sendto(d, ('127.0.0.1', port))
# One well-formed forged probe: it is stored, and only for its session.
u.sendto(b'MANRS-SPOOF/1 00000000000000aa 7 private 10.66.0.1\n',
         ('127.0.0.1', port))
time.sleep(0.3)
def ask(data, shut=True):
    """The answer, or b'<reset>' when the receiver cut the connection
    off before all of our bytes were read (it reads at most 64)."""
    t = socket.create_connection(('127.0.0.1', port), timeout=5)
    out = b''
    try:
        if data:
            t.sendall(data)
        if shut:
            t.shutdown(socket.SHUT_WR)
        while True:
            b = t.recv(4096)
            if not b:
                break
            out += b
    except (ConnectionResetError, BrokenPipeError, OSError):
        out = out or b'<reset>'
    t.close()
    return out
cases = [
    (b'RESULTS 00000000000000aa\n', b'GOT 7 127.0.0.1\nEND\n'),
    (b'RESULTS 00000000000000bb\n', b'END\n'),
    (b'RESULTS 00000000000000AA\n', b'ERR want RESULTS SESSION\n'),
    (b'RESULTS 00000000000000aa', b'ERR want RESULTS SESSION\n'),
    (b'RESULTS 00000000000000aa extra\n', b'ERR want RESULTS SESSION\n'),
    (b'A' * 5000 + b'\n', (b'ERR want RESULTS SESSION\n', b'<reset>')),
    (b'\x00\xff\n', b'ERR want RESULTS SESSION\n'),
    (b'', b'ERR want RESULTS SESSION\n'),
]
bad = 0
for q, want in cases:
    got = ask(q)
    ok = got in want if isinstance(want, tuple) else got == want
    bad += not ok
    print(('ok' if ok else 'FAIL') + ': query %r -> %r' % (q[:40], got))
# A client that connects and says nothing is cut off after its timeout.
t0 = time.time()
got = ask(None, shut=False)
bad += got != b'ERR want RESULTS SESSION\n'
print(('ok' if got == b'ERR want RESULTS SESSION\n' else 'FAIL') +
      ': silent client answered %r after %.1f s' % (got, time.time() - t0))
sys.exit(1 if bad else 0)
EOP
cat "$tmp/hostile.out"
kill -0 "$rpid" 2>/dev/null && echo "ok: receiver alive after hostile input" ||
    { echo "FAIL: receiver died"; fail=1; }
"$manrs" spoof-probe --to 127.0.0.1 --to ::1 --port "$port" --count 2 \
    --rate 50 --wait 1 >"$tmp/probe.out"
rc=$?
# Loopback filters nothing: every class of both families arrives.
n=$(grep -c 'sent 2 received 2' "$tmp/probe.out")
if [ "$rc" = 5 ] && [ "$n" = 8 ]; then
	echo "ok: probe run after the abuse: 8 of 8 class results, exit 5"
else
	echo "FAIL: probe run after the abuse (rc $rc, $n of 8)"; cat "$tmp/probe.out"; fail=1
fi
# Without CAP_NET_RAW the sender stops with a clear message, sends nothing.
if command -v setpriv >/dev/null; then
	msg=$(setpriv --inh-caps=-net_raw --bounding-set=-net_raw "$manrs" \
	    spoof-probe --to 127.0.0.1 --port "$port" 2>&1 >/dev/null)
	rc=$?
	if [ "$rc" = 1 ] && [ "$msg" = "manrs: spoof-probe: raw socket: Operation not permitted (needs root or CAP_NET_RAW)" ]; then
		echo "ok: without CAP_NET_RAW: exit 1, '$msg'"
	else
		echo "FAIL: without CAP_NET_RAW: rc $rc, '$msg'"; fail=1
	fi
fi
exit $fail
