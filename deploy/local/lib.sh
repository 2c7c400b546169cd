#!/usr/bin/env bash
# Shared helpers for the local-infrastructure scripts. Sourced, never run.
# Every component script (kafka.sh, redis.sh, ...) answers the same verbs:
#   setup   install what is missing (idempotent, quick when nothing is missing)
#   start   start bound to 127.0.0.1 and wait until healthy
#   stop    stop and wait until gone
#   status  exit 0 when running and healthy
#   env     print KEY=VALUE lines the services need to reach it
set -euo pipefail

CHORUS_HOME="${CHORUS_HOME:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
# Runtime state (data, logs, pids) lives under one ignored folder.
CHORUS_VAR="${CHORUS_VAR:-$CHORUS_HOME/var}"
# Downloaded tools (jars, node, npm packages, built binaries) are kept outside
# the work tree so a fresh clone on the same machine does not fetch them again.
CHORUS_TOOLS="${CHORUS_TOOLS:-$HOME/.cache/chorus-tools}"
export CHORUS_HOME CHORUS_VAR CHORUS_TOOLS

# Ports: every one overridable from the environment.
: "${CHORUS_KAFKA_PORT:=9092}"
: "${CHORUS_KAFKA_CONTROLLER_PORT:=9093}"
: "${CHORUS_REDIS_PORT:=6390}"
: "${CHORUS_PG_PORT:=5433}"
: "${CHORUS_APERTIUM_PORT:=2737}"
: "${CHORUS_PLC_PORT:=2582}"
: "${CHORUS_PDS_PORT:=2583}"
: "${CHORUS_OTLP_GRPC_PORT:=4317}"
: "${CHORUS_OTLP_HTTP_PORT:=4318}"
: "${CHORUS_KEYCLOAK_PORT:=8180}"

log() { printf '[%s] %s\n' "${COMPONENT:-infra}" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

ensure_dirs() { mkdir -p "$CHORUS_VAR/log" "$CHORUS_VAR/run" "$CHORUS_TOOLS"; }

# apt_install PKG...: install only the Debian packages that are missing.
APT_UPDATED_STAMP="/tmp/.chorus-apt-updated"
apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  if [ ! -f "$APT_UPDATED_STAMP" ]; then
    apt-get update -qq && touch "$APT_UPDATED_STAMP"
  fi
  # policy-rc.d stops the packages from starting their own system services:
  # Chorus runs its own instances on its own ports and data dirs.
  local policy=/usr/sbin/policy-rc.d created=0
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod +x "$policy"; created=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  [ "$created" = 1 ] && rm -f "$policy"
  return 0
}

java_major() {  # "17.0.15" -> 17, "1.8.0_392" -> 8
  "$1" -version 2>&1 | sed -n '1s/.*version "\([0-9]*\)\.\{0,1\}\([0-9]*\).*/\1 \2/p' |
    awk '{ print ($1 == 1 ? $2 : $1) }'
}

# find_java: Kafka 4 and Keycloak 26 need Java 17+. Prefer `java` on PATH, else the newest
# JDK/JRE under /usr/lib/jvm; print nothing if none qualifies.
find_java() {
  local j m
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    m=$(java_major "$JAVA_HOME/bin/java"); [ "${m:-0}" -ge 17 ] && { echo "$JAVA_HOME/bin/java"; return; }
  fi
  j=$(command -v java || true)
  if [ -n "$j" ]; then m=$(java_major "$j"); [ "${m:-0}" -ge 17 ] && { echo "$j"; return; }; fi
  for j in $(printf '%s\n' /usr/lib/jvm/*/bin/java | sort -rV); do
    [ -x "$j" ] || continue
    m=$(java_major "$j"); [ "${m:-0}" -ge 17 ] && { echo "$j"; return; }
  done
  return 0
}

# require_java: set JAVA to a Java 17+ binary, installing the Debian JRE if none.
require_java() {
  JAVA=$(find_java)
  if [ -z "$JAVA" ]; then
    apt_install openjdk-17-jre-headless
    JAVA=$(find_java); [ -n "$JAVA" ] || die "no Java 17+ found after installing openjdk-17-jre-headless"
  fi
}

# java_home JAVA: the JDK/JRE directory of a java binary (for tools that read JAVA_HOME).
java_home() { dirname "$(dirname "$(readlink -f "$1")")"; }

pidfile() { echo "$CHORUS_VAR/run/$1.pid"; }

is_running() {  # is_running NAME
  local f; f=$(pidfile "$1")
  [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null
}

# spawn NAME CMD...: start CMD detached (own session), log to var/log/NAME.log
spawn() {
  local name=$1; shift
  ensure_dirs
  setsid "$@" >>"$CHORUS_VAR/log/$name.log" 2>&1 < /dev/null &
  echo $! >"$(pidfile "$name")"
}

# stop_pid NAME [TIMEOUT]: TERM the process group, wait, then KILL.
stop_pid() {
  local name=$1 timeout=${2:-30} f pid
  f=$(pidfile "$name")
  [ -f "$f" ] || return 0
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 $((timeout * 10))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# wait_for DESCRIPTION TIMEOUT_SECONDS CMD...: poll CMD until it succeeds.
wait_for() {
  local what=$1 timeout=$2; shift 2
  for _ in $(seq 1 $((timeout * 4))); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.25
  done
  die "$what not ready after ${timeout}s (see $CHORUS_VAR/log)"
}
