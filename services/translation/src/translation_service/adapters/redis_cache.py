"""Translation cache in Redis. Best effort: a cache outage slows translation
down (every text goes to the provider) but never fails it."""

from __future__ import annotations

import logging

from redis.asyncio import Redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)


class RedisTranslationCache:
    def __init__(self, client: Redis) -> None:
        self.client = client

    @classmethod
    def from_url(cls, url: str) -> RedisTranslationCache:
        # Short timeouts: waiting on a sick cache costs more than a miss.
        return cls(
            Redis.from_url(
                url, socket_timeout=1.0, socket_connect_timeout=1.0, decode_responses=True
            )
        )

    async def get(self, key: str) -> str | None:
        try:
            value = await self.client.get(key)
        except (RedisError, OSError) as error:
            log.warning(
                "translation cache read failed", extra={"chorus": {"error": type(error).__name__}}
            )
            return None
        return value if isinstance(value, str) else None

    async def set(self, key: str, value: str, ttl_seconds: int) -> None:
        try:
            await self.client.set(key, value, ex=ttl_seconds)
        except (RedisError, OSError) as error:
            log.warning(
                "translation cache write failed", extra={"chorus": {"error": type(error).__name__}}
            )

    async def close(self) -> None:
        await self.client.aclose()
