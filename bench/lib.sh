# shellcheck shell=bash
# Shared set-up of the benchmarks, sourced by bench/run.sh, bench/search.sh and bench/feedback.sh:
# wrk, a PostgreSQL cluster (and for the search benchmark an Elasticsearch node) of the benchmark's
# own, the benchmark's database loaded with the plan, production settings, gunicorn on a free
# loopback port, waiting for a quiet CPU, and the cleanup on the way out. Sourcing it sets
# `set -euo pipefail`, moves to the checkout's root and installs the cleanup trap.
#
# Environment, the same for every benchmark (each script's header lists its own):
#   BENCH_FRESH_DB=1   drop and reload the benchmark's database first
#   BENCH_KEEP_PG=1    leave PostgreSQL running even when this run started it
#   BENCH_SHARED_PG=1  use the shared cluster (PG_PORT, default 54329; PG_CLUSTER_DIR) rather than
#                      the benchmark's own; BENCH_PG_PORT (54339, page and search benchmarks) and
#                      BENCH_FEEDBACK_PG_PORT (54349, feedback benchmark) move the own ones
#   BENCH_WAIT_QUIET   seconds to wait for the CPU to be < 20 % busy before measuring (30)
#   BENCH_DURATION     seconds of load per measurement (the default is each script's)
# and for the Elasticsearch node of the search benchmark:
#   BENCH_KEEP_ES=1    leave Elasticsearch running even when this run started it
#   BENCH_SHARED_ES=1  use the shared node on ES_PORT (9200; ES_RUN_DIR) rather than the bench's own
#   BENCH_ES_PORT (9219), BENCH_ES_HEAP (256m), BENCH_ES_FULL_JIT (1: the full JIT, as a production
#                      node would run; 0: scripts/elasticsearch.sh's default C1-only JIT)
#
# Before measuring anything a script calls, in this order (each names its step):
#   bench_results NAME        RESULTS=bench/results/NAME, SETUP_LOG
#   bench_need_wrk            (page and search benchmarks)
#   bench_pg_start NAME PORT  with DB set: PG_ENV, PSQL, DATABASE_URL, POSTMASTER, PG_WAS_UP
#   bench_es_start            (search benchmark) ES_URL, ES_PID
#   bench_pg_database, bench_load_plan [--staff] [--no-search], bench_load_demo_corpus N (search benchmark)
#   bench_prod_env (then adds to PROD_ENV), bench_collectstatic, bench_free_port
# and for each server: bench_gunicorn_start ARGS…, bench_wait_ok PATH SECONDS TIMEOUT,
# bench_wait_quiet [LABEL], bench_latency PATH…, bench_wrk PATH…, bench_stop_gunicorn.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PY=.venv/bin/python
PG_PORT="${PG_PORT:-54329}"
CHECKOUT=$(pwd | md5sum | cut -c1-10)  # the services' directories are per checkout, as scripts/ makes them
BENCH_NAME=bench                        # what fail() prefixes its message with
GUNICORN_PID=""
T0=$(date +%s)

step() { printf '\n== %s (%ss)\n' "$*" "$(($(date +%s) - T0))"; }
fail() { echo "$BENCH_NAME: $*" >&2; exit 1; }

bench_results() {  # NAME: a fresh directory for this run's results (bench/results/ is git-ignored)
  RESULTS="bench/results/$1"
  mkdir -p "$RESULTS"
  SETUP_LOG="$RESULTS/setup.log"
  [ -x "$PY" ] || fail "no $PY: run make venv"
}

bench_need_wrk() {  # wrk from Debian
  command -v wrk >/dev/null 2>&1 && return
  [ "$(id -u)" = 0 ] || fail "wrk is missing and installing it needs root: sudo apt-get install -y wrk"
  step "installing wrk"
  export DEBIAN_FRONTEND=noninteractive
  timeout 300 apt-get update -qq >>"$SETUP_LOG" 2>&1
  timeout 300 apt-get install -y -qq wrk >>"$SETUP_LOG" 2>&1 || fail "apt-get install wrk failed (see $SETUP_LOG)"
}

bench_pg_up() {
  command -v psql >/dev/null 2>&1 && psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc 'SELECT 1' postgres >/dev/null 2>&1
}

# PostgreSQL through scripts/postgres.sh, in a cluster of the benchmark's own (/tmp/NAME-<checkout>
# on PORT): `make test` stops the shared cluster on 54329 when it ends, which would cut a benchmark
# short, and its queries would compete with the measured ones; each benchmark has its own for the
# same reason (whichever run started a cluster stops it). BENCH_SHARED_PG=1 uses the shared one.
# Either way it is stopped afterwards only if this run started it. Note that scripts/postgres.sh
# runs with fsync, synchronous_commit and full_page_writes off: commits cost no disk flush here.
bench_pg_start() {  # NAME PORT; DB must be set
  if [ -n "${BENCH_SHARED_PG:-}" ]; then
    PG_CLUSTER="${PG_CLUSTER_DIR:-/tmp/portal-pg-$CHECKOUT}"
  else
    PG_PORT="$2"
    PG_CLUSTER="/tmp/$1-$CHECKOUT"
  fi
  PG_ENV=(PG_PORT="$PG_PORT" PG_CLUSTER_DIR="$PG_CLUSTER" PG_DB="$DB")
  PG_WAS_UP=0
  bench_pg_up && PG_WAS_UP=1
  step "starting PostgreSQL on 127.0.0.1:$PG_PORT"
  ADMIN_URL=$(env "${PG_ENV[@]}" timeout 300 bash scripts/postgres.sh start)
  PSQL=(psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -tA)
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -x "$bin/psql" ] && PSQL[0]="$bin/psql"
  export DATABASE_URL="${ADMIN_URL%/*}/$DB"
  POSTMASTER=$(head -n 1 "$PG_CLUSTER/data/postmaster.pid" 2>/dev/null || echo 0)
}

bench_pg_database() {  # create DB when missing; BENCH_FRESH_DB=1 drops it first
  if [ -n "${BENCH_FRESH_DB:-}" ]; then
    "${PSQL[@]}" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" postgres >/dev/null
  fi
  "${PSQL[@]}" -c "SELECT 1 FROM pg_database WHERE datname = '$DB'" postgres | grep -q 1 \
    || "${PSQL[@]}" -c "CREATE DATABASE $DB" postgres >/dev/null
}

# Elasticsearch: a node of the bench's own (port 9219, data in /tmp/portal-bench-es-…), not the shared
# one on 9200 that `make run-full` and `make test` use: a test run stops the node it started when it
# ends, and its indexing would compete with the measured searches.
bench_es_start() {
  if [ -n "${BENCH_SHARED_ES:-}" ]; then
    ES_RUN="${ES_RUN_DIR:-/tmp/portal-es-$CHECKOUT}"
    ES_ENV=(ES_RUN_DIR="$ES_RUN")
  else
    ES_RUN="/tmp/portal-bench-es-$CHECKOUT"
    ES_ENV=(ES_RUN_DIR="$ES_RUN" ES_PORT="${BENCH_ES_PORT:-9219}" ES_HEAP="${BENCH_ES_HEAP:-256m}")
    [ "${BENCH_ES_FULL_JIT:-1}" = 1 ] && ES_ENV+=(ES_FULL_JIT=1)
  fi
  ES_WAS_UP=0
  env "${ES_ENV[@]}" bash scripts/elasticsearch.sh status && ES_WAS_UP=1
  step "starting Elasticsearch"
  ES_URL=$(env "${ES_ENV[@]}" ES_START_TIMEOUT=120 timeout 300 bash scripts/elasticsearch.sh start 2>>"$SETUP_LOG") \
    || fail "Elasticsearch did not start (see $SETUP_LOG)"
  ES_PID=$(tr -dc 0-9 <"$ES_RUN/elasticsearch.pid" 2>/dev/null || echo 0)
}

# The plan and its sample measurements, loaded with development settings (idempotent).
# --staff adds the staff groups; --no-search loads without ELASTICSEARCH_URL (nothing is indexed).
bench_load_plan() {
  local staff=0 search=1 arg
  for arg in "$@"; do
    case "$arg" in
      --staff) staff=1 ;;
      --no-search) search=0 ;;
      *) fail "bench_load_plan: unknown option $arg" ;;
    esac
  done
  step "loading the plan into $DB"
  # Chained with &&: under `|| fail`, set -e does not reach into the subshell.
  (
    export DJANGO_SETTINGS_MODULE=portal.settings.dev
    [ "$search" = 1 ] || unset ELASTICSEARCH_URL
    timeout 150 "$PY" manage.py migrate --noinput -v0 \
      && timeout 120 "$PY" manage.py load_plan --sample \
      && { [ "$staff" = 0 ] || timeout 60 "$PY" manage.py setup_staff; }
  ) >>"$SETUP_LOG" 2>&1 || fail "loading data failed (see $SETUP_LOG)"
}

# N demo progress updates (manage.py load_demo_corpus, development settings as the plan's load, without
# ELASTICSEARCH_URL: --no-index, the benchmark's own rebuild indexes them). A rerun adds only the missing
# numbers (~5 s to find none missing); a database that holds more than N is emptied of them and refilled.
bench_load_demo_corpus() {  # N
  step "loading $1 demo updates into $DB (load_demo_corpus)"
  (
    export DJANGO_SETTINGS_MODULE=portal.settings.dev
    unset ELASTICSEARCH_URL
    held=$(timeout 60 "$PY" manage.py shell -v 0 -c \
      'from portal.updates.services import demo_updates; print(demo_updates().count())' | tail -n 1) \
      && echo "demo updates held: $held" \
      && if [ "$held" -gt "$1" ]; then delete=--delete; else delete=; fi \
      && timeout 600 "$PY" manage.py load_demo_corpus --updates "$1" --no-index $delete
  ) >>"$SETUP_LOG" 2>&1 || fail "load_demo_corpus failed (see $SETUP_LOG)"
  tail -n 1 "$SETUP_LOG"
}

bench_clear_submissions() {  # the submissions earlier runs made (titles BENCH…), their tasks, the sessions
  "${PSQL[@]}" "$DB" >>"$SETUP_LOG" <<'SQL'
DELETE FROM participation_submissionevent
  WHERE submission_id IN (SELECT id FROM participation_submission WHERE title LIKE 'BENCH%');
DELETE FROM participation_submission WHERE title LIKE 'BENCH%';
TRUNCATE django_tasks_database_dbtaskresult;
TRUNCATE django_session;
VACUUM ANALYZE participation_submission, participation_submissionevent, django_session, django_tasks_database_dbtaskresult;
SQL
}

bench_prod_env() {  # PROD_ENV: production settings for everything the server does (a script may add to it)
  PROD_ENV=(
    DJANGO_SETTINGS_MODULE=portal.settings.production
    SECRET_KEY="bench-only-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
    ALLOWED_HOSTS=127.0.0.1,localhost
    DATABASE_URL="$DATABASE_URL"
    SITE_URL=http://127.0.0.1  # production requires it; only the links in open data, feeds and mail use it
    SECURE_SSL_REDIRECT=False
    SECURE_COOKIES=False
    "$(grep -v '^#' scripts/malloc.env)"  # the allocator settings the deployment runs with
  )
}

bench_collectstatic() {
  step "collectstatic (manifest storage)"
  env "${PROD_ENV[@]}" timeout 120 "$PY" manage.py collectstatic --noinput -v0 >>"$SETUP_LOG" 2>&1 \
    || fail "collectstatic failed (see $SETUP_LOG)"
}

bench_free_port() {  # PORT and BASE: a free loopback port for gunicorn
  PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  BASE="http://127.0.0.1:$PORT"
}

# gunicorn portal.wsgi with PROD_ENV and these arguments (-w 2, …) on PORT, in the background.
# Variables set before the call (ELASTICSEARCH_URL=… bench_gunicorn_start …) reach the server too.
bench_gunicorn_start() {
  env "${PROD_ENV[@]}" "$PY" -m gunicorn portal.wsgi "$@" -b "127.0.0.1:$PORT" \
    --error-logfile "$RESULTS/gunicorn.log" >>"$RESULTS/gunicorn.log" 2>&1 &
  GUNICORN_PID=$!
}

bench_wait_ok() {  # PATH SECONDS TIMEOUT: until the server answers 200 on PATH (each try waits up to TIMEOUT s)
  "$PY" - "$BASE$1" "$2" "$3" <<'EOF' || fail "gunicorn did not answer 200 on ${1%%\?*} within $2 s (see $RESULTS/gunicorn.log)"
import sys, time, urllib.request
deadline = time.monotonic() + float(sys.argv[2])
while time.monotonic() < deadline:
    try:
        if urllib.request.urlopen(sys.argv[1], timeout=float(sys.argv[3])).status == 200:
            sys.exit(0)
    except OSError:
        time.sleep(0.2)
sys.exit(1)
EOF
}

# The measurements of a running server (GUNICORN_PID, POSTMASTER, BASE, REQUESTS, DURATION), each under
# cpuwatch.py, which tells how much CPU other work took meanwhile (into $RESULTS/machine.txt).
bench_watch() { WATCH=("$PY" bench/cpuwatch.py --ours "$GUNICORN_PID" --ours "$POSTMASTER" --log "$RESULTS/machine.txt"); }

bench_latency() {  # PATH…: sequential latency (bench/latency.py) into $RESULTS/latency.{txt,json}
  bench_watch
  step "latency (sequential, keep-alive client)"
  timeout 180 "${WATCH[@]}" --label latency -- "$PY" bench/latency.py --base "$BASE" --requests "$REQUESTS" \
    --json "$RESULTS/latency.json" "$@" | tee "$RESULTS/latency.txt"
}

bench_wrk() {  # PATH…: wrk -t2 -c8 --latency on each, into $RESULTS/wrk-<path>.txt
  local path name
  bench_watch
  for path in "$@"; do
    step "wrk -t2 -c8 -d${DURATION}s $path"
    name=$(echo "$path" | tr -c 'a-z0-9\n' '-' | sed 's/^-*$/home/; s/^-//; s/-$//')
    timeout $((DURATION + 30)) "${WATCH[@]}" --label "wrk $path" -- \
      wrk -t2 -c8 -d"${DURATION}s" --timeout 10s --latency "$BASE$path" | tee "$RESULTS/wrk-$name.txt"
  done
}

bench_stop_gunicorn() {
  if [ -n "$GUNICORN_PID" ] && kill -0 "$GUNICORN_PID" 2>/dev/null; then
    kill -TERM "$GUNICORN_PID" 2>/dev/null || true  # graceful: idle workers exit at once
    for _ in $(seq 100); do kill -0 "$GUNICORN_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$GUNICORN_PID" 2>/dev/null || true
  fi
  GUNICORN_PID=""
}

# How busy the machine is with other work (the server is idle now): figures taken on a busy 2-core
# machine are slower than the code deserves. Wait up to BENCH_WAIT_QUIET seconds (30) for the CPU to
# be mostly idle, then go on anyway; the figure goes to machine.txt with the results.
bench_wait_quiet() {  # [LABEL]: what the line in machine.txt starts with
  "$PY" - "${BENCH_WAIT_QUIET:-30}" "${1:-}" <<'EOF' | tee -a "$RESULTS/machine.txt"
import os, sys, time
def busy(seconds=2):
    def sample():
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
        return sum(v), v[3] + v[4]
    t0, i0 = sample(); time.sleep(seconds); t1, i1 = sample()
    return 100 * (1 - (i1 - i0) / max(1, t1 - t0))
deadline = time.monotonic() + float(sys.argv[1])
while (b := busy()) > 20 and time.monotonic() < deadline:
    pass
load = os.getloadavg()
label = f"{sys.argv[2]}: " if sys.argv[2] else ""
print(f"{label}cores {os.cpu_count()}; CPU busy before measuring {b:.0f}% (2 s sample); load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
if b > 20:
    print("WARNING: other work is using the CPU; latency and throughput figures will be pessimistic")
EOF
}

# On the way out: gunicorn, then the services this run started (unless asked to keep them).
bench_cleanup() {
  local rc=$?
  bench_stop_gunicorn
  if [ "${ES_WAS_UP:-1}" = 0 ] && [ -z "${BENCH_KEEP_ES:-}" ]; then
    env "${ES_ENV[@]}" bash scripts/elasticsearch.sh stop || true
  fi
  if [ "${PG_WAS_UP:-1}" = 0 ] && [ -z "${BENCH_KEEP_PG:-}" ]; then env "${PG_ENV[@]}" bash scripts/postgres.sh stop; fi
  exit "$rc"
}
trap bench_cleanup EXIT
trap 'exit 130' INT TERM
