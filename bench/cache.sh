#!/usr/bin/env bash
# Page cache benchmark (`make bench-cache`): see bench/README.md, "Page cache".
#   The same pages served by gunicorn (production settings, 2 workers, --preload, Redis as the shared cache)
#   twice: with the page cache off (PAGE_CACHE_SECONDS=0), then on. For each: sequential latency (median, p95)
#   of home, /employment/, an indicator and a domain grown to 50 cards; wrk req/s of each and of a static
#   file in the same run (the ratio is the figure); then the 50-card page's size plain and gzipped, and the
#   workers' memory (RSS and PSS) after the load.
# Environment: BENCH_DURATION (wrk seconds per URL, default 8), BENCH_REQUESTS (default 200), BENCH_PG_PORT
# (54339), BENCH_REDIS_PORT (6399), and bench/lib.sh's BENCH_FRESH_DB, BENCH_KEEP_PG, BENCH_WAIT_QUIET.
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

DB=portal_bench
DURATION="${BENCH_DURATION:-8}"
REQUESTS="${BENCH_REQUESTS:-200}"
FIFTY=/bench-fifty/
PATHS=(/ /employment/ /zh-hant/employment/ /education/task-1/edu-01/ "$FIFTY")
STATIC=/static/css/site.css
bench_results "cache-$(date +%Y%m%d-%H%M%S)"

bench_need_wrk
bench_pg_start portal-bench-pg "${BENCH_PG_PORT:-54339}"
bench_pg_database
bench_load_plan --staff --no-search
step "a domain with 50 indicator cards ($FIFTY)"
DJANGO_SETTINGS_MODULE=portal.settings.dev timeout 300 "$PY" bench/fifty_cards.py >>"$SETUP_LOG" 2>&1 \
  || fail "bench/fifty_cards.py failed (see $SETUP_LOG)"

step "Redis (the shared cache, as production)"
REDIS_ENV=(REDIS_PORT="${BENCH_REDIS_PORT:-6399}" REDIS_DIR=/tmp/portal-bench-redis)
CACHE_URL=$(env "${REDIS_ENV[@]}" bash scripts/redis.sh start) || fail "scripts/redis.sh start failed"
stop_redis() { env "${REDIS_ENV[@]}" bash scripts/redis.sh stop >/dev/null 2>&1 || true; }

bench_prod_env
PROD_ENV+=(CACHE_URL="$CACHE_URL")
bench_collectstatic

serve() {  # LABEL PAGE_CACHE_SECONDS: one server, its latency and throughput figures, its memory
  local label=$1 seconds=$2 path name
  bench_free_port
  step "[$label] gunicorn -w 2 --preload on $BASE (PAGE_CACHE_SECONDS=$seconds)"
  PROD_ENV+=(PAGE_CACHE_SECONDS="$seconds")
  bench_gunicorn_start -w 2 --preload
  bench_wait_ok / 60 10
  redis-cli -p "${BENCH_REDIS_PORT:-6399}" flushall >/dev/null
  bench_wait_quiet "$label"
  step "[$label] latency"
  timeout 300 "$PY" bench/latency.py --base "$BASE" --requests "$REQUESTS" --json "$RESULTS/latency-$label.json" \
    "${PATHS[@]}" | tee "$RESULTS/latency-$label.txt"
  for path in "${PATHS[@]}" "$STATIC"; do
    name=$(echo "$path" | tr -c 'a-z0-9\n' '-' | sed 's/^-*$/home/; s/^-//; s/-$//')
    step "[$label] wrk -t2 -c8 -d${DURATION}s $path"
    timeout $((DURATION + 30)) wrk -t2 -c8 -d"${DURATION}s" --timeout 10s "$BASE$path" \
      | tee "$RESULTS/wrk-$label-$name.txt"
  done
  step "[$label] size of $FIFTY"
  echo "plain $(curl -s "$BASE$FIFTY" | wc -c) gzip $(curl -s -H 'Accept-Encoding: gzip' "$BASE$FIFTY" | wc -c)" \
    | tee "$RESULTS/size-$label.txt"
  step "[$label] worker memory after the load"
  "$PY" bench/memory.py "$GUNICORN_PID" | tee "$RESULTS/memory-$label.txt"
  bench_stop_gunicorn
  unset 'PROD_ENV[-1]'
}

trap 'stop_redis; bench_cleanup' EXIT
serve uncached 0
serve cached 600

step "figures"
"$PY" bench/cache_report.py "$RESULTS"
DJANGO_SETTINGS_MODULE=portal.settings.dev timeout 120 "$PY" bench/fifty_cards.py --delete >>"$SETUP_LOG" 2>&1 || true
echo
echo "Full output in $RESULTS/ (whole run $(($(date +%s) - T0)) s)."
