"""Bluesky sessions shared by publishing replicas and surviving restarts
(adapters/session_store.py): connectors on one session store in the real
Redis, each with its own Redis client and in-process cache, against the
scripted PDS (tests/simulators/bluesky.py), whose refresh tokens rotate as
Bluesky's do and whose sign-in and refresh can be made slow enough for
replicas to race."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from publishing_service.adapters.bluesky import BlueskyConnector
from publishing_service.adapters.secrets import SecretBox
from publishing_service.adapters.session_store import RedisSessionStore, associated_data
from publishing_service.app.ports import AccountCredentials, PostDraft, RetryableNetworkError
from redis.asyncio import Redis

from tests.simulators.bluesky import NOW, REFRESH_LIFETIME, Replicas, ScriptedPds
from tests.simulators.harness import RecordingBudget

ALICE = AccountCredentials(account_id="acct-1", handle="alice.test", secret="pw")
BOB = AccountCredentials(account_id="acct-2", handle="bob.test", secret="pw2")
CREATE_SESSION = "com.atproto.server.createSession"
REFRESH_SESSION = "com.atproto.server.refreshSession"
CREATE_RECORD = "com.atproto.repo.createRecord"


def draft(share_id: str) -> PostDraft:
    return PostDraft(share_id, "hola", None, "es", datetime(2025, 3, 1, tzinfo=UTC))


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url)
    yield client
    await client.aclose()


async def test_two_replicas_sign_in_once_between_them_for_many_posts(
    bluesky_replicas: Replicas,
) -> None:
    clock = [NOW]
    pds = ScriptedPds(clock=clock)
    pds.pauses[CREATE_SESSION] = 0.05  # both replicas ask while the sign-in is under way
    first, second = bluesky_replicas.start(pds, clock), bluesky_replicas.start(pds, clock)
    posts = await asyncio.gather(
        *((first, second)[n % 2].publish(ALICE, draft(f"s{n}")) for n in range(12))
    )
    assert pds.calls[CREATE_SESSION] == 1
    assert pds.calls[CREATE_RECORD] == 12 and len({p.uri for p in posts}) == 12


async def test_a_restarted_replica_takes_the_stored_session(bluesky_replicas: Replicas) -> None:
    clock = [NOW]
    pds = ScriptedPds(access_lifetime=600, clock=clock)
    before = bluesky_replicas.start(pds, clock)
    await before.publish(ALICE, draft("s1"))
    await before.aclose()  # the process stops; Redis keeps the session

    after = bluesky_replicas.start(pds, clock)
    await after.publish(ALICE, draft("s2"))
    assert (pds.calls[CREATE_SESSION], pds.calls[REFRESH_SESSION]) == (1, 0)

    # Restarted once more, after the access token expired: refreshed, not created.
    clock[0] = NOW + 900
    again = bluesky_replicas.start(pds, clock)
    await again.publish(ALICE, draft("s3"))
    assert (pds.calls[CREATE_SESSION], pds.calls[REFRESH_SESSION]) == (1, 1)
    assert pds.calls[CREATE_RECORD] == 3


async def test_replicas_refreshing_at_once_refresh_once(bluesky_replicas: Replicas) -> None:
    clock = [NOW]
    pds = ScriptedPds(access_lifetime=600, clock=clock)
    first, second = bluesky_replicas.start(pds, clock), bluesky_replicas.start(pds, clock)
    await first.publish(ALICE, draft("s0"))
    await second.publish(ALICE, draft("s1"))  # the first's session, from the store
    assert pds.calls[CREATE_SESSION] == 1

    clock[0] = NOW + 590  # within both replicas' margin of the token's exp
    pds.pauses[REFRESH_SESSION] = 0.05
    # A second refresh with the rotated-out token would be refused and end in
    # a new sign-in: one refresh and one session is the proof nobody raced.
    await asyncio.gather(
        *((first, second)[n % 2].publish(ALICE, draft(f"s{n + 2}")) for n in range(10))
    )
    assert (pds.calls[REFRESH_SESSION], pds.calls[CREATE_SESSION]) == (1, 1)
    assert pds.calls[CREATE_RECORD] == 12


async def test_a_session_copied_to_another_account_does_not_open(
    bluesky_replicas: Replicas, redis: Redis
) -> None:
    clock = [NOW]
    pds = ScriptedPds(clock=clock)
    first = bluesky_replicas.start(pds, clock)
    await first.publish(ALICE, draft("s1"))
    stored = await redis.get(first.sessions.key(ALICE.account_id))
    assert stored is not None
    await redis.set(first.sessions.key(BOB.account_id), stored)

    other = bluesky_replicas.start(pds, clock)
    assert await other.sessions.get(BOB.account_id) is None  # sealed for another account
    post = await other.publish(BOB, draft("s2"))
    assert post.uri.startswith("at://did:plc:b/")  # Bob's own session, not Alice's
    assert pds.calls[CREATE_SESSION] == 2
    mended = await bluesky_replicas.start(pds, clock).sessions.get(BOB.account_id)
    assert mended is not None and mended.did == "did:plc:b"


async def test_stored_sessions_hold_no_token_in_clear(
    bluesky_replicas: Replicas, redis: Redis, secret_box: SecretBox
) -> None:
    clock = [NOW]
    pds = ScriptedPds(clock=clock)
    first = bluesky_replicas.start(pds, clock)
    await first.publish(ALICE, draft("s1"))
    (access,), (refresh,) = pds.valid_tokens, pds.refresh_tokens

    keys = [k async for k in redis.scan_iter(match=f"{bluesky_replicas.prefix}*")]
    assert keys == [first.sessions.key(ALICE.account_id).encode()]  # the opaque id, no handle
    stored = await redis.get(keys[0])
    assert isinstance(stored, bytes)
    for secret in (access, refresh, *access.split("."), *refresh.split("."), "did:plc:a"):
        assert secret.encode() not in stored
    opened = secret_box.decrypt(stored, associated_data("bluesky", ALICE.account_id))
    assert access in opened and refresh in opened
    # Kept no longer than the refresh token lives (the store's clock is the test's).
    assert 0 < await redis.pttl(keys[0]) <= REFRESH_LIFETIME * 1000


async def test_a_refused_session_is_dropped_and_created_once_for_everyone(
    bluesky_replicas: Replicas,
) -> None:
    clock = [NOW]
    pds = ScriptedPds(clock=clock)
    first, second = bluesky_replicas.start(pds, clock), bluesky_replicas.start(pds, clock)
    await first.publish(ALICE, draft("s1"))
    await second.publish(ALICE, draft("s2"))
    pds.valid_tokens.clear()  # revoked at the PDS, access and refresh
    pds.refresh_tokens.clear()

    await first.publish(ALICE, draft("s3"))  # refused, refresh refused: one new session
    assert (pds.calls[REFRESH_SESSION], pds.calls[CREATE_SESSION]) == (1, 2)
    # The second replica's cached token is refused too; it finds the new one.
    await second.publish(ALICE, draft("s4"))
    assert (pds.calls[REFRESH_SESSION], pds.calls[CREATE_SESSION]) == (1, 2)
    assert len(pds.stored) == 4


async def test_a_lock_another_replica_holds_is_waited_for(
    bluesky_replicas: Replicas, redis: Redis
) -> None:
    clock = [NOW]
    pds = ScriptedPds(access_lifetime=600, clock=clock)
    first = bluesky_replicas.start(pds, clock, lock_ttl_seconds=0.3)
    await first.publish(ALICE, draft("s1"))
    clock[0] = NOW + 700  # expired: a renewal is needed
    lock = first.sessions.key(ALICE.account_id) + ":lock"

    # Held for longer than we wait (a replica stuck mid-renewal): nothing
    # is sent, and the share is retried later.
    await redis.set(lock, "another-replica", px=10_000)
    with pytest.raises(RetryableNetworkError, match="renewing"):
        await first.publish(ALICE, draft("s2"))
    assert (pds.calls[REFRESH_SESSION], pds.calls[CREATE_SESSION]) == (0, 1)

    # A holder that died: its lock expires, and the waiter renews once.
    await redis.set(lock, "another-replica", px=100)
    waiting = bluesky_replicas.start(pds, clock, lock_ttl_seconds=2.0)
    await waiting.publish(ALICE, draft("s2"))
    assert (pds.calls[REFRESH_SESSION], pds.calls[CREATE_SESSION]) == (1, 1)
    assert await redis.get(lock) is None  # released


async def test_connecting_always_signs_in_and_shares_the_session(
    bluesky_replicas: Replicas,
) -> None:
    clock = [NOW]
    pds = ScriptedPds(clock=clock)
    first, second = bluesky_replicas.start(pds, clock), bluesky_replicas.start(pds, clock)
    assert (await first.verify(ALICE)).network_account_id == "did:plc:a"
    await second.publish(ALICE, draft("s1"))
    assert pds.calls[CREATE_SESSION] == 1
    # New credentials are proved by signing in, whatever is stored.
    await second.verify(ALICE)
    assert pds.calls[CREATE_SESSION] == 2


async def test_an_unreachable_session_store_holds_the_share(secret_box: SecretBox) -> None:
    pds = ScriptedPds()
    store = RedisSessionStore.from_url("redis://127.0.0.1:9", secret_box)
    bluesky = BlueskyConnector(
        "http://pds.test", RecordingBudget(), sessions=store, client=pds.client()
    )
    try:
        with pytest.raises(RetryableNetworkError, match="session store"):
            await bluesky.publish(ALICE, draft("s1"))
    finally:
        await bluesky.aclose()
        await store.close()
    assert sum(pds.calls.values()) == 0
