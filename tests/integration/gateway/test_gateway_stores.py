"""The gateway's own state on the real stores: idempotency records on SQLite
and PostgreSQL, token buckets in the real Redis."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from chorus_core.clock import utcnow
from chorus_db import Database, migrate
from chorus_identity.secrets import SecretBox, SecretUnreadable
from chorus_testing.fixtures import DatabaseFactory
from gateway_service.adapters.migrations import SCHEMA
from gateway_service.adapters.rate_limiter import RedisTokenBuckets
from gateway_service.adapters.sql_stores import SqlIdempotencyStore
from gateway_service.adapters.tables import IdempotencyRow
from gateway_service.app.idempotency import Idempotency
from gateway_service.domain.idempotency import LEASE, IdempotencyRecord, Outcome, StoredResponse
from gateway_service.domain.rates import Bucket
from sqlmodel import select

BOX = SecretBox(os.urandom(32))


@pytest.fixture
async def db(any_database: DatabaseFactory) -> Database:
    database = await any_database()
    await migrate(database, SCHEMA)
    return database


async def test_one_claim_per_key_and_the_first_response_replayed(db: Database) -> None:
    idempotency = Idempotency(SqlIdempotencyStore(db, BOX))
    outcomes = await asyncio.gather(
        *(idempotency.begin("t1", "alice", "k", "fp") for _ in range(8))
    )
    assert [o for o, _ in outcomes].count(Outcome.PROCEED) == 1
    assert {o for o, _ in outcomes} == {Outcome.PROCEED, Outcome.IN_PROGRESS}
    answer = StoredResponse(201, {"etag": '"v1"'}, b'{"post_id":"p1"}')
    await idempotency.complete("t1", "alice", "k", answer)
    assert await idempotency.begin("t1", "alice", "k", "fp") == (Outcome.REPLAY, answer)
    assert (await idempotency.begin("t1", "alice", "k", "other"))[0] is Outcome.MISMATCH
    # Another caller, another tenant: their own keys.
    assert (await idempotency.begin("t1", "bob", "k", "fp"))[0] is Outcome.PROCEED
    assert (await idempotency.begin("t2", "alice", "k", "fp"))[0] is Outcome.PROCEED


async def test_stored_responses_are_encrypted_at_rest(db: Database) -> None:
    """A replayed body can hold what was shown once (a webhook's new signing
    secret): the table keeps only ciphertext, bound to its own key."""
    idempotency = Idempotency(SqlIdempotencyStore(db, BOX))
    await idempotency.begin("t1", "alice", "k", "fp")
    secret = b'{"secret":"whsec_c2VjcmV0LXNpZ25pbmcta2V5"}'
    await idempotency.complete("t1", "alice", "k", StoredResponse(201, {}, secret))
    async with db.session() as session:
        stored = (await session.execute(select(IdempotencyRow))).scalar_one().body
    assert stored and b"whsec_" not in stored and secret not in stored
    replay = await idempotency.begin("t1", "alice", "k", "fp")
    assert replay == (Outcome.REPLAY, StoredResponse(201, {}, secret))
    # Without the key it is unreadable.
    other = Idempotency(SqlIdempotencyStore(db, SecretBox(os.urandom(32))))
    with pytest.raises(SecretUnreadable):
        await other.begin("t1", "alice", "k", "fp")


async def test_a_released_or_dead_claim_is_taken_again(db: Database) -> None:
    store = SqlIdempotencyStore(db, BOX)
    idempotency = Idempotency(store)
    assert (await idempotency.begin("t1", "alice", "k", "fp"))[0] is Outcome.PROCEED
    await idempotency.release("t1", "alice", "k")
    assert (await idempotency.begin("t1", "alice", "k", "fp"))[0] is Outcome.PROCEED
    # A claim older than the lease belongs to a request that died.
    dead = IdempotencyRecord("t1", "alice", "old", "fp", utcnow() - LEASE - timedelta(seconds=1))
    assert await store.insert(dead)
    assert (await idempotency.begin("t1", "alice", "old", "fp"))[0] is Outcome.PROCEED
    # Two takers of one dead claim: one wins.
    fresh = IdempotencyRecord("t1", "alice", "old", "fp", utcnow())
    assert not await store.take_over(dead, fresh)


async def test_records_expire_after_a_day(db: Database) -> None:
    store = SqlIdempotencyStore(db, BOX)
    old = IdempotencyRecord("t1", "alice", "k", "fp", utcnow() - timedelta(hours=25))
    assert await store.insert(old)
    await store.complete("t1", "alice", "k", StoredResponse(200, {}, b"{}"))
    idempotency = Idempotency(store)
    assert (await idempotency.begin("t1", "alice", "k", "another"))[0] is Outcome.PROCEED
    assert await store.insert(
        IdempotencyRecord("t1", "bob", "k", "fp", utcnow() - timedelta(days=2))
    )
    assert await idempotency.purge() == 1
    assert await store.get("t1", "bob", "k") is None
    assert await store.get("t1", "alice", "k") is not None


@pytest.fixture
async def buckets(redis_url: str) -> AsyncIterator[RedisTokenBuckets]:
    limiter = RedisTokenBuckets.from_url(redis_url, prefix=f"test:{uuid.uuid4().hex}:")
    yield limiter
    await limiter.close()


async def test_a_bucket_gives_its_burst_then_refills(buckets: RedisTokenBuckets) -> None:
    user = Bucket("user:t1:alice", rate=10.0, burst=3)
    verdicts = [await buckets.take([user]) for _ in range(4)]
    assert [v.allowed for v in verdicts] == [True, True, True, False]
    assert 0 < verdicts[-1].retry_after_seconds <= 0.1 and verdicts[-1].bucket == "user"
    await asyncio.sleep(0.15)
    assert (await buckets.take([user])).allowed


async def test_every_bucket_pays_or_none_does(buckets: RedisTokenBuckets) -> None:
    tenant = Bucket("tenant:t1", rate=0.01, burst=1)
    alice, bob = Bucket("user:t1:alice", 0.01, 5), Bucket("user:t1:bob", 0.01, 5)
    assert (await buckets.take([alice, tenant])).allowed
    refused = await buckets.take([bob, tenant])
    assert not refused.allowed and refused.bucket == "tenant"
    # bob paid nothing for the refused request: his bucket is still full.
    assert all([(await buckets.take([bob])).allowed for _ in range(5)])
    assert not (await buckets.take([bob])).allowed


async def test_concurrent_takes_never_exceed_the_burst(buckets: RedisTokenBuckets) -> None:
    bucket = Bucket("tenant:busy", rate=0.001, burst=10)
    verdicts = await asyncio.gather(*(buckets.take([bucket]) for _ in range(25)))
    assert sum(v.allowed for v in verdicts) == 10


async def test_idle_buckets_expire(buckets: RedisTokenBuckets) -> None:
    await buckets.take([Bucket("user:t1:brief", rate=1000.0, burst=2)])
    ttl = await buckets.redis.pttl(f"{buckets.prefix}user:t1:brief")
    assert 0 < ttl <= 1100
