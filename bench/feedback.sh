#!/usr/bin/env bash
# Feedback form under sustained load (`make bench-feedback`): see bench/README.md, "Feedback form benchmark".
#   PostgreSQL via scripts/postgres.sh (a cluster of its own), database portal_feedback_bench
#   (plan + sample data, dev settings), an in-process profile of one GET + POST round, then gunicorn
#   with production settings in each configuration of BENCH_FEEDBACK_CONFIGS (2 sync workers first:
#   that is the figure the target is about), 20 clients each looping GET /feedback/ → POST /feedback/
#   for 30 s, and a check that every accepted submission is in the database; a figures table last.
# reCAPTCHA off (no keys), the per-IP rate limits raised to 1,000,000 (all clients are 127.0.0.1),
# no staff mail (PARTICIPATION_STAFF_EMAILS unset), no Elasticsearch.
# Traffic goes to 127.0.0.1 only; every step is bounded in time (about 3 minutes with the four
# default configurations once PostgreSQL is installed). Results land in bench/results/ (git-ignored).
#
# Environment: BENCH_FEEDBACK_CONFIGS (default "w2 w4 w2t4 w2p": -w 2; -w 4; -w 2 --threads 4;
# a trailing p = POST only: each client GETs the form once, in its warm-up, then only POSTs),
# BENCH_CLIENTS (20), BENCH_DURATION (seconds per configuration, 30), BENCH_PROFILE_ROUNDS (200;
# 0 skips the profile), BENCH_FRESH_DB=1 drops and reloads portal_feedback_bench first,
# BENCH_KEEP_PG=1 leaves PostgreSQL running even when this run started it, BENCH_SHARED_PG=1 uses
# the shared cluster on 54329, BENCH_FEEDBACK_PG_PORT (54349), BENCH_WAIT_QUIET (seconds, 30).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
PG_PORT="${PG_PORT:-54329}"
DB=portal_feedback_bench
CLIENTS="${BENCH_CLIENTS:-20}"
DURATION="${BENCH_DURATION:-30}"
PROFILE_ROUNDS="${BENCH_PROFILE_ROUNDS:-200}"
read -r -a CONFIGS <<<"${BENCH_FEEDBACK_CONFIGS:-w2 w4 w2t4 w2p}"
STAMP=$(date +%Y%m%d-%H%M%S)
RESULTS=bench/results/feedback-$STAMP
mkdir -p "$RESULTS"
SETUP_LOG="$RESULTS/setup.log"
T0=$(date +%s)
# The code measured: the commit, and whether the working tree (outside bench/) had changes.
{
  printf 'code as of %s' "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  [ -z "$(git status --porcelain -- . ':!bench' 2>/dev/null)" ] || printf ' + uncommitted changes'
  echo
} >"$RESULTS/code.txt"

step() { printf '\n== %s (%ss)\n' "$*" "$(($(date +%s) - T0))"; }
fail() { echo "bench-feedback: $*" >&2; exit 1; }

[ -x "$PY" ] || fail "no $PY: run make venv"
for cfg in "${CONFIGS[@]}"; do
  [[ "$cfg" =~ ^w[0-9]+(t[0-9]+)?p?$ ]] || fail "BENCH_FEEDBACK_CONFIGS: '$cfg' is not wN, wNtM, wNp or wNtMp"
done

# 1. PostgreSQL through scripts/postgres.sh, as bench/run.sh does, but in a cluster of its own
# (port 54349): `make test` stops the shared cluster on 54329 when it ends, and the page and search
# benchmarks start and stop theirs on 54339; whichever run started a cluster stops it when it ends,
# which would cut this one short if they overlapped. Note that scripts/postgres.sh runs with
# fsync, synchronous_commit and full_page_writes off: commits cost no disk flush here.
if [ -n "${BENCH_SHARED_PG:-}" ]; then
  PG_CLUSTER="${PG_CLUSTER_DIR:-/tmp/portal-pg-$(pwd | md5sum | cut -c1-10)}"
else
  PG_PORT="${BENCH_FEEDBACK_PG_PORT:-54349}"
  PG_CLUSTER="/tmp/portal-bench-feedback-pg-$(pwd | md5sum | cut -c1-10)"
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

# 2. Data: the plan and its sample measurements, loaded with development settings (idempotent).
step "loading the plan into $DB"
(
  export DJANGO_SETTINGS_MODULE=portal.settings.dev
  unset ELASTICSEARCH_URL
  timeout 150 "$PY" manage.py migrate --noinput -v0
  timeout 120 "$PY" manage.py load_plan --sample
) >>"$SETUP_LOG" 2>&1 || fail "loading data failed (see $SETUP_LOG)"
# The previous runs' submissions, their queued background tasks (Wagtail's reference index: no
# db_worker runs here) and the sessions go, so every run starts from the same table sizes. The
# database is the bench's own; of the submissions, only the ones this benchmark made (BENCH…) go.
"${PSQL[@]}" "$DB" >>"$SETUP_LOG" <<'SQL'
DELETE FROM participation_submissionevent
  WHERE submission_id IN (SELECT id FROM participation_submission WHERE title LIKE 'BENCH%');
DELETE FROM participation_submission WHERE title LIKE 'BENCH%';
DELETE FROM django_tasks_database_dbtaskresult WHERE args_kwargs -> 'args' ->> 1 = 'submission';
TRUNCATE django_session;
VACUUM ANALYZE participation_submission, participation_submissionevent, django_session, django_tasks_database_dbtaskresult;
SQL

# 3. Production settings for everything the server does. Unset (so the defaults apply): the
# reCAPTCHA keys (no keys = no captcha), PARTICIPATION_STAFF_EMAILS (no mail per submission; with
# addresses, each submission would print a mail to the console, EMAIL_URL=consolemail://),
# CACHE_URL (locmem, per worker: the rate limiter counts per worker), ELASTICSEARCH_URL.
# The rate limits go to 1,000,000: every client is 127.0.0.1, and the defaults (5 a minute, 50 a
# day per IP) would turn all but the first few submissions into 429s.
PROD_ENV=(
  -u RECAPTCHA_PUBLIC_KEY -u RECAPTCHA_PRIVATE_KEY -u PARTICIPATION_STAFF_EMAILS -u CACHE_URL
  -u ELASTICSEARCH_URL -u EMAIL_URL -u TRUST_X_FORWARDED_FOR
  DJANGO_SETTINGS_MODULE=portal.settings.production
  SECRET_KEY="bench-only-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
  ALLOWED_HOSTS=127.0.0.1,localhost
  DATABASE_URL="$DATABASE_URL"
  SECURE_SSL_REDIRECT=False
  SECURE_COOKIES=False
  PARTICIPATION_RATE_PER_MINUTE=1000000
  PARTICIPATION_RATE_PER_DAY=1000000
)
step "collectstatic (manifest storage)"
env "${PROD_ENV[@]}" timeout 120 "$PY" manage.py collectstatic --noinput -v0 >>"$SETUP_LOG" 2>&1 \
  || fail "collectstatic failed (see $SETUP_LOG)"

# 4. Where the time of one round goes, in-process (before the server starts, so nothing competes).
if [ "$PROFILE_ROUNDS" -gt 0 ]; then
  step "in-process profile: GET + POST /feedback/, $PROFILE_ROUNDS rounds"
  env "${PROD_ENV[@]}" timeout 300 "$PY" bench/feedback_profile.py --rounds "$PROFILE_ROUNDS" --run "$STAMP" \
    --pstats "$RESULTS/profile.pstats" --json "$RESULTS/profile.json" | tee "$RESULTS/profile.txt"
fi

PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
POSTMASTER=$(head -n 1 "$PG_CLUSTER/data/postmaster.pid" 2>/dev/null || echo 0)

start_gunicorn() {  # $1: config (wN or wNtM, optionally with p)
  local workers=${1#w} threads=1
  workers=${workers%p}
  if [[ "$workers" == *t* ]]; then threads=${workers#*t}; workers=${workers%t*}; fi
  local args=(-w "$workers")
  [ "$threads" -gt 1 ] && args+=(--threads "$threads")
  echo "gunicorn ${args[*]}" >>"$RESULTS/gunicorn.log"
  env "${PROD_ENV[@]}" "$PY" -m gunicorn portal.wsgi "${args[@]}" -b "127.0.0.1:$PORT" \
    --error-logfile "$RESULTS/gunicorn.log" >>"$RESULTS/gunicorn.log" 2>&1 &
  GUNICORN_PID=$!
  "$PY" - "$BASE" <<'EOF' || fail "gunicorn did not answer 200 on /feedback/ within 30 s (see $RESULTS/gunicorn.log)"
import sys, time, urllib.request
deadline = time.monotonic() + 30
while time.monotonic() < deadline:
    try:
        if urllib.request.urlopen(sys.argv[1] + "/feedback/", timeout=5).status == 200:
            sys.exit(0)
    except OSError:
        time.sleep(0.2)
sys.exit(1)
EOF
}

label() {  # human name of a config
  local workers=${1#w} threads=1 name suffix=""
  [[ "$workers" == *p ]] && suffix=", POST only"
  workers=${workers%p}
  if [[ "$workers" == *t* ]]; then threads=${workers#*t}; workers=${workers%t*}; fi
  if [ "$threads" -gt 1 ]; then name="$workers workers × $threads threads (gthread)"; else name="$workers sync workers"; fi
  echo "$name$suffix"
}

# 5. Each configuration: start gunicorn, check the machine is quiet, 20 clients for 30 s, DB check.
STATUS=0
i=0
for cfg in "${CONFIGS[@]}"; do
  i=$((i + 1))
  step "gunicorn $(label "$cfg") on $BASE"
  start_gunicorn "$cfg"

  # How busy the machine is with other work (the server is idle now): as bench/run.sh, wait up to
  # BENCH_WAIT_QUIET seconds (30) for the CPU to be < 20 % busy, then go on anyway and say so.
  "$PY" - "${BENCH_WAIT_QUIET:-30}" "$(label "$cfg")" <<'EOF' | tee -a "$RESULTS/machine.txt"
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
print(f"{sys.argv[2]}: cores {os.cpu_count()}; CPU busy before measuring {b:.0f}% (2 s sample); load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
if b > 20:
    print("WARNING: other work is using the CPU; throughput and latency figures will be pessimistic")
EOF

  LOAD_ARGS=()
  [[ "$cfg" == *p ]] && LOAD_ARGS+=(--form-once)
  step "load: $CLIENTS clients × ${DURATION}s, GET /feedback/ → POST /feedback/ ($(label "$cfg"))"
  timeout $((DURATION + 150)) "$PY" bench/cpuwatch.py --ours "$GUNICORN_PID" --ours "$POSTMASTER" \
    --log "$RESULTS/machine.txt" --label "load $(label "$cfg")" -- \
    "$PY" bench/feedback_load.py --base "$BASE" --run "$STAMP-$cfg" --label "$(label "$cfg")" \
    --clients "$CLIENTS" --duration "$DURATION" --dsn "$DATABASE_URL" --json "$RESULTS/load-$i-$cfg.json" \
    ${LOAD_ARGS[@]+"${LOAD_ARGS[@]}"} \
    | tee "$RESULTS/load-$i-$cfg.txt" || STATUS=1
  stop_gunicorn
done

# 6. Figures.
step "figures"
"$PY" bench/feedback_report.py "$RESULTS" || STATUS=1
echo
echo "Full output in $RESULTS/ (whole run $(($(date +%s) - T0)) s)."
[ "$STATUS" = 0 ] || fail "a run failed or a database check did not match (see above and $RESULTS/gunicorn.log)"
