#!/bin/sh
# manrs sync against Debian's nginx on loopback over HTTPS (a test CA
# made here with openssl), serving a mirror of the shared data laid out
# as the upstreams lay it out (RIS rrcNN/YYYY.MM/, CAIDA serial-2/, RIPE
# dbase/split/, RIR stats with .md5, PeeringDB api/, IANA, Team Cymru).
# Checks: the files land where `--data DIR` reads them, sync.json holds
# URL, ETag, size, SHA-256 and data time; --at picks the newest as-rel at
# or before it; a second sync sends only conditional requests (nginx's
# access log: every data file answered 304); --dry-run fetches no data
# file; a newer as-rel replaces the older, kept in .keep/ (--keep 1);
# `manrs audit --data DIR` runs on what sync fetched, its inputs naming
# each file's URL and fetch time.
set -eu

BIN=${MANRS_BIN:?}
DATA=${MANRS_SHARED_DATA:-../shared/data}
for p in nginx openssl python3 sha256sum md5sum; do
	if ! command -v "$p" >/dev/null 2>&1 &&
	    [ ! -x "/usr/sbin/$p" ]; then
		echo "SKIP: $p not installed (scripts/bootstrap)"
		exit 77
	fi
done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
if [ ! -f "$DATA/mrt/bview.20020722.2337.gz" ] ||
    [ ! -f "$DATA/caida/20210901.as-rel2.txt.bz2" ]; then
	echo "SKIP: shared data not found at $DATA"
	exit 77
fi

T=$(mktemp -d /tmp/manrs-sync-nginx.XXXXXX)
NGPID=
cleanup() {
	if [ -n "$NGPID" ]; then
		kill "$NGPID" 2>/dev/null || true
		wait "$NGPID" 2>/dev/null || true
	fi
	rm -rf "$T"
}
trap cleanup EXIT INT TERM
chmod 755 "$T"
fail() { echo "FAIL: $*" >&2; exit 1; }

# --- the mirror -----------------------------------------------------------
W=$T/www
mkdir -p "$W/ris/rrc00/2002.07" "$W/ris/rrc00/2002.06" \
    "$W/caida/serial-2" "$W/ripe/dbase/split" "$W/stats/ripencc" \
    "$W/pdb/api" "$W/iana" "$W/bogons" "$W/rpki"
ln -s "$DATA/mrt/bview.20020722.2337.gz" \
    "$W/ris/rrc00/2002.07/bview.20020722.2337.gz"
ln -s "$DATA/mrt/updates.20020722.2238.gz" \
    "$W/ris/rrc00/2002.07/updates.20020722.2238.gz"
# A RIB after --at must not be taken.
ln -s "$DATA/mrt/bview.20020722.2337.gz" \
    "$W/ris/rrc00/2002.07/bview.20020723.0000.gz"
# RouteViews: route-views2 at the archive's root, the others in folders
# (only planned here: --dry-run).
for c in bgpdata route-views.linx/bgpdata; do
	mkdir -p "$W/rv/$c/2016.08/RIBS" "$W/rv/$c/2016.08/UPDATES"
	ln -s "$DATA/mrt/bview.20020722.2337.gz" \
	    "$W/rv/$c/2016.08/RIBS/rib.20160811.1400.bz2"
	ln -s "$DATA/mrt/updates.20160811.1600.gz" \
	    "$W/rv/$c/2016.08/UPDATES/updates.20160811.1600.bz2"
	ln -s "$DATA/mrt/updates.20160811.1600.gz" \
	    "$W/rv/$c/2016.08/UPDATES/updates.20160811.1615.bz2"
done
ln -s "$DATA/caida/20210901.as-rel2.txt.bz2" \
    "$W/caida/serial-2/20210901.as-rel2.txt.bz2"
# Newer than --at: must not be taken either.
ln -s "$DATA/caida/20210901.as-rel2.txt.bz2" \
    "$W/caida/serial-2/20991201.as-rel2.txt.bz2"
for f in ripe.db.as-set.gz; do
	ln -s "$DATA/irr/$f" "$W/ripe/dbase/split/$f"
done
for f in ripe-nonauth.db.route.gz ripe-nonauth.db.aut-num.gz; do
	ln -s "$DATA/irr/$f" "$W/ripe/dbase/split/$f"
done
ln -s "$DATA/iana/delegated-ripencc-extended-latest.gz" \
    "$W/stats/ripencc/delegated-ripencc-extended-latest"
# RIPE's own .md5 form: "MD5 (file) = digest"
echo "MD5 (delegated-ripencc-extended-latest) = $(md5sum \
    <"$DATA/iana/delegated-ripencc-extended-latest.gz" | cut -d' ' -f1)" \
    >"$W/stats/ripencc/delegated-ripencc-extended-latest.md5"
ln -s "$DATA/peeringdb/net/page-1.json" "$W/pdb/api/net"
ln -s "$DATA/peeringdb/netixlan/page-1.json" "$W/pdb/api/netixlan"
echo '{"data": [{"id": 1, "net_id": 1, "role": "NOC", "visible": "Public", "email": "noc@example.net", "updated": "2021-09-01T00:00:00Z"}]}' \
    >"$W/pdb/api/poc"
echo '{"data": [{"id": 8897, "name": "Example Org", "updated": "2021-09-01T00:00:00Z"}]}' \
    >"$W/pdb/api/org"
ln -s "$DATA/iana/iana-ipv4-special-registry.xml" "$W/iana/"
ln -s "$DATA/iana/iana-ipv6-special-registry.xml" "$W/iana/"
ln -s "$DATA/iana/bogons_ipv4.txt" "$W/bogons/fullbogons-ipv4.txt"
ln -s "$DATA/iana/bogons_ipv6.txt" "$W/bogons/fullbogons-ipv6.txt"
ln -s "$DATA/rpki/json.gz" "$W/rpki/vrps.json"

# --- a test CA and the server's certificate for 127.0.0.1 ------------------
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=manrs test CA" \
    -keyout "$T/ca.key" -out "$T/ca.pem" >/dev/null 2>&1
openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
    -keyout "$T/srv.key" -out "$T/srv.csr" >/dev/null 2>&1
printf 'subjectAltName=IP:127.0.0.1\n' >"$T/ext.cnf"
openssl x509 -req -in "$T/srv.csr" -CA "$T/ca.pem" -CAkey "$T/ca.key" \
    -CAcreateserial -days 2 -extfile "$T/ext.cnf" -out "$T/srv.pem" \
    >/dev/null 2>&1

# --- nginx, unprivileged, on an ephemeral port ------------------------------
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$T/ng/logs" "$T/ng/tmp"
cat >"$T/ng/nginx.conf" <<EOF
daemon off;
master_process off;
worker_processes 1;
pid $T/ng/nginx.pid;
error_log $T/ng/logs/error.log warn;
events { worker_connections 64; }
http {
	client_body_temp_path $T/ng/tmp/body;
	proxy_temp_path $T/ng/tmp/proxy;
	fastcgi_temp_path $T/ng/tmp/fastcgi;
	uwsgi_temp_path $T/ng/tmp/uwsgi;
	scgi_temp_path $T/ng/tmp/scgi;
	log_format sync '\$status "\$request" inm="\$http_if_none_match" ims="\$http_if_modified_since" range="\$http_range"';
	access_log $T/ng/logs/access.log sync;
	server {
		listen 127.0.0.1:$PORT ssl http2;
		ssl_certificate $T/srv.pem;
		ssl_certificate_key $T/srv.key;
		root $W;
		autoindex on;
		disable_symlinks off;
		default_type application/octet-stream;
	}
}
EOF
chmod -R a+rX "$T"
if [ "$(id -u)" -eq 0 ]; then
	chown -R nobody "$T/ng"
	setpriv --reuid=nobody --regid=nogroup --clear-groups \
	    "$NGINX" -p "$T/ng" -c "$T/ng/nginx.conf" -e "$T/ng/logs/error.log" \
	    2>"$T/ng/stderr" &
else
	"$NGINX" -p "$T/ng" -c "$T/ng/nginx.conf" -e "$T/ng/logs/error.log" \
	    2>"$T/ng/stderr" &
fi
NGPID=$!
i=0
until curl -s --cacert "$T/ca.pem" -o /dev/null "https://127.0.0.1:$PORT/"; do
	i=$((i + 1))
	[ $i -lt 50 ] || { cat "$T/ng/stderr" "$T/ng/logs/error.log" >&2;
	    fail "nginx did not start"; }
	sleep 0.1
done
U=https://127.0.0.1:$PORT
D=$T/data
URLS="--url ris=$U/ris/ --url asrel=$U/caida/serial-2/
    --url irr.ripe=$U/ripe/dbase/split/
    --url irr.ripe-nonauth=$U/ripe/dbase/split/
    --url delegated.ripencc=$U/stats/ripencc/delegated-ripencc-extended-latest
    --url peeringdb=$U/pdb/api/ --url iana=$U/iana/ --url bogons=$U/bogons/
    --url rpki=$U/rpki/vrps.json"
OTHERS=rpki,irr.ripe,irr.ripe-nonauth,asrel,peeringdb,delegated.ripencc,iana,bogons

# --- dry run: the plan, no data file fetched --------------------------------
# shellcheck disable=SC2086
"$BIN" sync --data "$D" --cacert "$T/ca.pem" $URLS --only ris \
    --collectors rrc00 --at 2002-07-22T23:59:00Z --window 2h --dry-run \
    >"$T/plan" || fail "dry run"
grep -q "$U/ris/rrc00/2002.07/bview.20020722.2337.gz	$D/rib/bview.20020722.2337.rrc00.gz" \
    "$T/plan" || { cat "$T/plan"; fail "plan: RIB at or before --at"; }
grep -q "updates.20020722.2238.gz	$D/updates/updates.20020722.2238.rrc00.gz" \
    "$T/plan" || { cat "$T/plan"; fail "plan: updates in the window"; }
if grep -q "20020723" "$T/plan"; then fail "plan: a RIB after --at"; fi
# shellcheck disable=SC2086
"$BIN" sync --data "$D" --cacert "$T/ca.pem" --url routeviews=$U/rv/ \
    --only routeviews --collectors route-views2,route-views.linx \
    --at 2016-08-11T16:10:00Z --window 10m --dry-run >"$T/plan.rv" ||
    { cat "$T/plan.rv"; fail "dry run routeviews"; }
for want in \
    "$U/rv/bgpdata/2016.08/RIBS/rib.20160811.1400.bz2	$D/rib/rib.20160811.1400.route-views2.bz2" \
    "$U/rv/bgpdata/2016.08/UPDATES/updates.20160811.1600.bz2	$D/updates/updates.20160811.1600.route-views2.bz2" \
    "$U/rv/route-views.linx/bgpdata/2016.08/RIBS/rib.20160811.1400.bz2	$D/rib/rib.20160811.1400.route-views.linx.bz2" \
    "$U/rv/route-views.linx/bgpdata/2016.08/UPDATES/updates.20160811.1600.bz2	$D/updates/updates.20160811.1600.route-views.linx.bz2"; do
	grep -qF "$want" "$T/plan.rv" || { cat "$T/plan.rv"; fail "plan: $want"; }
done
# 16:15 starts after --at; 16:00 covers the window (15-minute files).
if grep -q "1615" "$T/plan.rv"; then fail "plan: an update file after --at"; fi
if grep -q '\.gz HTTP\|\.bz2 HTTP' "$T/ng/logs/access.log"; then
	fail "--dry-run fetched a data file"
fi

# --- first sync -----------------------------------------------------------
# shellcheck disable=SC2086
"$BIN" sync --data "$D" --cacert "$T/ca.pem" $URLS --only ris \
    --collectors rrc00 --at 2002-07-22T23:59:00Z --window 2h --jobs 2 \
    2>"$T/err1" || { cat "$T/err1"; fail "sync ris"; }
# shellcheck disable=SC2086
"$BIN" sync --data "$D" --cacert "$T/ca.pem" $URLS --only "$OTHERS" \
    --at 2021-12-01 --jobs 4 2>"$T/err2" || { cat "$T/err2"; fail "sync others"; }
for f in rib/bview.20020722.2337.rrc00.gz updates/updates.20020722.2238.rrc00.gz \
    asrel/20210901.as-rel2.txt.bz2 rpki/vrps.json \
    irr/ripe/ripe.db.as-set.gz irr/ripe-nonauth/ripe-nonauth.db.route.gz \
    peeringdb/net.json peeringdb/poc.json \
    delegated/delegated-ripencc-extended-latest \
    iana/iana-ipv4-special-registry.xml bogons/fullbogons-ipv6.txt; do
	[ -s "$D/$f" ] || fail "missing $D/$f"
done
[ ! -e "$D/asrel/20991201.as-rel2.txt.bz2" ] || fail "as-rel after --at taken"
cmp "$D/rib/bview.20020722.2337.rrc00.gz" "$DATA/mrt/bview.20020722.2337.gz" ||
    fail "RIB differs from the mirror"
grep -q "checksum ok" "$T/err2" || { cat "$T/err2"; fail "delegated .md5 not checked"; }
python3 - "$D" <<'EOF' || fail "sync.json"
import hashlib, json, os, sys
d = sys.argv[1]
m = json.load(open(os.path.join(d, "sync.json")))
assert m["format"] == "manrs-sync/1", m
assert m["peeringdb_access"] in ("public", "api-key"), m
files = {f["path"]: f for f in m["files"]}
for p, f in files.items():
    data = open(os.path.join(d, p), "rb").read()
    assert f["size"] == len(data), (p, f["size"], len(data))
    assert f["sha256"] == hashlib.sha256(data).hexdigest(), p
    assert f["url"].startswith("https://127.0.0.1:"), f
    assert f.get("etag"), ("nginx sends an ETag", p)
    assert f.get("fetched") and f.get("source"), f
rib = files["rib/bview.20020722.2337.rrc00.gz"]
assert rib["data_time"].startswith("2002-07-22T23:3"), rib
assert files["asrel/20210901.as-rel2.txt.bz2"]["data_time"] == "2021-09-01T00:00:00Z"
assert files["delegated/delegated-ripencc-extended-latest"]["checksum"].startswith("md5 ")
assert len(files) >= 16, sorted(files)
EOF

# HTTP/2 where offered (nginx's "listen ... http2", ALPN).
if grep -v ' HTTP/2.0" ' "$T/ng/logs/access.log" | grep -v '^$' | grep -q .; then
	grep -v ' HTTP/2.0" ' "$T/ng/logs/access.log" | head -3 >&2
	fail "requests not over HTTP/2"
fi

# --- second sync: only conditional requests, all answered 304 ----------------
before=$(wc -l <"$T/ng/logs/access.log")
# shellcheck disable=SC2086
"$BIN" sync --data "$D" --cacert "$T/ca.pem" $URLS --only "$OTHERS" \
    --at 2021-12-01 2>"$T/err3" || { cat "$T/err3"; fail "second sync"; }
# shellcheck disable=SC2086
"$BIN" sync --data "$D" --cacert "$T/ca.pem" $URLS --only ris \
    --collectors rrc00 --at 2002-07-22T23:59:00Z --window 2h \
    2>>"$T/err3" || { cat "$T/err3"; fail "second sync ris"; }
tail -n +"$((before + 1))" "$T/ng/logs/access.log" >"$T/second.log"
# Data files (not folder index pages, whose URLs end in /).
grep -v '/ HTTP' "$T/second.log" >"$T/second.data" || true
[ -s "$T/second.data" ] || fail "second sync sent no request for data files"
if grep -v '^304 ' "$T/second.data"; then
	fail "second sync fetched unchanged data (above: not 304)"
fi
if grep 'inm=""' "$T/second.data"; then
	fail "a request without If-None-Match"
fi
n304=$(wc -l <"$T/second.data")
grep -q "unchanged (304)" "$T/err3" || fail "no 'unchanged' line"

# --- a newer as-rel: taken, the older one retired into .keep/ (--keep 1) -----
ln -s "$DATA/caida/20210901.as-rel2.txt.bz2" \
    "$W/caida/serial-2/20211101.as-rel2.txt.bz2"
# shellcheck disable=SC2086
"$BIN" sync --data "$D" --cacert "$T/ca.pem" $URLS --only asrel \
    --at 2021-12-01 --keep 1 2>"$T/err4" || { cat "$T/err4"; fail "newer as-rel"; }
[ "$(ls "$D/asrel")" = "20211101.as-rel2.txt.bz2" ] ||
    fail "asrel/ after a newer file: $(ls "$D/asrel")"
ls "$D/.keep/asrel/" | grep -q '^20210901\.as-rel2\.txt\.bz2\.[0-9]\{8\}T[0-9]\{6\}Z$' ||
    fail "the older as-rel was not kept: $(ls -a "$D/.keep/asrel" 2>&1)"
python3 - "$D" <<'EOF' || fail "sync.json after the newer as-rel"
import json, os, sys
m = json.load(open(os.path.join(sys.argv[1], "sync.json")))
paths = [f["path"] for f in m["files"]]
assert "asrel/20211101.as-rel2.txt.bz2" in paths, paths
assert "asrel/20210901.as-rel2.txt.bz2" not in paths, paths
assert "rib/bview.20020722.2337.rrc00.gz" in paths, "other sources untouched"
EOF

# --- audit runs on what sync fetched -----------------------------------------
"$BIN" audit 3333 --data "$D" --json >"$T/audit.json" 2>"$T/audit.err"
rc=$?
if [ $rc -ne 0 ] && [ $rc -ne 5 ]; then
	cat "$T/audit.err"; fail "audit --data on the synced directory: exit $rc"
fi
# Its inputs section names where each file came from (DIR/sync.json).
python3 - "$T/audit.json" "$D" <<'EOF' || fail "audit inputs: URL and fetch time"
import json, sys
doc = json.loads(open(sys.argv[1]).readline())
ins = [i for i in doc["inputs"] if i["path"].startswith(sys.argv[2] + "/")]
assert ins, doc["inputs"]
for i in ins:
    if i["kind"] == "config":
        continue
    assert i.get("url", "").startswith("https://127.0.0.1:"), i
    assert i.get("fetched") and len(i.get("sha256") or "") == 64, i
rib = [i for i in ins if i["kind"] == "rib"][0]
assert rib["url"].endswith("/ris/rrc00/2002.07/bview.20020722.2337.gz"), rib
assert any("without an API key" in w for w in doc["warnings"]), doc["warnings"]
EOF
echo "ok: sync over HTTPS from nginx; second run: $n304 conditional requests, all 304"
