"""The W3C carrier saved with a row: what is captured under a span is what a
later restore makes current again, and a restore leaves no context behind."""

from __future__ import annotations

from chorus_messaging.spans import recorded_under
from chorus_telemetry.propagation import TraceCarrier, capture, restored, sampled_for
from opentelemetry import baggage, context, trace
from opentelemetry.trace import NonRecordingSpan, SpanContext, TraceFlags

TRACE_ID = 0x0AF7651916CD43DD8448EB211C80319C
SPAN_ID = 0x00F067AA0BA902B7


def test_capture_then_restore_continues_the_same_trace() -> None:
    span = NonRecordingSpan(
        SpanContext(TRACE_ID, SPAN_ID, is_remote=False, trace_flags=TraceFlags(1))
    )
    token = context.attach(
        baggage.set_baggage("chorus.tenant", "t1", trace.set_span_in_context(span))
    )
    try:
        carrier = capture()
    finally:
        context.detach(token)
    assert carrier.traceparent == f"00-{TRACE_ID:032x}-{SPAN_ID:016x}-01"
    assert carrier.baggage == "chorus.tenant=t1"

    assert trace.get_current_span().get_span_context().trace_id == 0
    with restored(carrier):
        current = trace.get_current_span().get_span_context()
        assert (current.trace_id, current.span_id, current.is_remote) == (TRACE_ID, SPAN_ID, True)
        assert baggage.get_baggage("chorus.tenant") == "t1"
    assert trace.get_current_span().get_span_context().trace_id == 0


def test_nothing_current_captures_nothing_and_a_bad_carrier_restores_nothing() -> None:
    assert capture() == TraceCarrier()
    assert TraceCarrier().as_dict() == {}
    with restored(TraceCarrier(traceparent="00-not-a-trace-01")):
        assert not trace.get_current_span().get_span_context().is_valid


SAMPLED = TraceCarrier(f"00-{TRACE_ID:032x}-{SPAN_ID:016x}-01", "vendor=x", "chorus.tenant=t1")
SHARES = [f"share-{i}" for i in range(2000)]


def test_a_share_outside_the_traced_fraction_keeps_its_trace_id_but_is_not_sampled() -> None:
    kept = [sampled_for(SAMPLED, s, 0.25) for s in SHARES]
    unsampled = [c for c in kept if c != SAMPLED]
    # About a quarter kept, decided by the share id: the same again on redelivery.
    assert 400 < len(SHARES) - len(unsampled) < 600
    assert kept == [sampled_for(SAMPLED, s, 0.25) for s in SHARES]
    assert {c.traceparent for c in unsampled} == {f"00-{TRACE_ID:032x}-{SPAN_ID:016x}-00"}
    assert {(c.tracestate, c.baggage) for c in unsampled} == {("vendor=x", "chorus.tenant=t1")}
    with restored(unsampled[0]):
        current = trace.get_current_span().get_span_context()
        assert current.trace_id == TRACE_ID
        assert not current.trace_flags.sampled
        assert not recorded_under()
    with restored(SAMPLED):
        assert recorded_under()
    assert recorded_under()  # no parent at all: the sampler's choice, not ours


def test_every_share_or_none_is_traced_at_the_ends_of_the_range() -> None:
    assert all(sampled_for(SAMPLED, s, 1.0) == SAMPLED for s in SHARES)
    assert not any(sampled_for(SAMPLED, s, 0.0) == SAMPLED for s in SHARES)
    # Nothing to mark, or not ours to read: left as it is.
    assert sampled_for(TraceCarrier(), "share-1", 0.0) == TraceCarrier()
    odd = TraceCarrier("00-not-a-trace-zz")
    assert sampled_for(odd, "share-1", 0.0) == odd
