#!/usr/bin/env bash
# Wagtail's demo site beside ours (`bash bench/bakerydemo.sh`): see "Side by side with bakerydemo"
# in bench/README.md. The figures of bench/run.sh, taken the same way on bakerydemo's blog index:
#   bakerydemo (https://github.com/wagtail/bakerydemo) in /tmp/portal-bakerydemo/src, its own venv
#   (/tmp/portal-bakerydemo/venv-pyX.Y: its requirements, gunicorn at our version), a PostgreSQL
#   cluster of its own via scripts/postgres.sh (127.0.0.1:54379, database bakerydemo: migrate +
#   load_initial_data), its production settings (DEBUG off, whitenoise, locmem cache, no cache
#   middleware), gunicorn -w 2 on a free loopback port; then SQL queries per request in-process
#   (bench/bakerydemo_queries.py), sequential latency (bench/latency.py: 20 warm-up + 200 timed) and
#   wrk -t2 -c8, each under bench/cpuwatch.py; a figures table last (bench/bakerydemo_report.py).
# Traffic goes to 127.0.0.1 only; every step is bounded in time (about 1 minute once installed, up
# to 30 s more while waiting for a busy machine; the first run installs the venv and loads the data,
# about 1 minute more). Results land in bench/results/bakerydemo-<timestamp>/ and the figures table
# in bench/results/bakerydemo-<timestamp>.txt (git-ignored).
#
# Where bakerydemo comes from, the first that applies:
#   BAKERYDEMO_SRC     a git repository (bare, as the fetch of a snapshot leaves it, or a work tree:
#                      its HEAD), a source directory, or a .tar.gz of GitHub's (copied when it differs
#                      from the copy in /tmp/portal-bakerydemo, whose database is then reloaded);
#   the copy already in /tmp/portal-bakerydemo/src (works offline);
#   BAKERYDEMO_MIRROR  a fetched snapshot (default /work/.mirror/wagtail+bakerydemo/repo), if there;
#   https://codeload.github.com/wagtail/bakerydemo/tar.gz/BAKERYDEMO_REF (default main), with curl.
# Environment: BAKERYDEMO_DIR (/tmp/portal-bakerydemo), BAKERYDEMO_REFRESH=1 (take the source again),
# BAKERYDEMO_PYTHON (the venv's interpreter; default the one of our .venv, so both sites run on the
# same Python: on Python < 3.12 bakerydemo's Django 6 pin becomes Django 5.2, the newest Django that
# installs there, and its Wagtail pin is kept), BAKERYDEMO_PG_PORT (54379), BAKERYDEMO_PATHS (/blog/),
# BAKERYDEMO_RESULTS (the results directory; the table goes to <it>.txt); BENCH_DURATION (wrk
# seconds, 10), BENCH_REQUESTS (200), BENCH_FRESH_DB=1, BENCH_KEEP_PG and BENCH_WAIT_QUIET as in
# bench/lib.sh. It starts and stops all of its own, so bench/run.sh can call it after its own run.
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
BENCH_NAME=bakerydemo
HERE=$PWD # the checkout (lib.sh moved there): commands run in bakerydemo's tree name our files by it

DB=bakerydemo
ROOT="${BAKERYDEMO_DIR:-/tmp/portal-bakerydemo}"
SRC="$ROOT/src"
STAMP="$ROOT/source.txt" # where the copy in $SRC came from, and its commit
MIRROR="${BAKERYDEMO_MIRROR:-/work/.mirror/wagtail+bakerydemo/repo}"
REF="${BAKERYDEMO_REF:-main}"
DURATION="${BENCH_DURATION:-10}"
REQUESTS="${BENCH_REQUESTS:-200}"
read -r -a PATHS <<<"${BAKERYDEMO_PATHS:-/blog/}"
if [ -n "${BAKERYDEMO_RESULTS:-}" ]; then
  RESULTS="${BAKERYDEMO_RESULTS%/}"
  mkdir -p "$RESULTS"
  SETUP_LOG="$RESULTS/setup.log"
else
  bench_results "bakerydemo-$(date +%Y%m%d-%H%M%S)"
fi
RESULTS_ABS=$(realpath "$RESULTS") # for commands run in bakerydemo's tree
mkdir -p "$ROOT"
exec 8>"$ROOT/.lock"
flock -n 8 || fail "another bench/bakerydemo.sh is using $ROOT"

# 1. The source. Each origin has an id (a commit, or a path); the copy is replaced only when it changes.
origin_id() { # ORIGIN
  if [ -f "$1" ]; then # GitHub's and git archive's tarballs carry their commit
    local commit
    commit=$(gzip -dc "$1" 2>/dev/null | git get-tar-commit-id 2>/dev/null || true)
    echo "tarball:${commit:-md5 $(md5sum <"$1" | cut -c1-12)}"
  elif [ "$(git -C "$1" rev-parse --is-bare-repository 2>/dev/null)" = true ] \
    || [ "$(git -C "$1" rev-parse --show-toplevel 2>/dev/null)" = "$(realpath "$1")" ]; then
    echo "git:$(git -C "$1" rev-parse HEAD)"
  else
    echo "dir:$(realpath "$1")"
  fi
}

unpack() { # ORIGIN ID: a fresh $SRC from ORIGIN; the database is reloaded from it
  local new="$ROOT/src.new"
  rm -rf "$new" && mkdir -p "$new"
  case "$2" in
    tarball:*) tar -xzf "$1" -C "$new" --strip-components=1 ;;
    git:*) git -C "$1" archive --format=tar HEAD | tar -x -C "$new" ;;
    *) tar -C "$1" --exclude=./.venv --exclude=./bakerydemo/media --exclude=./bakerydemo/collect_static -cf - . \
      | tar -x -C "$new" ;;
  esac
  [ -f "$new/bakerydemo/settings/production.py" ] || fail "$1 does not hold bakerydemo (no bakerydemo/settings/production.py)"
  rm -rf "$SRC" && mv "$new" "$SRC"
  printf '%s\n%s\n' "$2" "$1" >"$STAMP"
  export BENCH_FRESH_DB=1
}

step "bakerydemo source"
if [ -n "${BAKERYDEMO_SRC:-}" ]; then
  [ -e "$BAKERYDEMO_SRC" ] || fail "BAKERYDEMO_SRC=$BAKERYDEMO_SRC does not exist"
  id=$(origin_id "$BAKERYDEMO_SRC")
  if [ -n "${BAKERYDEMO_REFRESH:-}" ] || [ ! -d "$SRC" ] || [ "$(head -n 1 "$STAMP" 2>/dev/null)" != "$id" ]; then
    unpack "$BAKERYDEMO_SRC" "$id"
  fi
elif [ -z "${BAKERYDEMO_REFRESH:-}" ] && [ -d "$SRC" ] && [ -f "$STAMP" ]; then
  : # the copy already there
elif [ -d "$MIRROR" ]; then
  unpack "$MIRROR" "$(origin_id "$MIRROR")"
else
  tarball="$ROOT/bakerydemo-$REF.tar.gz"
  echo "downloading https://codeload.github.com/wagtail/bakerydemo/tar.gz/$REF"
  timeout 120 curl -fsSL -o "$tarball.part" "https://codeload.github.com/wagtail/bakerydemo/tar.gz/$REF" \
    || fail "no bakerydemo: set BAKERYDEMO_SRC (a git repository, directory or tarball); GitHub was not reachable"
  mv "$tarball.part" "$tarball"
  unpack "$tarball" "$(origin_id "$tarball")"
fi
SOURCE_ID=$(head -n 1 "$STAMP")
echo "$SOURCE_ID (from $(sed -n 2p "$STAMP"))" | tee "$RESULTS/source.txt"

# 2. Its own venv: bakerydemo's requirements (base.txt, and production.txt but for the clients of
# services its production settings use only when their variables are set: uwsgi, S3, Google Cloud,
# Elasticsearch), gunicorn at the version our .venv runs. On Python < 3.12 a Django >= 6 pin (6.0
# requires 3.12) becomes Django 5.2; the Wagtail pin stays as bakerydemo has it.
[ -x "$PY" ] || fail "no $PY: run make venv"
BD_PYTHON="${BAKERYDEMO_PYTHON:-$("$PY" -c 'import sys; print(sys._base_executable)')}"
PYVER=$("$BD_PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])') || fail "no Python at $BD_PYTHON"
VENV="$ROOT/venv-py$PYVER"
GUNICORN_VERSION=$("$PY" -c 'import gunicorn; print(gunicorn.__version__)')
REQS="$ROOT/requirements-py$PYVER.txt"
{
  echo "# bench/bakerydemo.sh: bakerydemo's requirements/base.txt + production.txt, Python $PYVER"
  grep -vE '^[[:space:]]*(#|-r|$)' "$SRC/requirements/base.txt" \
    | if "$BD_PYTHON" -c 'import sys; sys.exit(sys.version_info >= (3, 12))'; then
      sed -E 's/^[Dd]jango[[:space:]]*>=[[:space:]]*6[^[:space:]#;]*/Django>=5.2,<6.0  # pinned >=6 by bakerydemo: needs Python 3.12/'
    else cat; fi
  grep -vE '^[[:space:]]*(#|-r|$)' "$SRC/requirements/production.txt" \
    | grep -viE '^(uwsgi|boto3|google-cloud-storage|django-storages|aws-requests-auth|elasticsearch)([^a-z_-]|$)'
  echo "gunicorn==$GUNICORN_VERSION"
} >"$REQS.new"
if ! cmp -s "$REQS.new" "$VENV/.bench-requirements.txt"; then
  step "installing bakerydemo's requirements into $VENV (Python $PYVER)"
  rm -rf "$VENV"
  timeout 120 "$BD_PYTHON" -m venv "$VENV" >>"$SETUP_LOG" 2>&1 || fail "venv failed (see $SETUP_LOG)"
  timeout 600 "$VENV/bin/pip" install -q -r "$REQS.new" >>"$SETUP_LOG" 2>&1 \
    || fail "pip install failed (see $SETUP_LOG and $REQS.new)"
  cp "$REQS.new" "$VENV/.bench-requirements.txt"
fi
mv "$REQS.new" "$REQS"
cp "$REQS" "$RESULTS/requirements.txt"
grep -q '# pinned >=6' "$REQS" && echo "note: Django pin relaxed to 5.2 for Python $PYVER (see $REQS)"

# 3. PostgreSQL: a cluster of its own on 54379 (bench/lib.sh says why not the shared one; 54339 is
# bench/run.sh's, which may be running in another checkout), database bakerydemo.
bench_need_wrk
bench_pg_start portal-bakerydemo-pg "${BAKERYDEMO_PG_PORT:-54379}"
bench_pg_database

# bakerydemo's production settings for everything, with only what a loopback run needs changed:
# a SECRET_KEY, the hosts, no redirect to HTTPS. Variables that would switch on its optional
# services (Redis, Elasticsearch, S3, basic auth, CSP, Cloudflare) are removed. manage.py and
# wsgi.py load a .env file when there is one; bakerydemo has none.
BD_ENV=(
  -u REDIS_URL -u REDIS_TLS_URL -u ELASTICSEARCH_ENDPOINT -u AWS_STORAGE_BUCKET_NAME -u GS_BUCKET_NAME
  -u CSP_DEFAULT_SRC -u BASIC_AUTH_ENABLED -u FRONTEND_CACHE_CLOUDFLARE_TOKEN
  -u FRONTEND_CACHE_CLOUDFLARE_BEARER_TOKEN -u PRIMARY_HOST
  DJANGO_SETTINGS_MODULE=bakerydemo.settings.production
  DJANGO_SECRET_KEY="bench-only-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
  DATABASE_URL="$DATABASE_URL"
  DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
  SECURE_SSL_REDIRECT=False
)
bd() { (cd "$SRC" && exec env "${BD_ENV[@]}" "$@"); } # a command in bakerydemo's tree and settings

# 4. Data: migrate, then load_initial_data when the blog is empty. That command is not idempotent (it
# copies the media, deletes Wagtail's default site, loads a fixture): a new or half-loaded database
# is emptied first.
step "migrate + load_initial_data into $DB"
posts=$("${PSQL[@]}" -c "SELECT count(*) FROM blog_blogpage" "$DB" 2>/dev/null || echo 0)
if [ "$posts" = 0 ]; then
  "${PSQL[@]}" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB" postgres >/dev/null
fi
bd timeout 300 "$VENV/bin/python" manage.py migrate --noinput -v0 >>"$SETUP_LOG" 2>&1 \
  || fail "migrate failed (see $SETUP_LOG)"
if [ "$posts" = 0 ]; then
  rm -rf "$SRC/bakerydemo/media"
  bd timeout 300 "$VENV/bin/python" manage.py load_initial_data >>"$SETUP_LOG" 2>&1 \
    || fail "load_initial_data failed (see $SETUP_LOG)"
  posts=$("${PSQL[@]}" -c "SELECT count(*) FROM blog_blogpage" "$DB")
fi
echo "$posts blog posts"

# Whitenoise's manifest storage: pages name their static files through the manifest.
if [ ! -f "$SRC/bakerydemo/collect_static/staticfiles.json" ]; then
  step "collectstatic"
  bd timeout 300 "$VENV/bin/python" manage.py collectstatic --noinput -v0 >>"$SETUP_LOG" 2>&1 \
    || fail "collectstatic failed (see $SETUP_LOG)"
fi

# 5. Versions and SQL queries per request, in-process, before the server runs.
step "SQL queries per page (in-process, bakerydemo's venv)"
bd timeout 120 "$VENV/bin/python" "$HERE/bench/bakerydemo_queries.py" --source "$SOURCE_ID" \
  --json "$RESULTS_ABS/queries.json" "${PATHS[@]}" | tee "$RESULTS/queries.txt"

# 6. gunicorn, 2 sync workers, on a free loopback port; then the machine check.
bench_free_port
step "starting gunicorn (bakerydemo.wsgi, -w 2) on $BASE"
# The subshell execs env, which execs gunicorn: $! is gunicorn's master, which bench_stop_gunicorn stops.
(cd "$SRC" && exec env "${BD_ENV[@]}" "$VENV/bin/python" -m gunicorn bakerydemo.wsgi -w 2 -b "127.0.0.1:$PORT" \
  --error-logfile "$RESULTS_ABS/gunicorn.log") >>"$RESULTS/gunicorn.log" 2>&1 &
GUNICORN_PID=$!
bench_wait_ok "${PATHS[0]}" 60 10
step "machine check"
bench_wait_quiet

# 7. Sequential latency; 8. throughput (each under cpuwatch.py: bench/lib.sh).
bench_latency "${PATHS[@]}"
bench_wrk "${PATHS[@]}"
bench_stop_gunicorn

# 9. Figures.
step "figures"
STATUS=0
"$PY" bench/bakerydemo_report.py "$RESULTS" --seconds "$(($(date +%s) - T0))" || STATUS=$?
echo
echo "Figures in $RESULTS.txt, full output in $RESULTS/ (whole run $(($(date +%s) - T0)) s)."
[ "$STATUS" = 0 ] || fail "some requests failed during the run (see flags above and $RESULTS/gunicorn.log)"
