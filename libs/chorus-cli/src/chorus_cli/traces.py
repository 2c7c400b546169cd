"""Read traces back from the OpenTelemetry Collector's file exporter
(OTLP JSON, one export batch per line) — what `chorus trace` prints and what
the end-to-end test asserts on. Reading the collector's output, not an
in-process exporter, proves the spans really left every process."""

from __future__ import annotations

import base64
import binascii
import json
import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class SpanLink:
    trace_id: str
    span_id: str


@dataclass(frozen=True)
class SpanEvent:
    name: str
    attributes: dict[str, object]


@dataclass(frozen=True)
class Span:
    trace_id: str
    span_id: str
    parent_id: str
    name: str
    service: str
    start_ns: int
    end_ns: int
    attributes: dict[str, object]
    kind: int = 0  # OTLP SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer
    links: tuple[SpanLink, ...] = ()
    events: tuple[SpanEvent, ...] = ()
    status_message: str = ""
    resource: dict[str, object] = field(default_factory=dict)


def traces_file() -> Path:
    return Path(os.environ.get("CHORUS_OTEL_TRACES_FILE", "var/otel/traces.jsonl"))


def _value(v: dict[str, Any]) -> object:
    for key in ("stringValue", "intValue", "boolValue", "doubleValue"):
        if key in v:
            return v[key]
    if "bytesValue" in v:  # base64 in OTLP JSON; ours (Kafka keys) are text
        try:
            return base64.b64decode(v["bytesValue"]).decode("utf-8", "replace")
        except (binascii.Error, ValueError):
            return v["bytesValue"]
    if "arrayValue" in v:
        return [_value(item) for item in v["arrayValue"].get("values", [])]
    if "kvlistValue" in v:
        return _attributes(v["kvlistValue"].get("values", []))
    return None


def _attributes(items: list[dict[str, Any]]) -> dict[str, object]:
    return {a["key"]: _value(a.get("value", {})) for a in items}


def _span(s: dict[str, Any], service: str, resource: dict[str, object]) -> Span:
    return Span(
        trace_id=s.get("traceId", ""),
        span_id=s.get("spanId", ""),
        parent_id=s.get("parentSpanId", ""),
        name=s.get("name", ""),
        service=service,
        start_ns=int(s.get("startTimeUnixNano", 0)),
        end_ns=int(s.get("endTimeUnixNano", 0)),
        attributes=_attributes(s.get("attributes", [])),
        kind=int(s.get("kind", 0)),
        links=tuple(
            SpanLink(link.get("traceId", ""), link.get("spanId", "")) for link in s.get("links", [])
        ),
        events=tuple(
            SpanEvent(e.get("name", ""), _attributes(e.get("attributes", [])))
            for e in s.get("events", [])
        ),
        status_message=str(s.get("status", {}).get("message", "")),
        resource=resource,
    )


def read_spans(path: Path | None = None) -> list[Span]:
    path = path or traces_file()
    if not path.exists():
        return []
    spans: list[Span] = []
    with path.open() as handle:
        for line in handle:
            line = line.strip()
            if not line:
                continue
            try:
                batch = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line being written right now
            for resource_spans in batch.get("resourceSpans", []):
                resource = _attributes(resource_spans.get("resource", {}).get("attributes", []))
                service = str(resource.get("service.name", "?"))
                for scope in resource_spans.get("scopeSpans", []):
                    spans.extend(_span(s, service, resource) for s in scope.get("spans", []))
    return spans


def spans_of(trace_id: str, path: Path | None = None) -> list[Span]:
    return sorted((s for s in read_spans(path) if s.trace_id == trace_id), key=lambda s: s.start_ns)


def services_in(trace_id: str, path: Path | None = None) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for span in spans_of(trace_id, path):
        counts[span.service] += 1
    return dict(counts)
