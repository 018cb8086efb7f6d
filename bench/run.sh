#!/usr/bin/env bash
# Uncached page benchmark (`make bench`): see bench/README.md.
#   PostgreSQL via scripts/postgres.sh, database portal_bench (plan + sample data, dev settings),
#   gunicorn with production settings and 2 workers on a free loopback port, then
#   queries per page (in-process), sequential latency, and wrk throughput; a figures table last.
# Traffic goes to 127.0.0.1 only; every step is bounded in time (whole run < 3 minutes once
# wrk and PostgreSQL are installed). Results land in bench/results/ (git-ignored).
#
# Environment: BENCH_FRESH_DB=1 drops and reloads portal_bench first (slower, ~30 s more);
# BENCH_KEEP_PG=1 leaves PostgreSQL running even when this run started it; BENCH_SHARED_PG=1 uses
# the shared cluster on 54329 rather than the bench's own; BENCH_WAIT_QUIET (seconds, default 30);
# BENCH_DURATION (wrk seconds per URL, default 10), BENCH_REQUESTS (timed requests, default 200).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
PG_PORT="${PG_PORT:-54329}"
DB=portal_bench
DURATION="${BENCH_DURATION:-10}"
REQUESTS="${BENCH_REQUESTS:-200}"
PATHS=(/ /education/ /employment/ /education/task-1/edu-01/)
WRK_PATHS=(/ /education/)
RESULTS=bench/results/$(date +%Y%m%d-%H%M%S)
mkdir -p "$RESULTS"
SETUP_LOG="$RESULTS/setup.log"
T0=$(date +%s)

step() { printf '\n== %s (%ss)\n' "$*" "$(($(date +%s) - T0))"; }
fail() { echo "bench: $*" >&2; exit 1; }

[ -x "$PY" ] || fail "no $PY: run make venv"

# 1. wrk from Debian.
if ! command -v wrk >/dev/null 2>&1; then
  [ "$(id -u)" = 0 ] || fail "wrk is missing and installing it needs root: sudo apt-get install -y wrk"
  step "installing wrk"
  export DEBIAN_FRONTEND=noninteractive
  timeout 300 apt-get update -qq >>"$SETUP_LOG" 2>&1
  timeout 300 apt-get install -y -qq wrk >>"$SETUP_LOG" 2>&1 || fail "apt-get install wrk failed (see $SETUP_LOG)"
fi

# 2. PostgreSQL through scripts/postgres.sh, but a cluster of its own (port 54339 by default):
# `make test` stops the shared cluster on 54329 when it ends, which would cut a benchmark short,
# and its queries would compete with ours. BENCH_SHARED_PG=1 uses the shared one instead.
# Either way, stop it afterwards only if this run started it.
if [ -n "${BENCH_SHARED_PG:-}" ]; then
  PG_CLUSTER="${PG_CLUSTER_DIR:-/tmp/portal-pg-$(pwd | md5sum | cut -c1-10)}"
else
  PG_PORT="${BENCH_PG_PORT:-54339}"
  PG_CLUSTER="/tmp/portal-bench-pg-$(pwd | md5sum | cut -c1-10)"
fi
PG_ENV=(PG_PORT="$PG_PORT" PG_CLUSTER_DIR="$PG_CLUSTER")
[ -n "${BENCH_SHARED_PG:-}" ] || PG_ENV+=(PG_DB="$DB")
pg_up() { command -v psql >/dev/null 2>&1 && psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc 'SELECT 1' postgres >/dev/null 2>&1; }
PG_WAS_UP=0
pg_up && PG_WAS_UP=1
step "starting PostgreSQL on 127.0.0.1:$PG_PORT"
ADMIN_URL=$(env "${PG_ENV[@]}" timeout 300 bash scripts/postgres.sh start)
PSQL=(psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -tA)
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
[ -x "$BIN/psql" ] && PSQL[0]="$BIN/psql"
export DATABASE_URL="${ADMIN_URL%/*}/$DB"

GUNICORN_PID=""
cleanup() {
  local rc=$?
  if [ -n "$GUNICORN_PID" ] && kill -0 "$GUNICORN_PID" 2>/dev/null; then
    kill -TERM "$GUNICORN_PID" 2>/dev/null || true  # graceful: idle workers exit at once
    for _ in $(seq 100); do kill -0 "$GUNICORN_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$GUNICORN_PID" 2>/dev/null || true
  fi
  if [ "$PG_WAS_UP" = 0 ] && [ -z "${BENCH_KEEP_PG:-}" ]; then env "${PG_ENV[@]}" bash scripts/postgres.sh stop; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -n "${BENCH_FRESH_DB:-}" ]; then
  "${PSQL[@]}" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" postgres >/dev/null
fi
"${PSQL[@]}" -c "SELECT 1 FROM pg_database WHERE datname = '$DB'" postgres | grep -q 1 \
  || "${PSQL[@]}" -c "CREATE DATABASE $DB" postgres >/dev/null

# 3. Data: the plan and its sample measurements, loaded with development settings (idempotent).
step "loading the plan into $DB"
(
  export DJANGO_SETTINGS_MODULE=portal.settings.dev
  timeout 150 "$PY" manage.py migrate --noinput -v0
  timeout 120 "$PY" manage.py load_plan --sample
  timeout 60 "$PY" manage.py setup_staff
) >>"$SETUP_LOG" 2>&1 || fail "loading data failed (see $SETUP_LOG)"

# 4. Production settings for everything the server does.
PROD_ENV=(
  DJANGO_SETTINGS_MODULE=portal.settings.production
  SECRET_KEY="bench-only-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
  ALLOWED_HOSTS=127.0.0.1,localhost
  DATABASE_URL="$DATABASE_URL"
  SECURE_SSL_REDIRECT=False
  SECURE_COOKIES=False
)
step "collectstatic (manifest storage)"
env "${PROD_ENV[@]}" timeout 120 "$PY" manage.py collectstatic --noinput -v0 >>"$SETUP_LOG" 2>&1 \
  || fail "collectstatic failed (see $SETUP_LOG)"

# 5. Queries per page, in-process, before the server runs (its growth test writes and rolls back).
step "SQL queries per page"
timeout 120 "$PY" bench/queries.py --json "$RESULTS/queries.json" "${PATHS[@]}" | tee "$RESULTS/queries.txt"

# 6. gunicorn, production settings, 2 workers, on a free loopback port.
PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
step "starting gunicorn on $BASE"
env "${PROD_ENV[@]}" "$PY" -m gunicorn portal.wsgi -w 2 -b "127.0.0.1:$PORT" \
  --error-logfile "$RESULTS/gunicorn.log" >>"$RESULTS/gunicorn.log" 2>&1 &
GUNICORN_PID=$!
"$PY" - "$BASE" <<'EOF' || fail "gunicorn did not answer 200 on / within 30 s (see $RESULTS/gunicorn.log)"
import sys, time, urllib.request
deadline = time.monotonic() + 30
while time.monotonic() < deadline:
    try:
        if urllib.request.urlopen(sys.argv[1] + "/", timeout=5).status == 200:
            sys.exit(0)
    except OSError:
        time.sleep(0.2)
sys.exit(1)
EOF

# How busy the machine is with other work (the server is idle now): figures taken on a busy
# 2-core machine are slower than the code deserves. Wait up to BENCH_WAIT_QUIET seconds (30) for
# the CPU to be mostly idle, then go on anyway; the figure is recorded with the results.
step "machine check"
"$PY" - "${BENCH_WAIT_QUIET:-30}" <<'EOF' | tee "$RESULTS/machine.txt"
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

# Each measurement runs under cpuwatch.py, which tells how much CPU other work took meanwhile.
POSTMASTER=$(head -n 1 "$PG_CLUSTER/data/postmaster.pid" 2>/dev/null || echo 0)
WATCH=("$PY" bench/cpuwatch.py --ours "$GUNICORN_PID" --ours "$POSTMASTER" --log "$RESULTS/machine.txt")

# 7. Sequential latency.
step "latency (sequential, keep-alive client)"
timeout 180 "${WATCH[@]}" --label latency -- "$PY" bench/latency.py --base "$BASE" --requests "$REQUESTS" \
  --json "$RESULTS/latency.json" "${PATHS[@]}" | tee "$RESULTS/latency.txt"

# 8. Throughput.
for path in "${WRK_PATHS[@]}"; do
  step "wrk -t2 -c8 -d${DURATION}s $path"
  name=$(echo "$path" | tr -c 'a-z0-9\n' '-' | sed 's/^-*$/home/; s/^-//; s/-$//')
  timeout $((DURATION + 30)) "${WATCH[@]}" --label "wrk $path" -- \
    wrk -t2 -c8 -d"${DURATION}s" --timeout 10s --latency "$BASE$path" | tee "$RESULTS/wrk-$name.txt"
done

# 9. Figures.
step "figures"
STATUS=0
"$PY" bench/report.py "$RESULTS" || STATUS=$?
echo
echo "Full output in $RESULTS/ (whole run $(($(date +%s) - T0)) s)."
[ "$STATUS" = 0 ] || fail "some requests failed during the run (see flags above and $RESULTS/gunicorn.log)"
