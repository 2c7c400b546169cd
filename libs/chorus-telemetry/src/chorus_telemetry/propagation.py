"""The W3C trace context (traceparent, tracestate, baggage), saved with a row
and made current again later.

Work that waits in a database (an outbox row until the relay sends it, a share
until its due time) must still belong to the trace that wrote it: the carrier
is captured when the row is written and restored when the row is acted on.
Stored carriers come from our own writes, and the propagators validate them
(a malformed traceparent restores an empty context, never an error)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from opentelemetry import context, propagate
from opentelemetry.context import Context


@dataclass(frozen=True)
class TraceCarrier:
    traceparent: str | None = None
    tracestate: str | None = None
    baggage: str | None = None

    def as_dict(self) -> dict[str, str]:
        items = (
            ("traceparent", self.traceparent),
            ("tracestate", self.tracestate),
            ("baggage", self.baggage),
        )
        return {k: v for k, v in items if v}


def capture() -> TraceCarrier:
    """The current context, as the configured propagators write it."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return TraceCarrier(
        carrier.get("traceparent"), carrier.get("tracestate"), carrier.get("baggage")
    )


def context_from(carrier: TraceCarrier) -> Context:
    return propagate.extract(carrier.as_dict())


@contextmanager
def restored(carrier: TraceCarrier) -> Iterator[None]:
    """Make the stored context current (spans opened inside are its children,
    and an outbox row written inside carries it on), then put the old one back."""
    token = context.attach(context_from(carrier))
    try:
        yield
    finally:
        context.detach(token)
