#!/usr/bin/env bash
# A throwaway single-node Elasticsearch on 127.0.0.1 for development and tests, without Docker.
#   scripts/elasticsearch.sh start   fetch Elasticsearch if missing, start it and wait for yellow; prints the URL
#   scripts/elasticsearch.sh stop    stop the node this checkout started, and wait for it to exit
#   scripts/elasticsearch.sh status  exit 0 when this checkout's node is running
#   scripts/elasticsearch.sh url     print the URL (http://127.0.0.1:9200)
#
# Elasticsearch comes from Maven Central as its own integration-test distribution
# (org.elasticsearch.distribution.integ-test-zip:elasticsearch:VERSION:zip), fetched with `mvn`.
# That zip has no bundled JDK and only the core modules (transport-netty4, x-pack-core,
# x-pack-security, apm). Without analysis-common, what index settings can use is:
#   analyzers by name: standard, simple, whitespace, stop, keyword, classic;
#   analyzer types to define: standard, custom; tokenizer: standard only;
#   token filters: lowercase, stop, shingle; no char filters (no cjk, icu, ngram, synonym, …).
# Without rest-root, `GET /` and `HEAD /` answer 405, so the Python client's info() fails and
# ping() is False: check liveness with cluster.health(). No painless, reindex (_reindex,
# _update_by_query, _delete_by_query) or mapper-extras either.
# The zip and its unpacked tree are cached outside the tree, per version, under ES_HOME_BASE
# (default /var/cache/portal-elasticsearch as root, ~/.cache/portal-elasticsearch otherwise).
#
# Settings (environment):
#   ES_VERSION     use exactly this version (default: the newest 8.18.x on Maven Central,
#                  then the nearest 8.x, then 9.x; a version already cached wins over probing)
#   ES_PORT        HTTP port (default 9200); the transport port is the first free one in 9300-9399
#   ES_HEAP        JVM heap (default 256m); ES_JAVA_OPTS is appended after it
#   ES_FULL_JIT=1  run with the full (C2) JIT; by default C1 only, for a start about twice as fast
#   ES_JAVA_HOME   the Java to run it with (default: the lowest installed Java it supports)
#   ES_RUN_DIR     config, data and logs of this checkout's node (default /tmp/portal-es-<hash of checkout>)
#   ES_START_TIMEOUT  seconds to wait for yellow (default 120)
# Elasticsearch refuses to run as root, so under root the node runs as the `elasticsearch`
# system user (created when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${ES_PORT:-9200}"
URL="http://127.0.0.1:${PORT}"
# One node per checkout, outside the tree (the elasticsearch user must be able to reach it).
RUN="${ES_RUN_DIR:-/tmp/portal-es-$(pwd | md5sum | cut -c1-10)}"
PIDFILE="$RUN/elasticsearch.pid"
HEAP="${ES_HEAP:-256m}"
START_TIMEOUT="${ES_START_TIMEOUT:-120}"
# C1-only JIT: starts about twice as fast on a small machine and is no slower on test-sized data.
# ES_FULL_JIT=1 restores the C2 compiler (for benchmarks on big indices).
if [ "${ES_FULL_JIT:-0}" = 1 ]; then JIT=""; else JIT="-XX:TieredStopAtLevel=1"; fi
ARTIFACT="org.elasticsearch.distribution.integ-test-zip:elasticsearch"
DEPENDENCY_PLUGIN="org.apache.maven.plugins:maven-dependency-plugin:3.6.1"
# Newest 8.18.x first (matches elasticsearch-dsl/elasticsearch 8.18 clients; 8.18.6 is the newest
# integ-test-zip on Maven Central), then the nearest 8.x (a newer minor first: the 8.x clients are
# forward compatible), then 9.1.0 (needs Java 21+; runs on Temurin 25, which 9.0.0 does not:
# its entitlement self-test fails there).
DEFAULT_VERSIONS="8.18.8 8.18.7 8.18.6 8.18.5 8.18.4 8.18.3 8.18.2 8.18.1 8.18.0 8.19.0 8.17.4 9.1.0"
if [ "$(id -u)" = 0 ]; then
  BASE="${ES_HOME_BASE:-/var/cache/portal-elasticsearch}"
else
  BASE="${ES_HOME_BASE:-${XDG_CACHE_HOME:-$HOME/.cache}/portal-elasticsearch}"
fi

say() { echo "elasticsearch.sh: $*" >&2; }
die() { say "$*"; exit 1; }
is_root() { [ "$(id -u)" = 0 ]; }

as_owner() {
  if is_root; then runuser -u elasticsearch -- "$@"; else "$@"; fi
}

apt_install() {
  is_root || die "missing $* and installing it needs root: sudo apt-get install -y $*"
  say "installing Debian's $*…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq "$@" >/dev/null
}

install_tools_if_missing() {
  local missing=()
  command -v mvn >/dev/null || missing+=(maven)
  command -v unzip >/dev/null || missing+=(unzip)
  command -v curl >/dev/null || missing+=(curl)
  command -v flock >/dev/null || missing+=(util-linux)
  [ ${#missing[@]} = 0 ] || apt_install "${missing[@]}"
}

# --- the distribution -------------------------------------------------------------------

# Fetch VERSION's zip with mvn (pom-less dependency:copy, run in an empty temp dir) and unpack it
# to $BASE/VERSION. On failure, print mvn's reason and return 1.
fetch() {
  local v="$1" zip="$BASE/zips/elasticsearch-$1.zip" tmp reason
  tmp=$(mktemp -d)
  if [ ! -s "$zip" ]; then
    say "fetching $ARTIFACT:$v:zip from Maven Central…"
    if ! (cd "$tmp" && mvn -q -B "$DEPENDENCY_PLUGIN:copy" -Dartifact="$ARTIFACT:$v:zip" \
          -DoutputDirectory="$tmp/out") >"$tmp/mvn.log" 2>&1; then
      reason=$(grep -m1 -oE '(Could not find artifact|Failure to find|Could not transfer artifact|Could not resolve)[^]]*' "$tmp/mvn.log" \
               | sed 's/ -> \[Help.*//' || true)
      [ -n "$reason" ] || reason=$(grep -m1 'ERROR' "$tmp/mvn.log" || tail -n 1 "$tmp/mvn.log")
      say "  $v: ${reason:-mvn failed}"
      rm -rf "$tmp"
      return 1
    fi
    mkdir -p "$BASE/zips"
    mv "$tmp/out/elasticsearch-$v.zip" "$zip"
  fi
  say "unpacking $zip…"
  if ! unzip -q "$zip" -d "$tmp/unpack" || [ ! -x "$tmp/unpack/elasticsearch-$v/bin/elasticsearch" ]; then
    say "  $v: $zip does not unpack to elasticsearch-$v/bin/elasticsearch; removing it"
    rm -rf "$tmp" "$zip"
    return 1
  fi
  # The zip's config files are 0640: make the shared cache readable by the user the node runs as.
  chmod -R a+rX "$tmp/unpack/elasticsearch-$v"
  rm -rf "${BASE:?}/$v"
  mv "$tmp/unpack/elasticsearch-$v" "$BASE/$v"
  rm -rf "$tmp"
}

# Print the version to run, fetching it if no candidate is cached yet.
ensure_dist() {
  local candidates="${ES_VERSION:-${ES_VERSIONS:-$DEFAULT_VERSIONS}}" v
  mkdir -p "$BASE"
  for v in $candidates; do
    [ -x "$BASE/$v/bin/elasticsearch" ] && { echo "$v"; return; }
  done
  install_tools_if_missing
  # One fetch at a time per machine (parallel checkouts / CI share the cache).
  exec 9>"$BASE/.lock"
  flock 9
  for v in $candidates; do
    [ -x "$BASE/$v/bin/elasticsearch" ] && { exec 9>&-; echo "$v"; return; }
    fetch "$v" && { exec 9>&-; echo "$v"; return; }
  done
  exec 9>&-
  die "no Elasticsearch distribution could be fetched (tried: $candidates)"
}

# --- Java --------------------------------------------------------------------------------

java_major() {
  local v=""
  [ -f "$1/release" ] && v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release")
  [ -n "$v" ] || v=$("$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1)
  echo "${v:-0}"
}

# The lowest installed Java >= $1 (Elasticsearch 8 needs 17+, 9 needs 21+); JAVA_HOME first if it fits.
find_java() {
  local min="$1" h v best="" bestv=1000 sys=""
  if [ -n "${ES_JAVA_HOME:-}" ]; then echo "$ES_JAVA_HOME"; return; fi
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(java_major "$JAVA_HOME")" -ge "$min" ]; then
    echo "$JAVA_HOME"; return
  fi
  command -v java >/dev/null && sys=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
  for h in /usr/lib/jvm/* $sys; do
    [ -x "$h/bin/java" ] || continue
    v=$(java_major "$h")
    if [ "$v" -ge "$min" ] && [ "$v" -lt "$bestv" ]; then best="$h"; bestv="$v"; fi
  done
  [ -n "$best" ] && echo "$best"
}

ensure_java() {
  local min="$1" j
  j=$(find_java "$min" || true)
  if [ -z "$j" ] && [ "$min" -le 17 ]; then
    apt_install openjdk-17-jre-headless
    j=$(find_java "$min" || true)
  fi
  [ -n "$j" ] || die "no Java $min+ found (set ES_JAVA_HOME)"
  echo "$j"
}

# --- the node ----------------------------------------------------------------------------

ensure_user() {
  is_root || return 0
  id -u elasticsearch >/dev/null 2>&1 \
    || useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin elasticsearch
}

# Write this checkout's config dir (ES_PATH_CONF) from the distribution's, with our settings.
prepare_run() {
  local v="$1" home="$BASE/$1"
  mkdir -p "$RUN"/config "$RUN"/data "$RUN"/logs "$RUN"/tmp
  # A data dir written by another version may not load: it is throwaway, start afresh.
  if [ -f "$RUN/version" ] && [ "$(cat "$RUN/version")" != "$v" ]; then
    say "data in $RUN was written by Elasticsearch $(cat "$RUN/version"), not $v: wiping it"
    rm -rf "${RUN:?}"/data/* "$RUN"/config/elasticsearch.keystore
  fi
  echo "$v" >"$RUN/version"
  cp "$home"/config/log4j2.properties "$home"/config/role_mapping.yml "$home"/config/roles.yml \
     "$home"/config/users "$home"/config/users_roles "$RUN/config/"
  mkdir -p "$RUN/config/jvm.options.d"
  # Keep GC logs, heap dumps and crash files in $RUN instead of the shared (read-only) ES home.
  sed -e "s#file=logs/gc.log#file=$RUN/logs/gc.log#" \
      -e "s#HeapDumpPath=data#HeapDumpPath=$RUN/data#" \
      -e "s#ErrorFile=logs/#ErrorFile=$RUN/logs/#" \
      "$home/config/jvm.options" >"$RUN/config/jvm.options"
  cat >"$RUN/config/elasticsearch.yml" <<EOF
# Written by scripts/elasticsearch.sh on each start: edit the script, not this file.
cluster.name: portal-dev-$(basename "$RUN")
node.name: portal-dev
network.host: 127.0.0.1
http.port: $PORT
transport.port: 9300-9399
discovery.type: single-node
path.data: $RUN/data
path.logs: $RUN/logs
bootstrap.memory_lock: false
xpack.security.enabled: false
# A dev/test node: never block writes on a fullish disk, allow wildcard deletes in tests.
cluster.routing.allocation.disk.threshold_enabled: false
action.destructive_requires_name: false
EOF
  if is_root; then chown -R elasticsearch:elasticsearch "$RUN"; fi
}

running_pid() {
  local pid
  [ -f "$PIDFILE" ] || return 1
  pid=$(tr -dc 0-9 <"$PIDFILE")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  # Guard against a reused pid: it must be an Elasticsearch with this checkout's temp dir
  # (ES_TMPDIR; the config path is passed on stdin, not on the command line).
  local cmd; cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)
  case "$cmd" in
    *"-Djava.io.tmpdir=$RUN/tmp "*org.elasticsearch.bootstrap.Elasticsearch*) ;;
    *) return 1 ;;
  esac
  echo "$pid"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start() {
  if running_pid >/dev/null; then echo "$URL"; return 0; fi
  if port_in_use "$PORT"; then
    die "port $PORT is taken by something this checkout did not start (set ES_PORT)"
  fi
  local v java major
  v=$(ensure_dist)
  major="${v%%.*}"
  java=$(ensure_java "$([ "$major" -ge 9 ] && echo 21 || echo 17)")
  ensure_user
  prepare_run "$v"
  rm -f "$PIDFILE"
  say "starting Elasticsearch $v (Java $(java_major "$java") at $java) in $RUN…"
  # -d: the launcher returns once the node has started (or failed); -p: it writes the pid file.
  if ! (cd "$RUN" && as_owner env ES_PATH_CONF="$RUN/config" ES_JAVA_HOME="$java" ES_TMPDIR="$RUN/tmp" \
        ES_JAVA_OPTS="-Xms$HEAP -Xmx$HEAP $JIT ${ES_JAVA_OPTS:-}" CLI_JAVA_OPTS="$JIT ${CLI_JAVA_OPTS:-}" \
        "$BASE/$v/bin/elasticsearch" -d -p "$PIDFILE") >"$RUN/start.out" 2>&1; then
    cat "$RUN/start.out" >&2
    tail -n 30 "$RUN/logs/"*.log 2>/dev/null >&2 || true
    die "Elasticsearch $v failed to start (logs in $RUN/logs)"
  fi
  local deadline=$((SECONDS + START_TIMEOUT))
  until curl -fsS -o /dev/null "$URL/_cluster/health?wait_for_status=yellow&timeout=5s" 2>/dev/null; do
    if ! running_pid >/dev/null; then
      tail -n 30 "$RUN/logs/"*.log 2>/dev/null >&2 || true
      die "Elasticsearch $v exited during start-up (logs in $RUN/logs)"
    fi
    [ "$SECONDS" -lt "$deadline" ] || die "Elasticsearch $v not yellow after ${START_TIMEOUT}s (logs in $RUN/logs)"
    sleep 1
  done
  echo "$URL"
}

stop() {
  local pid
  pid=$(running_pid) || { rm -f "$PIDFILE" 2>/dev/null || true; return 0; }
  kill -TERM "$pid" || die "cannot signal Elasticsearch (pid $pid): was it started by another user (root)?"
  for _ in $(seq 1 120); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "Elasticsearch (pid $pid) did not stop within 60 s: killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$PIDFILE"
}

status() { running_pid >/dev/null; }

case "${1:-}" in
  start) start ;;
  status) status ;;
  stop) stop ;;
  url) echo "$URL" ;;
  *) echo "usage: $0 start|stop|status|url" >&2; exit 2 ;;
esac
