"""Publishing's pure rules for shares that wait: a held share (its account
waits for a reconnection) and a deferred one end when their post expires;
the reasons the employee reads; the ShareDue the ledger keeps, expiry and all."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from publishing_service.app.ports import DueShare, due_from_record, due_record
from publishing_service.domain.ledger import (
    LeaseDecision,
    LedgerEntry,
    PublishStatus,
    expired_reason,
    held_reason,
    lease_decision,
    post_expired,
)

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(days=1)


def entry(status: PublishStatus, **values: object) -> LedgerEntry:
    base = LedgerEntry(
        share_id="s1",
        tenant_id="t1",
        post_id="p1",
        employee_id="e1",
        network="bluesky",
        status=status,
        lease_until=None,
        lease_token="tok",
        post_uri="",
        link_code="",
        failure_reason="",
        attempts=1,
        published_at=None,
    )
    return replace(base, **values)  # type: ignore[arg-type]


def test_a_held_share_waits_for_the_reconnection_until_its_post_expires() -> None:
    held = entry(PublishStatus.HELD, expires_at=LATER)
    assert lease_decision(held, NOW) is LeaseDecision.ON_HOLD
    assert lease_decision(replace(held, expires_at=None), NOW + timedelta(days=900)) is (
        LeaseDecision.ON_HOLD  # a post that never expires: it waits as long as it takes
    )
    assert lease_decision(held, LATER) is LeaseDecision.TAKE_OVER  # taken, to be ended


def test_a_deferred_share_whose_post_expires_is_taken_before_its_time() -> None:
    deferred = entry(PublishStatus.DEFERRED, retry_at=LATER, expires_at=NOW)
    assert lease_decision(deferred, NOW - timedelta(seconds=1)) is LeaseDecision.WAITING
    assert lease_decision(deferred, NOW) is LeaseDecision.TAKE_OVER


def test_a_failed_share_whose_post_expired_is_over() -> None:
    failed = entry(PublishStatus.FAILED, expires_at=LATER)
    assert lease_decision(failed, NOW) is LeaseDecision.TAKE_OVER  # e.g. connected since
    assert lease_decision(failed, LATER) is LeaseDecision.ENDED


def test_a_live_lease_and_a_publication_win_over_the_expiry() -> None:
    leased = entry(PublishStatus.LEASED, lease_until=LATER, expires_at=NOW)
    assert lease_decision(leased, NOW) is LeaseDecision.HELD  # its worker decides
    published = entry(PublishStatus.PUBLISHED, expires_at=NOW)
    assert lease_decision(published, LATER) is LeaseDecision.ALREADY_PUBLISHED


def test_post_expiry_is_inclusive_and_none_never_expires() -> None:
    assert post_expired(NOW, NOW) and not post_expired(LATER, NOW)
    assert not post_expired(None, NOW)


def test_the_reasons_say_what_the_share_waited_for() -> None:
    assert expired_reason(PublishStatus.HELD, "linkedin").startswith(
        "the post expired before the linkedin account was reconnected"
    )
    assert "rate limits" in expired_reason(PublishStatus.DEFERRED, "x")
    assert expired_reason(None, "bluesky").startswith("the post expired before")
    assert held_reason("bluesky", "token expired") == (
        "waiting for the employee to reconnect their bluesky account: token expired"
    )


def test_the_kept_share_due_keeps_its_expiry() -> None:
    share = DueShare("t1", "s1", "p1", "e1", "bluesky", "es", "ES", "hola", "", "", LATER)
    record = due_record(share)
    assert record["expires_at"] == LATER.isoformat()  # JSON: the ledger's `due` column
    assert due_from_record(record) == share
    never = replace(share, expires_at=None)
    assert due_from_record(due_record(never)) == never
    # Kept before the expiry was carried: its post is taken as never expiring.
    older = {k: v for k, v in record.items() if k != "expires_at"}
    assert due_from_record(older).expires_at is None
