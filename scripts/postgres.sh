#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on 127.0.0.1 for tests and `make run-full`.
#   scripts/postgres.sh start   install Debian's PostgreSQL if missing, init and start; prints DATABASE_URL
#   scripts/postgres.sh stop    stop the cluster this checkout started
#   scripts/postgres.sh status  exit 0 when this checkout's cluster is running
#   scripts/postgres.sh url     print DATABASE_URL
# PostgreSQL refuses to run as root, so under root the cluster runs as the `postgres` system user.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PG_PORT:-54329}"
DB="${PG_DB:-portal}"
# One cluster per checkout, outside the tree (the postgres user must be able to reach it).
CLUSTER="${PG_CLUSTER_DIR:-/tmp/portal-pg-$(pwd | md5sum | cut -c1-10)}"
URL="postgres://postgres@127.0.0.1:${PORT}/${DB}"

find_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$dir" ] && [ -x "$dir/pg_ctl" ] && echo "$dir"
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

install_if_missing() {
  if [ -z "$(find_bin)" ]; then
    if [ "$(id -u)" != 0 ]; then
      echo "PostgreSQL is missing and installing it needs root: sudo apt-get install -y postgresql" >&2
      exit 1
    fi
    echo "Installing Debian's PostgreSQL…" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
  fi
}

start() {
  install_if_missing
  local bin; bin=$(find_bin)
  if [ ! -f "$CLUSTER/data/PG_VERSION" ]; then
    mkdir -p "$CLUSTER"
    [ "$(id -u)" = 0 ] && chown postgres "$CLUSTER"
    as_owner "$bin/initdb" -D "$CLUSTER/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if ! as_owner "$bin/pg_ctl" -D "$CLUSTER/data" status >/dev/null 2>&1; then
    # fsync off: a throwaway cluster trades durability for test speed.
    as_owner "$bin/pg_ctl" -D "$CLUSTER/data" -l "$CLUSTER/log" -w -t 60 start \
      -o "-p $PORT -k $CLUSTER -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >/dev/null
  fi
  as_owner "$bin/psql" -h 127.0.0.1 -p "$PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$DB'" postgres | grep -q 1 \
    || as_owner "$bin/createdb" -h 127.0.0.1 -p "$PORT" -U postgres "$DB"
  echo "$URL"
}

stop() {
  local bin; bin=$(find_bin || true)
  if [ -n "$bin" ] && [ -f "$CLUSTER/data/PG_VERSION" ]; then
    as_owner "$bin/pg_ctl" -D "$CLUSTER/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
}

status() {
  local bin; bin=$(find_bin || true)
  [ -n "$bin" ] && [ -f "$CLUSTER/data/PG_VERSION" ] && as_owner "$bin/pg_ctl" -D "$CLUSTER/data" status >/dev/null 2>&1
}

case "${1:-}" in
  start) start ;;
  status) status ;;
  stop) stop ;;
  url) echo "$URL" ;;
  *) echo "usage: $0 start|stop|status|url" >&2; exit 2 ;;
esac
