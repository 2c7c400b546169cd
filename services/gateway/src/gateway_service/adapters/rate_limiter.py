"""The gateway's request limits on the shared Redis token buckets
(chorus_runtime.token_buckets: one atomic script for every replica, Redis's
own clock, idle buckets expire). A request takes one token from each of its
buckets (the user's and the tenant's), or none."""

from __future__ import annotations

from collections.abc import Sequence

from chorus_runtime.token_buckets import Bucket as SharedBucket
from chorus_runtime.token_buckets import RedisTokenBuckets as SharedBuckets
from redis.asyncio import Redis

from gateway_service.domain.rates import Bucket, Verdict

PREFIX = "chorus:gateway:rate:"


class RedisTokenBuckets:
    def __init__(self, redis: Redis, prefix: str = PREFIX) -> None:
        self.shared = SharedBuckets(redis, prefix)
        self.redis = redis
        self.prefix = prefix

    @classmethod
    def from_url(cls, url: str, prefix: str = PREFIX) -> RedisTokenBuckets:
        # Short timeouts: a slow Redis must not hold every request up (the
        # limit then lets requests pass, app/limits.py).
        return cls(Redis.from_url(url, socket_timeout=2.0, socket_connect_timeout=2.0), prefix)

    async def take(self, buckets: Sequence[Bucket]) -> Verdict:
        """Raises ConnectionError (BucketStoreUnavailable) when Redis does not answer."""
        taken = await self.shared.take([SharedBucket(b.name, b.rate, b.burst) for b in buckets])
        if taken.allowed:
            return Verdict(True)
        return Verdict(False, taken.wait_seconds, taken.refused_by.split(":", 1)[0])

    async def ping(self) -> None:
        await self.shared.ping()

    async def close(self) -> None:
        await self.shared.close()
