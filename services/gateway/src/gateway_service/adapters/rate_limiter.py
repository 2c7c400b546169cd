"""Token buckets in Redis, shared by every gateway replica.

One Lua script takes a token from every bucket of a request atomically
(Redis runs a script alone): either all buckets have one and all pay, or
none pays and the answer says how long until the emptiest refills. Time is
Redis's own clock (TIME), so replicas with skewed clocks agree. A bucket's
key expires once it would be full again: idle callers cost no memory.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from gateway_service.domain.rates import Bucket, Verdict

# KEYS: one per bucket. ARGV: rate_1, burst_1, rate_2, burst_2, ...
# Each bucket is a hash {tokens, at} (at in microseconds of Redis time).
# Returns {1} when allowed, {0, wait_ms, index} when refused.
_TAKE = """
local now_s, now_us = unpack(redis.call('TIME'))
local now = tonumber(now_s) * 1000000 + tonumber(now_us)
local levels = {}
for i, key in ipairs(KEYS) do
  local rate = tonumber(ARGV[2 * i - 1])
  local burst = tonumber(ARGV[2 * i])
  local state = redis.call('HMGET', key, 'tokens', 'at')
  local tokens = tonumber(state[1]) or burst
  local at = tonumber(state[2]) or now
  tokens = math.min(burst, tokens + (now - at) / 1000000 * rate)
  if tokens < 1 then
    return {0, math.ceil((1 - tokens) / rate * 1000), i}
  end
  levels[i] = tokens
end
for i, key in ipairs(KEYS) do
  local rate = tonumber(ARGV[2 * i - 1])
  local burst = tonumber(ARGV[2 * i])
  local left = levels[i] - 1
  redis.call('HSET', key, 'tokens', tostring(left), 'at', tostring(now))
  redis.call('PEXPIRE', key, math.ceil((burst - left) / rate * 1000) + 1000)
end
return {1}
"""

PREFIX = "chorus:gateway:rate:"


class RedisTokenBuckets:
    def __init__(self, redis: Redis, prefix: str = PREFIX) -> None:
        self.redis = redis
        self.prefix = prefix
        self._script = redis.register_script(_TAKE)

    @classmethod
    def from_url(cls, url: str, prefix: str = PREFIX) -> RedisTokenBuckets:
        # Short timeouts: a slow Redis must not hold every request up (the
        # limit then lets requests pass, app/limits.py).
        return cls(Redis.from_url(url, socket_timeout=2.0, socket_connect_timeout=2.0), prefix)

    async def take(self, buckets: Sequence[Bucket]) -> Verdict:
        keys = [f"{self.prefix}{b.name}" for b in buckets]
        args: list[Any] = []
        for b in buckets:
            args += [repr(float(b.rate)), str(int(b.burst))]
        try:
            answer = await self._script(keys=keys, args=args)
        except RedisError as error:
            raise ConnectionError("rate limit store unavailable") from error
        if int(answer[0]) == 1:
            return Verdict(True)
        refused = buckets[int(answer[2]) - 1].name.split(":", 1)[0]
        return Verdict(False, int(answer[1]) / 1000.0, refused)

    async def ping(self) -> None:
        try:
            await self.redis.ping()
        except RedisError as error:
            raise ConnectionError("rate limit store unavailable") from error

    async def close(self) -> None:
        await self.redis.aclose()
