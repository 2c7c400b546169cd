"""The leaderboard in Redis: one sorted set per tenant, member = employee id,
score = negated total (see domain.leaderboard for why negated).

Keys are `chorus:gamification:{<tenant>}:leaderboard`. The braces are a Redis
Cluster hash tag: every key of one tenant (the board and a rebuild's temporary
key) lands in the same slot, which RENAME requires.

Writes are absolute, never increments: the board is told "this employee's
total is now N" (ZADD LT on the negated score = keep the larger total). That
makes every write idempotent and order-independent: a replayed or late write
can never lower or double a score, and any write heals an earlier lost one.

Redis unreachable (RedisError, or a socket's OSError) is the app's
LeaderboardUnavailable: the caller defers or retries, never fails hard.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import cast

from chorus_core.ids import new_id
from redis.asyncio import Redis
from redis.exceptions import RedisError

from gamification_service.app.ports import LeaderboardUnavailable
from gamification_service.domain.leaderboard import points_of, score_of

_CHUNK = 1000
_REBUILD_TTL_SECONDS = 600  # a crashed rebuild's temporary key cleans itself up


def board_key(tenant_id: str) -> str:
    return f"chorus:gamification:{{{tenant_id}}}:leaderboard"


@contextmanager
def _reachable() -> Iterator[None]:
    try:
        yield
    except (RedisError, OSError) as error:
        # The cause's type only: a Redis error's text can carry the URL.
        raise LeaderboardUnavailable(type(error).__name__) from error


class RedisLeaderboard:
    def __init__(self, redis: Redis) -> None:
        self.redis = redis

    @classmethod
    def from_url(cls, url: str) -> RedisLeaderboard:
        return cls(
            Redis.from_url(url, decode_responses=True, socket_timeout=5, socket_connect_timeout=5)
        )

    async def raise_to(self, tenant_id: str, totals: Mapping[str, int]) -> None:
        """Sets each employee's score to their total unless it already shows more."""
        items = list(totals.items())
        key = board_key(tenant_id)
        with _reachable():
            for start in range(0, len(items), _CHUNK):
                chunk = {
                    employee: score_of(points) for employee, points in items[start : start + _CHUNK]
                }
                await self.redis.zadd(key, chunk, lt=True)

    async def replace(self, tenant_id: str, totals: Mapping[str, int]) -> None:
        """Swaps in a board built from `totals`, atomically: readers see the
        old board or the new one, never a half-built one."""
        with _reachable():
            await self._replace(tenant_id, totals)

    async def _replace(self, tenant_id: str, totals: Mapping[str, int]) -> None:
        live = board_key(tenant_id)
        if not totals:
            await self.redis.delete(live)
            return
        temporary = f"{live}:rebuild:{new_id()}"
        items = list(totals.items())
        async with self.redis.pipeline(transaction=False) as pipe:
            for start in range(0, len(items), _CHUNK):
                pipe.zadd(temporary, {e: score_of(p) for e, p in items[start : start + _CHUNK]})
            pipe.expire(temporary, _REBUILD_TTL_SECONDS)
            await pipe.execute()
        # RENAME carries the temporary key's TTL over to the new name, so the
        # PERSIST must commit with it (MULTI/EXEC): a live board never expires.
        async with self.redis.pipeline(transaction=True) as swap:
            swap.rename(temporary, live)
            swap.persist(live)
            await swap.execute()

    async def top(self, tenant_id: str, limit: int) -> list[tuple[str, int]]:
        with _reachable():
            reply = await self.redis.zrange(board_key(tenant_id), 0, limit - 1, withscores=True)
        # withscores=True gives (member, score) pairs, members as str (decode_responses);
        # redis-py's return type is the union of every reply shape.
        rows = cast(list[tuple[str, float]], reply)
        return [(employee, points_of(score)) for employee, score in rows]

    async def remove(self, tenant_id: str, employee_id: str) -> None:
        with _reachable():
            await self.redis.zrem(board_key(tenant_id), employee_id)

    async def close(self) -> None:
        await self.redis.aclose()
