#!/usr/bin/env bash
# A Redis on 127.0.0.1 for `make run-prod` (the shared cache production needs: participation.E001).
#   scripts/redis.sh start   install Debian's redis-server if missing, start it and wait for PONG; prints CACHE_URL
#   scripts/redis.sh stop    stop the Redis this checkout started, and wait for it to exit
#   scripts/redis.sh status  exit 0 when this checkout's Redis is running
#   scripts/redis.sh url     print CACHE_URL (redis://127.0.0.1:6389/0)
# Settings (environment):
#   REDIS_PORT   port (default 6389: not Redis's usual 6379, which a system Redis may hold)
#   REDIS_DIR    pid file, log and working directory (default /tmp/portal-redis-<hash of checkout>)
# A cache, not a store: no snapshots, no append-only file, and a memory bound with LRU eviction.
# Under root it runs as Debian's `redis` system user (created by the package), as postgres.sh
# runs PostgreSQL as `postgres`.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${REDIS_PORT:-6389}"
DIR="${REDIS_DIR:-/tmp/portal-redis-$(pwd | md5sum | cut -c1-10)}"
PIDFILE="$DIR/redis.pid"
URL="redis://127.0.0.1:${PORT}/0"

say() { echo "redis.sh: $*" >&2; }
die() { say "$*"; exit 1; }
is_root() { [ "$(id -u)" = 0 ]; }

as_owner() {
  if is_root; then runuser -u redis -- "$@"; else "$@"; fi
}

install_if_missing() {
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null && return
  is_root || die "redis-server is missing and installing it needs root: sudo apt-get install -y redis-server"
  say "installing Debian's redis-server…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq redis-server >/dev/null
}

running_pid() {
  local pid
  [ -f "$PIDFILE" ] || return 1
  pid=$(tr -dc 0-9 <"$PIDFILE")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  # Guard against a reused pid: it must be a redis-server on this checkout's port.
  case "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)" in
    *redis-server*":$PORT"*) echo "$pid" ;;
    *) return 1 ;;
  esac
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start() {
  if running_pid >/dev/null; then echo "$URL"; return 0; fi
  port_in_use "$PORT" && die "port $PORT is taken by something this checkout did not start (set REDIS_PORT)"
  install_if_missing
  mkdir -p "$DIR"
  if is_root; then chown redis:redis "$DIR"; fi
  rm -f "$PIDFILE"
  # --daemonize: redis-server forks once it listens and writes the pid file.
  as_owner redis-server --bind 127.0.0.1 --port "$PORT" --protected-mode yes --daemonize yes \
    --dir "$DIR" --pidfile "$PIDFILE" --logfile "$DIR/redis.log" \
    --save "" --appendonly no --maxmemory 256mb --maxmemory-policy allkeys-lru \
    || die "redis-server failed to start (log in $DIR/redis.log)"
  for _ in $(seq 1 100); do
    [ "$(redis-cli -h 127.0.0.1 -p "$PORT" ping 2>/dev/null)" = PONG ] && { echo "$URL"; return 0; }
    sleep 0.1
  done
  tail -n 20 "$DIR/redis.log" >&2 2>/dev/null || true
  die "Redis did not answer on 127.0.0.1:$PORT within 10 s (log in $DIR/redis.log)"
}

stop() {
  local pid
  pid=$(running_pid) || { rm -f "$PIDFILE" 2>/dev/null || true; return 0; }
  kill -TERM "$pid"
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  say "Redis (pid $pid) did not stop within 10 s: killing it"
  kill -KILL "$pid" 2>/dev/null || true
}

status() { running_pid >/dev/null; }

case "${1:-}" in
  start) start ;;
  status) status ;;
  stop) stop ;;
  url) echo "$URL" ;;
  *) echo "usage: $0 start|stop|status|url" >&2; exit 2 ;;
esac
