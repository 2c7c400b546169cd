#!/usr/bin/env bash
# Apertium APy: offline machine translation over HTTP, from Debian packages.
#   deploy/local/apertium.sh setup|start|stop|status|env
# Serves http://127.0.0.1:$CHORUS_APERTIUM_PORT with every installed pair; pivots
# (eng->fra via cat, eng->por/ita via spa) go through /translateChain.
COMPONENT=apertium
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

PACKAGES=(apertium apertium-apy
  apertium-eng-spa apertium-fr-es apertium-es-pt apertium-spa-ita
  apertium-eng-cat apertium-fra-cat)
MODES_DIR=/usr/share/apertium/modes
URL="http://127.0.0.1:$CHORUS_APERTIUM_PORT"
# Direct pairs the services rely on (APy reports 3-letter codes even for the
# packages named with 2-letter ones, e.g. apertium-fr-es gives fra-spa).
REQUIRED_PAIRS="eng-spa spa-eng eng-cat cat-eng cat-fra fra-cat spa-fra fra-spa spa-por por-spa spa-ita ita-spa"

# APy and its pipelines need Debian's interpreter (python3-tornado and the
# apertium_apy module live there), not whatever python3 is first on PATH.
PY=/usr/bin/python3

healthy() {
  "$PY" - "$URL/listPairs" "$REQUIRED_PAIRS" <<'PYEOF'
import json, sys, urllib.request
try:
    with urllib.request.urlopen(sys.argv[1], timeout=5) as r:
        data = json.load(r)
except Exception as e:
    sys.exit(f"APy not answering at {sys.argv[1]}: {e}")
have = {p["sourceLanguage"] + "-" + p["targetLanguage"] for p in data["responseData"]}
missing = [p for p in sys.argv[2].split() if p not in have]
if missing:
    sys.exit("APy is missing pairs: " + " ".join(missing))
PYEOF
}

# wait_healthy TIMEOUT: poll until healthy; fail at once if APy exited.
wait_healthy() {
  local deadline=$((SECONDS + $1))
  while [ $SECONDS -lt $deadline ]; do
    healthy 2>/dev/null && return 0
    is_running apertium || { tail -n 20 "$CHORUS_VAR/log/apertium.log" >&2; die "APy exited during start"; }
    sleep 0.25
  done
  die "APy not healthy at $URL after $1s (see $CHORUS_VAR/log/apertium.log)"
}

installed() {
  local p
  for p in "${PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || return 1; done
}

do_setup() {
  installed && return 0
  local t0=$SECONDS
  apt_install "${PACKAGES[@]}"
  log "installed in $((SECONDS - t0))s"
}

do_start() {
  if healthy 2>/dev/null; then log "already running at $URL"; return 0; fi
  if is_running apertium; then
    # Started but not answering yet (e.g. a concurrent start): just wait.
    wait_healthy 60; return 0
  fi
  port_open "$CHORUS_APERTIUM_PORT" && die "port $CHORUS_APERTIUM_PORT is taken by another program"
  do_setup
  ensure_dirs
  # -j 1: one HTTP process; the translation pipelines are separate processes
  #   anyway, so two cores are used without duplicating every pipeline.
  # -i 2 -u 4: a second pipeline per pair once 4 requests queue on the first.
  # -t 30: the first request of a pair starts its pipeline (slower).
  spawn apertium "$PY" "$here/apertium/apy_local.py" --host 127.0.0.1 \
    -p "$CHORUS_APERTIUM_PORT" -j 1 -i 2 -u 4 -t 30 \
    -l /usr/share/apertium-apy/langNames.db "$MODES_DIR"
  wait_healthy 60
  log "running at $URL"
}

do_stop() {
  local f pid
  f=$(pidfile apertium)
  pid=$(cat "$f" 2>/dev/null || true)
  stop_pid apertium 15
  # The pipelines (lt-proc, apertium-transfer, ...) share APy's process group
  # and exit right after it; wait so a quick restart finds the port free.
  if [ -n "$pid" ]; then
    for _ in $(seq 1 50); do pgrep -g "$pid" >/dev/null 2>&1 || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  return 0
}

case "${1:-}" in
  setup) do_setup ;;
  start) do_start ;;
  stop) do_stop ;;
  status) healthy ;;
  env) echo "CHORUS_APERTIUM_URL=$URL" ;;
  *) echo "usage: $0 setup|start|stop|status|env" >&2; exit 2 ;;
esac
