#!/usr/bin/env bash
# Redis for Chorus: Debian's redis-server binary, but our own instance (own
# port, data dir and process), not the system service the package installs.
#   deploy/local/redis.sh setup|start|stop|status|env
# Port: 127.0.0.1:$CHORUS_REDIS_PORT (6390, so it never collides with a
# system Redis on 6379). Data (append-only file + snapshot): var/redis.
COMPONENT=redis  # log prefix, read by lib.sh
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DATA_DIR="$CHORUS_VAR/redis"

setup() {
  # redis-tools (redis-cli, used for the health check) comes with redis-server.
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null && return 0
  apt_install redis-server redis-tools
}

healthy() { [ "$(redis-cli -h 127.0.0.1 -p "$CHORUS_REDIS_PORT" ping 2>/dev/null)" = PONG ]; }

start() {
  setup
  if is_running redis && healthy; then log "already running"; return 0; fi
  stop_pid redis   # a stale or unhealthy previous instance
  port_open "$CHORUS_REDIS_PORT" && die "port $CHORUS_REDIS_PORT is taken by another process"
  mkdir -p "$DATA_DIR"
  # Foreground (--daemonize no) so spawn tracks the real pid; logs to stdout,
  # i.e. var/log/redis.log. The append-only file keeps data across restarts.
  spawn redis redis-server --bind 127.0.0.1 --port "$CHORUS_REDIS_PORT" \
    --dir "$DATA_DIR" --appendonly yes --daemonize no --logfile ""
  wait_for "Redis" 30 healthy
  log "running on 127.0.0.1:$CHORUS_REDIS_PORT"
}

# SIGTERM makes Redis flush the append-only file and exit cleanly.
stop() { stop_pid redis; log "stopped"; }

status() {
  if is_running redis && healthy; then log "healthy"; return 0; fi
  log "not running"; return 1
}

env_() { echo "CHORUS_REDIS_URL=redis://127.0.0.1:$CHORUS_REDIS_PORT/0"; }

case "${1:-}" in
  setup) setup ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  env) env_ ;;
  *) echo "usage: $0 setup|start|stop|status|env" >&2; exit 2 ;;
esac
