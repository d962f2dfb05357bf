#!/bin/sh
# The filter engine as a library (include/manrs/filter.h): a small
# program outside the tree, built with "pkg-config --cflags --libs manrs"
# against an installed tree, loads IRR files, generates a Juniper
# prefix-list for an as-set and must print the same bytes as
# "manrs filter -J".  Cases: the golden hand-made source (bogon and
# special ASNs), and with the shared data the real RIPE as-sets and
# routes (AS-TEDATA, AS-RAYA).
set -u
BUILD=${MANRS_BUILD_ROOT:?}
SRC=${MANRS_SOURCE_ROOT:?}
M=${MANRS_BIN:?}
D=${MANRS_SHARED_DATA:-}/irr
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0
DESTDIR="$tmp/root" meson install -C "$BUILD" --no-rebuild --quiet \
    >"$tmp/log" 2>&1 || { cat "$tmp/log"; exit 1; }
set -- $(meson introspect "$BUILD" --buildoptions | python3 -c '
import json, sys
o = {x["name"]: x["value"] for x in json.load(sys.stdin)}
print(o["prefix"] + " " + o["libdir"])')
root="$tmp/root$1"
libdir="$root/$2"
sed -i "s#^prefix=.*#prefix=$root#" "$libdir/pkgconfig/manrs.pc"

cat >"$tmp/juniper.c" <<'C'
/* usage: juniper AS-SET NAME=FILE[,FILE...]... : a Junos prefix-list. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <manrs/manrs.h>
#include <manrs/filter.h>

static void
diag(void *arg, const struct manrs_diag *d)
{
	(void)arg;
	fprintf(stderr, "%s\n", d->msg);
}

int
main(int argc, char **argv)
{
	struct manrs_diag_sink sink = { diag, NULL, 0, 0, 0 };
	struct manrs_filter_opts o;
	struct manrs_filter_data data = { NULL, NULL, NULL };
	struct manrs_filter_result res;
	struct manrs_filter *f;
	struct manrs_irrdb *db;
	int err, i, src, rc = 1;

	if (argc < 3 || (db = manrs_irrdb_new(&err)) == NULL)
		return 2;
	for (i = 2; i < argc; i++) {
		char *eq = strchr(argv[i], '='), *file, *next;

		if (eq == NULL)
			return 2;
		*eq = '\0';
		if ((src = manrs_irrdb_source_add(db, argv[i])) < 0)
			return 2;
		for (file = eq + 1; file != NULL; file = next) {
			if ((next = strchr(file, ',')) != NULL)
				*next++ = '\0';
			if (manrs_irrdb_load(db, src, file, &sink) != 0)
				return 1;
		}
	}
	if (manrs_irrdb_finish(db) != 0)
		return 1;
	manrs_filter_opts_init(&o);
	o.render.vendor = MANRS_RENDER_JUNIPER;
	o.sink = &sink;
	if ((f = manrs_filter_new(&o, &err)) == NULL ||
	    manrs_filter_add_object(f, argv[1], false) != 0)
		return 1;
	data.db = db;
	if (manrs_filter_run(f, &data, &res) == 0) {
		if (res.verdict == MANRS_FILTER_OK &&
		    fwrite(res.text, 1, res.len, stdout) == res.len)
			rc = 0;
		manrs_filter_result_clear(&res);
	}
	manrs_filter_free(f);
	manrs_irrdb_free(db);
	return rc;
}
C
if ! cc -Wall -Werror -o "$tmp/juniper" "$tmp/juniper.c" \
    $(PKG_CONFIG_PATH="$libdir/pkgconfig" pkg-config --cflags --libs manrs) \
    2>"$tmp/cc.log"; then
	echo "FAIL: cannot build against the installed filter.h"
	cat "$tmp/cc.log"
	exit 1
fi

# compare AS-SET NAME=FILE...: the program and "manrs filter -J" agree.
compare() {
	set_=$1
	shift
	srcs=
	for s in "$@"; do srcs="$srcs --source $s"; done
	# shellcheck disable=SC2086
	"$M" filter $srcs -J "$set_" >"$tmp/want" 2>/dev/null
	rc1=$?
	LD_LIBRARY_PATH="$libdir" "$tmp/juniper" "$set_" "$@" \
	    >"$tmp/got" 2>/dev/null
	rc2=$?
	if [ $rc1 -ne 0 ] || [ $rc2 -ne 0 ] || [ ! -s "$tmp/want" ] ||
	    ! cmp -s "$tmp/want" "$tmp/got"; then
		echo "FAIL: $set_: manrs filter rc $rc1, program rc $rc2"
		diff "$tmp/want" "$tmp/got" | head -5
		fail=$((fail + 1))
	else
		echo "ok: $set_: $(wc -l <"$tmp/got") lines, same bytes"
	fi
}
compare AS-MANRS-GOLDEN "GOLDEN=$SRC/tests/golden/filter/golden.rpsl"
if [ -f "$D/ripe.db.as-set.gz" ]; then
	for s in AS-TEDATA AS-RAYA; do
		compare $s "RIPE=$D/ripe.db.as-set.gz" \
		    "RIPE-NONAUTH=$D/ripe-nonauth.db.route.gz,$D/ripe-nonauth.db.aut-num.gz"
	done
else
	echo "note: shared data absent, real sets not compared"
fi
[ $fail -eq 0 ]
