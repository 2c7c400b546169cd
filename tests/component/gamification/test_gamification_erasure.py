"""Erasure in gamification: the ledger anonymised, and a share or click of the
erased employee arriving afterwards (another topic, not ordered with the
employee topic, or a redelivery) recorded in the inbox and nothing else."""

from __future__ import annotations

import asyncio

from chorus.targeting.v1 import targeting_events_pb2 as targeting
from chorus_db import Database
from chorus_messaging.privacy import ERASED as ERASURE
from chorus_messaging.privacy import hold
from chorus_messaging.tables import InboxRecord
from chorus_messaging.topics import EMPLOYEES
from chorus_testing.identity import everything
from gamification_service.adapters.tables import LedgerRow, TotalRow
from gamification_service.entrypoints.kafka_handlers import subscriptions
from sqlalchemy import select
from sqlmodel import col

ERASED = "erased"  # the anonymous bucket (app.erasure)


async def rows_of(db: Database, employee_id: str) -> list[str]:
    """The gamification rows (ledger, totals) that name the employee."""
    found = []
    async with db.session() as session:
        for model in (LedgerRow, TotalRow):
            query = select(model).where(col(model.employee_id) == employee_id)
            found += [model.__tablename__ for _ in (await session.execute(query)).scalars()]
    return found


async def test_a_share_or_click_after_the_erasure_earns_nothing_and_names_nobody(
    on_share, on_click, handler_factory, use_cases, leaderboard, kit, tenant, gam_db
) -> None:
    share, click = (
        kit.share_published(tenant, "emp-1", "s1"),
        kit.link_clicked(tenant, "emp-1", "c1"),
    )
    await on_share(share, kit.context(gam_db, share, tenant))
    await on_click(click, kit.context(gam_db, click, tenant))
    assert (await use_cases.profile(everything(tenant), tenant, "emp-1")).points == 12

    erasure = targeting.EmployeeErased(tenant_id=tenant, employee_id="emp-1")
    on_erased = handler_factory(use_cases, targeting.EmployeeErased)
    await on_erased(erasure, kit.context(gam_db, erasure, tenant))
    assert await rows_of(gam_db, "emp-1") == []

    late = [
        (on_share, kit.share_published(tenant, "emp-1", "s2")),  # published just before
        (on_click, kit.link_clicked(tenant, "emp-1", "c2")),
        (on_share, share),  # a redelivery under another ce_id
        (on_click, click),
    ]
    for handler, event in late:
        await handler(event, kit.context(gam_db, event, tenant))
    # Someone else's share, after the same erasure, earns as always.
    other = kit.share_published(tenant, "emp-2", "s3")
    await on_share(other, kit.context(gam_db, other, tenant))

    assert await rows_of(gam_db, "emp-1") == []
    profile = await use_cases.profile(everything(tenant), tenant, "emp-1")
    assert (profile.points, profile.entries) == (0, ())
    assert await leaderboard.top(tenant, 10) == [("emp-2", 10)]
    # The bucket keeps what emp-1 earned before, and only that.
    assert (await use_cases.profile(everything(tenant), tenant, ERASED)).points == 12
    assert await kit.count(gam_db, LedgerRow) == 3
    assert len(await kit.outbox(gam_db)) == 3  # PointsAwarded: s1, c1, s3
    assert await kit.count(gam_db, InboxRecord) == 2 + 1 + 4 + 1  # every event is done


async def test_a_click_on_a_link_metrics_anonymised_earns_nobody(
    on_click, use_cases, leaderboard, kit, tenant, gam_db
) -> None:
    click = kit.link_clicked(tenant, ERASED, "c1")  # metrics' marker for "nobody"
    await on_click(click, kit.context(gam_db, click, tenant))
    assert await rows_of(gam_db, ERASED) == []
    assert await kit.outbox(gam_db) == []
    assert await leaderboard.top(tenant, 10) == []
    assert await kit.count(gam_db, InboxRecord) == 1


def test_only_the_erasure_is_heard_from_the_employee_topic(use_cases) -> None:
    # An opt-out changes nothing here: points already earned stay theirs.
    [employees] = [s for s in subscriptions(use_cases) if s.topic == EMPLOYEES]
    assert set(employees.handlers) == {targeting.EmployeeErased}


async def test_an_award_waiting_on_an_erasure_in_progress_earns_nothing(
    on_share, use_cases, leaderboard, kit, tenant, gam_db
) -> None:
    first = kit.share_published(tenant, "emp-1", "s1")
    await on_share(first, kit.context(gam_db, first, tenant))
    late = kit.share_published(tenant, "emp-1", "s2")

    # The erasure's transaction as the privacy subscription runs it (hold,
    # then the effect), held open while the share arrives.
    async with gam_db.transaction() as erasure:
        await hold(erasure, tenant, "emp-1", ERASURE)
        await use_cases.erase_employee(erasure, tenant, "emp-1")
        awarding = asyncio.create_task(on_share(late, kit.context(gam_db, late, tenant)))
        await asyncio.sleep(0.5)
        # Awarding now would write a ledger row the erasure's UPDATE cannot see.
        assert not awarding.done()
    await asyncio.wait_for(awarding, 10)

    assert await rows_of(gam_db, "emp-1") == []
    assert (await use_cases.profile(everything(tenant), tenant, ERASED)).points == 10
    assert len(await kit.outbox(gam_db)) == 1  # the PointsAwarded of s1 only
