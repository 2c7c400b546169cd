"""The shared Redis token buckets (chorus_runtime.token_buckets) on the real
Redis: costs per bucket, all-or-nothing, the longest wait named, "not
before" keys, capping to what the other side says is left."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator

import pytest
from chorus_runtime.token_buckets import Bucket, RedisTokenBuckets

pytestmark = pytest.mark.infra


@pytest.fixture
async def buckets(redis_url: str) -> AsyncIterator[RedisTokenBuckets]:
    store = RedisTokenBuckets.from_url(redis_url, prefix=f"test:buckets:{uuid.uuid4().hex}:")
    yield store
    await store.close()


async def test_a_cost_takes_that_many_tokens(buckets: RedisTokenBuckets) -> None:
    points = Bucket("account:points", rate=0.001, burst=10, cost=3)
    assert [(await buckets.take([points])).allowed for _ in range(4)] == [True, True, True, False]


async def test_the_longest_wait_is_named_and_nobody_pays(buckets: RedisTokenBuckets) -> None:
    fast = Bucket("fast", rate=10.0, burst=1)
    slow = Bucket("slow", rate=0.5, burst=1)
    assert (await buckets.take([fast, slow])).allowed
    refused = await buckets.take([fast, slow])
    assert not refused.allowed and refused.refused_by == "slow"
    assert 1.5 < refused.wait_seconds <= 2.0  # slow's refill, not fast's 0.1 s
    await asyncio.sleep(0.15)
    assert (await buckets.take([fast])).allowed  # fast paid nothing for the refusal


async def test_not_before_refuses_until_its_time_and_only_moves_later(
    buckets: RedisTokenBuckets,
) -> None:
    bucket = Bucket("calls", rate=100.0, burst=100)
    await buckets.block("x:app:nb", time.time() + 0.4)
    await buckets.block("x:app:nb", time.time() + 0.1)  # earlier: ignored
    refused = await buckets.take([bucket], not_before=["x:app:nb"])
    assert not refused.allowed and refused.refused_by == "x:app:nb"
    assert 0.2 < refused.wait_seconds <= 0.4
    assert (await buckets.take([bucket], not_before=["other:nb"])).allowed
    await asyncio.sleep(0.45)
    assert (await buckets.take([bucket], not_before=["x:app:nb"])).allowed
    assert await buckets.redis.exists(f"{buckets.prefix}x:app:nb") == 0  # expired with its time


async def test_cap_never_raises_what_is_left(buckets: RedisTokenBuckets) -> None:
    bucket = Bucket("window", rate=0.001, burst=100)
    await buckets.cap(bucket, 2)
    assert [(await buckets.take([bucket])).allowed for _ in range(3)] == [True, True, False]
    await buckets.cap(bucket, 50)  # the other side is more generous: we stay at what we had
    assert not (await buckets.take([bucket])).allowed
