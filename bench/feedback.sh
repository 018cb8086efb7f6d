#!/usr/bin/env bash
# Feedback form under sustained load (`make bench-feedback`): see bench/README.md, "Feedback form benchmark".
#   PostgreSQL via scripts/postgres.sh (a cluster of its own), database portal_feedback_bench
#   (plan + sample data, dev settings), an in-process profile of one GET + POST round, then gunicorn
#   with production settings in each configuration of BENCH_FEEDBACK_CONFIGS, 20 clients each
#   submitting for 30 s, and a check that every accepted submission is in the database; a figures
#   table last. The first configuration, 2 sync workers with every client posting submission after
#   submission (w2p), is the figure the target (≥ 100 accepted submissions/s) is about; the others
#   add a page view of the form before every submission (GET → POST rounds) or change the server.
# reCAPTCHA off (no keys), the per-IP rate limits raised to 1,000,000 (all clients are 127.0.0.1),
# no staff mail (PARTICIPATION_STAFF_EMAILS unset), no Elasticsearch.
# Traffic goes to 127.0.0.1 only; every step is bounded in time (about 3 minutes with the four
# default configurations once PostgreSQL is installed). Results land in bench/results/ (git-ignored).
#
# Environment: BENCH_FEEDBACK_CONFIGS (default "w2p w2 w4 w2t4": -w 2; -w 4; -w 2 --threads 4;
# a trailing p = sustained submissions: each client GETs the form once, in its warm-up, then only
# POSTs; without it, each client GETs the form before every POST),
# BENCH_CLIENTS (20), BENCH_DURATION (seconds per configuration, 30), BENCH_PROFILE_ROUNDS (200;
# 0 skips the profile), BENCH_FEEDBACK_PG_PORT (the bench's own cluster, 54349); BENCH_FRESH_DB=1,
# BENCH_KEEP_PG, BENCH_SHARED_PG and BENCH_WAIT_QUIET as in bench/lib.sh, which sets up the services.
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
BENCH_NAME=bench-feedback

DB=portal_feedback_bench
CLIENTS="${BENCH_CLIENTS:-20}"
DURATION="${BENCH_DURATION:-30}"
PROFILE_ROUNDS="${BENCH_PROFILE_ROUNDS:-200}"
read -r -a CONFIGS <<<"${BENCH_FEEDBACK_CONFIGS:-w2p w2 w4 w2t4}"
STAMP=$(date +%Y%m%d-%H%M%S)
bench_results "feedback-$STAMP"
# The code measured: the commit, and whether the working tree (outside bench/) had changes.
{
  printf 'code as of %s' "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  [ -z "$(git status --porcelain -- . ':!bench' 2>/dev/null)" ] || printf ' + uncommitted changes'
  echo
} >"$RESULTS/code.txt"

for cfg in "${CONFIGS[@]}"; do
  [[ "$cfg" =~ ^w[0-9]+(t[0-9]+)?p?$ ]] || fail "BENCH_FEEDBACK_CONFIGS: '$cfg' is not wN, wNtM, wNp or wNtMp"
done

# 1. PostgreSQL: a cluster of the bench's own on 54349 (bench/lib.sh says why), database portal_feedback_bench.
bench_pg_start portal-bench-feedback-pg "${BENCH_FEEDBACK_PG_PORT:-54349}"
bench_pg_database

# 2. Data: the plan and its sample measurements, without ELASTICSEARCH_URL.
bench_load_plan --no-search
# The previous runs' submissions, their queued background tasks (Wagtail's reference index: no
# db_worker runs here) and the sessions go, so every run starts from the same table sizes. The
# database is the bench's own; of the submissions, only the ones this benchmark made (BENCH…) go.
bench_clear_submissions

# 3. Production settings for everything the server does. Unset (so the defaults apply): the
# reCAPTCHA keys (no keys = no captcha), PARTICIPATION_STAFF_EMAILS (no mail per submission; with
# addresses, each submission would print a mail to the console, EMAIL_URL=consolemail://),
# CACHE_URL (locmem, per worker: the rate limiter counts per worker), ELASTICSEARCH_URL.
# The rate limits go to 1,000,000: every client is 127.0.0.1, and the defaults (5 a minute, 50 a
# day per IP) would turn all but the first few submissions into 429s.
bench_prod_env
PROD_ENV=(
  -u RECAPTCHA_PUBLIC_KEY -u RECAPTCHA_PRIVATE_KEY -u PARTICIPATION_STAFF_EMAILS -u CACHE_URL
  -u ELASTICSEARCH_URL -u EMAIL_URL -u TRUSTED_PROXY_COUNT
  "${PROD_ENV[@]}"
  PARTICIPATION_RATE_PER_MINUTE=1000000
  PARTICIPATION_RATE_PER_DAY=1000000
)
bench_collectstatic

# 4. Where the time of one round goes, in-process (before the server starts, so nothing competes).
if [ "$PROFILE_ROUNDS" -gt 0 ]; then
  step "in-process profile: GET + POST /feedback/, $PROFILE_ROUNDS rounds"
  env "${PROD_ENV[@]}" timeout 300 "$PY" bench/feedback_profile.py --rounds "$PROFILE_ROUNDS" --run "$STAMP" \
    --pstats "$RESULTS/profile.pstats" --json "$RESULTS/profile.json" | tee "$RESULTS/profile.txt"
fi

bench_free_port

start_gunicorn() {  # $1: config (wN or wNtM, optionally with p)
  local workers=${1#w} threads=1
  workers=${workers%p}
  if [[ "$workers" == *t* ]]; then threads=${workers#*t}; workers=${workers%t*}; fi
  local args=(-w "$workers")
  [ "$threads" -gt 1 ] && args+=(--threads "$threads")
  echo "gunicorn ${args[*]}" >>"$RESULTS/gunicorn.log"
  bench_gunicorn_start "${args[@]}"
  bench_wait_ok /feedback/ 30 5
}

label() {  # human name of a config
  local workers=${1#w} threads=1 name suffix=""
  if [[ "$workers" == *p ]]; then suffix=", submissions only"; else suffix=", form page + submission"; fi
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

  bench_wait_quiet "$(label "$cfg")"

  LOAD_ARGS=()
  [[ "$cfg" == *p ]] && LOAD_ARGS+=(--form-once)
  step "load: $CLIENTS clients × ${DURATION}s, GET /feedback/ → POST /feedback/ ($(label "$cfg"))"
  timeout $((DURATION + 150)) "$PY" bench/cpuwatch.py --ours "$GUNICORN_PID" --ours "$POSTMASTER" \
    --log "$RESULTS/machine.txt" --label "load $(label "$cfg")" -- \
    "$PY" bench/feedback_load.py --base "$BASE" --run "$STAMP-$cfg" --label "$(label "$cfg")" \
    --clients "$CLIENTS" --duration "$DURATION" --dsn "$DATABASE_URL" --json "$RESULTS/load-$i-$cfg.json" \
    ${LOAD_ARGS[@]+"${LOAD_ARGS[@]}"} \
    | tee "$RESULTS/load-$i-$cfg.txt" || STATUS=1
  bench_stop_gunicorn
done

# 6. Figures.
step "figures"
"$PY" bench/feedback_report.py "$RESULTS" || STATUS=1
echo
echo "Full output in $RESULTS/ (whole run $(($(date +%s) - T0)) s)."
[ "$STATUS" = 0 ] || fail "a run failed or a database check did not match (see above and $RESULTS/gunicorn.log)"
