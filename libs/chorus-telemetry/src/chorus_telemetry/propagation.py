"""The W3C trace context (traceparent, tracestate, baggage), saved with a row
and made current again later.

Work that waits in a database (an outbox row until the relay sends it, a share
until its due time) must still belong to the trace that wrote it: the carrier
is captured when the row is written and restored when the row is acted on.
Stored carriers come from our own writes, and the propagators validate them
(a malformed traceparent restores an empty context, never an error)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

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


def sampled_for(carrier: TraceCarrier, key: str, fraction: float) -> TraceCarrier:
    """`carrier` for one of many alike items of work (a campaign's shares):
    kept as it is for `fraction` of the keys and marked not sampled for the
    rest, so that nothing after it records spans (the SDK's default sampler
    follows the parent's flag) while the trace id stays the caller's.

    Why: a 100,000-share campaign is one trace; recording every share's
    spans in every service costs more than the work they describe, and an
    SRE reads a sample of journeys, not all of them. The choice hangs on a
    hash of `key` (the share id), not on chance, so that a redelivered
    event or a replanned share decides the same way. 1.0 traces every one
    (the default); a carrier already not sampled stays so."""
    if fraction >= 1.0 or not carrier.traceparent:
        return carrier
    digest = hashlib.blake2b(key.encode(), digest_size=8).digest()
    if int.from_bytes(digest) < fraction * 2**64:
        return carrier
    head, sep, flags = carrier.traceparent.rpartition("-")
    if not sep or len(flags) != 2:
        return carrier  # not one we wrote: restoring it validates it anyway
    try:
        unsampled = int(flags, 16) & ~0x01
    except ValueError:
        return carrier
    return replace(carrier, traceparent=f"{head}-{unsampled:02x}")


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
