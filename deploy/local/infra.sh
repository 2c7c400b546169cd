#!/usr/bin/env bash
# Start, stop or check the local infrastructure, one component at a time.
#   deploy/local/infra.sh setup|start|stop|status|env [component...]
# Components default to all of them, in dependency order, or to the list in
# CHORUS_LOCAL_INFRA (e.g. "otel apertium bluesky" when Kafka, PostgreSQL and
# Redis are your own: export their CHORUS_* addresses and they are used as is).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
verb=${1:?usage: infra.sh setup|start|stop|status|env [component...]}; shift || true
read -r -a all <<< "${CHORUS_LOCAL_INFRA:-redis postgres keycloak kafka otel apertium bluesky}"
components=("$@"); [ ${#components[@]} -eq 0 ] && components=("${all[@]}")
if [ "$verb" = stop ]; then  # stop in reverse order
  rev=(); for ((i=${#components[@]}-1; i>=0; i--)); do rev+=("${components[i]}"); done; components=("${rev[@]}")
fi
if [ "$verb" = env ]; then
  # An address already in the environment wins over the local default, so a
  # user pointing Chorus at their own servers is never overridden.
  for c in "${components[@]}"; do
    [ -x "$here/$c.sh" ] || { echo "unknown component: $c" >&2; exit 2; }
    "$here/$c.sh" env | while IFS='=' read -r key value; do
      [ -n "$key" ] || continue
      if [ -n "${!key:-}" ]; then printf '%s=%q\n' "$key" "${!key}"; else printf '%s=%q\n' "$key" "$value"; fi
    done
  done
  exit 0
fi
rc=0
for c in "${components[@]}"; do
  [ -x "$here/$c.sh" ] || { echo "unknown component: $c" >&2; exit 2; }
  "$here/$c.sh" "$verb" || rc=$?
  [ "$rc" -ne 0 ] && [ "$verb" != status ] && exit "$rc"
done
exit "$rc"
