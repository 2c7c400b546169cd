"""Publishing's shared network budgets on the real Redis (adapters/
redis_budget.py): two replicas never spend more than one budget, post units
and calls are counted apart, and what a network answers (a 429 until T, a
remaining count) holds every replica."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from chorus_runtime.token_buckets import RedisTokenBuckets
from publishing_service.adapters.redis_budget import RedisNetworkBudget
from publishing_service.app.ports import RateLimited, RetryableNetworkError
from publishing_service.domain.network_limits import LIMITS, Counts, NetworkLimits, Window
from publishing_service.domain.rate_signals import RateSignal, Scope

pytestmark = pytest.mark.infra

# Small enough to run down in a test: 5 posts an hour per account (3 units
# each: 15), 12 calls a minute per account, 8 calls a minute for the app.
TINY = NetworkLimits(
    "tiny",
    account=(Window(15, 3600, Counts.POSTS), Window(12, 60)),
    app=(Window(8, 60),),
    post_cost=3.0,
)


@pytest.fixture
async def replicas(redis_url: str) -> AsyncIterator[tuple[RedisNetworkBudget, RedisNetworkBudget]]:
    prefix = f"test:budget:{uuid.uuid4().hex}:"
    a = RedisNetworkBudget(RedisTokenBuckets.from_url(redis_url, prefix), {"tiny": TINY, **LIMITS})
    b = RedisNetworkBudget(RedisTokenBuckets.from_url(redis_url, prefix), {"tiny": TINY, **LIMITS})
    yield a, b
    await a.close()
    await b.close()


async def attempt(budget: RedisNetworkBudget, account: str, posts: float) -> bool:
    try:
        await budget.take("tiny", account, posts=posts)
    except RateLimited:
        return False
    return True


async def test_two_replicas_never_overspend_one_budget(
    replicas: tuple[RedisNetworkBudget, RedisNetworkBudget],
) -> None:
    a, b = replicas
    # 40 posts at once, half through each replica, for one account: 5 fit.
    results = await asyncio.gather(*(attempt(a if i % 2 else b, "acct-1", 1) for i in range(40)))
    assert sum(results) == 5
    # Plain calls of that account still have their own window: 12 - 5 = 7 left,
    # and the app's 8 calls a minute minus the 5 spent leave 3.
    calls = await asyncio.gather(*(attempt(b, "acct-1", 0) for _ in range(10)))
    assert sum(calls) == 3


async def test_a_refusal_says_when_and_which_scope(
    replicas: tuple[RedisNetworkBudget, RedisNetworkBudget],
) -> None:
    a, _ = replicas
    for _ in range(5):
        await a.take("tiny", "acct-2", posts=1)
    with pytest.raises(RateLimited) as refused:
        await a.take("tiny", "acct-2", posts=1)
    assert refused.value.scope is Scope.ACCOUNT
    # 3 units at 15 an hour: 12 minutes from now.
    wait = refused.value.retry_at - datetime.now(UTC)
    assert timedelta(minutes=11) < wait <= timedelta(minutes=12, seconds=1)


async def test_a_429_until_t_holds_every_replica(
    replicas: tuple[RedisNetworkBudget, RedisNetworkBudget],
) -> None:
    a, b = replicas
    until = datetime.now(UTC) + timedelta(seconds=30)
    await a.observe("tiny", "acct-3", [RateSignal(Scope.ACCOUNT, retry_at=until)])
    with pytest.raises(RateLimited) as refused:
        await b.take("tiny", "acct-3")
    assert refused.value.scope is Scope.ACCOUNT and "told to wait" in refused.value.reason
    assert abs((refused.value.retry_at - until).total_seconds()) < 1.5
    assert await attempt(b, "acct-other", 0)  # another account is not held
    # The app told to wait holds every account.
    await b.observe("tiny", "acct-3", [RateSignal(Scope.APP, remaining=0, reset_at=until)])
    with pytest.raises(RateLimited) as app:
        await a.take("tiny", "acct-other")
    assert app.value.scope is Scope.APP


async def test_what_the_network_says_is_left_caps_the_budget(
    replicas: tuple[RedisNetworkBudget, RedisNetworkBudget],
) -> None:
    a, b = replicas
    await a.observe("tiny", "acct-4", [RateSignal(Scope.ACCOUNT, remaining=2, limit=300)])
    results = [await attempt(b, "acct-4", 0) for _ in range(4)]
    assert results == [True, True, False, False]


async def test_what_is_left_caps_the_window_the_answer_is_about(
    replicas: tuple[RedisNetworkBudget, RedisNetworkBudget],
) -> None:
    """The hourly post window, named by its size (15): posts stop, and the
    per-minute call window, which the answer was not about, is untouched."""
    a, b = replicas
    await a.observe("tiny", "acct-6", [RateSignal(Scope.ACCOUNT, remaining=0, limit=15)])
    assert not await attempt(b, "acct-6", 1)
    assert [await attempt(b, "acct-6", 0) for _ in range(3)] == [True, True, True]
    # Named by when it resets (in 40 minutes: only the hourly window is that
    # long) on another account: 1 unit left there, less than a post's 3.
    # (Nothing left at all with a reset time holds the whole scope until then.)
    soon = datetime.now(UTC) + timedelta(minutes=40)
    await a.observe("tiny", "acct-7", [RateSignal(Scope.ACCOUNT, remaining=1, reset_at=soon)])
    assert not await attempt(b, "acct-7", 1)
    assert await attempt(b, "acct-7", 0)


async def test_an_unknown_network_or_no_redis_holds_the_share(redis_url: str) -> None:
    down = RedisNetworkBudget(RedisTokenBuckets.from_url("redis://127.0.0.1:9/0", "x:"))
    with pytest.raises(RetryableNetworkError):
        await down.take("bluesky", "acct-5")
    await down.close()
    budget = RedisNetworkBudget(RedisTokenBuckets.from_url(redis_url, "x:"))
    with pytest.raises(RetryableNetworkError):
        await budget.take("myspace", "acct-5")
    await budget.close()
