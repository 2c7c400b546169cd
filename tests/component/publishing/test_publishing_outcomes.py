"""Every way a due share can end, against the real PDS and metrics server:
a crash after posting, no account, revoked credentials (held), refused link,
unreachable dependencies, a held lease, an empty budget; and the queries."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, timedelta
from typing import TYPE_CHECKING

import grpc
import pytest
from chorus.publishing.v1 import publishing_events_pb2 as pub_events
from chorus_core.clock import utcnow
from chorus_core.errors import InvalidArgument, NotFound
from chorus_testing.identity import everything
from publishing_service.adapters.repository import AccountRepository, LedgerRepository
from publishing_service.adapters.secrets import SecretBox
from publishing_service.app.ports import DueShare, due_record
from publishing_service.app.publish import PublishOutcome
from publishing_service.domain.accounts import account_id_for, associated_data
from publishing_service.domain.ledger import LEASE_DURATION, PublishStatus
from publishing_service.domain.network_limits import Counts, NetworkLimits, Window
from publishing_service.entrypoints.kafka_handlers import share_due_handler
from sqlalchemy.ext.asyncio import AsyncSession

if TYPE_CHECKING:
    from chorus.scheduling.v1.scheduling_events_pb2 import ShareDue

    from tests.component.publishing.conftest import (
        MetricsServer,
        PdsAccount,
        PublishingDatabase,
        PublishingKit,
        StackFactory,
    )

PUBLISHED = pub_events.SharePublished.DESCRIPTOR.full_name
FAILED = pub_events.ShareFailed.DESCRIPTOR.full_name
DEFERRED = pub_events.ShareDeferred.DESCRIPTOR.full_name
RECONNECT = pub_events.AccountNeedsReconnect.DESCRIPTOR.full_name
CLOSED_PORT = "127.0.0.1:9"  # discard: nothing listens there
NewAccount = Callable[[], Awaitable["PdsAccount"]]


def due(event: ShareDue) -> DueShare:
    return DueShare(
        tenant_id=event.tenant_id,
        share_id=event.share_id,
        post_id=event.post_id,
        employee_id=event.employee_id,
        network=event.network,
        language=event.language,
        country=event.country,
        text=event.text,
        link=event.link,
    )


async def test_crash_after_posting_still_posts_once(
    publishing_database: PublishingDatabase,
    publishing_stack: StackFactory,
    new_pds_account: NewAccount,
    pds_url: str,
    kit: PublishingKit,
) -> None:
    """The process dies between the network call and recording it: the
    redelivery posts nothing new and records the first post."""
    db = await publishing_database()
    stack = publishing_stack(db)
    account = await kit.connected(stack, new_pds_account)
    event = kit.share_due("t1", "e1")

    @asynccontextmanager
    async def crash() -> AsyncIterator[AsyncSession]:
        raise RuntimeError("killed before recording the outcome")
        yield  # pragma: no cover - makes this an async generator

    with pytest.raises(RuntimeError):
        await stack.publisher.publish(due(event), crash)
    (first,) = await kit.list_posts(pds_url, account.did)
    assert (
        await stack.queries.get_publish_status(everything(), "t1", event.share_id)
    ).status is PublishStatus.LEASED

    await share_due_handler(stack.publisher)(event, kit.context(db, event, "t1"))
    assert await kit.list_posts(pds_url, account.did) == [first]
    status = await stack.queries.get_publish_status(everything(), "t1", event.share_id)
    assert status.status is PublishStatus.PUBLISHED and status.post_uri == first["uri"]
    assert len(await kit.outbox_rows(db, PUBLISHED)) == 1


async def test_no_account_fails_for_good(
    publishing_database: PublishingDatabase,
    publishing_stack: StackFactory,
    kit: PublishingKit,
    metrics_server: MetricsServer,
) -> None:
    db = await publishing_database()
    stack = publishing_stack(db)
    event = kit.share_due("t1", "nobody")
    await share_due_handler(stack.publisher)(event, kit.context(db, event, "t1"))
    status = await stack.queries.get_publish_status(everything(), "t1", event.share_id)
    assert (
        status.status is PublishStatus.FAILED
        and "no connected bluesky account" in status.failure_reason
    )
    (row,) = await kit.outbox_rows(db, FAILED)
    failed = pub_events.ShareFailed.FromString(row.payload)
    assert (
        row.key == event.share_id and failed.retryable is False and failed.employee_id == "nobody"
    )
    assert metrics_server.servicer.calls == []  # no link minted for a share that cannot go out
    assert await kit.inbox_count(db) == 1


async def test_revoked_credentials_hold_the_share_for_a_reconnection(
    publishing_database: PublishingDatabase,
    publishing_stack: StackFactory,
    new_pds_account: NewAccount,
    secret_box: SecretBox,
    kit: PublishingKit,
    pds_url: str,
) -> None:
    db = await publishing_database()
    stack = publishing_stack(db)
    account = await new_pds_account()
    async with db.transaction() as session:  # connected once; the password was changed since
        await AccountRepository(session).save(
            account_id=account_id_for("t1", "e1", "bluesky"),
            tenant_id="t1",
            employee_id="e1",
            network="bluesky",
            handle=account.handle,
            external_id=account.did,
            secret_ciphertext=secret_box.encrypt(
                "an-old-password", associated_data("t1", "e1", "bluesky")
            ),
            request_id=None,
            now=utcnow(),
        )
    event = kit.share_due("t1", "e1")
    await share_due_handler(stack.publisher)(event, kit.context(db, event, "t1"))
    status = await stack.queries.get_publish_status(everything(), "t1", event.share_id)
    # Not failed: it waits for the employee to reconnect (test_publishing_reconnect.py).
    assert status.status is PublishStatus.HELD and "credentials" in status.failure_reason
    assert await kit.outbox_rows(db, FAILED) == []
    assert len(await kit.outbox_rows(db, RECONNECT)) == 1
    assert await kit.list_posts(pds_url, account.did) == []


async def test_refused_link_fails_for_good(
    publishing_database: PublishingDatabase,
    publishing_stack: StackFactory,
    new_pds_account: NewAccount,
    metrics_server: MetricsServer,
    kit: PublishingKit,
) -> None:
    db = await publishing_database()
    stack = publishing_stack(db)
    await kit.connected(stack, new_pds_account)
    metrics_server.servicer.refuse_with = grpc.StatusCode.INVALID_ARGUMENT
    event = kit.share_due("t1", "e1")
    assert (
        await stack.publisher.publish(due(event), kit.context(db, event, "t1").transaction)
        is PublishOutcome.FAILED
    )
    assert (
        "INVALID_ARGUMENT"
        in (
            await stack.queries.get_publish_status(everything(), "t1", event.share_id)
        ).failure_reason
    )


async def test_unreachable_metrics_is_retried_by_the_consumer_then_succeeds(
    publishing_database: PublishingDatabase,
    publishing_stack: StackFactory,
    new_pds_account: NewAccount,
    kit: PublishingKit,
    pds_url: str,
) -> None:
    db = await publishing_database()
    healthy = publishing_stack(db)
    account = await kit.connected(healthy, new_pds_account)
    stack = publishing_stack(db, metrics_address=CLOSED_PORT)
    event = kit.share_due("t1", "e1")
    ctx = kit.context(db, event, "t1")
    with pytest.raises(Exception):  # noqa: B017 - whatever gRPC raises: the consumer retries
        await share_due_handler(stack.publisher)(event, ctx)
    status = await healthy.queries.get_publish_status(everything(), "t1", event.share_id)
    assert status.status is PublishStatus.LEASED and status.attempts == 1
    assert await kit.inbox_count(db) == 0 and await kit.outbox_rows(db, FAILED) == []

    # The lease was given back, so the consumer's retry goes straight through.
    await share_due_handler(healthy.publisher)(event, ctx)
    status = await healthy.queries.get_publish_status(everything(), "t1", event.share_id)
    assert status.status is PublishStatus.PUBLISHED and status.attempts == 2
    assert len(await kit.list_posts(pds_url, account.did)) == 1


async def test_an_unreachable_network_hands_the_share_to_the_sweeper(
    publishing_database: PublishingDatabase,
    publishing_stack: StackFactory,
    new_pds_account: NewAccount,
    kit: PublishingKit,
    pds_url: str,
) -> None:
    """The consumer does not wait on a network that does not answer: the
    event is done (the shares behind it go on), the lease given back, and
    the sweeper sends the share once that lease is stale, asking the
    network first whether the post is there (find), then posting once."""
    db = await publishing_database()
    healthy = publishing_stack(db)
    account = await kit.connected(healthy, new_pds_account)
    stack = publishing_stack(db, pds="http://" + CLOSED_PORT)
    event = kit.share_due("t1", "e1")
    await share_due_handler(stack.publisher)(event, kit.context(db, event, "t1"))
    status = await healthy.queries.get_publish_status(everything(), "t1", event.share_id)
    assert status.status is PublishStatus.LEASED and status.attempts == 1
    assert await kit.inbox_count(db) == 1 and await kit.outbox_rows(db, FAILED) == []

    assert await healthy.sweeper.tick(utcnow()) == 0  # not stale yet
    later = utcnow() + LEASE_DURATION + timedelta(seconds=1)
    assert await healthy.sweeper.tick(later) == 1
    status = await healthy.queries.get_publish_status(everything(), "t1", event.share_id)
    assert status.status is PublishStatus.PUBLISHED and status.attempts == 2
    assert len(await kit.list_posts(pds_url, account.did)) == 1
    assert await healthy.sweeper.tick(later) == 0


async def test_a_held_lease_does_not_block_and_an_expired_one_is_swept(
    publishing_database: PublishingDatabase,
    publishing_stack: StackFactory,
    new_pds_account: NewAccount,
    metrics_server: MetricsServer,
    kit: PublishingKit,
    pds_url: str,
) -> None:
    db = await publishing_database()
    stack = publishing_stack(db)
    account = await kit.connected(stack, new_pds_account)
    event = kit.share_due("t1", "e1")
    now = utcnow()
    async with db.transaction() as session:  # another worker is publishing it right now
        await LedgerRepository(session).add_leased(
            share_id=event.share_id,
            tenant_id="t1",
            post_id=event.post_id,
            employee_id="e1",
            network="bluesky",
            lease_until=now + timedelta(seconds=30),
            lease_token="other",
            now=now,
            due=due_record(due(event)),
        )
    # Not waited for: the event is done, the holder finishes it.
    outcome = await stack.publisher.publish(due(event), kit.context(db, event, "t1").transaction)
    assert outcome is PublishOutcome.HANDED_OVER and await kit.inbox_count(db) == 1
    assert metrics_server.servicer.calls == []
    assert await stack.sweeper.tick(utcnow()) == 0  # the holder's lease still runs

    async with db.transaction() as session:  # ...and then it died: its lease runs out
        await LedgerRepository(session).release("t1", event.share_id, "other", utcnow())
    assert await stack.sweeper.tick(utcnow() + LEASE_DURATION + timedelta(seconds=1)) == 1
    status = await stack.queries.get_publish_status(everything(), "t1", event.share_id)
    assert status.status is PublishStatus.PUBLISHED and status.attempts == 2
    assert len(await kit.list_posts(pds_url, account.did)) == 1


async def test_a_spent_budget_defers_the_share_and_the_sweeper_sends_it_at_its_time(
    publishing_database: PublishingDatabase,
    publishing_stack: StackFactory,
    new_pds_account: NewAccount,
    kit: PublishingKit,
    pds_url: str,
) -> None:
    """Not retried blindly, not dead-lettered: deferred to the time the
    shared budget gives, said so (ShareDeferred), and sent then by the
    sweeper, once."""
    db = await publishing_database()
    # One post (3 points) per 2 seconds per account.
    tight = NetworkLimits(
        "bluesky",
        account=(Window(3, 2, Counts.POSTS),),
        app=(Window(1000, 60),),
        post_cost=3.0,
    )
    stack = publishing_stack(db, limits=tight)
    account = await kit.connected(stack, new_pds_account)
    handler = share_due_handler(stack.publisher)
    first, second = kit.share_due("t1", "e1"), kit.share_due("t1", "e1")
    await handler(first, kit.context(db, first, "t1"))
    before = utcnow()
    await handler(second, kit.context(db, second, "t1"))  # no error: nothing to retry
    assert len(await kit.list_posts(pds_url, account.did)) == 1
    status = await stack.queries.get_publish_status(everything(), "t1", second.share_id)
    assert status.status is PublishStatus.DEFERRED and status.retry_at is not None
    assert before < status.retry_at <= before + timedelta(seconds=2.5)
    assert "budget" in status.failure_reason
    (row,) = await kit.outbox_rows(db, DEFERRED)
    deferred = pub_events.ShareDeferred.FromString(row.payload)
    assert (deferred.share_id, deferred.reason) == (second.share_id, status.failure_reason)
    assert abs((deferred.retry_at.ToDatetime(tzinfo=UTC) - status.retry_at).total_seconds()) < 0.01

    # A redelivered ShareDue while it waits changes nothing.
    await handler(second, kit.context(db, second, "t1"))
    assert len(await kit.list_posts(pds_url, account.did)) == 1
    assert await stack.sweeper.tick(utcnow()) == 0  # not yet its time

    await asyncio.sleep(max(0.0, (status.retry_at - utcnow()).total_seconds()) + 0.1)
    assert await stack.sweeper.tick(utcnow()) == 1
    assert len(await kit.list_posts(pds_url, account.did)) == 2
    done = await stack.queries.get_publish_status(everything(), "t1", second.share_id)
    assert done.status is PublishStatus.PUBLISHED
    assert await stack.sweeper.tick(utcnow()) == 0  # sent once
    assert len(await kit.outbox_rows(db, PUBLISHED)) == 2


async def test_a_share_withdrawn_while_it_waits_is_never_sent(
    publishing_database: PublishingDatabase,
    publishing_stack: StackFactory,
    new_pds_account: NewAccount,
    kit: PublishingKit,
    pds_url: str,
) -> None:
    """Deferred by a spent budget, then cancelled (ShareCancelled) before its
    time: the sweeper checks it as a fresh ShareDue is checked, ends it
    cancelled, and nothing goes out."""
    db = await publishing_database()
    tight = NetworkLimits(
        "bluesky", account=(Window(3, 2, Counts.POSTS),), app=(Window(1000, 60),), post_cost=3.0
    )
    stack = publishing_stack(db, limits=tight)
    account = await kit.connected(stack, new_pds_account)
    handler = share_due_handler(stack.publisher)
    first, second = kit.share_due("t1", "e1"), kit.share_due("t1", "e1")
    await handler(first, kit.context(db, first, "t1"))
    await handler(second, kit.context(db, second, "t1"))
    status = await stack.queries.get_publish_status(everything(), "t1", second.share_id)
    assert status.status is PublishStatus.DEFERRED and status.retry_at is not None
    async with db.transaction() as transaction:
        await stack.withdrawals.record_cancelled(transaction, "t1", second.share_id, "cancelled")

    await asyncio.sleep(max(0.0, (status.retry_at - utcnow()).total_seconds()) + 0.1)
    assert await stack.sweeper.tick(utcnow()) == 1
    ended = await stack.queries.get_publish_status(everything(), "t1", second.share_id)
    assert ended.status is PublishStatus.CANCELLED and "cancelled" in ended.failure_reason
    assert len(await kit.list_posts(pds_url, account.did)) == 1  # the first share only
    assert await stack.sweeper.tick(utcnow()) == 0
    # A late redelivery of its ShareDue adds nothing either.
    await handler(second, kit.context(db, second, "t1"))
    assert len(await kit.list_posts(pds_url, account.did)) == 1


async def test_queries_are_tenant_scoped_and_paged(
    publishing_database: PublishingDatabase,
    publishing_stack: StackFactory,
    new_pds_account: NewAccount,
    kit: PublishingKit,
) -> None:
    db = await publishing_database()
    stack = publishing_stack(db)
    await kit.connected(stack, new_pds_account)
    events = [kit.share_due("t1", "e1") for _ in range(3)]
    for event in events:
        event.post_id = "post-1"
        await share_due_handler(stack.publisher)(event, kit.context(db, event, "t1"))

    with pytest.raises(NotFound):
        await stack.queries.get_publish_status(everything("t2"), "t2", events[0].share_id)
    seen, token = [], ""
    while True:
        page, token = await stack.queries.list_published(
            everything(), "t1", "post-1", page_size=2, page_token=token
        )
        seen += [e.share_id for e in page]
        if not token:
            break
    assert sorted(seen) == sorted(e.share_id for e in events)
    assert (await stack.queries.list_published(everything("t2"), "t2", "post-1"))[0] == []
    with pytest.raises(InvalidArgument) as error:
        await stack.queries.list_published(everything(), "t1", "")
    assert error.value.field == "post_id"
