#!/usr/bin/env bash
# Install everything Chorus needs on a fresh Debian machine; quick when nothing
# is missing. Python (uv + the locked workspace), then every infrastructure
# component (Debian packages, Kafka jars, Node 22 + Bluesky PDS, collector).
set -euo pipefail
COMPONENT=setup
source "$(dirname "$0")/lib.sh"
cd "$CHORUS_HOME"

if ! command -v uv >/dev/null 2>&1; then
  log "installing uv"
  if ! python3 -m pip --version >/dev/null 2>&1; then apt_install python3-pip; fi
  python3 -m pip install --quiet --break-system-packages uv 2>/dev/null || python3 -m pip install --quiet uv
fi
uv sync --all-packages --frozen --quiet
# `setup.sh python`: the Python workspace only (what `make lint` needs).
[ "${1:-}" = python ] && exit 0
"$CHORUS_HOME/deploy/local/infra.sh" setup "$@"
