#!/usr/bin/env bash
# Local OpenTelemetry Collector: receives OTLP from every service and writes the
# spans to one JSON-lines file, so a test can read a whole trace across processes.
#   deploy/local/otel.sh setup|start|stop|status|env
# The binary is a custom build (OpenTelemetry Collector Builder, manifest in
# deploy/local/otel/builder-manifest.yaml): OTLP receiver, batch processor,
# file and debug exporters, nothing else. Built once into
# $CHORUS_TOOLS/otelcol/otelcol-chorus and rebuilt only when the manifest changes.
# Ports: OTLP gRPC 127.0.0.1:$CHORUS_OTLP_GRPC_PORT (4317),
#        OTLP HTTP 127.0.0.1:$CHORUS_OTLP_HTTP_PORT (4318).
COMPONENT=otel  # log prefix, read by lib.sh
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

OTEL_SRC="$CHORUS_HOME/deploy/local/otel"
MANIFEST="$OTEL_SRC/builder-manifest.yaml"
CONFIG="$OTEL_SRC/collector.yaml"
OTEL_TOOLS="$CHORUS_TOOLS/otelcol"
BIN="$OTEL_TOOLS/otelcol-chorus"
STAMP="$BIN.manifest-sha256"
OTEL_DIR="$CHORUS_VAR/otel"
TRACES_FILE="$OTEL_DIR/traces.jsonl"
# The builder's version must equal the components' release: read it from the
# manifest's dist.version so there is one place to bump.
OCB_VERSION="v$(sed -n 's/^  version: *"\{0,1\}\([0-9.]*\)"\{0,1\}.*/\1/p' "$MANIFEST")"
[ "$OCB_VERSION" != v ] || die "no dist.version in $MANIFEST"
# Used only when no Go >= 1.21 is installed; fetched as a module from the Go proxy.
GO_FALLBACK_TOOLCHAIN=go1.26.8

# Go caches live with the other downloaded tools so a rebuild (new manifest,
# fresh clone) reuses modules and compiled packages instead of starting over.
go_env() {
  export GOPATH="$CHORUS_TOOLS/go"
  export GOMODCACHE="$GOPATH/pkg/mod" GOCACHE="$GOPATH/cache"
  export GOFLAGS=-buildvcs=false
}

go_minor() { "$1" env GOVERSION 2>/dev/null | sed -n 's/^go1\.\([0-9]*\).*/\1/p'; }

# find_go: print a go binary new enough to build the collector. Go >= 1.21
# downloads a newer toolchain by itself when go.mod asks for one (GOTOOLCHAIN
# auto). Older Go (or none: Debian's golang-go is then installed, 1.19 on
# bookworm) is only used to learn the module proxy URL, from which the pinned
# toolchain module is fetched.
find_go() {
  local g m old=""
  for g in "$(command -v go || true)" /usr/local/go/bin/go "$CHORUS_TOOLS/go-toolchain/bin/go"; do
    if [ -z "$g" ] || [ ! -x "$g" ]; then continue; fi
    m=$(go_minor "$g"); [ -n "$m" ] && [ "$m" -ge 21 ] && { echo "$g"; return; }
    old=$g
  done
  if [ -z "$old" ]; then apt_install golang-go >&2; old=$(command -v go) || die "no go after installing golang-go"; fi
  local proxy
  proxy=$("$old" env GOPROXY | sed 's/[,|]/\n/g' | grep -m1 '^http') || die "GOPROXY has no proxy URL to fetch Go from"
  fetch_go_toolchain "$proxy"
  echo "$CHORUS_TOOLS/go-toolchain/bin/go"
}

# fetch_go_toolchain PROXY_URL: unpack the golang.org/toolchain module (a whole
# Go distribution) into $CHORUS_TOOLS/go-toolchain.
fetch_go_toolchain() {
  local zip="$CHORUS_TOOLS/go-toolchain.zip"
  log "no Go >= 1.21 found; fetching $GO_FALLBACK_TOOLCHAIN from the Go module proxy"
  mkdir -p "$CHORUS_TOOLS"
  curl -fsSL -o "$zip" "${1%/}/golang.org/toolchain/@v/v0.0.1-$GO_FALLBACK_TOOLCHAIN.linux-amd64.zip" \
    || die "could not download the Go toolchain"
  rm -rf "$CHORUS_TOOLS/go-toolchain" "$CHORUS_TOOLS/go-toolchain.tmp"
  python3 - "$zip" "$CHORUS_TOOLS/go-toolchain.tmp" <<'PY'
import os
import sys
import zipfile

zip_path, dest = sys.argv[1:]
with zipfile.ZipFile(zip_path) as z:
    for info in z.infolist():
        # entries are "golang.org/toolchain@<v>/<path>": drop that prefix
        parts = info.filename.split("/", 2)
        if len(parts) < 3 or not parts[2] or info.filename.endswith("/"):
            continue
        out = os.path.join(dest, parts[2])
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with z.open(info) as src, open(out, "wb") as dst:
            dst.write(src.read())
        os.chmod(out, 0o755 if (info.external_attr >> 16) & 0o111 else 0o644)
PY
  mv "$CHORUS_TOOLS/go-toolchain.tmp" "$CHORUS_TOOLS/go-toolchain"; rm -f "$zip"
}

manifest_hash() { { echo "$OCB_VERSION"; cat "$MANIFEST"; } | sha256sum | cut -d' ' -f1; }

built() { [ -x "$BIN" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$(manifest_hash)" ]; }

setup() {
  built && return 0
  ensure_dirs; mkdir -p "$OTEL_TOOLS"
  go_env
  local go ocb="$OTEL_TOOLS/ocb-$OCB_VERSION/builder" buildlog="$CHORUS_VAR/log/otel-build.log"
  go=$(find_go)
  PATH="$(dirname "$go"):$PATH"; export PATH   # the builder calls plain `go`
  if [ ! -x "$ocb" ]; then
    log "installing the collector builder $OCB_VERSION"
    GOBIN="$(dirname "$ocb")" "$go" install "go.opentelemetry.io/collector/cmd/builder@$OCB_VERSION" \
      || die "go install of the collector builder failed"
  fi
  log "building otelcol-chorus $OCB_VERSION (a few minutes the first time; log: $buildlog)"
  # The builder writes sources and binary to dist.output_path (./build),
  # relative to the working directory: keep both out of the repository.
  rm -rf "$OTEL_TOOLS/build"
  (cd "$OTEL_TOOLS" && "$ocb" --config="$MANIFEST") >"$buildlog" 2>&1 \
    || { tail -20 "$buildlog" >&2; die "collector build failed (see $buildlog)"; }
  mv -f "$OTEL_TOOLS/build/otelcol-chorus" "$BIN"
  manifest_hash >"$STAMP"
  rm -rf "$OTEL_TOOLS/build"
  log "built $BIN"
}

# Healthy = the HTTP receiver accepts an (empty) OTLP export. An empty request
# carries no spans, so nothing is written to the traces file.
healthy() {
  curl -fsS -m 2 -o /dev/null -X POST -H 'Content-Type: application/json' --data '{}' \
    "http://127.0.0.1:$CHORUS_OTLP_HTTP_PORT/v1/traces" && port_open "$CHORUS_OTLP_GRPC_PORT"
}

start() {
  setup
  if is_running otel && healthy; then log "already running"; return 0; fi
  stop_pid otel   # a stale or unhealthy previous instance
  for p in "$CHORUS_OTLP_GRPC_PORT" "$CHORUS_OTLP_HTTP_PORT"; do
    port_open "$p" && die "port $p is taken by another process"
  done
  mkdir -p "$OTEL_DIR"
  # collector.yaml expands these with ${env:...}
  export CHORUS_OTLP_GRPC_PORT CHORUS_OTLP_HTTP_PORT
  export CHORUS_OTEL_DIR="$OTEL_DIR" CHORUS_OTEL_TRACES_FILE="$TRACES_FILE"
  spawn otel "$BIN" --config="$CONFIG"
  wait_for "OpenTelemetry Collector" 30 healthy
  log "running: OTLP grpc 127.0.0.1:$CHORUS_OTLP_GRPC_PORT, http 127.0.0.1:$CHORUS_OTLP_HTTP_PORT, traces -> $TRACES_FILE"
}

stop() { stop_pid otel; log "stopped"; }

status() {
  if is_running otel && healthy; then log "healthy"; return 0; fi
  log "not running"; return 1
}

env_() {
  echo "OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$CHORUS_OTLP_GRPC_PORT"
  echo "CHORUS_OTEL_TRACES_FILE=$TRACES_FILE"
}

case "${1:-}" in
  setup) setup ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  env) env_ ;;
  *) echo "usage: $0 setup|start|stop|status|env" >&2; exit 2 ;;
esac
