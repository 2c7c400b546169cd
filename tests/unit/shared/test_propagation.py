"""The W3C carrier saved with a row: what is captured under a span is what a
later restore makes current again, and a restore leaves no context behind."""

from __future__ import annotations

from chorus_telemetry.propagation import TraceCarrier, capture, restored
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
