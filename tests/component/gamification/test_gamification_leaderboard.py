"""The Redis leaderboard against the ledger: order, rebuild, and the gap
between the database commit and the Redis update."""

from __future__ import annotations

import asyncio
import random

from chorus_testing.identity import everything
from gamification_service.adapters.leaderboard import board_key
from gamification_service.adapters.repository import LedgerRepository
from gamification_service.domain.leaderboard import Standing, ordered, score_of


async def award_many(kit, gam_db, on_share, on_click, tenant, seed: int = 7) -> None:
    """A reproducible mix of shares and clicks over eight employees."""
    rng = random.Random(seed)
    for n in range(40):
        employee = f"emp-{rng.randrange(8)}"
        if rng.random() < 0.4:
            event, handler = kit.share_published(tenant, employee, f"share-{n}"), on_share
        else:
            event, handler = kit.link_clicked(tenant, employee, f"click-{n}"), on_click
        await handler(event, kit.context(gam_db, event, tenant))


async def ledger_sums(gam_db, tenant) -> dict[str, int]:
    async with gam_db.session() as session:
        return await LedgerRepository(session).sums_from_ledger(tenant)


async def test_board_orders_by_points_then_employee_id_with_shared_ranks(
    on_share, on_click, use_cases, kit, tenant, gam_db
) -> None:
    plan = {"carol": 1, "bob": 2, "alice": 1, "dave": 0}  # shares each; dave only clicks
    for employee, shares in plan.items():
        for n in range(shares):
            event = kit.share_published(tenant, employee, f"{employee}-share-{n}")
            await on_share(event, kit.context(gam_db, event, tenant))
    click = kit.link_clicked(tenant, "dave", "click-1")
    await on_click(click, kit.context(gam_db, click, tenant))

    assert await use_cases.leaderboard_top(everything(tenant), tenant, 0) == [
        Standing(1, "bob", 20),
        Standing(2, "alice", 10),
        Standing(2, "carol", 10),
        Standing(4, "dave", 2),
    ]
    assert await use_cases.leaderboard_top(everything(tenant), tenant, 2) == [
        Standing(1, "bob", 20),
        Standing(2, "alice", 10),
    ]
    assert (
        await use_cases.leaderboard_top(everything(tenant + "-other"), tenant + "-other", 10) == []
    )


async def test_rebuild_from_the_ledger_equals_the_incremental_board(
    on_share, on_click, use_cases, leaderboard, kit, tenant, gam_db
) -> None:
    await award_many(kit, gam_db, on_share, on_click, tenant)
    incremental = await use_cases.leaderboard_top(everything(tenant), tenant, 1000)
    expected = await ledger_sums(gam_db, tenant)
    assert [(s.employee_id, s.points) for s in incremental] == ordered(expected)

    # Corrupt the board the ways it can go wrong: a wrong score, a ghost.
    key = board_key(tenant)
    await leaderboard.redis.zadd(key, {"emp-0": score_of(9999), "ghost": score_of(5)})
    employees = await use_cases.rebuild(everything(tenant), tenant, "rebuild-1")
    assert employees == len(expected)
    assert await use_cases.leaderboard_top(everything(tenant), tenant, 1000) == incremental
    assert await leaderboard.redis.ttl(key) == -1  # the swapped-in board never expires
    leftovers = [k async for k in leaderboard.redis.scan_iter(match=f"{key}:rebuild:*")]
    assert leftovers == []


async def test_a_retried_rebuild_request_answers_the_first_result(
    on_share, use_cases, leaderboard, kit, tenant, gam_db
) -> None:
    first = kit.share_published(tenant, "emp-1", "share-1")
    await on_share(first, kit.context(gam_db, first, tenant))
    assert await use_cases.rebuild(everything(tenant), tenant, "req-1") == 1
    second = kit.share_published(tenant, "emp-2", "share-2")
    await on_share(second, kit.context(gam_db, second, tenant))
    await leaderboard.redis.zadd(board_key(tenant), {"ghost": score_of(1)})
    assert (
        await use_cases.rebuild(everything(tenant), tenant, "req-1") == 1
    )  # same answer, no second rebuild
    assert ("ghost", 1) in await leaderboard.top(tenant, 10)
    assert await use_cases.rebuild(everything(tenant), tenant, "req-2") == 2
    assert await leaderboard.top(tenant, 10) == [("emp-1", 10), ("emp-2", 10)]


async def test_rebuild_of_a_tenant_without_points_empties_its_board(
    use_cases, leaderboard, tenant
) -> None:
    await leaderboard.redis.zadd(board_key(tenant), {"ghost": score_of(3)})
    assert await use_cases.rebuild(everything(tenant), tenant, "") == 0
    assert await leaderboard.redis.exists(board_key(tenant)) == 0


async def test_an_award_landing_between_the_rebuild_snapshot_and_the_swap_is_kept(
    on_share, on_click, use_cases, leaderboard, kit, tenant, gam_db, monkeypatch
) -> None:
    share = kit.share_published(tenant, "emp-1", "share-1")
    await on_share(share, kit.context(gam_db, share, tenant))
    original_replace = leaderboard.replace

    async def replace_after_a_late_award(tenant_id, totals):
        # The rebuild has read its snapshot; this award commits and writes the
        # OLD board now, just before the swap throws that board away.
        late = kit.link_clicked(tenant, "emp-1", "click-late")
        await on_click(late, kit.context(gam_db, late, tenant))
        await original_replace(tenant_id, totals)

    monkeypatch.setattr(leaderboard, "replace", replace_after_a_late_award)
    assert await use_cases.rebuild(everything(tenant), tenant, "") == 1
    assert await leaderboard.top(tenant, 10) == [("emp-1", 12)]
    assert await ledger_sums(gam_db, tenant) == {"emp-1": 12}


async def test_awards_interleaved_with_rebuilds_end_level_with_the_ledger(
    on_click, use_cases, leaderboard, kit, tenant, gam_db
) -> None:
    clicks = [kit.link_clicked(tenant, f"emp-{n % 5}", f"click-{n}") for n in range(60)]

    async def click_all() -> None:
        for click in clicks:
            await on_click(click, kit.context(gam_db, click, tenant))

    async def rebuild_often() -> None:
        for n in range(6):
            await use_cases.rebuild(everything(tenant), tenant, f"r-{n}")
            await asyncio.sleep(0)

    await asyncio.gather(click_all(), rebuild_often())
    board = dict(await leaderboard.top(tenant, 100))
    assert board == await ledger_sums(gam_db, tenant) == {f"emp-{n}": 24 for n in range(5)}


async def test_a_crash_between_commit_and_redis_leaves_redis_behind_until_reconciled(
    use_cases_redis_down, handler_factory, use_cases, leaderboard, kit, tenant, gam_db
) -> None:
    share = kit.share_published(tenant, "emp-1", "share-1")
    click = kit.link_clicked(tenant, "emp-2", "click-1")
    broken_share = handler_factory(use_cases_redis_down, type(share))
    broken_click = handler_factory(use_cases_redis_down, type(click))
    # The awards commit (ledger, total, event, inbox) even though Redis is down.
    await broken_share(share, kit.context(gam_db, share, tenant))
    await broken_click(click, kit.context(gam_db, click, tenant))
    assert (await use_cases.profile(everything(tenant), tenant, "emp-1")).points == 10
    assert len(await kit.outbox(gam_db)) == 2
    assert await leaderboard.top(tenant, 10) == []  # Redis is behind the ledger

    assert await use_cases.reconcile() >= 1  # what start-up and the periodic job run
    assert await leaderboard.top(tenant, 10) == [("emp-1", 10), ("emp-2", 2)]
    assert await use_cases.reconcile() >= 1  # and again: idempotent
    assert await leaderboard.top(tenant, 10) == [("emp-1", 10), ("emp-2", 2)]


async def test_the_next_award_heals_a_missed_board_write(
    use_cases_redis_down, handler_factory, on_click, leaderboard, kit, tenant, gam_db
) -> None:
    first = kit.link_clicked(tenant, "emp-1", "click-1")
    await handler_factory(use_cases_redis_down, type(first))(
        first, kit.context(gam_db, first, tenant)
    )
    second = kit.link_clicked(tenant, "emp-1", "click-2")
    await on_click(second, kit.context(gam_db, second, tenant))
    assert await leaderboard.top(tenant, 10) == [("emp-1", 4)]  # a total, not an increment


async def test_a_board_redis_lost_is_answered_from_the_ledger_and_restored(
    on_share, use_cases, leaderboard, kit, tenant, gam_db
) -> None:
    for employee in ("emp-1", "emp-2"):
        event = kit.share_published(tenant, employee, f"share-{employee}")
        await on_share(event, kit.context(gam_db, event, tenant))
    await leaderboard.redis.delete(board_key(tenant))  # Redis restarted without persistence
    assert await use_cases.leaderboard_top(everything(tenant), tenant, 1) == [
        Standing(1, "emp-1", 10)
    ]
    assert await leaderboard.top(tenant, 10) == [("emp-1", 10), ("emp-2", 10)]


async def test_a_replayed_older_total_never_lowers_the_board(leaderboard, tenant) -> None:
    await leaderboard.raise_to(tenant, {"emp-1": 14})
    await leaderboard.raise_to(tenant, {"emp-1": 12})  # a late write of an earlier total
    assert await leaderboard.top(tenant, 10) == [("emp-1", 14)]
