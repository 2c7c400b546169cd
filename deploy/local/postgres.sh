#!/usr/bin/env bash
# PostgreSQL for Chorus: Debian's server binaries (/usr/lib/postgresql/<v>/bin),
# our own cluster in var/postgres, not the Debian-managed cluster.
#   deploy/local/postgres.sh setup|start|stop|status|env
# Port: 127.0.0.1:$CHORUS_PG_PORT (5433, next to a system PostgreSQL on 5432).
# Superuser `chorus` (password `chorus`), database `chorus`.
# PostgreSQL refuses to run as root, so initdb/pg_ctl run as the `postgres`
# OS user (runuser) and the data dir belongs to it; this script itself runs as
# root (it is what installs packages too).
COMPONENT=postgres  # log prefix, read by lib.sh
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PG_ROOT="$CHORUS_VAR/postgres"
DATA_DIR="$PG_ROOT/data"
SOCKET_DIR="$PG_ROOT/run"     # unix socket: inside var, not /var/run/postgresql
LOG_FILE="$CHORUS_VAR/log/postgres.log"
PG_USER=postgres              # OS account the server runs as
DB_USER=chorus DB_PASSWORD=chorus DB_NAME=chorus

# find_pg_bin: newest /usr/lib/postgresql/<v>/bin with a server in it. Debian
# puts pg_ctl/initdb there, outside PATH (PATH has only client wrappers).
find_pg_bin() {
  local d
  for d in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -rV); do
    [ -x "$d/postgres" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return; }
  done
  return 0
}

setup() {
  PG_BIN=$(find_pg_bin)
  if [ -z "$PG_BIN" ]; then
    apt_install postgresql
    PG_BIN=$(find_pg_bin); [ -n "$PG_BIN" ] || die "no PostgreSQL server under /usr/lib/postgresql after install"
  fi
  id "$PG_USER" >/dev/null 2>&1 || die "OS user $PG_USER missing (it comes with the postgresql package)"
}

as_pg() { runuser -u "$PG_USER" -- "$@"; }

# The postgres user must be able to reach var/postgres: check each ancestor
# and add only the search (x) bit where it is missing (e.g. a repo under /root).
make_traversable() {
  local d=$1
  while [ "$d" != / ]; do
    as_pg test -x "$d" || { log "allowing $PG_USER to traverse $d (chmod o+x)"; chmod o+x "$d"; }
    d=$(dirname "$d")
  done
}

init_cluster() {
  [ -f "$DATA_DIR/PG_VERSION" ] && return 0
  log "creating the cluster in $DATA_DIR ($("$PG_BIN/postgres" --version))"
  mkdir -p "$PG_ROOT"
  make_traversable "$PG_ROOT"
  mkdir -p "$DATA_DIR"; chown "$PG_USER:" "$DATA_DIR"; chmod 700 "$DATA_DIR"
  local pwfile; pwfile=$(mktemp); echo "$DB_PASSWORD" >"$pwfile"; chown "$PG_USER:" "$pwfile"
  # The bootstrap superuser is `chorus` itself. Auth: TCP needs the password
  # (scram), so a wrong URL fails here as it would in production; the unix
  # socket (only this script uses it) trusts.
  as_pg "$PG_BIN/initdb" -D "$DATA_DIR" -U "$DB_USER" --pwfile="$pwfile" \
    --auth-host=scram-sha-256 --auth-local=trust --encoding=UTF8 --locale=C.UTF-8 \
    >>"$LOG_FILE" 2>&1 || { rm -f "$pwfile"; die "initdb failed (see $LOG_FILE)"; }
  rm -f "$pwfile"
}

pg_ready() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$CHORUS_PG_PORT" -d postgres; }

server_running() {  # pg_ctl status: the postmaster of our data dir is alive
  [ -f "$DATA_DIR/PG_VERSION" ] && as_pg "$PG_BIN/pg_ctl" -D "$DATA_DIR" status >/dev/null 2>&1
}

psql_local() { "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$SOCKET_DIR" -p "$CHORUS_PG_PORT" -U "$DB_USER" "$@"; }

start() {
  setup
  ensure_dirs
  touch "$LOG_FILE"; chown "$PG_USER:" "$LOG_FILE"   # pg_ctl writes it as postgres
  init_cluster
  if server_running && pg_ready; then
    log "already running"
  else
    port_open "$CHORUS_PG_PORT" && die "port $CHORUS_PG_PORT is taken by another process"
    mkdir -p "$SOCKET_DIR"; chown "$PG_USER:" "$SOCKET_DIR"
    # pg_ctl (not spawn): it daemonizes the postmaster and stops it with a
    # "fast" shutdown, which does not wait for pooled client connections the
    # way SIGTERM's "smart" shutdown would. Settings are passed on the command
    # line so the port follows $CHORUS_PG_PORT. fsync stays on (the default).
    as_pg "$PG_BIN/pg_ctl" -D "$DATA_DIR" -l "$LOG_FILE" -w -t 60 start -o \
      "-c listen_addresses=127.0.0.1 -c port=$CHORUS_PG_PORT -c unix_socket_directories=$SOCKET_DIR -c max_connections=200" \
      >/dev/null || die "PostgreSQL did not start (see $LOG_FILE)"
    wait_for "PostgreSQL" 30 pg_ready
  fi
  # Keep a pid file like the other components (first line of postmaster.pid).
  head -1 "$DATA_DIR/postmaster.pid" >"$(pidfile postgres)"
  if [ -z "$(psql_local -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" ]; then
    psql_local -d postgres -c "CREATE DATABASE $DB_NAME OWNER $DB_USER"
    log "created database $DB_NAME"
  fi
  log "running on 127.0.0.1:$CHORUS_PG_PORT (database $DB_NAME)"
}

stop() {
  setup
  if server_running; then
    as_pg "$PG_BIN/pg_ctl" -D "$DATA_DIR" -m fast -w -t 60 stop >/dev/null || die "PostgreSQL did not stop"
  fi
  rm -f "$(pidfile postgres)"
  log "stopped"
}

status() {
  setup
  if server_running && pg_ready; then log "healthy"; return 0; fi
  log "not running"; return 1
}

env_() { echo "CHORUS_PG_URL=postgresql://$DB_USER:$DB_PASSWORD@127.0.0.1:$CHORUS_PG_PORT/$DB_NAME"; }

case "${1:-}" in
  setup) setup ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  env) env_ ;;
  *) echo "usage: $0 setup|start|stop|status|env" >&2; exit 2 ;;
esac
