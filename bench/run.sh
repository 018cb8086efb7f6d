#!/usr/bin/env bash
# Uncached page benchmark (`make bench`): see bench/README.md.
#   PostgreSQL via scripts/postgres.sh, database portal_bench (plan + sample data, dev settings),
#   gunicorn with production settings and 2 workers on a free loopback port, then
#   queries per page (in-process), sequential latency, and wrk throughput; a figures table last.
# Traffic goes to 127.0.0.1 only; every step is bounded in time (whole run < 3 minutes once
# wrk and PostgreSQL are installed). Results land in bench/results/ (git-ignored).
#
# Environment: BENCH_DURATION (wrk seconds per URL, default 10), BENCH_REQUESTS (timed requests,
# default 200), BENCH_PG_PORT (the bench's own cluster, 54339); BENCH_FRESH_DB=1 (~30 s more),
# BENCH_KEEP_PG, BENCH_SHARED_PG and BENCH_WAIT_QUIET as in bench/lib.sh, which sets up the services.
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

DB=portal_bench
DURATION="${BENCH_DURATION:-10}"
REQUESTS="${BENCH_REQUESTS:-200}"
PATHS=(/ /education/ /employment/ /education/task-1/edu-01/)
WRK_PATHS=(/ /education/)
bench_results "$(date +%Y%m%d-%H%M%S)"

# 1. wrk; 2. PostgreSQL, a cluster of the bench's own on 54339 (bench/lib.sh says why) and portal_bench.
bench_need_wrk
bench_pg_start portal-bench-pg "${BENCH_PG_PORT:-54339}"
bench_pg_database

# 3. Data: the plan, its sample measurements and the staff groups.
bench_load_plan --staff

# 4. Production settings for everything the server does.
bench_prod_env
PROD_ENV+=(PAGE_CACHE_SECONDS=0)  # this benchmark measures the views; bench/cache.sh measures the page cache
bench_collectstatic

# 5. Queries per page, in-process, before the server runs (its growth test writes and rolls back).
step "SQL queries per page"
timeout 120 "$PY" bench/queries.py --json "$RESULTS/queries.json" "${PATHS[@]}" | tee "$RESULTS/queries.txt"

# 6. gunicorn, production settings, 2 workers, on a free loopback port; then the machine check.
bench_free_port
step "starting gunicorn on $BASE"
bench_gunicorn_start -w 2
bench_wait_ok / 30 5
step "machine check"
bench_wait_quiet

# 7. Sequential latency; 8. throughput (each under cpuwatch.py: bench/lib.sh).
bench_latency "${PATHS[@]}"
bench_wrk "${WRK_PATHS[@]}"

# 9. Figures.
step "figures"
STATUS=0
"$PY" bench/report.py "$RESULTS" || STATUS=$?
echo
echo "Full output in $RESULTS/ (whole run $(($(date +%s) - T0)) s)."
[ "$STATUS" = 0 ] || fail "some requests failed during the run (see flags above and $RESULTS/gunicorn.log)"
