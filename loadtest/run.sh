#!/usr/bin/env bash
# `make load`: the load test of docs/performance.md ("Load"). On a throw-away PostgreSQL database it
# seeds the demo district at scale 1, serves it with gunicorn under production-like settings (DEBUG
# off, HTTPS off, config/gunicorn.py) on 127.0.0.1, and runs locust headless twice, bounded in time:
#   1. baseline: LOAD_USERS users browsing as officers and department heads;
#   2. the same while 100,000-row payment imports (`bench_import --keep`) run back to back.
# Results (locust CSV, logs, a summary) go to LOAD_OUT. Needs the local PostgreSQL (trust auth).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
LOCUST=.venv/bin/locust
PG=${LOAD_PG:-postgres://postgres@127.0.0.1:5432}
PORT=${LOAD_PORT:-8001}
USERS=${LOAD_USERS:-50}
RATE=${LOAD_RATE:-10}
DURATION=${LOAD_DURATION:-60s}  # in seconds, "60s"
OUT=${LOAD_OUT:-/tmp/budget-load}
# Measure on a quiet machine: wait up to LOAD_QUIET_WAIT seconds for the 1-minute load average to
# drop below LOAD_QUIET_BELOW before each measured run (then go on, and say what it was).
QUIET_WAIT=${LOAD_QUIET_WAIT:-1200}
QUIET_BELOW=${LOAD_QUIET_BELOW:-1.0}
# The imports' CPU priority (`nice` value): 0 as run; 19 as a worker started with `nice -n 19` would.
IMPORT_NICE=${LOAD_IMPORT_NICE:-0}
DB="load_$$"

export LOAD_PASSWORD=${LOAD_PASSWORD:-load-test-password-2021}
export DJANGO_SETTINGS_MODULE=config.settings DJANGO_DEBUG=0 HTTPS=0 TRUSTED_PROXY_COUNT=0
export ALLOWED_HOSTS=127.0.0.1 CELERY_BROKER_URL= LOG_LEVEL=WARNING GUNICORN_LOG_LEVEL=warning
export DATABASE_URL="$PG/$DB" STATIC_ROOT="$OUT/static"
SECRET_KEY=$($PY -c 'import secrets; print(secrets.token_urlsafe(50))')
export SECRET_KEY

mkdir -p "$OUT"
rm -f "$OUT"/*.csv "$OUT"/*.log "$OUT"/summary.md
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true
}
trap cleanup EXIT

wait_for_quiet() {
  local waited=0 load
  while :; do
    load=$(cut -d' ' -f1 /proc/loadavg)
    if awk -v l="$load" -v b="$QUIET_BELOW" 'BEGIN { exit !(l < b) }' || [ "$waited" -ge "$QUIET_WAIT" ]; then
      echo "$load"
      return
    fi
    sleep 30
    waited=$((waited + 30))
  done
}

echo "== seeding $DB (scale 1)"
psql "$PG/postgres" -qc "CREATE DATABASE $DB" >/dev/null
$PY manage.py migrate --noinput >"$OUT/setup.log" 2>&1
$PY manage.py seed_demo --scale 1 --password "$LOAD_PASSWORD" >>"$OUT/setup.log" 2>&1
$PY manage.py recompute --year 2020 >>"$OUT/setup.log" 2>&1
$PY manage.py recompute --year 2021 >>"$OUT/setup.log" 2>&1
$PY manage.py collectstatic --noinput >>"$OUT/setup.log" 2>&1
psql "$DATABASE_URL" -qc "VACUUM ANALYZE" >/dev/null

echo "== gunicorn on 127.0.0.1:$PORT"
# The address on the command line too, so that its processes can be told apart in `top`.
$PY -m gunicorn -c config/gunicorn.py --bind "127.0.0.1:$PORT" >"$OUT/gunicorn.log" 2>&1 &
pids+=($!)
HEALTHCHECK_ADDRESS="127.0.0.1:$PORT" HEALTHCHECK_TIMEOUT=2 $PY - <<'WAIT'
import subprocess, sys, time
for _ in range(120):
    if subprocess.run([sys.executable, "config/healthcheck.py"], capture_output=True).returncode == 0:
        sys.exit(0)
    time.sleep(0.5)
sys.exit("gunicorn did not answer /healthz")
WAIT

run_locust() {  # name
  # What else the machine runs meanwhile: every process's CPU every 5 s (loadtest/summarise.py).
  top -b -c -w 512 -d 5 -n $(( ${DURATION%s} / 5 + 1 )) >"$OUT/$1-top.log" 2>&1 &
  $LOCUST -f loadtest/locustfile.py --headless -u "$USERS" -r "$RATE" -t "$DURATION" --stop-timeout 5 \
    --only-summary --host "http://127.0.0.1:$PORT" --csv "$OUT/$1" --loglevel WARNING \
    >"$OUT/$1-locust.log" 2>&1 || true
}

load=$(wait_for_quiet)
echo "== baseline: $USERS users for $DURATION (1-minute load average before: $load)"
echo "database=$DB address=127.0.0.1:$PORT baseline_load=$load" >"$OUT/conditions.txt"
run_locust baseline

load=$(wait_for_quiet)
echo "== the same while 100,000-row imports run back to back (load average before: $load)"
echo "import_load=$load import_nice=$IMPORT_NICE" >>"$OUT/conditions.txt"
(
  sleep 5  # once every user has logged in
  while :; do
    nice -n "$IMPORT_NICE" $PY manage.py bench_import --rows 100000 --keep >>"$OUT/imports.log" 2>&1 &
    echo $! >"$OUT/import.pid"
    wait $! || true
  done
) &
importer=$!
pids+=("$importer")
run_locust during-import
kill "$importer" 2>/dev/null || true
wait "$importer" 2>/dev/null || true
kill "$(cat "$OUT/import.pid")" 2>/dev/null || true

$PY loadtest/summarise.py "$OUT" | tee "$OUT/summary.md"
