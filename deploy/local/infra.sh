#!/usr/bin/env bash
# Start, stop or check the local infrastructure, one component at a time.
#   deploy/local/infra.sh setup|start|stop|status|env [component...]
# Components default to all of them, in dependency order.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
verb=${1:?usage: infra.sh setup|start|stop|status|env [component...]}; shift || true
all=(redis postgres kafka otel apertium bluesky)
components=("$@"); [ ${#components[@]} -eq 0 ] && components=("${all[@]}")
if [ "$verb" = stop ]; then  # stop in reverse order
  rev=(); for ((i=${#components[@]}-1; i>=0; i--)); do rev+=("${components[i]}"); done; components=("${rev[@]}")
fi
rc=0
for c in "${components[@]}"; do
  [ -x "$here/$c.sh" ] || { echo "unknown component: $c" >&2; exit 2; }
  "$here/$c.sh" "$verb" || rc=$?
  [ "$rc" -ne 0 ] && [ "$verb" != status ] && exit "$rc"
done
exit "$rc"
