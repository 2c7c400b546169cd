"""Saving the current W3C trace context with a row, and restoring it later.

A share waits (minutes, days) between the moment it got its due time and the
moment the timer fires it; the ShareDue must still belong to the trace that
scheduled it, so the context travels through the database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from opentelemetry import context, propagate


@dataclass(frozen=True)
class TraceCarrier:
    traceparent: str | None = None
    tracestate: str | None = None

    def as_dict(self) -> dict[str, str]:
        items = (("traceparent", self.traceparent), ("tracestate", self.tracestate))
        return {k: v for k, v in items if v}


def capture() -> TraceCarrier:
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return TraceCarrier(carrier.get("traceparent"), carrier.get("tracestate"))


@contextmanager
def restored(carrier: TraceCarrier) -> Iterator[None]:
    """Make the stored context current (for the outbox, which injects the
    current context into the event it writes), then put the old one back."""
    token = context.attach(propagate.extract(carrier.as_dict()))
    try:
        yield
    finally:
        context.detach(token)
