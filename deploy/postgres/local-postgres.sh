#!/usr/bin/env bash
# A throwaway PostgreSQL on loopback for study storage (tests, a laptop, one cluster head node).
#
#   deploy/postgres/local-postgres.sh start [DIR]   install when missing, initdb into DIR, start, create database 'pipelines'
#   deploy/postgres/local-postgres.sh env [DIR]     print: export PIPELINES_POSTGRES_URL=postgresql://postgres@127.0.0.1:PORT/pipelines
#   deploy/postgres/local-postgres.sh stop [DIR]    stop it (pg_ctl stop -m fast)
#
# DIR defaults to .pipelines-deploy/postgres in the repository. Everything lives in DIR (data, socket, log, port):
# no system-wide configuration is touched. Listens on 127.0.0.1 only, with trust authentication (loopback use only).
# PGPORT picks the port (default: a free one). PIPELINES_POSTGRES_OPTIONS adds server settings
# ("-c fsync=off" for tests). Every command is idempotent: start on a running server only prints where it is.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cmd="${1:-}"
dir="${2:-}"
if [[ -z "$dir" ]]; then
  # As root the server runs as 'postgres', which may not reach a checkout under /root: then the temp dir.
  if [[ "$(id -u)" -ne 0 ]] || runuser -u postgres -- test -x "$repo"; then
    dir="$repo/.pipelines-deploy/postgres"
  else
    dir="${TMPDIR:-/tmp}/pipelines-postgres"
  fi
fi
dir="$(mkdir -p "$dir" && cd "$dir" && pwd)"
data="$dir/data"
sock="$dir/socket"
log="$dir/postgres.log"
portfile="$dir/port"

die() { echo "local-postgres: $*" >&2; exit 1; }

bindir() {
  local initdb
  initdb="$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)"
  [[ -n "$initdb" ]] && dirname "$initdb"
}

install_postgres() {
  [[ -n "$(bindir)" ]] && return 0
  local sudo=""
  [[ "$(id -u)" -ne 0 ]] && sudo="sudo"
  # Test runs of several projects may start at once: one installs, the others wait for it (apt holds its own lock
  # only per command, and a second apt-get fails at once instead of waiting).
  (
    flock -w 1200 9 || die "waited 20 minutes for another installation of postgresql"
    if [[ -z "$(bindir)" ]]; then
      echo "local-postgres: PostgreSQL is not installed; installing the Debian packages" >&2
      $sudo apt-get update -q >&2
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q postgresql >&2
    fi
  ) 9>"${TMPDIR:-/tmp}/pipelines-apt.lock"  # the same lock as deploy/slurm/local-cluster.sh: one apt-get at a time
  [[ -n "$(bindir)" ]] || die "installing postgresql gave no initdb under /usr/lib/postgresql/*/bin"
}

# Postgres refuses to run as root, so as root it runs as the 'postgres' user the package creates.
as_owner() {
  if [[ "$(id -u)" -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

running() { [[ -d "$data" ]] && as_owner "$(bindir)/pg_ctl" status -D "$data" >/dev/null 2>&1; }

port_in_use() { (echo >"/dev/tcp/127.0.0.1/$1") >/dev/null 2>&1; }

free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$((20000 + RANDOM % 40000))
    port_in_use "$p" || { echo "$p"; return 0; }
  done
  die "no free port found"
}

psql_admin() {
  as_owner "$(bindir)/psql" -h "$sock" -p "$(cat "$portfile")" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA "$@"
}

start() {
  install_postgres
  local bin
  bin="$(bindir)"
  if running; then
    echo "local-postgres: already running on 127.0.0.1:$(cat "$portfile") ($data)" >&2
    return 0
  fi
  mkdir -p "$sock"
  if [[ "$(id -u)" -eq 0 ]]; then
    chown postgres: "$dir" "$sock"
    [[ -d "$data" ]] && chown -R postgres: "$data"
    chmod 755 "$dir"
    runuser -u postgres -- test -x "$dir" \
      || die "the postgres user cannot reach $dir: make its parent directories searchable (chmod o+x) or pass another DIR"
  fi
  if [[ ! -f "$data/PG_VERSION" ]]; then
    as_owner "$bin/initdb" -D "$data" -U postgres -A trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  fi
  touch "$log"
  if [[ "$(id -u)" -eq 0 ]]; then chown postgres: "$log"; fi
  # A free port can be taken between the check and the bind (two test runs starting at once): then another one.
  local port tries=1
  [[ -n "${PGPORT:-}" ]] || tries=5
  for attempt in $(seq 1 "$tries"); do
    port="${PGPORT:-$(free_port)}"
    echo "$port" >"$portfile"
    if as_owner "$bin/pg_ctl" start -D "$data" -l "$log" -w -t 60 \
      -o "-k $sock -p $port -c listen_addresses=127.0.0.1 ${PIPELINES_POSTGRES_OPTIONS:-}" >/dev/null; then
      break
    fi
    if [[ "$attempt" -eq "$tries" ]]; then tail -n 20 "$log" >&2; die "the server did not start (port $port)"; fi
  done
  if [[ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = 'pipelines'")" != "1" ]]; then
    psql_admin -c "CREATE DATABASE pipelines"
  fi
  echo "local-postgres: running on 127.0.0.1:$port ($data)" >&2
}

stop() {
  [[ -n "$(bindir)" ]] || return 0
  if running; then
    as_owner "$(bindir)/pg_ctl" stop -D "$data" -m fast -w >/dev/null
    echo "local-postgres: stopped ($data)" >&2
  fi
}

env_line() {
  [[ -f "$portfile" ]] || die "not started ($dir has no port file); run: $0 start $dir"
  echo "export PIPELINES_POSTGRES_URL=postgresql://postgres@127.0.0.1:$(cat "$portfile")/pipelines"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  env) env_line ;;
  *) echo "usage: $0 start|stop|env [DIR]" >&2; exit 2 ;;
esac
