#!/usr/bin/env bash
# Search benchmark (`bash bench/search.sh`): see "Search benchmark" in bench/README.md.
#   PostgreSQL via scripts/postgres.sh (the bench's own cluster, database portal_bench_search with
#   the plan and sample data, dev settings), Elasticsearch via scripts/elasticsearch.sh (a node of
#   the bench's own on 127.0.0.1:9219), then: a timed full rebuild of the search index with the
#   real content plus 10,000 generated progress updates (bench/search_corpus.py); gunicorn with
#   production settings and 2 workers, the search view's sequential latency over a mix of 32
#   queries on Elasticsearch (bench/search_latency.py) and wrk on one query; where a search
#   request's time goes, in-process (bench/search_profile.py); the same latency with the database
#   engine; a figures table last (bench/search_report.py).
# Traffic goes to 127.0.0.1 only; every step is bounded in time (whole run < 6 minutes once the
# packages and the Elasticsearch distribution are there). Results land in bench/results/ (git-ignored).
#
# Environment: BENCH_DOCS (generated documents, default 10000); BENCH_ROUNDS (timed rounds of the
# 32-query mix, default 10 = 320 requests); BENCH_DB_SECONDS (time budget of the database-engine
# rounds, default 40: a round takes 20-30 s there, see search_latency.py --max-seconds);
# BENCH_DURATION (wrk seconds, default 10); BENCH_WAIT_QUIET (seconds, default 30);
# BENCH_FRESH_DB=1 drops and reloads portal_bench_search first (about 50 s more);
# BENCH_KEEP_PG=1 / BENCH_KEEP_ES=1 leave the services running even when this run started them;
# BENCH_SHARED_PG=1 uses the shared PostgreSQL cluster on 54329, BENCH_SHARED_ES=1 the shared
# Elasticsearch node on 9200 (index prefix portal-bench either way); BENCH_ES_PORT (9219);
# BENCH_ES_FULL_JIT=0 runs the bench node with scripts/elasticsearch.sh's default C1-only JIT (the
# bench uses the full JIT, as a production node would); BENCH_ES_HEAP (256m).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
PG_PORT="${PG_PORT:-54329}"
DB=portal_bench_search
DOCS="${BENCH_DOCS:-10000}"
ROUNDS="${BENCH_ROUNDS:-10}"
DB_SECONDS="${BENCH_DB_SECONDS:-40}"
DURATION="${BENCH_DURATION:-10}"
WRK_QUERY="入园率"
INDEX_PREFIX=portal-bench
RESULTS=bench/results/search-$(date +%Y%m%d-%H%M%S)
mkdir -p "$RESULTS"
SETUP_LOG="$RESULTS/setup.log"
T0=$(date +%s)

step() { printf '\n== %s (%ss)\n' "$*" "$(($(date +%s) - T0))"; }
fail() { echo "bench: $*" >&2; exit 1; }

[ -x "$PY" ] || fail "no $PY: run make venv"
# Two search benchmarks at once would share the node and the database, and measure each other.
exec 8>"/tmp/portal-bench-search-$(pwd | md5sum | cut -c1-10).lock"
flock -n 8 || fail "another bench/search.sh is running in this checkout"

# 1. wrk from Debian.
if ! command -v wrk >/dev/null 2>&1; then
  [ "$(id -u)" = 0 ] || fail "wrk is missing and installing it needs root: sudo apt-get install -y wrk"
  step "installing wrk"
  export DEBIAN_FRONTEND=noninteractive
  timeout 300 apt-get update -qq >>"$SETUP_LOG" 2>&1
  timeout 300 apt-get install -y -qq wrk >>"$SETUP_LOG" 2>&1 || fail "apt-get install wrk failed (see $SETUP_LOG)"
fi

# 2. PostgreSQL: the bench's own cluster on 54339, as bench/run.sh uses (see there why), with a
# database of its own: the 10,000 generated index rows and the query log stay out of portal_bench.
if [ -n "${BENCH_SHARED_PG:-}" ]; then
  PG_CLUSTER="${PG_CLUSTER_DIR:-/tmp/portal-pg-$(pwd | md5sum | cut -c1-10)}"
else
  PG_PORT="${BENCH_PG_PORT:-54339}"
  PG_CLUSTER="/tmp/portal-bench-pg-$(pwd | md5sum | cut -c1-10)"
fi
PG_ENV=(PG_PORT="$PG_PORT" PG_CLUSTER_DIR="$PG_CLUSTER" PG_DB="$DB")
pg_up() { command -v psql >/dev/null 2>&1 && psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc 'SELECT 1' postgres >/dev/null 2>&1; }
PG_WAS_UP=0
pg_up && PG_WAS_UP=1
step "starting PostgreSQL on 127.0.0.1:$PG_PORT"
ADMIN_URL=$(env "${PG_ENV[@]}" timeout 300 bash scripts/postgres.sh start)
PSQL=(psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -tA)
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
[ -x "$BIN/psql" ] && PSQL[0]="$BIN/psql"
export DATABASE_URL="${ADMIN_URL%/*}/$DB"

# 3. Elasticsearch: a node of the bench's own (port 9219, data in /tmp/portal-bench-es-…), not
# the shared one on 9200 that `make run-full` and `make test` use: a test run stops the node it
# started when it ends, and its indexing would compete with the measured searches.
if [ -n "${BENCH_SHARED_ES:-}" ]; then
  ES_RUN="${ES_RUN_DIR:-/tmp/portal-es-$(pwd | md5sum | cut -c1-10)}"
  ES_ENV=(ES_RUN_DIR="$ES_RUN")
else
  ES_RUN="/tmp/portal-bench-es-$(pwd | md5sum | cut -c1-10)"
  ES_ENV=(ES_RUN_DIR="$ES_RUN" ES_PORT="${BENCH_ES_PORT:-9219}" ES_HEAP="${BENCH_ES_HEAP:-256m}")
  [ "${BENCH_ES_FULL_JIT:-1}" = 1 ] && ES_ENV+=(ES_FULL_JIT=1)
fi
ES_WAS_UP=0
env "${ES_ENV[@]}" bash scripts/elasticsearch.sh status && ES_WAS_UP=1

GUNICORN_PID=""
stop_gunicorn() {
  if [ -n "$GUNICORN_PID" ] && kill -0 "$GUNICORN_PID" 2>/dev/null; then
    kill -TERM "$GUNICORN_PID" 2>/dev/null || true  # graceful: idle workers exit at once
    for _ in $(seq 100); do kill -0 "$GUNICORN_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$GUNICORN_PID" 2>/dev/null || true
  fi
  GUNICORN_PID=""
}
cleanup() {
  local rc=$?
  stop_gunicorn
  if [ "$ES_WAS_UP" = 0 ] && [ -z "${BENCH_KEEP_ES:-}" ]; then env "${ES_ENV[@]}" bash scripts/elasticsearch.sh stop || true; fi
  if [ "$PG_WAS_UP" = 0 ] && [ -z "${BENCH_KEEP_PG:-}" ]; then env "${PG_ENV[@]}" bash scripts/postgres.sh stop; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step "starting Elasticsearch"
ES_URL=$(env "${ES_ENV[@]}" ES_START_TIMEOUT=120 timeout 300 bash scripts/elasticsearch.sh start 2>>"$SETUP_LOG") \
  || fail "Elasticsearch did not start (see $SETUP_LOG)"
ES_PID=$(tr -dc 0-9 <"$ES_RUN/elasticsearch.pid" 2>/dev/null || echo 0)
curl -fsS "$ES_URL/_nodes/_local/jvm?filter_path=nodes.*.version,nodes.*.jvm.mem.heap_max_in_bytes,nodes.*.jvm.version" \
  >"$RESULTS/es-node.json" 2>/dev/null || true
echo "$ES_URL (pid $ES_PID)"

if [ -n "${BENCH_FRESH_DB:-}" ]; then
  "${PSQL[@]}" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" postgres >/dev/null
fi
"${PSQL[@]}" -c "SELECT 1 FROM pg_database WHERE datname = '$DB'" postgres | grep -q 1 \
  || "${PSQL[@]}" -c "CREATE DATABASE $DB" postgres >/dev/null

# 4. Data: the plan and its sample measurements, loaded with development settings (idempotent),
# without ELASTICSEARCH_URL (the rebuild below fills the index).
step "loading the plan into $DB"
(
  export DJANGO_SETTINGS_MODULE=portal.settings.dev
  unset ELASTICSEARCH_URL
  timeout 150 "$PY" manage.py migrate --noinput -v0
  timeout 120 "$PY" manage.py load_plan --sample
) >>"$SETUP_LOG" 2>&1 || fail "loading data failed (see $SETUP_LOG)"
# A fresh query log each run: the popular-searches query then reads the same rows every time.
"${PSQL[@]}" -c "TRUNCATE search_querylog" "$DB" >/dev/null

# 5. Production settings for the rebuild, the server and the profile.
PROD_ENV=(
  DJANGO_SETTINGS_MODULE=portal.settings.production
  SECRET_KEY="bench-only-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
  ALLOWED_HOSTS=127.0.0.1,localhost
  DATABASE_URL="$DATABASE_URL"
  SECURE_SSL_REDIRECT=False
  SECURE_COOKIES=False
  SEARCH_INDEX_PREFIX="$INDEX_PREFIX"
)
step "collectstatic (manifest storage)"
env "${PROD_ENV[@]}" timeout 120 "$PY" manage.py collectstatic --noinput -v0 >>"$SETUP_LOG" 2>&1 \
  || fail "collectstatic failed (see $SETUP_LOG)"

# Each measurement runs under cpuwatch.py, which tells how much CPU other work took meanwhile
# (ours: PostgreSQL, Elasticsearch, gunicorn once it runs, and the measuring command itself).
POSTMASTER=$(head -n 1 "$PG_CLUSTER/data/postmaster.pid" 2>/dev/null || echo 0)
set_watch() {
  WATCH=("$PY" bench/cpuwatch.py --ours "$POSTMASTER" --ours "$ES_PID" --log "$RESULTS/machine.txt")
  [ -z "$GUNICORN_PID" ] || WATCH+=(--ours "$GUNICORN_PID")
}
set_watch

# 6. The full rebuild, timed: rebuild_search_index's own code with the real records + generated ones.
# The command indexes through its own client, whose timeout is SEARCH_INDEX_TIMEOUT (30 s), not
# the search client's SEARCH_TIMEOUT (0.8 s): a bulk request of 500 such documents takes longer.
step "full rebuild: real content + $DOCS generated documents"
timeout 240 "${WATCH[@]}" --label rebuild -- \
  env "${PROD_ENV[@]}" ELASTICSEARCH_URL="$ES_URL" "$PY" bench/search_corpus.py \
  --generate "$DOCS" --json "$RESULTS/rebuild.json" | tee "$RESULTS/rebuild.txt"

PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
start_gunicorn() {  # $1: ELASTICSEARCH_URL for the server ("" = database engine)
  env "${PROD_ENV[@]}" ELASTICSEARCH_URL="$1" "$PY" -m gunicorn portal.wsgi -w 2 -b "127.0.0.1:$PORT" \
    --error-logfile "$RESULTS/gunicorn.log" >>"$RESULTS/gunicorn.log" 2>&1 &
  GUNICORN_PID=$!
  "$PY" - "$BASE" <<'EOF' || fail "gunicorn did not answer 200 on /search/ within 60 s (see $RESULTS/gunicorn.log)"
import sys, time, urllib.request
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    try:
        if urllib.request.urlopen(sys.argv[1] + "/search/?q=jiaoyu&format=json", timeout=10).status == 200:
            sys.exit(0)
    except OSError:
        time.sleep(0.2)
sys.exit(1)
EOF
}

# 7. gunicorn, production settings, 2 workers, Elasticsearch.
step "starting gunicorn on $BASE (Elasticsearch engine)"
start_gunicorn "$ES_URL"
set_watch

# How busy the machine is with other work (the server is idle now, and Elasticsearch should have
# finished merging the freshly built index). As bench/run.sh: wait up to BENCH_WAIT_QUIET seconds
# for the CPU to be < 20 % busy, then go on anyway; the figure is recorded with the results.
step "machine check"
"$PY" - "${BENCH_WAIT_QUIET:-30}" <<'EOF' | tee -a "$RESULTS/machine.txt"
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
print(f"cores {os.cpu_count()}; CPU busy before measuring {b:.0f}% (2 s sample); load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
if b > 20:
    print("WARNING: other work is using the CPU; latency and throughput figures will be pessimistic")
EOF


# 8. Sequential latency, Elasticsearch engine.
step "search latency, Elasticsearch (sequential, $ROUNDS rounds of 32 queries)"
timeout 180 "${WATCH[@]}" --label "latency elasticsearch" -- "$PY" bench/search_latency.py --base "$BASE" \
  --expect-engine elasticsearch --rounds "$ROUNDS" --json "$RESULTS/latency-es.json" | tee "$RESULTS/latency-es.txt"

# 9. Throughput on one query (HTML, Elasticsearch).
WRK_PATH="/search/?q=$("$PY" -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$WRK_QUERY")"
step "wrk -t2 -c8 -d${DURATION}s /search/?q=$WRK_QUERY"
timeout $((DURATION + 30)) "${WATCH[@]}" --label "wrk search" -- \
  wrk -t2 -c8 -d"${DURATION}s" --timeout 10s --latency "$BASE$WRK_PATH" | tee "$RESULTS/wrk-search.txt"

stop_gunicorn
set_watch

# 10. Where a request's time goes, in-process, with the server stopped: after the measurements
# above, so that Elasticsearch has finished merging the new index and its JIT is warm.
step "in-process profile of the search view"
timeout 150 "${WATCH[@]}" --label profile -- env "${PROD_ENV[@]}" ELASTICSEARCH_URL="$ES_URL" "$PY" bench/search_profile.py \
  --json "$RESULTS/profile.json" | tee "$RESULTS/profile.txt"

# 11. The same latency with the database engine (ELASTICSEARCH_URL empty), for comparison.
step "starting gunicorn with the database engine"
start_gunicorn ""
set_watch
# Its check pass (every query once) is the warm-up: a round takes about 30 s on this engine.
step "search latency, database engine (rounds that fit in ${DB_SECONDS}s, at least one)"
timeout $((DB_SECONDS + 150)) "${WATCH[@]}" --label "latency database" -- "$PY" bench/search_latency.py --base "$BASE" \
  --expect-engine database --warmup-rounds 0 --rounds "$ROUNDS" --max-seconds "$DB_SECONDS" \
  --json "$RESULTS/latency-db.json" \
  | tee "$RESULTS/latency-db.txt"
stop_gunicorn

# 12. Figures.
step "figures"
STATUS=0
"$PY" bench/search_report.py "$RESULTS" || STATUS=$?
echo
echo "Full output in $RESULTS/ (whole run $(($(date +%s) - T0)) s)."
[ "$STATUS" = 0 ] || fail "some requests failed during the run (see flags above and $RESULTS/gunicorn.log)"
