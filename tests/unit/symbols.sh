#!/bin/sh
# The library boundary: libmanrs exports exactly its API.  Every dynamic
# symbol the shared library defines must start with "manrs_" and be
# declared MANRS_API in an installed header (include/manrs/*.h), and
# every MANRS_API declaration must be exported.  Symbols are hidden by
# default (-fvisibility=hidden): an internal function that leaks, or an
# API function without its marker (then no program can link it), fails.
# usage: symbols.sh LIBMANRS.so INCLUDE-DIR
set -u
lib=${1:?usage: symbols.sh LIB INCLUDE-DIR}
inc=${2:?usage: symbols.sh LIB INCLUDE-DIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
# Defined and global (or weak) in the dynamic table: the exports.
nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBRVWiu]$/ { print $3 }' |
    sed 's/@.*//' | sort -u >"$tmp/exports"
n=$(wc -l <"$tmp/exports")
if [ "$n" -lt 100 ]; then
	echo "FAIL: only $n exports in $lib (nm failed?)"
	exit 1
fi
# The API: the name declared by each MANRS_API statement (the marker
# opens the line, or stands alone on the line before).
cat "$inc"/*.h | awk '
	/^MANRS_API$/ { mark = 1; next }
	/^MANRS_API[ \t]/ { sub(/^MANRS_API[ \t]+/, ""); print; mark = 0; next }
	mark { print; mark = 0 }' |
    grep -o 'manrs_[A-Za-z0-9_]*[[:space:]]*[(\[;]' |
    sed 's/[[:space:](\[;]*$//' | sort -u >"$tmp/api"
fail=0
while read -r s; do
	case $s in
	manrs_*) ;;
	*) echo "FAIL: $s: exported, not manrs_-prefixed"
	   fail=$((fail + 1)); continue ;;
	esac
	grep -qx "$s" "$tmp/api" || {
		echo "FAIL: $s: exported, not declared MANRS_API in $inc"
		fail=$((fail + 1)); }
done <"$tmp/exports"
while read -r s; do
	grep -qx "$s" "$tmp/exports" || {
		echo "FAIL: $s: declared MANRS_API, not exported by $lib"
		fail=$((fail + 1)); }
done <"$tmp/api"
echo "$n exports, $(wc -l <"$tmp/api") MANRS_API declarations, $fail problems"
[ $fail -eq 0 ]
