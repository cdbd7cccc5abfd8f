#!/usr/bin/env bash
# The load test (bench/load/README.md): a throw-away PostgreSQL cluster on port 5441, Redis,
# gunicorn with deploy/gunicorn.conf.py in the production profile, the bench network, then
# locust headless twice: 20 users with 1–3 s think time, and a saturation run without it.
#
#   bench/load/run.sh                                  # 1,000,000 ledger rows, 200,000 volunteers
#   LEDGER=100000 VOLUNTEERS=20000 bench/load/run.sh   # a smaller network first
#   KEEP=1 bench/load/run.sh                           # leave the cluster, Redis and gunicorn up
#   LOAD_ONLY=1 bench/load/run.sh                      # only create and fill the cluster
#   RUN_VOLUNTEERS=0 bench/load/run.sh                 # no placement run during the think-time run
#   PER_PAGE=1 RUN_VOLUNTEERS=0 bench/load/run.sh      # each target page saturated alone, 30 s each
#   PER_PAGE=1 MIX=1 ...                               # the same, then the mix's two runs
#
# PER_PAGE: PAGES (default "catalogue mission balance report", names of locustfile.py's
# BENCH_ONLY), PAGE_DURATION (30s), PAGE_USERS (20), LOAD_BELOW (wait up to 60 s before each
# page until the 1-minute load average is below it; default 0 = do not wait).
#
# Results: bench/load/results/<label>_stats.csv (locust's CSV) and the summary printed.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BIN=$ROOT/.venv/bin
LEDGER=${LEDGER:-1000000}
VOLUNTEERS=${VOLUNTEERS:-200000}
DURATION=${DURATION:-60s}
THINK_DURATION=${THINK_DURATION:-$DURATION}
USERS=${USERS:-20}
SAT_USERS=${SAT_USERS:-20}
WORKERS=${GUNICORN_WORKERS:-5}  # as deploy/gunicorn.conf.py on 2 cores (2 × cores + 1)
PORT=${PORT:-8771}
PGPORT=5441
PGBIN=${PGBIN:-/usr/local/bin}
PGDATA=${PGDATA:-/tmp/reciprocity-load-pg-$LEDGER}
REDIS_PORT=${REDIS_PORT:-6391}
RUNDIR=/tmp/reciprocity-load-run
RESULTS=$ROOT/bench/load/results
mkdir -p "$RUNDIR" "$RESULTS"

# --- PostgreSQL: one cluster per data size, kept between runs (the load is the slow part) ---
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  mkdir -p "$PGDATA"; chown postgres:postgres "$PGDATA"
  echo postgres > "$RUNDIR/pgpw"; chown postgres "$RUNDIR/pgpw"
  runuser -u postgres -- "$PGBIN/initdb" -D "$PGDATA" -A scram-sha-256 --pwfile="$RUNDIR/pgpw" \
    -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
fi
if ! runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w -o \
    "-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
     -c full_page_writes=off -c shared_buffers=256MB -c random_page_cost=1.1 -c max_connections=100" start >/dev/null
fi
export PGPASSWORD=postgres
if ! psql -h 127.0.0.1 -p $PGPORT -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='bench'" | grep -q 1; then
  psql -h 127.0.0.1 -p $PGPORT -U postgres -q -c "CREATE ROLE bench LOGIN PASSWORD 'bench' CREATEDB" \
    -c "CREATE DATABASE bench OWNER bench"
fi
unset PGPASSWORD

# --- Redis: cache (sessions, balance figures) and broker ---
if ! redis-cli -p $REDIS_PORT ping >/dev/null 2>&1; then
  redis-server --bind 127.0.0.1 --port $REDIS_PORT --daemonize yes --save '' --appendonly no \
    --pidfile "$RUNDIR/redis.pid" --logfile "$RUNDIR/redis.log"
  sleep 0.5
fi
redis-cli -p $REDIS_PORT flushall >/dev/null

export DATABASE_URL=postgres://bench:bench@127.0.0.1:$PGPORT/bench
export REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
export RECIPROCITY_ENV=production SECURE_SSL_REDIRECT=0 LOG_LEVEL=WARNING
# Production secrets, made once and kept beside the runs (encrypted fields must stay readable).
[ -f "$RUNDIR/keys.env" ] || python3 -c "import secrets; t = secrets.token_urlsafe
print(f'export SECRET_KEY={t(64)} FIELD_ENCRYPTION_KEY={t(48)}')" > "$RUNDIR/keys.env"
. "$RUNDIR/keys.env"
export RECIPROCITY_VAR_DIR=$RUNDIR/var
# One client address and one token make all the traffic: the API rate limits would answer 429.
export API_RATE_LIMIT_PER_TOKEN=0 API_RATE_LIMIT_PER_ADDRESS=0

# --- data ---
if [ "$($BIN/reciprocity shell -c 'from reciprocity.volunteers.models import Volunteer as V; print(V.objects.exists())' 2>/dev/null | tail -1)" != "True" ]; then
  /usr/bin/time -f "bench-data: %e s wall, %M KB max RSS" \
    $BIN/reciprocity bench-data --ledger "$LEDGER" --volunteers "$VOLUNTEERS"
fi
if [ -n "${LOAD_ONLY:-}" ]; then   # fill the cluster now, measure later (a quieter machine)
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null
  exit 0
fi
# The cluster outlives code changes: bring its schema up to the checkout's.
$BIN/reciprocity migrate --no-input -v0
$BIN/reciprocity collectstatic --no-input -v0
$BIN/python bench/load/sessions.py > "$RUNDIR/sessions.json"
# The placement run's input: RUN_VOLUNTEERS submitted applications with three choices each.
RUN_VOLUNTEERS=${RUN_VOLUNTEERS:-10000}
[ "$RUN_VOLUNTEERS" -gt 0 ] && $BIN/python bench/load/run_inputs.py "$RUN_VOLUNTEERS"

# --- a Celery worker (placement runs), one process: the engine takes a core while it solves ---
# At lower priority, as deploy/systemd/reciprocity-worker.service runs it (WORKER_NICE=0: not).
nice -n "${WORKER_NICE:-19}" $BIN/celery -A reciprocity worker -c 1 --loglevel WARNING --detach \
  --pidfile "$RUNDIR/celery.pid" --logfile "$RUNDIR/celery.log"

# --- gunicorn ---
GUNICORN_BIND=127.0.0.1:$PORT GUNICORN_WORKERS=$WORKERS \
  $BIN/gunicorn -c deploy/gunicorn.conf.py reciprocity.wsgi --daemon --pid "$RUNDIR/gunicorn.pid" \
  --access-logfile /dev/null --error-logfile "$RUNDIR/gunicorn.log" --capture-output
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
# Each worker imports lazily on its first requests (seconds on a busy machine): warm them up.
for _ in $(seq $((WORKERS * 4))); do curl -s -o /dev/null "http://127.0.0.1:$PORT/missions/"; done
# The balance pages of each year the journeys ask, once: what a working day leaves in the cache
# (entries live until the next ledger write). WARM_CACHE=0 measures them cold.
if [ "${WARM_CACHE:-1}" = 1 ]; then
  COOKIE=$($BIN/python -c "import json; d = json.load(open('$RUNDIR/sessions.json')); print(d['cookie'] + '=' + d['sessions']['coordinator'])")
  for y in $(seq 2015 2026); do
    curl -s -o /dev/null -H "Cookie: $COOKIE" "http://127.0.0.1:$PORT/balance/?year=$y"
    curl -s -o /dev/null -H "Cookie: $COOKIE" "http://127.0.0.1:$PORT/balance/report/?year=$y&host_country=FR&scheme=&basis=start"
  done
fi

stop() {
  if [ -z "${KEEP:-}" ]; then
    [ -f "$RUNDIR/gunicorn.pid" ] && kill "$(cat "$RUNDIR/gunicorn.pid")" 2>/dev/null || true
    [ -f "$RUNDIR/celery.pid" ] && kill "$(cat "$RUNDIR/celery.pid")" 2>/dev/null || true
    [ -f "$RUNDIR/redis.pid" ] && kill "$(cat "$RUNDIR/redis.pid")" 2>/dev/null || true
    runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null || true
  fi
}
trap stop EXIT

export BENCH_SESSIONS=$RUNDIR/sessions.json
label="${LEDGER}"

# --- each page alone at saturation: its own capacity (the mix's per-page rates are shares) ---
summary() {  # locust's printed summary -> requests, req/s, failures, p50, p95, max (all requests)
  $BIN/python -c "import sys
rows = [line.split() for line in open(sys.argv[1]) if line.split()[:1] == ['Aggregated']]
n, failures, mx, rps = rows[0][1], rows[0][2], rows[0][6], rows[0][9]
print(f'{n} requests, {rps} req/s, {failures} failures, p50 {rows[1][1]} ms, p95 {rows[1][6]} ms, max {mx} ms')" "$1"
}
cpu_seconds() {  # pids: CPU seconds of each and of its children, live and already reaped
  $BIN/python -c "import os, sys
pids = set(sys.argv[1:]) | {c for p in sys.argv[1:] for c in open(f'/proc/{p}/task/{p}/children').read().split()}
ticks = 0
for p in pids:
    try:
        ticks += sum(int(f) for f in open(f'/proc/{p}/stat').read().rsplit(')', 1)[1].split()[11:15])
    except OSError:
        pass
print(ticks / os.sysconf('SC_CLK_TCK'))" "$@"
}
if [ -n "${PER_PAGE:-}" ]; then
  echo "== each page alone, no think time, ${PAGE_USERS:-20} users, ${PAGE_DURATION:-30s} each;" \
    "gunicorn: $WORKERS workers, ${GUNICORN_THREADS:-1} thread(s)"
  for page in ${PAGES:-catalogue mission balance report}; do
    for _ in $(seq 12); do   # LOAD_BELOW: let the machine settle (5 s steps, 60 s at most)
      awk -v max="${LOAD_BELOW:-0}" '{exit !($1 >= max && max > 0)}' /proc/loadavg || break
      sleep 5
    done
    before=$(cut -d' ' -f1-3 /proc/loadavg)
    # Where the two cores went: gunicorn (master + workers), PostgreSQL (postmaster + backends),
    # locust (/usr/bin/time), in CPU milliseconds per request.
    GPID=$(cat "$RUNDIR/gunicorn.pid"); PGPID=$(head -1 "$PGDATA/postmaster.pid")
    g0=$(cpu_seconds "$GPID"); p0=$(cpu_seconds "$PGPID")
    BENCH_NO_THINK=1 BENCH_ONLY=$page /usr/bin/time -f "%U %S" -o "$RUNDIR/only_$page.time" $BIN/locust -f bench/load/locustfile.py --headless \
      -u "${PAGE_USERS:-20}" -r "${PAGE_USERS:-20}" -t "${PAGE_DURATION:-30s}" \
      --host "http://127.0.0.1:$PORT" --only-summary --csv "$RESULTS/${label}_only_$page" \
      > "$RUNDIR/only_$page.out" 2>&1 || true
    echo "$page [$(date +%T)]: $(summary "$RUNDIR/only_$page.out");" \
      "load average before $before, after $(cut -d' ' -f1-3 /proc/loadavg)"
    g1=$(cpu_seconds "$GPID"); p1=$(cpu_seconds "$PGPID")
    n=$(awk '$1 == "Aggregated" {print $2; exit}' "$RUNDIR/only_$page.out")
    awk -v g="$(echo "$g1 - $g0" | bc)" -v p="$(echo "$p1 - $p0" | bc)" -v n="$n" \
      '{printf "  CPU per request: gunicorn %.1f ms, PostgreSQL %.1f ms, locust %.1f ms\n", 1000*g/n, 1000*p/n, 1000*($1+$2)/n}' \
      "$RUNDIR/only_$page.time"
  done
  [ -n "${MIX:-}" ] || exit 0
fi
echo "== think time 1-3 s, $USERS users, $THINK_DURATION; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
# Users start over 5 s (THINK_SPAWN_RATE a second): started in the same instant, their 20 first
# requests arrive together, a burst no population with think time makes (in the 19:27 run of
# 2026-12-06 it was the only stall: 400-510 ms in the first second, 5-60 ms after).
$BIN/locust -f bench/load/locustfile.py --headless -u "$USERS" -r "${THINK_SPAWN_RATE:-4}" -t "$THINK_DURATION" \
  --host "http://127.0.0.1:$PORT" --only-summary --csv "$RESULTS/${label}_think" > "$RUNDIR/think.out" 2>&1 &
LOCUST=$!
RUN_ID=""
if [ "$RUN_VOLUNTEERS" -gt 0 ]; then
  # The placement run of the season's applicants, through the API, while the pages are measured.
  sleep 5
  TOKEN=$($BIN/python -c "import json; print(json.load(open('$RUNDIR/sessions.json'))['token'])")
  RUN_JSON=$(curl -s -X POST "http://127.0.0.1:$PORT/api/v1/matching/runs" \
    -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \
    -d '{"label": "load test", "season_start": "2027-01-01", "season_end": "2027-12-31", "mode": "optimal", "time_limit": 60}')
  RUN_ID=$(echo "$RUN_JSON" | $BIN/python -c "import json, sys; print(json.load(sys.stdin)['id'])" 2>/dev/null) \
    || echo "run not submitted: $RUN_JSON"
  echo "placement run $RUN_ID submitted at $(date +%T)"
fi
wait $LOCUST || true
tail -25 "$RUNDIR/think.out"
echo "load average after the think-time run: $(cut -d' ' -f1-3 /proc/loadavg)"
run_status() {
  curl -sf "http://127.0.0.1:$PORT/api/v1/matching/runs/$RUN_ID" -H "Authorization: Bearer $TOKEN" \
    | $BIN/python -c "import json, sys; r = json.load(sys.stdin); print(r['status'], r['stage'], r['progress'], r['seconds'], r['figures'], r['error'][:200])"
}
[ -n "$RUN_ID" ] && echo "placement run $RUN_ID at $(date +%T): $(run_status)"
echo "== saturation (no think time), $SAT_USERS users, $DURATION"
BENCH_NO_THINK=1 $BIN/locust -f bench/load/locustfile.py --headless -u "$SAT_USERS" -r "$SAT_USERS" \
  -t "$DURATION" --host "http://127.0.0.1:$PORT" --only-summary --csv "$RESULTS/${label}_saturation" 2>&1 | tail -25
echo "load average after the saturation run: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "$RUN_ID" ]; then
  # Wait for the placement run (RUN_WAIT seconds at most): it must finish on the worker.
  for _ in $(seq $((${RUN_WAIT:-900} / 10))); do
    status=$(run_status); case "$status" in succeeded*|failed*|cancelled*) break;; esac; sleep 10
  done
  echo "placement run $RUN_ID at $(date +%T): $(run_status)"
fi
