#!/usr/bin/env bash
# Search benchmark (`bash bench/search.sh`): see "Search benchmark" in bench/README.md.
#   PostgreSQL via scripts/postgres.sh (the bench's own cluster, database portal_bench_search with
#   the plan, its sample data and 10,000 demo progress updates from `manage.py load_demo_corpus`,
#   dev settings), Elasticsearch via scripts/elasticsearch.sh (a node of the bench's own on
#   127.0.0.1:9219), then: a timed full rebuild of the search index over every record in the
#   database (bench/search_corpus.py); gunicorn with production settings and 2 workers, the search
#   view's sequential latency over a mix of 32 queries on Elasticsearch (bench/search_latency.py)
#   and wrk on one query; where a search request's time goes, in-process (bench/search_profile.py);
#   the same latency with the database engine; the database engine in-process with the same
#   10,000 demo updates on PostgreSQL (this database) and on SQLite (bench/search_db.py); a figures
#   table last (bench/search_report.py).
# Traffic goes to 127.0.0.1 only; every step is bounded in time (whole run < 8 minutes once the
# packages, the Elasticsearch distribution and the databases are there; the first run loads the
# plan and the demo updates into PostgreSQL and SQLite, a few minutes more). Results land in
# bench/results/ (git-ignored).
#
# Environment: BENCH_DOCS (demo updates, default 10000); BENCH_ROUNDS (timed rounds of the
# 32-query mix, default 10 = 320 requests); BENCH_DB_SECONDS (time budget of the database-engine
# rounds, default 40, see search_latency.py --max-seconds: a round took 20-30 s before the indexed
# engine, a few seconds since);
# BENCH_DURATION (wrk seconds, default 10); BENCH_PG_PORT (the bench's own cluster, 54339);
# BENCH_FRESH_DB=1 (about 50 s more), BENCH_KEEP_PG, BENCH_SHARED_PG, BENCH_WAIT_QUIET and the
# Elasticsearch ones (BENCH_KEEP_ES, BENCH_SHARED_ES, BENCH_ES_PORT, BENCH_ES_HEAP, BENCH_ES_FULL_JIT)
# as in bench/lib.sh, which sets up the services. The index prefix is portal-bench either way.
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

DB=portal_bench_search
DOCS="${BENCH_DOCS:-10000}"
ROUNDS="${BENCH_ROUNDS:-10}"
DB_SECONDS="${BENCH_DB_SECONDS:-40}"
DURATION="${BENCH_DURATION:-10}"
WRK_QUERY="入园率"
INDEX_PREFIX=portal-bench
bench_results "search-$(date +%Y%m%d-%H%M%S)"

# Two search benchmarks at once would share the node and the database, and measure each other.
exec 8>"/tmp/portal-bench-search-$CHECKOUT.lock"
flock -n 8 || fail "another bench/search.sh is running in this checkout"

# 1. wrk. 2. PostgreSQL: the bench's own cluster on 54339, as bench/run.sh uses, with a database of its
# own: the 10,000 demo updates, their index rows and the query log stay out of portal_bench.
bench_need_wrk
bench_pg_start portal-bench-pg "${BENCH_PG_PORT:-54339}"

# 3. Elasticsearch: the bench's own node on 9219, with the full JIT (bench/lib.sh).
bench_es_start
curl -fsS "$ES_URL/_nodes/_local/jvm?filter_path=nodes.*.version,nodes.*.jvm.mem.heap_max_in_bytes,nodes.*.jvm.version" \
  >"$RESULTS/es-node.json" 2>/dev/null || true
echo "$ES_URL (pid $ES_PID)"
bench_pg_database

# 4. Data: the plan and its sample measurements, then DOCS demo progress updates (load_demo_corpus), with
# development settings and without ELASTICSEARCH_URL (the rebuild below fills the index).
bench_load_plan --no-search
bench_load_demo_corpus "$DOCS"
# A fresh query log each run: the popular-searches query then reads the same rows every time.
"${PSQL[@]}" -c "TRUNCATE search_querylog" "$DB" >/dev/null

# 5. Production settings for the rebuild, the server and the profile.
bench_prod_env
PROD_ENV+=(SEARCH_INDEX_PREFIX="$INDEX_PREFIX")
bench_collectstatic

# Each measurement runs under cpuwatch.py, which tells how much CPU other work took meanwhile
# (ours: PostgreSQL, Elasticsearch, gunicorn once it runs, and the measuring command itself).
set_watch() {
  WATCH=("$PY" bench/cpuwatch.py --ours "$POSTMASTER" --ours "$ES_PID" --log "$RESULTS/machine.txt")
  [ -z "$GUNICORN_PID" ] || WATCH+=(--ours "$GUNICORN_PID")
}
set_watch

# 6. The full rebuild, timed: rebuild_search_index's own code over every record in the database (the
# plan's and the DOCS demo updates; nothing appended). The command indexes through its own client,
# whose timeout is SEARCH_INDEX_TIMEOUT (30 s), not the search client's SEARCH_TIMEOUT (0.8 s): a bulk
# request of 500 such documents takes longer.
step "full rebuild: the plan and its sample data + $DOCS demo updates"
timeout 300 "${WATCH[@]}" --label rebuild -- \
  env "${PROD_ENV[@]}" ELASTICSEARCH_URL="$ES_URL" "$PY" bench/search_corpus.py \
  --demo-updates "$DOCS" --json "$RESULTS/rebuild.json" | tee "$RESULTS/rebuild.txt"

bench_free_port
start_gunicorn() {  # $1: ELASTICSEARCH_URL for the server ("" = database engine)
  ELASTICSEARCH_URL="$1" bench_gunicorn_start -w 2
  bench_wait_ok "/search/?q=jiaoyu&format=json" 60 10
}

# 7. gunicorn, production settings, 2 workers, Elasticsearch.
step "starting gunicorn on $BASE (Elasticsearch engine)"
start_gunicorn "$ES_URL"
set_watch

# Elasticsearch should have finished merging the freshly built index by the time the CPU is quiet.
step "machine check"
bench_wait_quiet

# 8. Sequential latency, Elasticsearch engine.
step "search latency, Elasticsearch (sequential, $ROUNDS rounds of 32 queries)"
timeout 180 "${WATCH[@]}" --label "latency elasticsearch" -- "$PY" bench/search_latency.py --base "$BASE" \
  --expect-engine elasticsearch --rounds "$ROUNDS" --json "$RESULTS/latency-es.json" | tee "$RESULTS/latency-es.txt"

# 9. Throughput on one query (HTML, Elasticsearch).
WRK_PATH="/search/?q=$("$PY" -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$WRK_QUERY")"
step "wrk -t2 -c8 -d${DURATION}s /search/?q=$WRK_QUERY"
timeout $((DURATION + 30)) "${WATCH[@]}" --label "wrk search" -- \
  wrk -t2 -c8 -d"${DURATION}s" --timeout 10s --latency "$BASE$WRK_PATH" | tee "$RESULTS/wrk-search.txt"

bench_stop_gunicorn
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
# Its check pass (every query once) is the warm-up.
step "search latency, database engine (rounds that fit in ${DB_SECONDS}s, at least one)"
timeout $((DB_SECONDS + 150)) "${WATCH[@]}" --label "latency database" -- "$PY" bench/search_latency.py --base "$BASE" \
  --expect-engine database --warmup-rounds 0 --rounds "$ROUNDS" --max-seconds "$DB_SECONDS" \
  --json "$RESULTS/latency-db.json" \
  | tee "$RESULTS/latency-db.txt"
bench_stop_gunicorn

# 12. The database engine in-process, PostgreSQL (this database: its demo updates and the index table the
# rebuild above wrote) and SQLite (a file kept between runs: the first run migrates it, loads the plan
# and the DOCS demo updates and runs rebuild_search_index; later ones reuse it).
step "database engine with $DOCS demo updates, in-process, PostgreSQL and SQLite"
timeout 900 "${WATCH[@]}" --label "database engine" -- "$PY" bench/search_db.py --updates "$DOCS" \
  --pg "$DATABASE_URL" --sqlite "/tmp/portal-bench-dbsearch-$CHECKOUT.sqlite3" --json "$RESULTS/dbsearch.json" | tee "$RESULTS/dbsearch.txt"

# 13. Figures.
step "figures"
STATUS=0
"$PY" bench/search_report.py "$RESULTS" || STATUS=$?
echo
echo "Full output in $RESULTS/ (whole run $(($(date +%s) - T0)) s)."
[ "$STATUS" = 0 ] || fail "some requests failed during the run (see flags above and $RESULTS/gunicorn.log)"
