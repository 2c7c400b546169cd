"""A token the network refuses holds the employee's shares instead of failing
them, on the real stack (the real local PDS, Redis, the metrics server, the
database on SQLite and PostgreSQL):

* the employee connected Chorus with a Bluesky app password and revoked it
  at the PDS; a replica with no live session for the account signs in, and
  the PDS refuses: the share is held (not failed), one AccountNeedsReconnect
  says so, and the next share of that account is held without any call to
  the network (nor a tracked link); other employees' shares go on;
* reconnecting (a new app password, ConnectAccount again) sends the held
  shares, once each, through the sweeper;
* a held or deferred share whose post expires first is failed with the
  reason (ShareFailed) and never posted;
* a reconnection racing the hold: the share goes out with the new credentials.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import TYPE_CHECKING

import httpx
import pytest
from chorus.publishing.v1 import publishing_events_pb2 as pub_events
from chorus_core.clock import utcnow
from chorus_core.errors import FailedPrecondition
from chorus_core.prototime import from_timestamp, to_timestamp
from chorus_messaging.topics import PUBLISHING_ACCOUNTS
from chorus_testing.identity import everything
from publishing_service.adapters.account_repository import AccountRepository
from publishing_service.app.accounts import ConnectRequest
from publishing_service.app.holds import RECONNECTED_MEANWHILE
from publishing_service.app.ports import DueShare
from publishing_service.app.publish import PublishOutcome
from publishing_service.domain.accounts import account_id_for
from publishing_service.domain.ledger import PublishStatus
from publishing_service.domain.network_limits import Counts, NetworkLimits, Window
from publishing_service.entrypoints.kafka_handlers import share_due_handler

if TYPE_CHECKING:
    from chorus.scheduling.v1.scheduling_events_pb2 import ShareDue
    from chorus_db import Database
    from chorus_db.ports import Transaction

    from tests.component.publishing.conftest import (
        MetricsServer,
        PdsAccount,
        PublishingDatabase,
        PublishingKit,
        PublishingStack,
        StackFactory,
    )

PUBLISHED = pub_events.SharePublished.DESCRIPTOR.full_name
FAILED = pub_events.ShareFailed.DESCRIPTOR.full_name
RECONNECT = pub_events.AccountNeedsReconnect.DESCRIPTOR.full_name
NewAccount = Callable[[], Awaitable["PdsAccount"]]
ACCOUNT_ID = account_id_for("t1", "e1", "bluesky")


class Pds:
    """The employee's side of the local PDS: app passwords for Chorus."""

    def __init__(self, url: str, account: PdsAccount) -> None:
        self.url = url
        self.account = account

    async def _session(self, client: httpx.AsyncClient) -> str:
        response = await client.post(
            f"{self.url}/xrpc/com.atproto.server.createSession",
            json={"identifier": self.account.handle, "password": self.account.password},
        )
        response.raise_for_status()
        return str(response.json()["accessJwt"])

    async def app_password(self, name: str) -> str:
        async with httpx.AsyncClient(timeout=30) as client:
            bearer = {"Authorization": f"Bearer {await self._session(client)}"}
            response = await client.post(
                f"{self.url}/xrpc/com.atproto.server.createAppPassword",
                json={"name": name},
                headers=bearer,
            )
        response.raise_for_status()
        return str(response.json()["password"])

    async def revoke(self, name: str) -> None:
        async with httpx.AsyncClient(timeout=30) as client:
            bearer = {"Authorization": f"Bearer {await self._session(client)}"}
            response = await client.post(
                f"{self.url}/xrpc/com.atproto.server.revokeAppPassword",
                json={"name": name},
                headers=bearer,
            )
        response.raise_for_status()


async def connect(stack: PublishingStack, handle: str, secret: str, employee: str = "e1") -> None:
    await stack.accounts.connect_account(
        everything("t1", employee_id=employee),
        ConnectRequest("t1", employee, "bluesky", handle, secret),
    )


def counting(calls: list[str]) -> httpx.AsyncClient:
    """The connector's HTTP client, noting the path of every request it sends."""

    async def note(request: httpx.Request) -> None:
        calls.append(request.url.path)

    return httpx.AsyncClient(timeout=5.0, event_hooks={"request": [note]})


async def revoked(
    publishing_stack: StackFactory, db: Database, pds: Pds, calls: list[str]
) -> PublishingStack:
    """Connected with an app password, revoked since at the PDS; returns a
    replica with no live session for the account (its access token expired,
    or it never had one), whose every request to the network is noted."""
    await connect(publishing_stack(db), pds.account.handle, await pds.app_password("chorus"))
    await pds.revoke("chorus")
    return publishing_stack(db, client=counting(calls))


def expiring(event: ShareDue, seconds: float) -> ShareDue:
    event.expires_at.CopyFrom(to_timestamp(utcnow() + timedelta(seconds=seconds)))
    return event


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
        expires_at=from_timestamp(event.expires_at),
    )


async def status_of(stack: PublishingStack, share_id: str) -> tuple[PublishStatus, str]:
    entry = await stack.queries.get_publish_status(everything(), "t1", share_id)
    return entry.status, entry.failure_reason


async def test_a_refused_token_holds_the_shares_until_the_employee_reconnects(
    publishing_database: PublishingDatabase,
    publishing_stack: StackFactory,
    new_pds_account: NewAccount,
    metrics_server: MetricsServer,
    kit: PublishingKit,
    pds_url: str,
) -> None:
    db = await publishing_database()
    pds, calls = Pds(pds_url, await new_pds_account()), list[str]()
    stack = await revoked(publishing_stack, db, pds, calls)
    handler = share_due_handler(stack.publisher)
    first, second = kit.share_due("t1", "e1"), kit.share_due("t1", "e1")

    await handler(first, kit.context(db, first, "t1"))
    status, reason = await status_of(stack, first.share_id)
    assert status is PublishStatus.HELD
    assert reason.startswith("waiting for the employee to reconnect their bluesky account")
    assert "/xrpc/com.atproto.server.createSession" in calls  # the PDS was asked, and refused
    assert await kit.outbox_rows(db, FAILED) == []  # held, not failed
    (row,) = await kit.outbox_rows(db, RECONNECT)
    needs = pub_events.AccountNeedsReconnect.FromString(row.payload)
    assert (row.topic, row.key) == (PUBLISHING_ACCOUNTS, ACCOUNT_ID)  # opaque key
    assert (needs.tenant_id, needs.employee_id, needs.network) == ("t1", "e1", "bluesky")
    assert needs.account_id == ACCOUNT_ID and "rejected the credentials" in needs.reason
    assert pds.account.handle not in needs.reason

    # The next share of that account: held at once, nothing sent anywhere.
    sent, links = len(calls), len(metrics_server.servicer.calls)
    await handler(second, kit.context(db, second, "t1"))
    assert (await status_of(stack, second.share_id))[0] is PublishStatus.HELD
    assert len(calls) == sent and len(metrics_server.servicer.calls) == links
    assert len(await kit.outbox_rows(db, RECONNECT)) == 1  # once per account
    # A redelivery while held changes nothing; the sweeper leaves held shares be.
    await handler(first, kit.context(db, first, "t1"))
    assert await stack.sweeper.tick(utcnow()) == 0
    assert len(calls) == sent and await kit.list_posts(pds_url, pds.account.did) == []

    # Nothing else stops: a colleague's share goes out meanwhile.
    colleague = await new_pds_account()
    await connect(stack, colleague.handle, colleague.password, employee="e2")
    other = kit.share_due("t1", "e2")
    await handler(other, kit.context(db, other, "t1"))
    assert (await status_of(stack, other.share_id))[0] is PublishStatus.PUBLISHED

    # Reconnected with a new app password: the held shares go out, once each.
    await connect(stack, pds.account.handle, await pds.app_password("chorus-2"))
    for share in (first, second):
        assert (await status_of(stack, share.share_id))[0] is PublishStatus.DEFERRED
    async with db.session() as reads:
        account = await AccountRepository(reads).find("t1", "e1", "bluesky")
    assert account is not None and account.reconnect_needed_at is None
    assert await stack.sweeper.tick(utcnow()) == 2
    for share in (first, second):
        assert (await status_of(stack, share.share_id))[0] is PublishStatus.PUBLISHED
    assert await stack.sweeper.tick(utcnow()) == 0
    assert len(await kit.list_posts(pds_url, pds.account.did)) == 2
    assert len(await kit.outbox_rows(db, PUBLISHED)) == 3  # the colleague's, and these two
    assert len(await kit.outbox_rows(db, RECONNECT)) == 1

    # And from now on the account's shares go straight out.
    third = kit.share_due("t1", "e1")
    await handler(third, kit.context(db, third, "t1"))
    assert (await status_of(stack, third.share_id))[0] is PublishStatus.PUBLISHED
    assert len(await kit.list_posts(pds_url, pds.account.did)) == 3


async def test_a_held_share_whose_post_expires_is_failed_with_the_reason_and_never_posted(
    publishing_database: PublishingDatabase,
    publishing_stack: StackFactory,
    new_pds_account: NewAccount,
    kit: PublishingKit,
    pds_url: str,
) -> None:
    db = await publishing_database()
    pds, calls = Pds(pds_url, await new_pds_account()), list[str]()
    stack = await revoked(publishing_stack, db, pds, calls)
    handler = share_due_handler(stack.publisher)
    short, lasting = expiring(kit.share_due("t1", "e1"), 3.0), kit.share_due("t1", "e1")
    for event in (short, lasting):
        await handler(event, kit.context(db, event, "t1"))
        assert (await status_of(stack, event.share_id))[0] is PublishStatus.HELD
    assert await stack.sweeper.tick(utcnow()) == 0  # its post has not expired yet

    expires_at = from_timestamp(short.expires_at)
    assert expires_at is not None
    await asyncio.sleep(max(0.0, (expires_at - utcnow()).total_seconds()) + 0.1)
    sent = len(calls)
    assert await stack.sweeper.tick(utcnow()) == 1
    status, reason = await status_of(stack, short.share_id)
    assert status is PublishStatus.FAILED
    assert reason.startswith("the post expired before the bluesky account was reconnected")
    (row,) = await kit.outbox_rows(db, FAILED)
    failed = pub_events.ShareFailed.FromString(row.payload)
    assert (failed.share_id, failed.reason, failed.retryable) == (short.share_id, reason, False)
    assert len(calls) == sent  # ended without a word to the network
    # The same ShareDue again (a replay) posts nothing either.
    assert (
        await stack.publisher.publish(due(short), kit.context(db, short, "t1").transaction)
        is PublishOutcome.FAILED
    )

    # The reconnection sends the share still worth sending, not the expired one.
    await connect(stack, pds.account.handle, await pds.app_password("chorus-2"))
    assert (await status_of(stack, short.share_id))[0] is PublishStatus.FAILED
    assert await stack.sweeper.tick(utcnow()) == 1
    (post,) = await kit.list_posts(pds_url, pds.account.did)
    assert (await status_of(stack, lasting.share_id))[0] is PublishStatus.PUBLISHED
    assert len(await kit.outbox_rows(db, FAILED)) == 1


async def test_a_deferred_share_whose_post_expires_is_failed_not_sent(
    publishing_database: PublishingDatabase,
    publishing_stack: StackFactory,
    new_pds_account: NewAccount,
    kit: PublishingKit,
    pds_url: str,
) -> None:
    db = await publishing_database()
    # One post (3 points) per 6 seconds per account: the second share waits.
    tight = NetworkLimits(
        "bluesky", account=(Window(3, 6, Counts.POSTS),), app=(Window(1000, 60),), post_cost=3.0
    )
    stack = publishing_stack(db, limits=tight)
    account = await new_pds_account()
    await connect(stack, account.handle, account.password)
    handler = share_due_handler(stack.publisher)
    first = kit.share_due("t1", "e1")
    await handler(first, kit.context(db, first, "t1"))
    second = expiring(kit.share_due("t1", "e1"), 2.0)  # its post expires before its turn
    await handler(second, kit.context(db, second, "t1"))
    waiting = await stack.queries.get_publish_status(everything(), "t1", second.share_id)
    assert waiting.status is PublishStatus.DEFERRED and waiting.retry_at is not None
    expires_at = from_timestamp(second.expires_at)
    assert expires_at is not None and expires_at < waiting.retry_at

    await asyncio.sleep(max(0.0, (expires_at - utcnow()).total_seconds()) + 0.1)
    assert await stack.sweeper.tick(utcnow()) == 1  # ended before its budget's time
    status, reason = await status_of(stack, second.share_id)
    assert status is PublishStatus.FAILED and reason.startswith("the post expired before")
    assert "rate limits" in reason
    (row,) = await kit.outbox_rows(db, FAILED)
    assert pub_events.ShareFailed.FromString(row.payload).reason == reason
    # Its budget's time comes: still nothing goes out.
    await asyncio.sleep(max(0.0, (waiting.retry_at - utcnow()).total_seconds()) + 0.1)
    assert await stack.sweeper.tick(utcnow()) == 0
    assert len(await kit.list_posts(pds_url, account.did)) == 1


async def test_a_reconnection_racing_the_hold_sends_the_share_with_the_new_credentials(
    publishing_database: PublishingDatabase,
    publishing_stack: StackFactory,
    new_pds_account: NewAccount,
    kit: PublishingKit,
    pds_url: str,
) -> None:
    """The employee reconnects between the refused attempt and its record:
    the share is not left held on an account nobody will reconnect again."""
    db = await publishing_database()
    pds, calls = Pds(pds_url, await new_pds_account()), list[str]()
    stack = await revoked(publishing_stack, db, pds, calls)
    event = kit.share_due("t1", "e1")
    fresh = await pds.app_password("chorus-2")

    @asynccontextmanager
    async def reconnect_first() -> AsyncIterator[Transaction]:
        await connect(publishing_stack(db), pds.account.handle, fresh)
        async with db.transaction() as transaction:
            yield transaction

    outcome = await stack.publisher.publish(due(event), reconnect_first)
    assert outcome is PublishOutcome.DEFERRED
    status, reason = await status_of(stack, event.share_id)
    assert (status, reason) == (PublishStatus.DEFERRED, RECONNECTED_MEANWHILE)
    assert await kit.outbox_rows(db, RECONNECT) == []  # the account is fine again
    assert await stack.sweeper.tick(utcnow()) == 1
    assert (await status_of(stack, event.share_id))[0] is PublishStatus.PUBLISHED
    assert len(await kit.list_posts(pds_url, pds.account.did)) == 1


async def test_reconnecting_with_credentials_the_network_refuses_releases_nothing(
    publishing_database: PublishingDatabase,
    publishing_stack: StackFactory,
    new_pds_account: NewAccount,
    kit: PublishingKit,
    pds_url: str,
) -> None:
    db = await publishing_database()
    pds, calls = Pds(pds_url, await new_pds_account()), list[str]()
    stack = await revoked(publishing_stack, db, pds, calls)
    event = kit.share_due("t1", "e1")
    await share_due_handler(stack.publisher)(event, kit.context(db, event, "t1"))
    with pytest.raises(FailedPrecondition):
        await connect(stack, pds.account.handle, uuid.uuid4().hex)
    assert (await status_of(stack, event.share_id))[0] is PublishStatus.HELD
    assert await stack.sweeper.tick(utcnow()) == 0
    assert await kit.list_posts(pds_url, pds.account.did) == []
