#!/usr/bin/env bash
# reCAPTCHA verified in a task (`make bench-captcha`): see bench/README.md, "reCAPTCHA benchmark".
#   PostgreSQL via scripts/postgres.sh (a cluster of its own on 54359), database portal_captcha_bench
#   (the plan, dev settings), production settings with reCAPTCHA keys set and the database task
#   backend, gunicorn with 2 sync workers and one `manage.py db_worker`, and Google's verification
#   answered by bench/fake_google.py (tests/fake_google.py: HTTPS on 127.0.0.1 with a throwaway CA).
#   1. Google answers: 20 clients submit for BENCH_DURATION s (each form fetched once, then only
#      POSTs carrying a token); accepted submissions/s, then how long the worker takes to verify them
#      all, and a check that every one was saved and is `passed`.
#   2. Google hangs (accepts, never answers; RECAPTCHA_VERIFY_REQUEST_TIMEOUT=3): the home page's
#      latency alone, then again while 10 clients keep submitting and the worker waits on Google;
#      every submission is saved and answered at once, and waits quarantined for a moderator.
# Traffic goes to 127.0.0.1 only; every step is bounded in time (about 3 minutes once PostgreSQL is
# installed). Results land in bench/results/ (git-ignored).
#
# Environment: BENCH_DURATION (30), BENCH_CLIENTS (20, phase 1), BENCH_HANG_CLIENTS (10, phase 2),
# BENCH_CAPTCHA_PG_PORT (54359); BENCH_FRESH_DB=1, BENCH_KEEP_PG, BENCH_SHARED_PG and BENCH_WAIT_QUIET
# as in bench/lib.sh, which sets up the services.
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
BENCH_NAME=bench-captcha

DB=portal_captcha_bench
DURATION="${BENCH_DURATION:-30}"
CLIENTS="${BENCH_CLIENTS:-20}"
HANG_CLIENTS="${BENCH_HANG_CLIENTS:-10}"
STAMP=$(date +%Y%m%d-%H%M%S)
bench_results "captcha-$STAMP"
WORKER_PID=""
GOOGLE_PIDS=()

stop_worker() {
  if [ -n "$WORKER_PID" ]; then kill -TERM "$WORKER_PID" 2>/dev/null || true; wait "$WORKER_PID" 2>/dev/null || true; fi
  WORKER_PID=""
}
captcha_cleanup() {
  local rc=$?
  stop_worker
  for pid in "${GOOGLE_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  (exit "$rc")  # bench_cleanup exits with the status it finds
  bench_cleanup
}
trap captcha_cleanup EXIT

bench_pg_start portal-bench-captcha-pg "${BENCH_CAPTCHA_PG_PORT:-54359}"
bench_pg_database
bench_load_plan --no-search
bench_clear_submissions

google() {  # MODE: start a fake Google; sets GOOGLE_DOMAIN and GOOGLE_CA
  local ready="$RESULTS/google-$1.txt"
  rm -f "$ready"
  "$PY" bench/fake_google.py --mode "$1" --ready "$ready" >>"$SETUP_LOG" 2>&1 &
  GOOGLE_PIDS+=($!)
  for _ in $(seq 100); do [ -s "$ready" ] && break; sleep 0.1; done
  [ -s "$ready" ] || fail "the fake Google ($1) did not start"
  read -r GOOGLE_DOMAIN GOOGLE_CA <"$ready"
}

# Production settings; keys that are not Google's test keys (those fail django-recaptcha's system
# check, which db_worker runs). The limits go to 1,000,000: every client is 127.0.0.1.
bench_prod_env
PROD_ENV=(
  -u PARTICIPATION_STAFF_EMAILS -u CACHE_URL -u ELASTICSEARCH_URL -u EMAIL_URL -u TRUSTED_PROXY_COUNT
  "${PROD_ENV[@]}"
  RECAPTCHA_PUBLIC_KEY=bench-public-key
  RECAPTCHA_PRIVATE_KEY=bench-private-key
  RECAPTCHA_VERIFY_REQUEST_TIMEOUT=3
  TASKS_BACKEND=django_tasks_db.DatabaseBackend
  PARTICIPATION_RATE_PER_MINUTE=1000000
  PARTICIPATION_RATE_PER_DAY=1000000
  PARTICIPATION_POST_RATE_PER_MINUTE=1000000
)
bench_collectstatic
bench_free_port

serve() {  # MODE: gunicorn -w 2 and one db_worker, both verifying against a fake Google in MODE
  google "$1"
  RECAPTCHA_DOMAIN="$GOOGLE_DOMAIN" SSL_CERT_FILE="$GOOGLE_CA" bench_gunicorn_start -w 2
  env "${PROD_ENV[@]}" RECAPTCHA_DOMAIN="$GOOGLE_DOMAIN" SSL_CERT_FILE="$GOOGLE_CA" \
    "$PY" manage.py db_worker --no-startup-delay --no-reload --interval 0.2 >>"$RESULTS/worker-$1.log" 2>&1 &
  WORKER_PID=$!
  bench_wait_ok /feedback/ 30 5
}

counts() {  # RUN: "saved passed failed unreachable pending" for this run's submissions, warm-up ones included
  "${PSQL[@]}" "$DB" -F ' ' -c "SELECT count(*), count(*) FILTER (WHERE verification = 'passed'),
    count(*) FILTER (WHERE verification = 'failed'), count(*) FILTER (WHERE verification = 'unreachable'),
    count(*) FILTER (WHERE verification = 'pending') FROM participation_submission WHERE title LIKE 'BENCH%-$1-%'"
}

# 1. Google answers.
step "phase 1: Google answers; $CLIENTS clients submit for ${DURATION}s"
serve pass
bench_wait_quiet "phase 1"
timeout $((DURATION + 150)) "$PY" bench/feedback_load.py --base "$BASE" --run "$STAMP-pass" --form-once \
  --captcha-token bench-token --label "2 sync workers + db_worker, Google answers" --clients "$CLIENTS" \
  --duration "$DURATION" --dsn "$DATABASE_URL" --json "$RESULTS/load-pass.json" | tee "$RESULTS/load-pass.txt"
step "phase 1: the worker verifies what was submitted"
T_DRAIN=$(date +%s%N)
for _ in $(seq 600); do
  read -r SAVED PASSED FAILED UNREACHABLE PENDING <<<"$(counts "$STAMP-pass")"
  [ "$PENDING" = 0 ] && break
  sleep 0.2
done
DRAIN_S=$(( ($(date +%s%N) - T_DRAIN) / 1000000 ))
echo "saved $SAVED, passed $PASSED, failed $FAILED, unreachable $UNREACHABLE, still pending $PENDING;" \
  "the queue was drained ${DRAIN_S} ms after the load ended" | tee "$RESULTS/verify-pass.txt"
stop_worker
bench_stop_gunicorn

# 2. Google hangs.
step "phase 2: Google accepts and never answers"
serve hang
bench_wait_quiet "phase 2"
"$PY" bench/latency.py --base "$BASE" --warmup 20 --requests 200 / --json "$RESULTS/home-idle.json" \
  | tee "$RESULTS/home-idle.txt"
timeout $((DURATION + 150)) "$PY" bench/feedback_load.py --base "$BASE" --run "$STAMP-hang" --form-once \
  --captcha-token bench-token --label "2 sync workers + db_worker, Google hangs" --clients "$HANG_CLIENTS" \
  --duration "$DURATION" --dsn "$DATABASE_URL" --json "$RESULTS/load-hang.json" >"$RESULTS/load-hang.txt" &
LOAD_PID=$!
sleep 3  # the submitters are past their warm-up and the worker is waiting on Google
"$PY" bench/latency.py --base "$BASE" --warmup 5 --requests 200 / --json "$RESULTS/home-hang.json" \
  | tee "$RESULTS/home-hang.txt"
wait "$LOAD_PID" || true
cat "$RESULTS/load-hang.txt"
read -r SAVED PASSED FAILED UNREACHABLE PENDING <<<"$(counts "$STAMP-hang")"
# One worker gives up on a hanging Google every RECAPTCHA_VERIFY_REQUEST_TIMEOUT seconds; the rest wait,
# quarantined, for their turn or for a moderator.
echo "saved $SAVED (warm-up included): passed $PASSED, unreachable (quarantined) $UNREACHABLE, still pending (quarantined) $PENDING" \
  | tee "$RESULTS/verify-hang.txt"
stop_worker
bench_stop_gunicorn

step "figures"
"$PY" - "$RESULTS" "$HANG_CLIENTS" <<'EOF'
import json, sys
from pathlib import Path
r = Path(sys.argv[1])
load = json.loads((r / "load-pass.json").read_text())
idle = json.loads((r / "home-idle.json").read_text())["/"]
hang = json.loads((r / "home-hang.json").read_text())["/"]
hang_load = json.loads((r / "load-hang.json").read_text())
print(f"submissions accepted/s with verification in the task: {load['accepted_per_s']:.1f}")
print((r / "verify-pass.txt").read_text().strip())
print(f"home page alone: median {idle['median_ms']:.1f} ms, p95 {idle['p95_ms']:.1f} ms")
print(f"home page while Google hangs and {sys.argv[2]} clients submit: "
      f"median {hang['median_ms']:.1f} ms, p95 {hang['p95_ms']:.1f} ms, max {hang['max_ms']:.0f} ms")
print(f"submissions accepted/s meanwhile: {hang_load['accepted_per_s']:.1f}")
print((r / "verify-hang.txt").read_text().strip())
EOF
echo
echo "Full output in $RESULTS/ (whole run $(($(date +%s) - T0)) s)."
