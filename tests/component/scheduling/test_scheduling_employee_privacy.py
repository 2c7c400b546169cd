"""Opt-out / erasure racing an audience batch resolved before it: the batch
arriving after the EmployeeOptedOut creates no share for that person; an
EmployeeOptedIn lifts the hold, an erasure's hold stays."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chorus.targeting.v1 import targeting_events_pb2 as targeting
from chorus_db import Database
from chorus_messaging import Outbox
from chorus_testing.subscriptions import handler_for
from scheduling_service.adapters.events import OutboxShareEvents
from scheduling_service.adapters.stores import SqlStores
from scheduling_service.adapters.tables import ShareRow
from scheduling_service.app.delivery import Delivery
from scheduling_service.app.engagement import Engagement
from scheduling_service.app.intake import ShareIntake
from scheduling_service.app.withdrawal import Withdrawal
from scheduling_service.entrypoints.kafka_handlers import subscriptions
from sqlalchemy import select
from sqlmodel import col

if TYPE_CHECKING:
    from tests.component.scheduling.conftest import SchedulingDatabase, SchedulingKit


async def share_owners(db: Database, post_id: str) -> set[str]:
    async with db.session() as session:
        query = select(col(ShareRow.employee_id)).where(
            col(ShareRow.tenant_id) == "t1", col(ShareRow.post_id) == post_id
        )
        return set((await session.execute(query)).scalars())


async def test_a_batch_resolved_before_the_opt_out_creates_no_share_for_them(
    scheduling_database: SchedulingDatabase, outbox: Outbox, kit: SchedulingKit
) -> None:
    db = await scheduling_database()
    wired = subscriptions(
        ShareIntake(SqlStores(), OutboxShareEvents(outbox)),
        Withdrawal(SqlStores(), OutboxShareEvents(outbox)),
        Engagement(db, SqlStores()),
        Delivery(SqlStores()),
    )
    on_audience = handler_for(wired, targeting.AudienceBatchResolved)

    async def employee_event(
        event: targeting.EmployeeOptedOut | targeting.EmployeeOptedIn | targeting.EmployeeErased,
    ) -> None:
        await handler_for(wired, type(event))(event, kit.context(db, event, event.tenant_id))

    async def batch(post_id: str) -> None:
        event = kit.audience(
            "t1", post_id, [("e1", "es", True), ("e2", "es", False), ("e3", "fr", False)]
        )
        await on_audience(event, kit.context(db, event, "t1"))

    await employee_event(targeting.EmployeeOptedOut(tenant_id="t1", employee_id="e1"))
    await employee_event(targeting.EmployeeErased(tenant_id="t1", employee_id="e2"))
    await batch("p1")  # resolved by targeting before it heard of either
    assert await share_owners(db, "p1") == {"e3"}

    # Another tenant's hold is not ours.
    await employee_event(targeting.EmployeeOptedOut(tenant_id="t2", employee_id="e3"))
    # Opted in again: new audiences include e1 again; the erased e2 never.
    await employee_event(targeting.EmployeeOptedIn(tenant_id="t1", employee_id="e1"))
    await employee_event(targeting.EmployeeOptedIn(tenant_id="t1", employee_id="e2"))
    await batch("p2")
    assert await share_owners(db, "p2") == {"e1", "e3"}

    # Opting out again after the shares exist cancels them and holds again.
    await employee_event(targeting.EmployeeOptedOut(tenant_id="t1", employee_id="e1"))
    async with db.session() as session:
        status = (
            (
                await session.execute(
                    select(col(ShareRow.status)).where(
                        col(ShareRow.tenant_id) == "t1", col(ShareRow.employee_id) == "e1"
                    )
                )
            )
            .scalars()
            .all()
        )
    assert status == ["cancelled"]
    cancelled = await kit.outbox_rows(db, "chorus.scheduling.v1.ShareCancelled")
    assert len(cancelled) == 1
    await batch("p3")
    assert await share_owners(db, "p3") == {"e3"}
