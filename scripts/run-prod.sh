#!/usr/bin/env bash
# `make run-prod` / `make stop-prod`: the deployment the README describes, on this machine, for local use.
#   scripts/run-prod.sh start   PostgreSQL, Elasticsearch and Redis of its own; the release steps (migrate,
#                               collectstatic, load_plan without samples, setup_staff, set_site_url,
#                               rebuild_search_index, create_operator); then gunicorn (2 workers, --preload)
#                               `manage.py db_worker` and `send_digests --every 600` under supervisord;
#                               waits for http://127.0.0.1:PORT/
#   scripts/run-prod.sh stop    stop everything start started (supervisord and its programs, Redis,
#                               Elasticsearch, PostgreSQL); the data stays in RUN_PROD_DIR for next time
#   scripts/run-prod.sh status  exit 0 when supervisord runs; prints its programs
#   scripts/run-prod.sh env     print the site's environment (KEY=VALUE lines), starting nothing
#
# Settings (environment), chosen apart from `make test` (54329, 9200) so both run side by side:
#   PORT                 gunicorn on 127.0.0.1 (default 8000)
#   RUN_PROD_PG_PORT     its PostgreSQL (default 54369)
#   RUN_PROD_ES_PORT     its Elasticsearch (default 9229)
#   RUN_PROD_REDIS_PORT  its Redis (default 6389)
#   RECAPTCHA_PUBLIC_KEY, RECAPTCHA_PRIVATE_KEY  passed on to the site when set (else the forms have no captcha)
#   RUN_PROD_DIR         everything it writes (default /tmp/portal-runprod-<hash of checkout>): env (the site's
#                        environment, sourceable), secret_key, supervisord.conf and its socket, logs/, pg/, es/,
#                        redis/, media/. Remove it after `stop` to start from an empty database.
#
# The site runs with portal.settings.local_prod: production settings with HTTPS redirects, secure
# cookies and HSTS off, which that module allows only with PORTAL_LOCAL_HTTP=1 and loopback host names.
# Processes are supervised by Debian's supervisor (see the README's deployment section for why).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PY="$ROOT/.venv/bin/python"
RUN="${RUN_PROD_DIR:-/tmp/portal-runprod-$(pwd | md5sum | cut -c1-10)}"
PORT="${PORT:-8000}"
PG_ENV=(PG_PORT="${RUN_PROD_PG_PORT:-54369}" PG_CLUSTER_DIR="$RUN/pg" PG_DB=portal)
ES_ENV=(ES_PORT="${RUN_PROD_ES_PORT:-9229}" ES_RUN_DIR="$RUN/es")
REDIS_ENV=(REDIS_PORT="${RUN_PROD_REDIS_PORT:-6389}" REDIS_DIR="$RUN/redis")
CONF="$RUN/supervisord.conf"
# The site sees only its own environment: a developer's exported DATABASE_URL or SEARCH_INDEX_PREFIX
# (for `make test`) must not leak into it.
CLEAN_ENV=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME="${HOME:-/root}" LANG=C.UTF-8)

say() { echo "run-prod: $*" >&2; }
die() { say "$*"; exit 1; }

apt_install() {
  [ "$(id -u)" = 0 ] || die "missing $* and installing it needs root: sudo apt-get install -y $*"
  say "installing Debian's $*…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq "$@" >/dev/null
}

secret_key() {  # kept in RUN, so sessions survive a restart; a fresh one (not stored) for `env` before the first start
  if [ -s "$RUN/secret_key" ]; then cat "$RUN/secret_key"; else od -An -N32 -tx1 /dev/urandom | tr -d ' \n'; fi
}

site_env() {
  cat <<EOF2
DJANGO_SETTINGS_MODULE=portal.settings.local_prod
PORTAL_LOCAL_HTTP=1
SECRET_KEY=$(secret_key)
ALLOWED_HOSTS=127.0.0.1,localhost
SITE_URL=http://127.0.0.1:$PORT
DATABASE_URL=$(env "${PG_ENV[@]}" bash scripts/postgres.sh url)
ELASTICSEARCH_URL=$(env "${ES_ENV[@]}" bash scripts/elasticsearch.sh url)
CACHE_URL=$(env "${REDIS_ENV[@]}" bash scripts/redis.sh url)
MEDIA_ROOT=$RUN/media
SECURE_HSTS_SECONDS=31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS=True
SECURE_HSTS_PRELOAD=True
EOF2
  grep -v '^#' scripts/malloc.env
  # reCAPTCHA keys, when the caller has them (a by-hand check of the forms as production shows them).
  if [ -n "${RECAPTCHA_PUBLIC_KEY:-}" ]; then
    printf 'RECAPTCHA_PUBLIC_KEY=%s\nRECAPTCHA_PRIVATE_KEY=%s\n' "$RECAPTCHA_PUBLIC_KEY" "${RECAPTCHA_PRIVATE_KEY:-}"
  fi
}
# The HSTS lines are what a deployment sends; local_prod turns HSTS off for http://127.0.0.1, and
# tests/portal/test_deploy.py checks this environment with the real production settings.

in_site_env() {  # COMMAND…: run it with the site's environment only
  local lines
  mapfile -t lines <"$RUN/env"
  env -i "${CLEAN_ENV[@]}" "${lines[@]}" "$@"
}

manage() { in_site_env "$PY" manage.py "$@"; }

supervisord_pid() {  # this checkout's supervisord (a reused pid would not have our config on its command line)
  local pid
  [ -f "$RUN/supervisord.pid" ] || return 1
  pid=$(tr -dc 0-9 <"$RUN/supervisord.pid")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  case "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)" in
    *supervisord*"$CONF"*) echo "$pid" ;;
    *) return 1 ;;
  esac
}

supervisord_running() { supervisord_pid >/dev/null; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

write_supervisor_conf() {
  mkdir -p "$RUN/logs"
  cat >"$CONF" <<EOF2
; Written by scripts/run-prod.sh on each start: edit the script, not this file.
[unix_http_server]
file=$RUN/supervisor.sock
chmod=0700

[supervisord]
logfile=$RUN/logs/supervisord.log
pidfile=$RUN/supervisord.pid
childlogdir=$RUN/logs
directory=$ROOT

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://$RUN/supervisor.sock

; gunicorn's master replaces a worker that dies; supervisord replaces the master, db_worker and the
; outbox drain when they exit (db_worker exits on a lost database connection: this brings it back).
[program:gunicorn]
command=$PY -m gunicorn portal.wsgi --workers 2 --preload --bind 127.0.0.1:$PORT
directory=$ROOT
autorestart=true
startsecs=5
stopwaitsecs=30
stopasgroup=true
killasgroup=true
redirect_stderr=true
stdout_logfile=$RUN/logs/gunicorn.log

[program:db_worker]
command=$PY manage.py db_worker
directory=$ROOT
autorestart=true
startsecs=5
stopwaitsecs=30
stopasgroup=true
killasgroup=true
redirect_stderr=true
stdout_logfile=$RUN/logs/db_worker.log

; 关注 digests: wakes every 10 minutes and, once a day from DIGEST_HOUR, enqueues the digest task for db_worker
; (portal/follow/digest.py: one mail per address per day, a rerun sends nobody a second copy).
[program:send_digests]
command=$PY manage.py send_digests --every 600
directory=$ROOT
autorestart=true
startsecs=5
stopwaitsecs=30
stopasgroup=true
killasgroup=true
redirect_stderr=true
stdout_logfile=$RUN/logs/send_digests.log

; Index changes Elasticsearch did not take wait in the outbox; this retries them (search/outbox.py).
[program:drain_search_outbox]
command=$PY manage.py drain_search_outbox --every 30
directory=$ROOT
autorestart=true
startsecs=5
stopwaitsecs=30
stopasgroup=true
killasgroup=true
redirect_stderr=true
stdout_logfile=$RUN/logs/drain_search_outbox.log
EOF2
}

wait_for_site() {
  "$PY" - "http://127.0.0.1:$PORT/" <<'EOF2' || die "the site did not answer 200 within 120 s (logs in $RUN/logs)"
import sys, time, urllib.request
deadline = time.monotonic() + 120
while time.monotonic() < deadline:
    try:
        if urllib.request.urlopen(sys.argv[1], timeout=10).status == 200:
            sys.exit(0)
    except OSError:
        time.sleep(1)
sys.exit(1)
EOF2
}

start() {
  [ -x "$PY" ] || die "no $PY: run make venv"
  command -v supervisord >/dev/null || apt_install supervisor
  mkdir -p "$RUN"
  chmod 755 "$RUN"  # the postgres, elasticsearch and redis users reach their directories through it
  (umask 077; [ -s "$RUN/secret_key" ] || secret_key >"$RUN/secret_key")
  (umask 077; site_env >"$RUN/env")
  if ! supervisord_running && port_in_use "$PORT"; then
    die "port $PORT is taken by something run-prod did not start (set PORT)"
  fi

  say "starting PostgreSQL, Elasticsearch and Redis (first time: Debian packages, Elasticsearch download)…"
  env "${PG_ENV[@]}" bash scripts/postgres.sh start >/dev/null
  env "${ES_ENV[@]}" bash scripts/elasticsearch.sh start >/dev/null
  env "${REDIS_ENV[@]}" bash scripts/redis.sh start >/dev/null

  say "release steps: migrate, collectstatic, load_plan, setup_staff, set_site_url, rebuild_search_index"
  manage migrate --noinput -v0
  manage collectstatic --noinput -v0
  manage load_plan
  manage setup_staff >/dev/null
  manage set_site_url
  manage rebuild_search_index --no-progress
  local operator
  operator=$(manage create_operator | sed "s/^/  /")

  write_supervisor_conf
  if supervisord_running; then
    say "supervisord already runs: restarting gunicorn and db_worker"
    supervisorctl -c "$CONF" restart all >/dev/null
  else
    in_site_env supervisord -c "$CONF"
  fi
  wait_for_site
  supervisorctl -c "$CONF" status || true
  cat <<EOF2

Serving http://127.0.0.1:$PORT/ with production settings over plain HTTP (local use only).
  admin        http://127.0.0.1:$PORT/admin/
$operator
  logs         $RUN/logs (gunicorn.log, db_worker.log, drain_search_outbox.log, supervisord.log)
  environment  $RUN/env (set -a; . $RUN/env; set +a to run manage.py against this site)
  stop         make stop-prod
EOF2
}

stop() {
  if supervisord_running; then
    local pid
    pid=$(supervisord_pid)
    supervisorctl -c "$CONF" shutdown >/dev/null
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && die "supervisord (pid $pid) did not stop within 30 s"
  fi
  env "${REDIS_ENV[@]}" bash scripts/redis.sh stop
  env "${ES_ENV[@]}" bash scripts/elasticsearch.sh stop
  env "${PG_ENV[@]}" bash scripts/postgres.sh stop
  say "stopped; data kept in $RUN"
}

status() {
  supervisord_running || { say "not running"; return 1; }
  supervisorctl -c "$CONF" status
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  env) site_env ;;
  *) echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
esac
