"""Publishing's pure rules: record keys, post text and facets, lease decisions,
rate budgets, connection validation."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from chorus_core.errors import InvalidArgument
from publishing_service.domain.accounts import (
    associated_data,
    supported_network,
    validate_connection,
)
from publishing_service.domain.ledger import (
    LeaseDecision,
    LedgerEntry,
    PublishStatus,
    lease_decision,
)
from publishing_service.domain.post_text import compose
from publishing_service.domain.tid import ALPHABET, encode_tid, is_tid, rkey_for_share

NOW = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def test_rkey_is_a_deterministic_valid_tid() -> None:
    share = str(uuid.uuid4())
    assert rkey_for_share(share) == rkey_for_share(share)
    keys = {rkey_for_share(str(uuid.uuid4())) for _ in range(2000)}
    assert len(keys) == 2000
    for key in keys:
        assert len(key) == 13 and is_tid(key)
        assert set(key) <= set(ALPHABET)
        assert key[0] in "234567ab"  # bit 63 clear


def test_tid_encoding_is_base32_sortable() -> None:
    assert encode_tid(0) == "2222222222222"
    assert encode_tid((1 << 63) - 1) == "bzzzzzzzzzzzz"
    values = [0, 1, 31, 32, 10**12, 10**18, (1 << 63) - 1]
    assert [encode_tid(v) for v in values] == sorted(encode_tid(v) for v in values)
    with pytest.raises(ValueError):
        encode_tid(1 << 63)


def test_compose_ends_with_the_link_and_indexes_bytes() -> None:
    composed = compose("¡Mañana lanzamos! 🚀", "", "https://l.test/abc")
    assert composed.text == "¡Mañana lanzamos! 🚀 https://l.test/abc"
    assert composed.link is not None
    raw = composed.text.encode("utf-8")
    assert raw[composed.link.byte_start : composed.link.byte_end] == b"https://l.test/abc"
    assert composed.link.byte_start != composed.text.index("https")  # bytes, not characters


def test_compose_replaces_the_original_link_with_the_tracked_one() -> None:
    composed = compose(
        "Read https://example.com/news today", "https://example.com/news", "https://l.test/x"
    )
    assert composed.text == "Read today https://l.test/x"


def test_compose_shortens_to_the_network_limit() -> None:
    composed = compose("a" * 400, "", "https://l.test/abc", max_length=300)
    assert len(composed.text) == 300
    assert composed.text.endswith("… https://l.test/abc")
    assert (
        composed.link is not None
        and composed.text.encode()[composed.link.byte_start :].decode() == "https://l.test/abc"
    )


def test_compose_without_a_link_has_no_facet() -> None:
    composed = compose("  Just   text ", "", "")
    assert composed.text == "Just text" and composed.link is None


def entry(status: PublishStatus, lease_until: datetime | None = None) -> LedgerEntry:
    return LedgerEntry(
        share_id="s1",
        tenant_id="t1",
        post_id="p1",
        employee_id="e1",
        network="bluesky",
        status=status,
        lease_until=lease_until,
        lease_token="tok",
        post_uri="",
        link_code="",
        failure_reason="",
        attempts=1,
        published_at=None,
    )


def test_lease_decisions() -> None:
    assert lease_decision(None, NOW) is LeaseDecision.TAKE
    assert lease_decision(entry(PublishStatus.PUBLISHED), NOW) is LeaseDecision.ALREADY_PUBLISHED
    held = entry(PublishStatus.LEASED, NOW + timedelta(seconds=30))
    assert lease_decision(held, NOW) is LeaseDecision.HELD
    assert (
        lease_decision(replace(held, lease_until=NOW - timedelta(seconds=1)), NOW)
        is LeaseDecision.TAKE_OVER
    )
    assert lease_decision(entry(PublishStatus.FAILED), NOW) is LeaseDecision.TAKE_OVER
    # A deferred share waits for its time, then anyone may take it.
    deferred = replace(entry(PublishStatus.DEFERRED), retry_at=NOW + timedelta(seconds=5))
    assert lease_decision(deferred, NOW) is LeaseDecision.WAITING
    assert lease_decision(deferred, NOW + timedelta(seconds=5)) is LeaseDecision.TAKE_OVER


def test_validate_connection() -> None:
    assert validate_connection("bluesky", ("bluesky",), "@Alice.Test", "pw") == "alice.test"
    for network, handle, secret, field in [
        ("myspace", "a.test", "pw", "network"),
        ("bluesky", "", "pw", "handle"),
        ("bluesky", "not a handle", "pw", "handle"),
        ("bluesky", "a.test", "", "secret"),
    ]:
        with pytest.raises(InvalidArgument) as error:
            validate_connection(network, ("bluesky",), handle, secret)
        assert error.value.field == field


def test_supported_network() -> None:
    # Connect and disconnect name a network the same way: empty is Bluesky.
    for requested in ("", "bluesky", " BlueSky "):
        assert supported_network(requested, ("bluesky",)) == "bluesky"
    with pytest.raises(InvalidArgument) as error:
        supported_network("myspace", ("bluesky",))
    assert error.value.field == "network"


def test_associated_data_differs_per_row() -> None:
    rows = {
        associated_data(t, e, n)
        for t, e, n in [
            ("t1", "e1", "bluesky"),
            ("t2", "e1", "bluesky"),
            ("t1", "e2", "bluesky"),
            ("t1", "e1", "x"),
        ]
    }
    assert len(rows) == 4
