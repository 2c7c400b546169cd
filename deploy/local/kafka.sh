#!/usr/bin/env bash
# Apache Kafka 4 (KRaft, no ZooKeeper) from the Maven Central jars, run as
# plain JVM processes bound to 127.0.0.1.
#   deploy/local/kafka.sh setup|start|stop|status|env|reset
#   deploy/local/kafka.sh stop-node N|start-node N      (3-node mode, fault tests)
#
# Modes (CHORUS_KAFKA_NODES):
#   1 (default)  one combined broker+controller node:
#                  broker 127.0.0.1:$CHORUS_KAFKA_PORT (9092),
#                  controller 127.0.0.1:$CHORUS_KAFKA_CONTROLLER_PORT (9093);
#                  replication factor 1.
#   3            three combined nodes with a static controller quorum; node N
#                  (1..3) listens on broker  $CHORUS_KAFKA_PORT + 2(N-1)            (9092, 9094, 9096)
#                  and on controller         $CHORUS_KAFKA_CONTROLLER_PORT + 2(N-1) (9093, 9095, 9097);
#                  replication factor 3, min.insync.replicas 2, so one node
#                  can be stopped while the other two keep serving writes.
# Each mode has its own data (var/kafka/single, var/kafka/cluster3); `stop`
# stops the nodes of both modes, so it works whatever CHORUS_KAFKA_NODES says.
# `start` also applies deploy/kafka/topics.yaml (replication factor = nodes)
# with the project's virtualenv ($CHORUS_PYTHON overrides the interpreter).
# `reset` stops the selected mode and deletes its data (a new cluster id).
COMPONENT=kafka  # log prefix, read by lib.sh
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KAFKA_SRC="$CHORUS_HOME/deploy/local/kafka"
POM="$KAFKA_SRC/pom.xml"
KAFKA_LIB="$CHORUS_TOOLS/kafka/lib"
LIB_STAMP="$CHORUS_TOOLS/kafka/lib.pom-sha256"
PROBE="$KAFKA_SRC/probe.py"
TOPICS_SCRIPT="$CHORUS_HOME/deploy/kafka/apply_topics.py"
PYTHON="${CHORUS_PYTHON:-$CHORUS_HOME/.venv/bin/python}"
# Small-machine JVM: three nodes must fit next to everything else.
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"

NODES="${CHORUS_KAFKA_NODES:-1}"
case "$NODES" in
  1) MODE=single ;;
  3) MODE=cluster3 ;;
  *) die "CHORUS_KAFKA_NODES must be 1 or 3 (got $NODES)" ;;
esac
MODE_DIR="$CHORUS_VAR/kafka/$MODE"

broker_port() { echo $((CHORUS_KAFKA_PORT + 2 * ($1 - 1))); }
controller_port() { echo $((CHORUS_KAFKA_CONTROLLER_PORT + 2 * ($1 - 1))); }
node_name() { if [ "$MODE" = single ]; then echo kafka; else echo "kafka3-$1"; fi; }  # pid/log name
node_dir() { echo "$MODE_DIR/node$1"; }
bootstrap() {
  local i out=()
  for i in $(seq 1 "$NODES"); do out+=("127.0.0.1:$(broker_port "$i")"); done
  (IFS=,; echo "${out[*]}")
}

# ---------------------------------------------------------------- setup

java_major() {  # "17.0.15" -> 17, "1.8.0_392" -> 8
  "$1" -version 2>&1 | sed -n '1s/.*version "\([0-9]*\)\.\{0,1\}\([0-9]*\).*/\1 \2/p' |
    awk '{ print ($1 == 1 ? $2 : $1) }'
}

# find_java: Kafka 4 needs Java 17+. Prefer `java` on PATH, else the newest
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

pom_hash() { sha256sum "$POM" | cut -d' ' -f1; }

setup() {
  JAVA=$(find_java)
  if [ -z "$JAVA" ]; then
    apt_install openjdk-17-jre-headless
    JAVA=$(find_java); [ -n "$JAVA" ] || die "no Java 17+ found after installing openjdk-17-jre-headless"
  fi
  # Fast path: the jars match the current pom.xml.
  if [ -f "$LIB_STAMP" ] && [ "$(cat "$LIB_STAMP")" = "$(pom_hash)" ] && [ -d "$KAFKA_LIB" ]; then
    return 0
  fi
  command -v mvn >/dev/null || apt_install maven
  log "fetching Kafka jars into $KAFKA_LIB"
  rm -rf "$KAFKA_LIB.tmp"; mkdir -p "$(dirname "$KAFKA_LIB")"
  # -U: do not trust a "not found" that Maven cached from an earlier failed try.
  # Maven runs on the JDK found above (mvn honours JAVA_HOME).
  ensure_dirs
  local mvnlog="$CHORUS_VAR/log/kafka-setup.log"
  JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$JAVA")")")" \
    mvn -q -U -B -f "$POM" dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$KAFKA_LIB.tmp" >"$mvnlog" 2>&1 \
    || { tail -20 "$mvnlog" >&2; die "mvn could not fetch the Kafka jars (see $mvnlog)"; }
  # Swap in one step so the lib dir never mixes two Kafka versions.
  rm -rf "$KAFKA_LIB"; mv "$KAFKA_LIB.tmp" "$KAFKA_LIB"
  pom_hash >"$LIB_STAMP"
  local jar=("$KAFKA_LIB"/kafka_2.13-*.jar)
  log "Kafka jars ready ($(basename "${jar[0]}"))"
}

# ---------------------------------------------------------------- nodes

write_config() {  # write_config N: (re)generate node N's server.properties
  local n=$1 dir rf min_isr quorum i voters=()
  dir=$(node_dir "$n"); mkdir -p "$dir/data"
  if [ "$MODE" = single ]; then
    rf=1; min_isr=1
    # Dynamic quorum of one voter, matching `format --standalone`.
    quorum="controller.quorum.bootstrap.servers=127.0.0.1:$(controller_port 1)"
  else
    rf=3; min_isr=2
    for i in 1 2 3; do voters+=("$i@127.0.0.1:$(controller_port "$i")"); done
    quorum="controller.quorum.voters=$(IFS=,; echo "${voters[*]}")"
  fi
  cat >"$dir/server.properties" <<EOF
# Generated by deploy/local/kafka.sh at every start; edit the script, not this.
process.roles=broker,controller
node.id=$n
listeners=PLAINTEXT://127.0.0.1:$(broker_port "$n"),CONTROLLER://127.0.0.1:$(controller_port "$n")
advertised.listeners=PLAINTEXT://127.0.0.1:$(broker_port "$n")
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
$quorum
log.dirs=$dir/data

# Topics are declared in deploy/kafka/topics.yaml and created by apply_topics.py;
# a typo in a topic name must fail instead of creating a new topic.
auto.create.topics.enable=false
num.partitions=6
default.replication.factor=$rf
min.insync.replicas=$min_isr

# Internal topics sized for one small machine.
offsets.topic.replication.factor=$rf
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=$rf
transaction.state.log.min.isr=$min_isr
transaction.state.log.num.partitions=10
share.coordinator.state.topic.replication.factor=$rf
share.coordinator.state.topic.min.isr=$min_isr

# Consumers in tests join one by one; do not wait 3 s for more members.
group.initial.rebalance.delay.ms=0
EOF
}

cluster_id() {  # one id per mode, kept so restarts reuse the formatted storage
  local f="$MODE_DIR/cluster.id"
  if [ ! -s "$f" ]; then
    mkdir -p "$MODE_DIR"
    # A Kafka Uuid: 16 random bytes, base64url without padding. It may start
    # with '-', hence --cluster-id=... (not "-t ID") when formatting.
    head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=' >"$f"
  fi
  cat "$f"
}

format_node() {  # format_node N: format the storage once (meta.properties marks it)
  local n=$1 dir args=()
  dir=$(node_dir "$n")
  [ -f "$dir/data/meta.properties" ] && return 0
  [ "$MODE" = single ] && args+=(--standalone)   # one self-elected controller
  log "formatting storage of node $n"
  "$JAVA" -cp "$KAFKA_LIB/*" -Dlog4j2.configurationFile="$KAFKA_SRC/log4j2.properties" \
    kafka.tools.StorageTool format "${args[@]}" --cluster-id="$(cluster_id)" -c "$dir/server.properties" \
    >>"$CHORUS_VAR/log/$(node_name "$n").log" 2>&1 \
    || die "storage format failed for node $n (see $CHORUS_VAR/log/$(node_name "$n").log)"
}

node_healthy() {  # node_healthy N [MIN_BROKERS]: node N answers a Metadata request
  python3 "$PROBE" "127.0.0.1:$(broker_port "$1")" --brokers "${2:-1}" >/dev/null 2>&1
}

launch_node() {  # launch_node N: start node N's JVM unless it is running
  local n=$1 name
  name=$(node_name "$n")
  is_running "$name" && return 0
  stop_pid "$name"   # drop a stale pid file
  for p in "$(broker_port "$n")" "$(controller_port "$n")"; do
    port_open "$p" && die "port $p is taken by another process (another Kafka mode still running? try: $0 stop)"
  done
  write_config "$n"
  format_node "$n"
  log "starting node $n (broker 127.0.0.1:$(broker_port "$n"), controller 127.0.0.1:$(controller_port "$n"))"
  # shellcheck disable=SC2086  # KAFKA_HEAP_OPTS holds several flags
  spawn "$name" "$JAVA" $KAFKA_HEAP_OPTS -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$KAFKA_SRC/log4j2.properties" \
    -cp "$KAFKA_LIB/*" kafka.Kafka "$(node_dir "$n")/server.properties"
}

require_python() {
  [ -x "$PYTHON" ] || die "no Python at $PYTHON (the project virtualenv): run \`make setup\` first; it is needed to apply deploy/kafka/topics.yaml"
}

apply_topics() {
  log "applying deploy/kafka/topics.yaml (replication factor $NODES)"
  "$PYTHON" "$TOPICS_SCRIPT" --bootstrap "$(bootstrap)" --replication-factor "$NODES" >&2 \
    || die "applying topics failed"
}

# ---------------------------------------------------------------- verbs

start() {
  require_python
  setup
  ensure_dirs
  local n
  # Launch every node before waiting: in 3-node mode no broker is ready until
  # a majority of the controllers are up.
  for n in $(seq 1 "$NODES"); do launch_node "$n"; done
  for n in $(seq 1 "$NODES"); do
    wait_for "Kafka node $n" 120 node_healthy "$n" "$NODES"
  done
  apply_topics
  log "running: bootstrap $(bootstrap)"
}

stop_nodes() {  # stop_nodes NAME...: TERM them together, then wait for each
  local name pids=()
  for name in "$@"; do
    is_running "$name" || { rm -f "$(pidfile "$name")"; continue; }
    # In parallel: stopping the nodes of a quorum one after the other leaves
    # the last ones waiting for a controller majority that is already gone.
    stop_pid "$name" 60 & pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p"; done
}

stop() {
  stop_nodes kafka kafka3-1 kafka3-2 kafka3-3
  log "stopped"
}

status() {
  local n ok=0 state
  for n in $(seq 1 "$NODES"); do
    if is_running "$(node_name "$n")" && state=$(python3 "$PROBE" "127.0.0.1:$(broker_port "$n")" 2>&1); then
      log "node $n 127.0.0.1:$(broker_port "$n") up: $state"
    else
      log "node $n 127.0.0.1:$(broker_port "$n") down"; ok=1
    fi
  done
  # Healthy = every node up and each sees all the others as live brokers.
  if [ "$ok" = 0 ]; then
    for n in $(seq 1 "$NODES"); do node_healthy "$n" "$NODES" || ok=1; done
  fi
  return "$ok"
}

node_arg() {
  [ "$MODE" = cluster3 ] || die "$1 needs the 3-node mode (CHORUS_KAFKA_NODES=3)"
  case "${2:-}" in 1|2|3) ;; *) die "usage: $0 $1 1|2|3" ;; esac
}

start_node() {  # bring one node of the 3-node cluster back
  setup
  launch_node "$1"
  wait_for "Kafka node $1" 120 node_healthy "$1" 1
  log "node $1 is back"
}

stop_node() { stop_nodes "$(node_name "$1")"; log "node $1 stopped"; }

reset() {
  local n names=()
  for n in $(seq 1 "$NODES"); do names+=("$(node_name "$n")"); done
  stop_nodes "${names[@]}"
  rm -rf "$MODE_DIR"
  log "deleted $MODE_DIR"
}

env_() { echo "CHORUS_KAFKA_BOOTSTRAP=$(bootstrap)"; }

case "${1:-}" in
  setup) setup ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  env) env_ ;;
  reset) reset ;;
  start-node) node_arg "$@"; start_node "$2" ;;
  stop-node) node_arg "$@"; stop_node "$2" ;;
  *) echo "usage: $0 setup|start|stop|status|env|reset|start-node N|stop-node N" >&2; exit 2 ;;
esac
