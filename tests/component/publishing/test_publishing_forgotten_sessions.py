"""No Bluesky session is left behind in the shared store (the real Redis)
when its credentials go (real local PDS, SQLite and PostgreSQL): after a
disconnection, an erasure (EmployeeErased through publishing's own
subscription) and a reconnection with a new app password, the account's
session key is gone once the transaction has committed, and the next post
signs in again with the credentials the database holds. The after-commit
actions behind the erasure run only when its transaction commits."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import httpx
import pytest
from chorus.targeting.v1 import targeting_events_pb2 as targeting
from chorus_db.sessions import after_commit
from chorus_testing.identity import everything
from chorus_testing.subscriptions import handler_for
from publishing_service.adapters.tables import LedgerRow
from publishing_service.app.accounts import ConnectRequest
from publishing_service.domain.accounts import account_id_for
from publishing_service.domain.ledger import PublishStatus
from publishing_service.entrypoints.kafka_handlers import share_due_handler, subscriptions
from sqlalchemy import select

if TYPE_CHECKING:
    from chorus_db import Database

    from tests.component.publishing.conftest import (
        PdsAccount,
        PublishingDatabase,
        PublishingKit,
        PublishingStack,
        StackFactory,
    )

ACCOUNT_ID = account_id_for("t1", "e1", "bluesky")
CREATE_SESSION = "/xrpc/com.atproto.server.createSession"


def counting(calls: list[str]) -> httpx.AsyncClient:
    async def note(request: httpx.Request) -> None:
        calls.append(request.url.path)

    return httpx.AsyncClient(timeout=5.0, event_hooks={"request": [note]})


async def connect(stack: PublishingStack, handle: str, secret: str) -> None:
    await stack.accounts.connect_account(
        everything("t1", employee_id="e1"), ConnectRequest("t1", "e1", "bluesky", handle, secret)
    )


async def stored(stack: PublishingStack) -> bool:
    return bool(await stack.sessions.redis.exists(stack.sessions.key(ACCOUNT_ID)))


async def publish(stack: PublishingStack, db: Database, kit: PublishingKit) -> PublishStatus:
    event = kit.share_due("t1", "e1")
    await share_due_handler(stack.publisher)(event, kit.context(db, event, "t1"))
    entry = await stack.queries.get_publish_status(everything(), "t1", event.share_id)
    return entry.status


async def app_password(pds_url: str, account: PdsAccount, name: str) -> str:
    async with httpx.AsyncClient(timeout=30) as client:
        session = await client.post(
            f"{pds_url}/xrpc/com.atproto.server.createSession",
            json={"identifier": account.handle, "password": account.password},
        )
        session.raise_for_status()
        response = await client.post(
            f"{pds_url}/xrpc/com.atproto.server.createAppPassword",
            json={"name": name},
            headers={"Authorization": f"Bearer {session.json()['accessJwt']}"},
        )
    response.raise_for_status()
    return str(response.json()["password"])


async def test_disconnecting_forgets_the_stored_session(
    publishing_database: PublishingDatabase,
    publishing_stack: StackFactory,
    new_pds_account: Callable[[], Awaitable[PdsAccount]],
    kit: PublishingKit,
) -> None:
    db = await publishing_database()
    calls: list[str] = []
    stack = publishing_stack(db, client=counting(calls))
    account = await new_pds_account()
    await connect(stack, account.handle, account.password)
    assert await publish(stack, db, kit) == PublishStatus.PUBLISHED
    assert await stored(stack) and calls.count(CREATE_SESSION) == 1  # connect's, reused

    assert await stack.accounts.disconnect_account(
        everything("t1", employee_id="e1"), tenant_id="t1", employee_id="e1", network="bluesky"
    )
    assert not await stored(stack)
    assert await stack.sessions.get(ACCOUNT_ID) is None
    # Disconnecting again (a retry) forgets again and answers false.
    assert not await stack.accounts.disconnect_account(
        everything("t1", employee_id="e1"), tenant_id="t1", employee_id="e1", network="bluesky"
    )

    # Connected again: signing in is what proves the credentials; the post uses that session.
    await connect(stack, account.handle, account.password)
    assert await publish(stack, db, kit) == PublishStatus.PUBLISHED
    assert calls.count(CREATE_SESSION) == 2


async def test_reconnecting_with_new_credentials_forgets_the_old_session(
    publishing_database: PublishingDatabase,
    publishing_stack: StackFactory,
    new_pds_account: Callable[[], Awaitable[PdsAccount]],
    kit: PublishingKit,
    pds_url: str,
) -> None:
    db = await publishing_database()
    prefix = f"test:sessions:{ACCOUNT_ID}:{id(db)}:"
    stack = publishing_stack(db, sessions_prefix=prefix)
    account = await new_pds_account()
    await connect(stack, account.handle, await app_password(pds_url, account, "first"))
    assert await publish(stack, db, kit) == PublishStatus.PUBLISHED
    # Another replica holds the account's session too, in Redis and in memory.
    calls: list[str] = []
    other = publishing_stack(db, sessions_prefix=prefix, client=counting(calls))
    assert await publish(other, db, kit) == PublishStatus.PUBLISHED
    assert calls.count(CREATE_SESSION) == 0

    await connect(stack, account.handle, await app_password(pds_url, account, "second"))
    assert not await stored(stack)

    # The next post, from a replica that never saw the new credentials'
    # session, signs in with them (the database's), and the session is shared again.
    calls.clear()
    fresh = publishing_stack(db, sessions_prefix=prefix, client=counting(calls))
    assert await publish(fresh, db, kit) == PublishStatus.PUBLISHED
    assert calls.count(CREATE_SESSION) == 1
    assert await stored(stack)


async def test_erasure_forgets_the_stored_session_once_committed(
    publishing_database: PublishingDatabase,
    publishing_stack: StackFactory,
    new_pds_account: Callable[[], Awaitable[PdsAccount]],
    kit: PublishingKit,
) -> None:
    db = await publishing_database()
    stack = publishing_stack(db)
    account = await new_pds_account()
    await connect(stack, account.handle, account.password)
    assert await publish(stack, db, kit) == PublishStatus.PUBLISHED
    assert await stored(stack)

    erased = targeting.EmployeeErased(tenant_id="t1", employee_id="e1")
    handler = handler_for(subscriptions(stack.publisher, stack.withdrawals), type(erased))
    async with db.session() as reads:
        (before,) = (await reads.execute(select(LedgerRow))).scalars()
    assert before.published_text  # what went out, recorded with the share
    await handler(erased, kit.context(db, erased, "t1"))
    assert not await stored(stack)
    assert await stack.sessions.get(ACCOUNT_ID) is None
    # Its text, which the employee may have edited, goes with the person.
    async with db.session() as reads:
        (after,) = (await reads.execute(select(LedgerRow))).scalars()
    assert (after.employee_id, after.published_text) == ("erased", "")


async def test_after_commit_actions_run_only_when_the_transaction_commits(
    publishing_database: PublishingDatabase,
) -> None:
    db = await publishing_database()
    ran: list[str] = []

    def noting(name: str) -> Callable[[], Awaitable[None]]:
        async def action() -> None:
            ran.append(name)

        return action

    async with db.transaction() as transaction:
        after_commit(transaction, noting("first"))
        after_commit(transaction, noting("second"))
        assert ran == []  # not before the commit
    assert ran == ["first", "second"]

    with pytest.raises(RuntimeError):
        async with db.transaction() as transaction:
            after_commit(transaction, noting("rolled back"))
            raise RuntimeError("the transaction fails")
    assert ran == ["first", "second"]

    async with db.session() as reads:
        with pytest.raises(TypeError, match="Database.transaction"):
            after_commit(reads, noting("read session"))
