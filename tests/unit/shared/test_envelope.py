from __future__ import annotations

from datetime import UTC, datetime

import pytest
from chorus_messaging.envelope import Envelope, EnvelopeError, decode_headers


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
