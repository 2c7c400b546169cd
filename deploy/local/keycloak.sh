#!/usr/bin/env bash
# Keycloak for Chorus: the identity provider (OIDC, and SAML brokering), from the
# distribution on Maven Central, run in development mode (`kc.sh start-dev`) on
# Java 17+, bound to 127.0.0.1.
#   deploy/local/keycloak.sh setup|start|stop|status|env|reset
# Port: 127.0.0.1:$CHORUS_KEYCLOAK_PORT (8180). Admin console /admin, user
# $CHORUS_KEYCLOAK_ADMIN_USER / $CHORUS_KEYCLOAK_ADMIN_PASSWORD (admin/admin).
#
# The realms come from deploy/keycloak/*.json, imported at start. Keycloak
# imports a realm only when it does not exist yet, so this script keeps the
# hash of the realm files it imported: when they change, it deletes Keycloak's
# database (users and sessions created since go with it) and imports them
# afresh. `reset` deletes everything under var/keycloak.
#
# Layout: the unpacked distribution is kept in $CHORUS_TOOLS (downloaded once
# per machine); each checkout runs a copy of it in var/keycloak/server, since
# start-dev writes there: its build of the server (lib/quarkus), its H2
# database (data/h2) and the import folder (data/import, fixed by Keycloak
# relative to the server's home).
# JAVA_OPTS_APPEND (read by kc.sh) adds JVM options, e.g. "-XX:TieredStopAtLevel=1"
# for a quicker start on a small, busy machine.
COMPONENT=keycloak  # log prefix, read by lib.sh
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KC_VERSION=26.4.7
KC_ARTIFACT="org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip"
# Pinned so `dependency:copy -Dartifact=...` behaves the same whatever Maven's default is.
DEPENDENCY_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.8.1
KC_DIST="$CHORUS_TOOLS/keycloak/keycloak-$KC_VERSION"
KC_ROOT="$CHORUS_VAR/keycloak"
KC_HOME="$KC_ROOT/server"
REALM_SRC="$CHORUS_HOME/deploy/keycloak"
REALM_STAMP="$KC_ROOT/realms.sha256"
: "${CHORUS_KEYCLOAK_ADMIN_USER:=admin}"
: "${CHORUS_KEYCLOAK_ADMIN_PASSWORD:=admin}"
BASE_URL="http://127.0.0.1:$CHORUS_KEYCLOAK_PORT"
# Seconds to wait for the realms to answer: about a minute on two idle cores
# for a first start, several on a machine busy with test runs.
START_TIMEOUT="${CHORUS_KEYCLOAK_START_TIMEOUT:-600}"

# ---------------------------------------------------------------- setup

setup() {
  require_java
  [ -x "$KC_DIST/bin/kc.sh" ] && return 0
  command -v mvn >/dev/null || apt_install maven
  command -v unzip >/dev/null || apt_install unzip
  ensure_dirs
  local tmp="$CHORUS_TOOLS/keycloak/download.tmp" mvnlog="$CHORUS_VAR/log/keycloak-setup.log"
  log "fetching Keycloak $KC_VERSION ($KC_ARTIFACT)"
  rm -rf "$tmp"; mkdir -p "$tmp"
  # -U: do not trust a "not found" that Maven cached from an earlier failed try.
  JAVA_HOME="$(java_home "$JAVA")" mvn -q -U -B "$DEPENDENCY_PLUGIN:copy" \
    -Dartifact="$KC_ARTIFACT" -DoutputDirectory="$tmp" >"$mvnlog" 2>&1 \
    || { tail -20 "$mvnlog" >&2; die "mvn could not fetch $KC_ARTIFACT (see $mvnlog)"; }
  unzip -q "$tmp/keycloak-quarkus-dist-$KC_VERSION.zip" -d "$tmp" || die "could not unzip the Keycloak distribution"
  # Moved in one step: a half-unpacked distribution is never taken for a good one.
  mv "$tmp/keycloak-$KC_VERSION" "$KC_DIST"
  rm -rf "$tmp"
  log "Keycloak $KC_VERSION ready in $KC_DIST"
}

# install_server: this checkout's copy of the distribution; a new version keeps
# the data folder (Keycloak migrates its database on start).
install_server() {
  local stamp="$KC_ROOT/server.version"
  [ -x "$KC_HOME/bin/kc.sh" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$KC_VERSION" ] && return 0
  log "copying Keycloak $KC_VERSION into $KC_HOME"
  mkdir -p "$KC_ROOT"
  rm -rf "$KC_HOME.tmp"; cp -a "$KC_DIST" "$KC_HOME.tmp"
  [ -d "$KC_HOME/data" ] && mv "$KC_HOME/data" "$KC_HOME.tmp/data"
  rm -rf "$KC_HOME"; mv "$KC_HOME.tmp" "$KC_HOME"
  echo "$KC_VERSION" >"$stamp"
}

# stage_realms: the realm files, with ${CHORUS_KEYCLOAK_PORT} replaced, into the
# import folder; a change since the last import wipes the database so that it
# is imported again (Keycloak itself skips realms that exist).
stage_realms() {
  local import="$KC_HOME/data/import" f hash
  shopt -s nullglob
  local files=("$REALM_SRC"/*.json)
  shopt -u nullglob
  [ ${#files[@]} -gt 0 ] || die "no realm files in $REALM_SRC"
  rm -rf "$import"; mkdir -p "$import"
  for f in "${files[@]}"; do
    sed 's/\${CHORUS_KEYCLOAK_PORT}/'"$CHORUS_KEYCLOAK_PORT"'/g' "$f" >"$import/$(basename "$f")"
  done
  hash=$(cat "$import"/*.json | sha256sum | cut -d' ' -f1)
  if [ -d "$KC_HOME/data/h2" ] && [ "$(cat "$REALM_STAMP" 2>/dev/null)" != "$hash" ]; then
    log "realm files changed since the last import: deleting Keycloak's database to import them again"
    rm -rf "$KC_HOME/data/h2"
  fi
  echo "$hash" >"$REALM_STAMP"
}

# ---------------------------------------------------------------- verbs

# Healthy = the chorus realm is imported and serves its OIDC metadata.
healthy() {
  python3 - "$BASE_URL/realms/chorus/.well-known/openid-configuration" <<'EOF'
import json, sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=3) as r:
    sys.exit(0 if "issuer" in json.load(r) else 1)
EOF
}

# wait_started: until the realms answer; fail at once if the server exits.
wait_started() {
  local deadline=$((SECONDS + START_TIMEOUT))
  while [ "$SECONDS" -lt "$deadline" ]; do
    healthy >/dev/null 2>&1 && return 0
    if ! is_running keycloak; then
      grep ERROR "$CHORUS_VAR/log/keycloak.log" | tail -3 >&2 || true
      die "Keycloak exited while starting (see $CHORUS_VAR/log/keycloak.log)"
    fi
    sleep 1
  done
  die "Keycloak not ready after ${START_TIMEOUT}s (see $CHORUS_VAR/log/keycloak.log)"
}

# Raw Quarkus settings Keycloak has no option for. Opening the H2 database can
# take longer than the pool's default 5 s wait for a connection on a busy
# machine, and the server then gives up at start.
write_quarkus_properties() {
  cat >"$KC_HOME/conf/quarkus.properties" <<'EOF'
# Written by deploy/local/keycloak.sh at every start; edit the script, not this.
quarkus.datasource.jdbc.acquisition-timeout=120S
EOF
}

start() {
  setup
  ensure_dirs
  # One start at a time: two `make infra` at once must not both copy the server
  # or import the realms, and the second must not take the first for a hung one.
  exec 9>"$CHORUS_VAR/run/keycloak.lock"
  flock 9
  if is_running keycloak; then
    # Running, perhaps still starting (that takes a while): wait, never restart it.
    wait_started
    log "already running"; return 0
  fi
  stop_pid keycloak 60   # a stale pid file
  port_open "$CHORUS_KEYCLOAK_PORT" && die "port $CHORUS_KEYCLOAK_PORT is taken by another process"
  install_server
  write_quarkus_properties
  stage_realms
  if [ -d "$KC_HOME/data/h2" ]; then
    log "starting on $BASE_URL"
  else
    log "starting on $BASE_URL (a first start imports the realms, and builds the server once)"
  fi
  # start-dev: H2 database in data/h2, local caches, HTTP; no health/metrics
  # options, which would open a second (management) port. The bootstrap admin
  # is created in the master realm on the first start only. 9>&-: the server
  # must not inherit (and so hold for ever) the start lock.
  spawn keycloak env JAVA_HOME="$(java_home "$JAVA")" \
    KC_BOOTSTRAP_ADMIN_USERNAME="$CHORUS_KEYCLOAK_ADMIN_USER" \
    KC_BOOTSTRAP_ADMIN_PASSWORD="$CHORUS_KEYCLOAK_ADMIN_PASSWORD" \
    "$KC_HOME/bin/kc.sh" start-dev --http-host=127.0.0.1 --http-port="$CHORUS_KEYCLOAK_PORT" \
    --import-realm 9>&-
  wait_started
  log "running on $BASE_URL (realms: chorus, enterprise-idp)"
}

# SIGTERM: kc.sh forwards it to the JVM, which shuts down cleanly.
stop() { stop_pid keycloak 60; log "stopped"; }

status() {
  if is_running keycloak && healthy; then log "healthy"; return 0; fi
  log "not running"; return 1
}

reset() { stop; rm -rf "$KC_ROOT"; log "deleted $KC_ROOT"; }

env_() {
  echo "CHORUS_KEYCLOAK_URL=$BASE_URL"
  echo "CHORUS_OIDC_ISSUER=$BASE_URL/realms/chorus"
  echo "CHORUS_OIDC_AUDIENCE=chorus"
  echo "CHORUS_KEYCLOAK_ADMIN_USER=$CHORUS_KEYCLOAK_ADMIN_USER"
  echo "CHORUS_KEYCLOAK_ADMIN_PASSWORD=$CHORUS_KEYCLOAK_ADMIN_PASSWORD"
}

case "${1:-}" in
  setup) setup ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  env) env_ ;;
  reset) reset ;;
  *) echo "usage: $0 setup|start|stop|status|env|reset" >&2; exit 2 ;;
esac
