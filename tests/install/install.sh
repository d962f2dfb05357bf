#!/bin/sh
# "make install" delivers what a user and a C programmer need: the
# binary, the shared library, every public header, the pkg-config file
# and the man page; a program built against the installed headers and
# library through pkg-config runs.
set -u
BUILD=${MANRS_BUILD_ROOT:?}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
DESTDIR="$tmp/root" meson install -C "$BUILD" --no-rebuild --quiet \
    >"$tmp/log" 2>&1 || { cat "$tmp/log"; exit 1; }
prefix=$(meson introspect "$BUILD" --buildoptions | python3 -c '
import json, sys
o = {x["name"]: x["value"] for x in json.load(sys.stdin)}
print(o["prefix"] + " " + o["libdir"])')
set -- $prefix
root="$tmp/root$1"
libdir="$root/$2"
for f in "$root/bin/manrs" "$libdir/libmanrs.so" "$libdir/pkgconfig/manrs.pc" \
    "$root/share/man/man1/manrs.1" "$root/include/manrs/manrs.h"; do
	if [ -e "$f" ]; then echo "ok: ${f#$tmp/root}"; else
		echo "FAIL: missing ${f#$tmp/root}"; fail=$((fail + 1)); fi
done
# The daemons' systemd units, their user and their argument files
# (dist/systemd/meson.build; the units are checked by systemd_units.sh).
sysconfdir=$(meson introspect "$BUILD" --buildoptions | python3 -c '
import json, sys
o = {x["name"]: x["value"] for x in json.load(sys.stdin)}
print(o["sysconfdir"])')
case $sysconfdir in /*) etc="$tmp/root$sysconfdir" ;; *) etc="$root/$sysconfdir" ;; esac
for f in "$root/lib/systemd/system/manrs-irrd.service" \
    "$root/lib/systemd/system/manrs-rtrd.service" \
    "$root/lib/sysusers.d/manrs.conf" "$etc/default/manrs-irrd" \
    "$etc/default/manrs-rtrd"; do
	if [ -e "$f" ]; then echo "ok: ${f#$tmp/root}"; else
		echo "FAIL: missing ${f#$tmp/root}"; fail=$((fail + 1)); fi
done
for u in irrd rtrd; do
	f="$root/lib/systemd/system/manrs-$u.service"
	if grep -qx "ExecStart=$1/bin/manrs $u \$MANRS_$(echo $u | tr a-z A-Z)_ARGS" "$f" &&
	    grep -qx "EnvironmentFile=-${etc#$tmp/root}/default/manrs-$u" "$f"; then
		echo "ok: manrs-$u.service runs the installed manrs with its argument file"
	else
		echo "FAIL: manrs-$u.service ExecStart/EnvironmentFile do not match the install"
		grep -E '^(ExecStart|EnvironmentFile)=' "$f"
		fail=$((fail + 1))
	fi
done
for h in "$(dirname "$0")"/../../include/manrs/*.h; do
	[ -e "$root/include/manrs/$(basename "$h")" ] || {
		echo "FAIL: header $(basename "$h") not installed"
		fail=$((fail + 1)); }
done
cat > "$tmp/t.c" <<'C'
#include <stdio.h>
#include <manrs/manrs.h>
int
main(void)
{
	struct manrs_prefix p;
	char buf[MANRS_PREFIX_STRLEN];

	if (manrs_prefix_parse(manrs_view_cstr("2001:DB8:0::/32"), 0, &p) != 0)
		return 1;
	manrs_prefix_print(&p, buf, sizeof(buf));
	puts(buf);
	return 0;
}
C
sed -i "s#^prefix=.*#prefix=$root#" "$libdir/pkgconfig/manrs.pc"
if cc -o "$tmp/t" "$tmp/t.c" $(PKG_CONFIG_PATH="$libdir/pkgconfig" \
    pkg-config --cflags --libs manrs) 2>"$tmp/cc.log" &&
    [ "$(LD_LIBRARY_PATH="$libdir" "$tmp/t")" = "2001:db8::/32" ]; then
	echo "ok: a program builds and runs against the installed library"
else
	echo "FAIL: cannot build against the installed library"
	cat "$tmp/cc.log"
	fail=$((fail + 1))
fi
if LD_LIBRARY_PATH="$libdir" "$root/bin/manrs" --version | grep -q manrs; then
	echo "ok: installed manrs runs"
else
	echo "FAIL: installed manrs does not run"
	fail=$((fail + 1))
fi
[ "$fail" -eq 0 ]
