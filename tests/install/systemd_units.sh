#!/bin/sh
# The installed systemd units of the daemons load cleanly and stay
# hardened: "systemd-analyze verify" on manrs-irrd.service and
# manrs-rtrd.service says nothing (an unknown or misspelt directive is a
# warning with exit 0, so any output fails), "systemd-analyze security
# --offline=true" rates each at most MAX_EXPOSURE, the sysusers.d entry
# would create the manrs user, and every option in the shipped argument
# files is one the daemon knows.  No systemd needs to run (PID 1 is not
# systemd here); exit 77 when systemd-analyze is not installed.
set -u
BUILD=${MANRS_BUILD_ROOT:?}
MAX_EXPOSURE=2.0	# docs/daemons.md records the figures
if ! command -v systemd-analyze >/dev/null 2>&1; then
	echo "SKIP: systemd-analyze not installed (package systemd)"
	exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
DESTDIR="$tmp/root" meson install -C "$BUILD" --no-rebuild --quiet \
    >"$tmp/log" 2>&1 || { cat "$tmp/log"; exit 1; }
set -- $(meson introspect "$BUILD" --buildoptions | python3 -c '
import json, sys
o = {x["name"]: x["value"] for x in json.load(sys.stdin)}
print(o["prefix"] + " " + o["sysconfdir"] + " " + o["libdir"])')
prefix=$1
case $2 in /*) etc=$2 ;; *) etc=$prefix/$2 ;; esac
libdir=$prefix/$3
units="$tmp/root$prefix/lib/systemd/system"
# The units name the installed paths; verify checks that ExecStart= is
# executable, so point them into DESTDIR for the check.
mkdir "$tmp/v"
for u in manrs-irrd manrs-rtrd manrs-sync; do
	sed -e "s#^ExecStart=$prefix/#ExecStart=$tmp/root$prefix/#" \
	    -e "s#^EnvironmentFile=-$etc/#EnvironmentFile=-$tmp/root$etc/#" \
	    "$units/$u.service" > "$tmp/v/$u.service"
done
if command -v man >/dev/null 2>&1; then
	man=yes		# Documentation=man:manrs(1) must resolve
	MANPATH="$tmp/root$prefix/share/man:"
	export MANPATH
else
	man=no
fi
# manrs sync's daily timer and its oneshot service (docs/sync.md).
cp "$units/manrs-sync.timer" "$tmp/v/"
out=$(systemd-analyze verify --man=$man "$tmp/v/manrs-irrd.service" \
    "$tmp/v/manrs-rtrd.service" "$tmp/v/manrs-sync.service" \
    "$tmp/v/manrs-sync.timer" 2>&1)
rc=$?
if [ "$rc" = 0 ] && [ -z "$out" ]; then
	echo "ok: systemd-analyze verify (man=$man): every unit clean"
else
	echo "FAIL: systemd-analyze verify: exit $rc"
	echo "$out"
	fail=$((fail + 1))
fi
for u in manrs-irrd manrs-rtrd manrs-sync; do
	s=$(systemd-analyze security --offline=true "$tmp/v/$u.service" \
	    2>&1 | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
	if [ -n "$s" ] && [ "$(echo "$s <= $MAX_EXPOSURE" | bc)" = 1 ]; then
		echo "ok: $u.service exposure $s (at most $MAX_EXPOSURE)"
	else
		echo "FAIL: $u.service exposure '${s:-none}' (want <= $MAX_EXPOSURE)"
		systemd-analyze security --offline=true "$tmp/v/$u.service" 2>&1 |
		    grep -v '^✓'
		fail=$((fail + 1))
	fi
done
# Each daemon inside its unit's sandbox (as far as it is reproduced
# without systemd: user, capabilities, system call filter; unit_sandbox.py).
for u in irrd rtrd; do
	/usr/bin/python3 "$(dirname "$0")/unit_sandbox.py" \
	    "$units/manrs-$u.service" $u "${MANRS_BIN:?}"
	rc=$?
	if [ "$rc" = 77 ]; then
		echo "skip: $u in its unit sandbox"
	elif [ "$rc" != 0 ]; then
		fail=$((fail + 1))
	fi
done
sysusers="$tmp/root$prefix/lib/sysusers.d/manrs.conf"
if command -v systemd-sysusers >/dev/null 2>&1; then
	mkdir -p "$tmp/sys/etc"
	out=$(systemd-sysusers --root="$tmp/sys" --dry-run "$sysusers" 2>&1)
	if echo "$out" | grep -q "Creating user 'manrs'"; then
		echo "ok: sysusers.d/manrs.conf creates the manrs user"
	else
		echo "FAIL: systemd-sysusers --dry-run: $out"
		fail=$((fail + 1))
	fi
fi
# Every --option of the shipped arguments is one the daemon takes.
for u in irrd rtrd sync; do
	U=$(echo $u | tr a-z A-Z)
	args=$(sh -c ". '$tmp/root$etc/default/manrs-$u' && echo \"\$MANRS_${U}_ARGS\"")
	help=$(LD_LIBRARY_PATH="$tmp/root$libdir" \
	    "$tmp/root$prefix/bin/manrs" $u --help 2>&1)
	bad=""
	for a in $args; do
		case $a in --*) echo "$help" | grep -q -- "$a" || bad="$bad $a" ;; esac
	done
	if [ -n "$args" ] && [ -z "$bad" ]; then
		echo "ok: /etc/default/manrs-$u: options known to manrs $u ($args)"
	else
		echo "FAIL: /etc/default/manrs-$u: unknown options:$bad ('$args')"
		fail=$((fail + 1))
	fi
done
[ "$fail" -eq 0 ]
