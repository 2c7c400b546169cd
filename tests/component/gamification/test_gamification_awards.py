"""Awarding points from events: ledger row + running total + PointsAwarded in
one transaction (with the inbox row), then the Redis board."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from chorus.gamification.v1 import gamification_events_pb2 as gamification_events
from chorus.targeting.v1 import targeting_events_pb2 as targeting
from chorus_core.errors import InvalidArgument
from chorus_messaging.consumer import AlreadyProcessed, Batch, Batched
from chorus_messaging.tables import InboxRecord
from chorus_messaging.topics import POINTS
from chorus_testing.events import batch_of
from chorus_testing.identity import everything
from gamification_service.adapters.tables import LedgerRow
from sqlalchemy.ext.asyncio import AsyncSession


async def test_a_published_share_earns_ten_points_everywhere(
    on_share, use_cases, leaderboard, kit, tenant, gam_db
) -> None:
    event = kit.share_published(tenant, "emp-1", "share-1")
    await on_share(event, kit.context(gam_db, event, tenant))

    profile = await use_cases.profile(everything(tenant), tenant, "emp-1")
    assert profile.points == 10
    assert [(e.reason, e.points, e.source_id) for e in profile.entries] == [
        ("share_published", 10, "share-1")
    ]
    (message,) = await kit.outbox(gam_db)
    assert (message.topic, message.key, message.tenant_id) == (POINTS, "emp-1", tenant)
    awarded = gamification_events.PointsAwarded.FromString(message.payload)
    assert (
        awarded.employee_id,
        awarded.points,
        awarded.reason,
        awarded.source_id,
        awarded.total,
    ) == ("emp-1", 10, "share_published", "share-1", 10)
    assert await leaderboard.top(tenant, 10) == [("emp-1", 10)]


async def test_redelivery_with_the_same_ce_id_changes_nothing(
    on_share, use_cases, leaderboard, kit, tenant, gam_db
) -> None:
    event = kit.share_published(tenant, "emp-1", "share-1")
    ctx = kit.context(gam_db, event, tenant)
    await on_share(event, ctx)
    with pytest.raises(AlreadyProcessed):
        await on_share(event, ctx)
    assert (await use_cases.profile(everything(tenant), tenant, "emp-1")).points == 10
    assert await kit.count(gam_db, LedgerRow) == 1
    assert len(await kit.outbox(gam_db)) == 1
    assert await leaderboard.top(tenant, 10) == [("emp-1", 10)]


async def test_the_same_fact_under_another_ce_id_earns_once(
    on_share, on_click, use_cases, leaderboard, kit, tenant, gam_db
) -> None:
    share = kit.share_published(tenant, "emp-1", "share-1")
    click = kit.link_clicked(tenant, "emp-1", "click-1")
    for _ in range(2):  # each delivery has its own ce_id: the inbox lets both in
        await on_share(share, kit.context(gam_db, share, tenant))
        await on_click(click, kit.context(gam_db, click, tenant))
    assert (await use_cases.profile(everything(tenant), tenant, "emp-1")).points == 12
    assert await kit.count(gam_db, LedgerRow) == 2
    assert len(await kit.outbox(gam_db)) == 2
    assert await kit.count(gam_db, InboxRecord) == 4
    assert await leaderboard.top(tenant, 10) == [("emp-1", 12)]


async def test_each_click_earns_the_sharer_two_points(
    on_share, on_click, use_cases, kit, tenant, gam_db
) -> None:
    share = kit.share_published(tenant, "emp-1", "share-1")
    await on_share(share, kit.context(gam_db, share, tenant))
    for n in range(3):
        click = kit.link_clicked(tenant, "emp-1", f"click-{n}")
        await on_click(click, kit.context(gam_db, click, tenant))
    profile = await use_cases.profile(everything(tenant), tenant, "emp-1")
    assert profile.points == 16
    assert [e.source_id for e in profile.entries] == [
        "click-2",
        "click-1",
        "click-0",
        "share-1",
    ]  # newest first
    totals = [
        gamification_events.PointsAwarded.FromString(m.payload).total
        for m in await kit.outbox(gam_db)
    ]
    assert totals == [10, 12, 14, 16]


async def test_concurrent_awards_of_one_employee_keep_exact_totals(
    on_click, use_cases, leaderboard, kit, tenant, gam_db
) -> None:
    clicks = [kit.link_clicked(tenant, "emp-1", f"click-{n}") for n in range(12)]
    await asyncio.gather(*(on_click(c, kit.context(gam_db, c, tenant)) for c in clicks))
    totals = sorted(
        gamification_events.PointsAwarded.FromString(m.payload).total
        for m in await kit.outbox(gam_db)
    )
    assert totals == list(range(2, 25, 2))  # every running total seen exactly once
    assert (await use_cases.profile(everything(tenant), tenant, "emp-1")).points == 24
    assert await leaderboard.top(tenant, 10) == [("emp-1", 24)]


async def test_a_click_without_its_click_id_cannot_be_deduplicated_and_is_rejected(
    on_click, kit, tenant, gam_db
) -> None:
    event = kit.link_clicked(tenant, "emp-1", "")
    with pytest.raises(InvalidArgument) as raised:
        await on_click(event, kit.context(gam_db, event, tenant))
    assert raised.value.field == "click_id"
    assert await kit.count(gam_db, InboxRecord) == 0


async def test_an_employee_without_points_has_an_empty_profile(use_cases, tenant) -> None:
    profile = await use_cases.profile(everything(tenant), tenant, "emp-new")
    assert (profile.employee_id, profile.points, profile.entries) == ("emp-new", 0, ())


async def test_a_batch_of_shares_earns_each_fact_once_in_one_transaction(
    on_share, handler_factory, use_cases, leaderboard, kit, tenant, gam_db
) -> None:
    """The consumer's batch path (chorus_messaging.Batched): many
    SharePublished in one transaction, as a poll brings them."""
    before = kit.share_published(tenant, "emp-1", "s0")
    await on_share(before, kit.context(gam_db, before, tenant))
    erasure = targeting.EmployeeErased(tenant_id=tenant, employee_id="emp-9")
    on_erased = handler_factory(use_cases, targeting.EmployeeErased)
    await on_erased(erasure, kit.context(gam_db, erasure, tenant))
    other = tenant + "-other"
    batch = [
        kit.share_published(tenant, "emp-1", "s1"),
        kit.share_published(tenant, "emp-2", "s2"),
        kit.share_published(tenant, "emp-1", "s3"),
        kit.share_published(tenant, "emp-1", "s1"),  # twice in the batch
        kit.share_published(tenant, "emp-1", "s0"),  # earned before the batch
        kit.share_published(tenant, "emp-9", "s9"),  # erased before it arrived
        kit.share_published(other, "emp-1", "s1"),  # another tenant's same ids
    ]
    assert isinstance(on_share, Batched)
    await on_share.handle(batch_of(gam_db, batch))
    awarded = [
        gamification_events.PointsAwarded.FromString(m.payload)
        for m in await kit.outbox(gam_db, "chorus.gamification.v1.PointsAwarded")
    ]
    # In the batch's order, each with the total after its own award.
    assert [(a.tenant_id, a.employee_id, a.source_id, a.total) for a in awarded] == [
        (tenant, "emp-1", "s0", 10),
        (tenant, "emp-1", "s1", 20),
        (tenant, "emp-2", "s2", 10),
        (tenant, "emp-1", "s3", 30),
        (other, "emp-1", "s1", 10),
    ]
    assert (await use_cases.profile(everything(tenant), tenant, "emp-1")).points == 30
    assert (await use_cases.profile(everything(tenant), tenant, "emp-9")).points == 0
    # The board, raised after the commit, per tenant.
    assert await leaderboard.top(tenant, 10) == [("emp-1", 30), ("emp-2", 10)]
    assert await leaderboard.top(other, 10) == [("emp-1", 10)]


async def test_a_batch_that_rolls_back_leaves_the_board_untouched(
    on_share, leaderboard, kit, tenant, gam_db
) -> None:
    """The board is told only what committed: a batch that fails (and goes
    one by one) has not raised it."""
    batch = [kit.share_published(tenant, "emp-1", f"s{n}") for n in range(3)]
    assert isinstance(on_share, Batched)

    @asynccontextmanager
    async def failing(_ce_ids: list[str]) -> AsyncIterator[AsyncSession]:
        async with gam_db.transaction() as session:
            yield session
            raise RuntimeError("the batch fails before its commit")

    with pytest.raises(RuntimeError):
        await on_share.handle(Batch(batch_of(gam_db, batch).deliveries, failing))
    assert await leaderboard.top(tenant, 10) == []
    assert await kit.count(gam_db, LedgerRow) == 0
