#!/usr/bin/env bash
# A local S3 for trying remotes (and what the tests use): npm's s3rver (MIT) on loopback.
#   deploy/s3/local-s3.sh start   install s3rver@3.7.1 if missing, start it, create the bucket
#   deploy/s3/local-s3.sh env     print the env vars and a pipelines.config.yaml snippet
#   deploy/s3/local-s3.sh stop    stop it (its data stays in $DATA until you delete it)
# Settings: PORT (4568), BUCKET (pipelines), DIR (install folder, $TMPDIR/pipelines-s3rver), DATA (object folder).
set -euo pipefail

VERSION=3.7.1
PORT="${PORT:-4568}"
BUCKET="${BUCKET:-pipelines}"
DIR="${DIR:-${TMPDIR:-/tmp}/pipelines-s3rver}"
DATA="${DATA:-${TMPDIR:-/tmp}/pipelines-s3rver-local/data}"
PIDFILE="${TMPDIR:-/tmp}/pipelines-s3rver-local/s3rver.pid"
SCRIPT="$DIR/node_modules/s3rver/bin/s3rver.js"

start() {
  command -v node >/dev/null || { echo "node is required (apt-get install nodejs npm)" >&2; exit 1; }
  if [[ ! -f "$SCRIPT" ]]; then
    echo "installing s3rver@$VERSION into $DIR" >&2
    npm install --prefix "$DIR" --no-audit --no-fund --loglevel=error "s3rver@$VERSION" >&2
  fi
  if [[ -f "$PIDFILE" ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
    echo "already running (pid $(cat "$PIDFILE"))" >&2
  else
    mkdir -p "$DATA" "$(dirname "$PIDFILE")"
    nohup node "$SCRIPT" --address 127.0.0.1 --port "$PORT" --directory "$DATA" --silent --configure-bucket "$BUCKET" \
      >"$(dirname "$PIDFILE")/s3rver.log" 2>&1 &
    echo $! >"$PIDFILE"
    for _ in $(seq 1 100); do
      (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
      sleep 0.1
    done
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null || { echo "s3rver did not start; see $(dirname "$PIDFILE")/s3rver.log" >&2; exit 1; }
    echo "s3rver on http://127.0.0.1:$PORT (pid $(cat "$PIDFILE")), bucket '$BUCKET', data in $DATA" >&2
  fi
  env_
}

stop() {
  if [[ -f "$PIDFILE" ]]; then
    kill "$(cat "$PIDFILE")" 2>/dev/null || true
    rm -f "$PIDFILE"
    echo "stopped" >&2
  else
    echo "not running" >&2
  fi
}

env_() {
  cat <<SNIPPET
# s3rver accepts any well-formed signature made with its default keys:
export AWS_ACCESS_KEY_ID=S3RVER
export AWS_SECRET_ACCESS_KEY=S3RVER
export AWS_REGION=us-east-1
# pipelines.config.yaml:
#   remotes:
#     local-s3:
#       url: s3://$BUCKET/cache
#       endpoint: http://127.0.0.1:$PORT
SNIPPET
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  env) env_ ;;
  *) echo "usage: $0 start|stop|env" >&2; exit 2 ;;
esac
