"""A ShareDue already in flight when the share is cancelled or its employee
opts out / is erased is not published (real PDS, real metrics server): the
hold is recorded before any lease, and an opt-in again lets new ones out."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from chorus.publishing.v1 import publishing_events_pb2 as pub_events
from chorus.scheduling.v1 import scheduling_events_pb2 as scheduling
from chorus.targeting.v1 import targeting_events_pb2 as targeting
from chorus_messaging import InboxRecord
from chorus_messaging.tables import EmployeeHold
from chorus_testing.identity import everything
from chorus_testing.subscriptions import handler_for
from google.protobuf.message import Message
from publishing_service.adapters.tables import LedgerRow
from publishing_service.app.accounts import ConnectRequest
from publishing_service.entrypoints.kafka_handlers import subscriptions
from sqlalchemy import func, select
from sqlmodel import col

if TYPE_CHECKING:
    from chorus_db import Database

    from tests.component.publishing.conftest import (
        PdsAccount,
        PublishingDatabase,
        PublishingKit,
        StackFactory,
    )

PUBLISHED = pub_events.SharePublished.DESCRIPTOR.full_name


async def count(db: Database, model: type) -> int:
    async with db.session() as session:
        return int((await session.execute(select(func.count()).select_from(model))).scalar_one())


async def test_withdrawn_due_shares_are_not_published(
    publishing_database: PublishingDatabase,
    publishing_stack: StackFactory,
    kit: PublishingKit,
    new_pds_account: Callable[[], Awaitable[PdsAccount]],
) -> None:
    db = await publishing_database()
    stack = publishing_stack(db)
    for employee_id in ("e1", "e2", "e3"):
        account = await new_pds_account()
        await stack.accounts.connect_account(
            everything("t1", employee_id=employee_id),
            ConnectRequest("t1", employee_id, "bluesky", account.handle, account.password),
        )
    wired = subscriptions(stack.publisher, stack.withdrawals)

    async def deliver(event: Message) -> None:
        await handler_for(wired, type(event))(event, kit.context(db, event, "t1"))

    # e1's share was cancelled by scheduling; e2 opted out; e3 was erased —
    # each after its ShareDue had been emitted.
    cancelled_due = kit.share_due("t1", "e1")
    opted_out_due = kit.share_due("t1", "e2")
    erased_due = kit.share_due("t1", "e3")
    await deliver(
        scheduling.ShareCancelled(
            tenant_id="t1",
            share_id=cancelled_due.share_id,
            post_id=cancelled_due.post_id,
            employee_id="e1",
            reason="opted_out",
        ),
    )
    await deliver(targeting.EmployeeOptedOut(tenant_id="t1", employee_id="e2"))
    await deliver(targeting.EmployeeErased(tenant_id="t1", employee_id="e3"))
    for event in (cancelled_due, opted_out_due, erased_due):
        await deliver(event)
    assert await count(db, LedgerRow) == 0  # no lease was ever taken
    assert await kit.outbox_rows(db, PUBLISHED) == []
    assert await count(db, InboxRecord) == 6  # each ShareDue is done with, not retried

    # e2 opts in again: a new ShareDue of theirs goes out; e3's erasure holds.
    await deliver(targeting.EmployeeOptedIn(tenant_id="t1", employee_id="e2"))
    await deliver(targeting.EmployeeOptedIn(tenant_id="t1", employee_id="e3"))
    again = kit.share_due("t1", "e2")
    await deliver(again)
    await deliver(kit.share_due("t1", "e3"))
    published = await kit.outbox_rows(db, PUBLISHED)
    assert [row.key for row in published] == [again.share_id]
    async with db.session() as session:
        holds = (
            await session.execute(
                select(col(EmployeeHold.employee_id), col(EmployeeHold.reason)).where(
                    col(EmployeeHold.tenant_id) == "t1"
                )
            )
        ).all()
    assert [tuple(h) for h in holds] == [("e3", "erased")]
