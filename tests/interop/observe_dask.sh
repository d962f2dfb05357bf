#!/bin/sh
# scripts/observe-dask on a real dask-scheduler and two dask-workers
# (Debian's python3-distributed) on 127.0.0.1, ephemeral ports: a real
# RIS updates file split by peer into two shards, run as two tasks, merged;
# the output (JSON, and CSV with its stderr inputs section) must be the
# bytes of one `manrs observe` over both shards.  Bounded waits; every
# process started is killed on exit.
set -u
MANRS=${MANRS_BIN:?}
SRC=${MANRS_SOURCE_ROOT:?}
B=${MANRS_BUILD_ROOT:?}
D=${MANRS_SHARED_DATA:-../shared/data}
UPD=$D/mrt/updates.20160811.1600.gz
for p in dask-scheduler dask-worker; do
	command -v $p >/dev/null || { echo "SKIP: $p not installed"; exit 77; }
done
# Debian's interpreter (python3-distributed), whatever python3 is on PATH.
PY=$(sed -n '1s/^#! *//p' "$(command -v dask-scheduler)")
"$PY" -c 'import distributed' 2>/dev/null ||
    { echo "SKIP: python3-distributed missing"; exit 77; }
[ -f "$UPD" ] || { echo "SKIP: shared data absent ($D)"; exit 77; }
[ -x "$B/tests/audit/mrt_split" ] || { echo "SKIP: mrt_split not built"; exit 77; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/observe_dask.XXXXXX")
pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	sleep 1
	for p in $pids; do kill -9 "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
cd "$tmp" || exit 1
export DASK_DISTRIBUTED__WORKER__DAEMON=False
"$B/tests/audit/mrt_split" peer "$UPD" a.mrt b.mrt >/dev/null || exit 1
REF="--no-progress --vrps $D/rpki/json.gz --now 1683212000 --asrel $D/caida/20210901.as-rel2.txt.bz2"

dask-scheduler --host 127.0.0.1 --port 0 --no-dashboard \
    --scheduler-file sched.json >sched.log 2>&1 &
pids="$pids $!"
i=0
while [ ! -s sched.json ] && [ $i -lt 60 ]; do sleep 0.5; i=$((i + 1)); done
[ -s sched.json ] || { echo "FAIL: no scheduler"; cat sched.log; exit 1; }
for w in 1 2; do
	dask-worker --scheduler-file sched.json --host 127.0.0.1 \
	    --nthreads 1 --nworkers 1 --no-dashboard --no-nanny \
	    --name "w$w" >"worker$w.log" 2>&1 &
	pids="$pids $!"
done
i=0
until "$PY" - <<'PY' 2>/dev/null
import sys
from distributed import Client
c = Client(scheduler_file='sched.json', timeout=5)
n = len(c.scheduler_info()['workers'])
c.close()
sys.exit(0 if n >= 2 else 1)
PY
do
	i=$((i + 1))
	[ $i -lt 60 ] || { echo "FAIL: workers did not join"; cat worker*.log; exit 1; }
	sleep 0.5
done

fail=0
$MANRS observe --json $REF --updates a.mrt --updates b.mrt >one.json 2>one.err
timeout 300 "$PY" "$SRC/scripts/observe-dask" --scheduler-file sched.json \
    --manrs "$MANRS" --ref "$REF" --shard "--updates a.mrt" \
    --shard "--updates b.mrt" -- --json >dask.json 2>dask.err
rc=$?
if [ $rc -eq 0 ] && [ -s one.json ] && cmp -s one.json dask.json; then
	echo "ok   dask (2 workers) --json == one run ($(wc -c <one.json) bytes)"
else
	echo "FAIL dask --json (exit $rc)"; head -20 dask.err; fail=1
fi
$MANRS observe $REF --updates a.mrt --updates b.mrt >one.csv 2>one.err
timeout 300 "$PY" "$SRC/scripts/observe-dask" --scheduler-file sched.json \
    --manrs "$MANRS" --ref "$REF" --shard "--updates a.mrt" \
    --shard "--updates b.mrt" >dask.csv 2>dask.err
if cmp -s one.csv dask.csv && cmp -s one.err dask.err; then
	echo "ok   dask CSV and inputs section == one run"
else
	echo "FAIL dask CSV"; diff one.err dask.err | head; fail=1
fi
timeout 60 "$PY" "$SRC/scripts/observe-dask" --scheduler-file sched.json \
    --manrs "$MANRS" --ref "$REF" --shard "--updates missing.mrt" \
    >/dev/null 2>bad.err
if [ $? -eq 1 ] && grep -q 'shard 1' bad.err; then
	echo "ok   a failing shard fails the run, named"
else
	echo "FAIL failing shard"; cat bad.err; fail=1
fi
exit $fail
