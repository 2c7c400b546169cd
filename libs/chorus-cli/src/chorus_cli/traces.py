"""Read traces back from the OpenTelemetry Collector's file exporter
(OTLP JSON, one export batch per line) — what `chorus trace` prints and what
the end-to-end test asserts on. Reading the collector's output, not an
in-process exporter, proves the spans really left every process."""

from __future__ import annotations

import json
import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path


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


def traces_file() -> Path:
    return Path(os.environ.get("CHORUS_OTEL_TRACES_FILE", "var/otel/traces.jsonl"))


def _value(v: dict[str, object]) -> object:
    for key in ("stringValue", "intValue", "boolValue", "doubleValue"):
        if key in v:
            return v[key]
    return None


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
                attrs = {
                    a["key"]: _value(a["value"])
                    for a in resource_spans.get("resource", {}).get("attributes", [])
                }
                service = str(attrs.get("service.name", "?"))
                for scope in resource_spans.get("scopeSpans", []):
                    for s in scope.get("spans", []):
                        spans.append(
                            Span(
                                trace_id=s.get("traceId", ""),
                                span_id=s.get("spanId", ""),
                                parent_id=s.get("parentSpanId", ""),
                                name=s.get("name", ""),
                                service=service,
                                start_ns=int(s.get("startTimeUnixNano", 0)),
                                end_ns=int(s.get("endTimeUnixNano", 0)),
                                attributes={
                                    a["key"]: _value(a["value"]) for a in s.get("attributes", [])
                                },
                            )
                        )
    return spans


def spans_of(trace_id: str, path: Path | None = None) -> list[Span]:
    return sorted((s for s in read_spans(path) if s.trace_id == trace_id), key=lambda s: s.start_ns)


def services_in(trace_id: str, path: Path | None = None) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for span in spans_of(trace_id, path):
        counts[span.service] += 1
    return dict(counts)
