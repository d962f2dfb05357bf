#!/bin/sh
# sav_nft.sh - the nftables output of "manrs sav" must load: each golden
# customer file is rendered and checked with the real "nft -c -f" (a
# dry run: nothing is installed).  Skips (77) when nft is missing or the
# kernel refuses netlink to this user.
set -u
manrs=${MANRS_BIN:?MANRS_BIN not set}
src=${MANRS_SOURCE_ROOT:?MANRS_SOURCE_ROOT not set}
nft=$(command -v nft || echo /usr/sbin/nft)
if [ ! -x "$nft" ]; then
	echo "SKIP: nft (Debian package nftables) not installed"
	exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
if ! "$nft" -c -f /dev/null 2>"$tmp/err"; then
	echo "SKIP: nft -c cannot run here: $(cat "$tmp/err")"
	exit 77
fi
fail=0
n=0
# Each file with each --empty-family choice (customers with one address
# family only: the drop rule or the open return must load too).
for f in "$src"/tests/golden/sav/customers.txt \
    "$src"/tests/golden/sav/vlan-sysctl.in \
    "$src"/tests/golden/sav/onefamily.txt; do
	for e in drop open; do
		n=$((n + 1))
		if ! "$manrs" sav -d nft --empty-family $e "$f" >"$tmp/r$n.nft" \
		    2>"$tmp/e$n"; then
			echo "FAIL: manrs sav -d nft --empty-family $e $f"
			cat "$tmp/e$n"
			fail=1
			continue
		fi
		if "$nft" -c -f "$tmp/r$n.nft" 2>"$tmp/e$n"; then
			echo "ok: nft -c accepts the ruleset for $f (empty-family $e)"
		else
			echo "FAIL: nft -c rejects the ruleset for $f (empty-family $e):"
			cat "$tmp/e$n"
			fail=1
		fi
	done
done
# Without a choice, a customer without IPv6 space is refused (exit 1,
# naming it and the family) and nothing is printed.
"$manrs" sav -d nft "$src/tests/golden/sav/onefamily.txt" >"$tmp/ref.nft" \
    2>"$tmp/ref.err"
rc=$?
if [ $rc = 1 ] && [ ! -s "$tmp/ref.nft" ] &&
    grep -q "customer 'v4only' has no IPv6 prefix" "$tmp/ref.err"; then
	echo "ok: a customer without IPv6 space is refused without --empty-family"
else
	echo "FAIL: no refusal without --empty-family (exit $rc)"
	cat "$tmp/ref.err"
	fail=1
fi
# IRR-expanded customers too.
if "$manrs" sav -d nft --empty-family drop \
    --source "TEST=$src/tests/golden/sav/irr.db" \
    "$src/tests/golden/sav/irr-nft.in" >"$tmp/irr.nft" 2>/dev/null &&
    "$nft" -c -f "$tmp/irr.nft"; then
	echo "ok: nft -c accepts the ruleset of IRR-expanded customers"
else
	echo "FAIL: IRR-expanded ruleset"
	fail=1
fi
# And it must be able to fail: a broken ruleset is rejected.
printf 'table inet manrs_sav {\n\tchain c { ip saddr @missing drop }\n}\n' >"$tmp/bad.nft"
if "$nft" -c -f "$tmp/bad.nft" 2>/dev/null; then
	echo "FAIL: nft -c accepted a ruleset with an undefined set"
	fail=1
fi
exit $fail
