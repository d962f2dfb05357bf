# irrd_common.sh - shared by the manrs irrd interop tests (sourced).
# Starts "manrs irrd" on an ephemeral loopback port over the real IRR
# dumps in $MANRS_SHARED_DATA/irr and kills it (and anything else we
# started) on exit.  Sets: M (binary), D (data dir), T (temp dir),
# PORT, SRV (pid), SOURCES (the --source arguments).

M=${MANRS_BIN:-build/src/cmd/manrs/manrs}
D=${MANRS_SHARED_DATA:-../shared/data}/irr
HERE=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d)
# Started as root, irrd drops to an unprivileged user before reading.
chmod 755 "$T"
SRV=
PIDS=
cleanup() {
	[ -n "$SRV" ] && kill "$SRV" 2>/dev/null && wait "$SRV" 2>/dev/null
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

need_data() {
	for f in ripe.db.as-set.gz ripe-nonauth.db.route.gz \
	    ripe-nonauth.db.aut-num.gz arin-whois-originas.json.bz2; do
		if [ ! -r "$D/$f" ]; then
			echo "SKIP: shared data $D/$f absent"
			exit 77
		fi
	done
}

need_prog() {
	if ! command -v "$1" >/dev/null 2>&1; then
		echo "SKIP: $1 not installed"
		exit 77
	fi
}

SOURCES="RIPE=$D/ripe.db.as-set.gz
RIPE-NONAUTH=$D/ripe-nonauth.db.route.gz,$D/ripe-nonauth.db.aut-num.gz
ARIN-WHOIS=$D/arin-whois-originas.json.bz2"

# start_server [extra args]: waits until the port file is written.
start_server() {
	args=
	for s in $SOURCES; do args="$args --source $s"; done
	# shellcheck disable=SC2086
	"$M" irrd --listen 127.0.0.1:0 --port-file "$T/port" $args "$@" \
	    2>"$T/server.log" &
	SRV=$!
	i=0
	while [ ! -s "$T/port" ]; do
		i=$((i + 1))
		if [ $i -gt 600 ] || ! kill -0 "$SRV" 2>/dev/null; then
			echo "FAIL: server did not start"; cat "$T/server.log"
			exit 1
		fi
		sleep 0.1
	done
	PORT=$(head -1 "$T/port")
}
