"""Awarding points from events: ledger row + running total + PointsAwarded in
one transaction (with the inbox row), then the Redis board."""

from __future__ import annotations

import asyncio

import pytest
from chorus.gamification.v1 import gamification_events_pb2 as gamification_events
from chorus_core.errors import InvalidArgument
from chorus_messaging.consumer import AlreadyProcessed
from chorus_messaging.tables import InboxRecord
from chorus_messaging.topics import POINTS
from chorus_testing.identity import everything
from gamification_service.adapters.tables import LedgerRow


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
