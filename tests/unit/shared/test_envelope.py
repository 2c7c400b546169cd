from __future__ import annotations

from datetime import UTC, datetime

import pytest
from chorus.content.v1 import content_events_pb2 as content_events
from chorus.targeting.v1 import targeting_events_pb2 as targeting_events
from chorus_messaging.envelope import (
    Envelope,
    EnvelopeError,
    TenantMismatch,
    check_tenant,
    decode_headers,
)
from google.protobuf.empty_pb2 import Empty


def test_envelope_round_trips_through_headers() -> None:
    envelope = Envelope(
        "id-1",
        "chorus.content.v1.PostApproved",
        "chorus/content@eu-west",
        datetime(2026, 11, 21, 8, 0, tzinfo=UTC),
        "post-1",
        "t1",
    )
    headers = envelope.to_headers()
    assert headers["content-type"] == "application/x-protobuf"
    assert all(v.isascii() for v in headers.values())
    assert Envelope.from_headers(headers) == envelope


@pytest.mark.parametrize("missing", ["ce_id", "ce_type", "ce_source", "ce_time", "ce_tenantid"])
def test_missing_required_header_is_poison(missing: str) -> None:
    headers = Envelope("id-1", "t", "s", datetime.now(UTC), "x", "t1").to_headers()
    del headers[missing]
    with pytest.raises(EnvelopeError, match=missing):
        Envelope.from_headers(headers)


def test_bad_time_is_poison() -> None:
    headers = Envelope("id-1", "t", "s", datetime.now(UTC), "x", "t1").to_headers()
    headers["ce_time"] = "yesterday"
    with pytest.raises(EnvelopeError, match="ISO 8601"):
        Envelope.from_headers(headers)


def test_non_ascii_header_values_are_dropped_not_fatal() -> None:
    assert decode_headers([("ce_id", b"abc"), ("junk", b"\xff\xfe")]) == {"ce_id": "abc"}


def envelope_for(tenant_id: str) -> Envelope:
    return Envelope("id-1", "chorus.x", "s", datetime.now(UTC), "x", tenant_id)


def test_a_body_naming_another_tenant_is_poison() -> None:
    event = targeting_events.EmployeeErased(tenant_id="t2", employee_id="e1")
    with pytest.raises(TenantMismatch, match="ce_tenantid") as raised:
        check_tenant(envelope_for("t1"), event)
    assert isinstance(raised.value, EnvelopeError)  # poison: DLQ at once, no retry
    assert "t1" not in str(raised.value) and "t2" not in str(raised.value)


def test_the_same_tenant_passes_and_an_empty_body_tenant_is_filled_from_the_header() -> None:
    same = targeting_events.EmployeeErased(tenant_id="t1", employee_id="e1")
    check_tenant(envelope_for("t1"), same)
    assert same.tenant_id == "t1"
    empty = content_events.PostApproved()
    check_tenant(envelope_for("t1"), empty)
    assert empty.tenant_id == "t1"


def test_an_event_without_a_tenant_field_is_left_alone() -> None:
    event = Empty()
    check_tenant(envelope_for("t1"), event)
    assert event.ByteSize() == 0
