#!/usr/bin/env bash
# A real S3-compatible server on loopback for quiver's tests and benchmarks:
# versitygw (Apache-2.0, posix backend), built from the Go module proxy once per
# version into a cache outside the clone, so later runs skip the build.
#
#   scripts/s3-server.sh build                 build if missing; print the binary's path
#   scripts/s3-server.sh ensure                the same, but only a notice (exit 0) without Go
#   scripts/s3-server.sh start DIR [BUCKET...]  start on a free 127.0.0.1 port, data in DIR/data,
#                                              fresh credentials; create the buckets; print
#                                              KEY=VALUE lines (also written to DIR/env)
#   scripts/s3-server.sh stop DIR              stop the server started in DIR
#
# start options (before DIR): --parent PID  stop the server when process PID exits
# (test fixtures pass their own pid, so a crashed test never leaves a server behind).
#
# Exit codes: 0 ok, 2 usage, 3 the Go toolchain is missing (tests skip on 3), 1 other.
# Cache: ${QUIVER_CACHE_DIR:-${XDG_CACHE_HOME:-~/.cache}/quiver}/versitygw-<version>/.
set -euo pipefail

VERSION=v1.8.0
MODULE=github.com/versity/versitygw/cmd/versitygw
CACHE=${QUIVER_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/quiver}/versitygw-$VERSION
BIN=$CACHE/versitygw
REGION=us-east-1

die() { echo "s3-server: $*" >&2; exit 1; }
usage() { sed -n '2,18p' "$0" >&2; exit 2; }

build() {
  if [ -x "$BIN" ]; then echo "$BIN"; return; fi
  if ! command -v go >/dev/null 2>&1; then
    echo "s3-server: the Go toolchain (go) is not installed; it builds the test S3 server" >&2
    exit 3
  fi
  mkdir -p "$CACHE"
  # One build at a time per cache (parallel test processes may ask together).
  exec 9>"$CACHE/.lock"
  flock 9
  if [ ! -x "$BIN" ]; then
    echo "s3-server: building versitygw $VERSION with $(go version | cut -d' ' -f3)" \
      "(a few minutes, once)" >&2
    local tmp start=$SECONDS
    tmp=$(mktemp -d "$CACHE/.build-XXXXXX")
    GOBIN=$tmp go install "$MODULE@$VERSION" >&2 ||
      { rm -rf "$tmp"; die "go install $MODULE@$VERSION failed"; }
    mv "$tmp/versitygw" "$BIN"
    rm -rf "$tmp"
    echo "s3-server: built $BIN in $((SECONDS - start)) s" >&2
  fi
  exec 9>&-
  echo "$BIN"
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

random_string() {  # random_string LENGTH ALPHABET
  LC_ALL=C tr -dc "$2" </dev/urandom | head -c "$1" || true
}

# signed REQUEST: a SigV4-signed request to the server described by DIR/env.
signed() {
  local method=$1 path=$2
  curl -sS -o /dev/null -w '%{http_code}' -X "$method" \
    --aws-sigv4 "aws:amz:$REGION:s3" --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" \
    -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' "http://$S3_ENDPOINT/$path"
}

start() {
  local parent=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --parent) parent=$2; shift 2 ;;
      *) break ;;
    esac
  done
  [ $# -ge 1 ] || usage
  local dir=$1; shift
  local bin; bin=$(build)
  mkdir -p "$dir/data" "$dir/meta"
  dir=$(cd "$dir" && pwd)
  [ ! -f "$dir/pid" ] || ! kill -0 "$(cat "$dir/pid")" 2>/dev/null ||
    die "a server is already running for $dir"

  AWS_ACCESS_KEY_ID=QV$(random_string 18 'A-Z0-9')
  AWS_SECRET_ACCESS_KEY=$(random_string 40 'A-Za-z0-9')
  local attempt pid="" port
  for attempt in 1 2 3 4 5; do
    port=$(free_port)
    S3_ENDPOINT=127.0.0.1:$port
    # Secrets go through the environment (ROOT_ACCESS_KEY...), never on a command line.
    # No --keep-alive: with it, v1.8.0 answers some multipart requests on reused
    # connections with 400 "error occurred when parsing the HTTP request".
    ROOT_ACCESS_KEY=$AWS_ACCESS_KEY_ID ROOT_SECRET_KEY=$AWS_SECRET_ACCESS_KEY \
      setsid "$bin" --port "$S3_ENDPOINT" --region "$REGION" --quiet \
      posix --sidecar "$dir/meta" "$dir/data" >"$dir/server.log" 2>&1 </dev/null &
    pid=$!
    local i
    for i in $(seq 1 200); do
      if ! kill -0 "$pid" 2>/dev/null; then pid=""; break; fi
      if curl -s -o /dev/null "http://$S3_ENDPOINT/" 2>/dev/null; then break 2; fi
      sleep 0.05
    done
    [ -z "$pid" ] || { kill "$pid" 2>/dev/null || true; pid=""; }
    echo "s3-server: attempt $attempt on port $port failed: $(tail -n 3 "$dir/server.log")" >&2
    # Only a port taken in between is worth another try.
    grep -qi 'address already in use' "$dir/server.log" || break
  done
  [ -n "$pid" ] || die "could not start versitygw (log: $dir/server.log)"
  echo "$pid" >"$dir/pid"
  if [ -n "$parent" ]; then
    # Watchdog: stop the server once the parent is gone (or the server stopped).
    ( trap '' HUP; while kill -0 "$parent" 2>/dev/null && kill -0 "$pid" 2>/dev/null; do
        sleep 1; done; kill "$pid" 2>/dev/null ) </dev/null >/dev/null 2>&1 &
    echo $! >"$dir/watchdog.pid"
  fi

  local bucket code
  for bucket in "$@"; do
    code=$(signed PUT "$bucket")
    [ "$code" = 200 ] || { stop "$dir"; die "creating bucket $bucket answered HTTP $code"; }
  done

  local first=${1:-BUCKET}
  umask 077
  cat >"$dir/env" <<EOF
S3_ENDPOINT=$S3_ENDPOINT
AWS_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID
AWS_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY
AWS_REGION=$REGION
S3_PID=$pid
S3_URI=s3://$first?endpoint_override=$S3_ENDPOINT&scheme=http&region=$REGION
EOF
  cat "$dir/env"
}

stop() {
  [ $# -eq 1 ] || usage
  local dir=$1 pid
  if [ -f "$dir/watchdog.pid" ]; then
    kill "$(cat "$dir/watchdog.pid")" 2>/dev/null || true
    rm -f "$dir/watchdog.pid"
  fi
  [ -f "$dir/pid" ] || return 0
  pid=$(cat "$dir/pid")
  if kill "$pid" 2>/dev/null; then
    local i
    for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$dir/pid"
}

cmd=${1:-help}
shift || true
case "$cmd" in
  build) build ;;
  ensure)
    if command -v go >/dev/null 2>&1; then build; else
      echo "s3-server: go is not installed: the S3 tests will be skipped" >&2; fi ;;
  start)
    start "$@" ;;
  stop) stop "$@" ;;
  *) usage ;;
esac
