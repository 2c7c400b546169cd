"""Token buckets in Redis, shared by every replica of a service: the
gateway's request limits and publishing's network budgets are the same
mechanism, here once.

One Lua script takes from every bucket of a request atomically (Redis runs
a script alone): either all buckets have enough and all pay, or none pays
and the answer says how long until the last of them can, so a caller that
waits that long is not refused again by another bucket. "Not before" keys
(a network said 429 until T) refuse until their time has come. Time is
Redis's own clock (TIME), so replicas with skewed clocks agree. A bucket's
key expires once it would be full again: idle callers cost no memory.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

# KEYS: the buckets, then the "not before" keys.
# ARGV: number of buckets, then rate_i, burst_i, cost_i for each bucket.
# A bucket is a hash {tokens, at} (at in microseconds of Redis time); a
# "not before" key holds an instant in milliseconds since the epoch.
# Returns {1} when every bucket paid, {0, wait_ms, index} when none did
# (index: 1-based over KEYS, the one that needs the longest wait).
_TAKE = """
local now_s, now_us = unpack(redis.call('TIME'))
local now = tonumber(now_s) * 1000000 + tonumber(now_us)
local now_ms = math.floor(now / 1000)
local count = tonumber(ARGV[1])
local wait, which = 0, 0
for j = count + 1, #KEYS do
  local until_ms = tonumber(redis.call('GET', KEYS[j]) or '0')
  if until_ms > now_ms and until_ms - now_ms > wait then
    wait, which = until_ms - now_ms, j
  end
end
local levels = {}
for i = 1, count do
  local rate = tonumber(ARGV[3 * i - 1])
  local burst = tonumber(ARGV[3 * i])
  local cost = tonumber(ARGV[3 * i + 1])
  local state = redis.call('HMGET', KEYS[i], 'tokens', 'at')
  local tokens = tonumber(state[1]) or burst
  local at = tonumber(state[2]) or now
  tokens = math.min(burst, tokens + (now - at) / 1000000 * rate)
  if tokens < cost then
    local needs = math.ceil((cost - tokens) / rate * 1000)
    if needs > wait then
      wait, which = needs, i
    end
  end
  levels[i] = tokens
end
if which > 0 then
  return {0, wait, which}
end
for i = 1, count do
  local rate = tonumber(ARGV[3 * i - 1])
  local burst = tonumber(ARGV[3 * i])
  local left = levels[i] - tonumber(ARGV[3 * i + 1])
  redis.call('HSET', KEYS[i], 'tokens', tostring(left), 'at', tostring(now))
  redis.call('PEXPIRE', KEYS[i], math.ceil((burst - left) / rate * 1000) + 1000)
end
return {1}
"""

# KEYS[1]: a bucket. ARGV: rate, burst, at_most. Its tokens become at most
# at_most (what the other side says is left), never more than they were.
_CAP = """
local now_s, now_us = unpack(redis.call('TIME'))
local now = tonumber(now_s) * 1000000 + tonumber(now_us)
local rate, burst, at_most = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + (now - at) / 1000000 * rate)
if at_most < tokens then
  tokens = at_most
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / rate * 1000) + 1000)
return 1
"""

# KEYS[1]: a "not before" key. ARGV[1]: the instant (ms since the epoch).
# Only ever moves later; expires when it has passed.
_BLOCK = """
local now_s, now_us = unpack(redis.call('TIME'))
local now_ms = tonumber(now_s) * 1000 + math.floor(tonumber(now_us) / 1000)
local until_ms = tonumber(ARGV[1])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if until_ms > current and until_ms > now_ms then
  redis.call('SET', KEYS[1], tostring(until_ms), 'PX', until_ms - now_ms)
end
return 1
"""


@dataclass(frozen=True)
class Bucket:
    name: str  # opaque ids only: keys are visible to whoever reads Redis
    rate: float  # tokens added per second
    burst: float  # capacity
    cost: float = 1.0  # what this request takes from it


@dataclass(frozen=True)
class Taken:
    allowed: bool
    wait_seconds: float = 0.0
    refused_by: str = ""  # the bucket or "not before" name that needs the longest wait


class BucketStoreUnavailable(ConnectionError):
    """Redis did not answer: the caller decides whether that lets requests
    through (the gateway) or holds them (publishing)."""


class RedisTokenBuckets:
    def __init__(self, redis: Redis, prefix: str) -> None:
        self.redis = redis
        self.prefix = prefix
        self._take = redis.register_script(_TAKE)
        self._cap = redis.register_script(_CAP)
        self._block = redis.register_script(_BLOCK)

    @classmethod
    def from_url(cls, url: str, prefix: str) -> RedisTokenBuckets:
        # Short timeouts: a slow Redis must not hold every caller up.
        return cls(Redis.from_url(url, socket_timeout=2.0, socket_connect_timeout=2.0), prefix)

    async def take(self, buckets: Sequence[Bucket], not_before: Sequence[str] = ()) -> Taken:
        names = [b.name for b in buckets] + list(not_before)
        keys = [f"{self.prefix}{name}" for name in names]
        args: list[Any] = [str(len(buckets))]
        for b in buckets:
            args += [repr(float(b.rate)), repr(float(b.burst)), repr(float(b.cost))]
        try:
            answer = await self._take(keys=keys, args=args)
        except RedisError as error:
            raise BucketStoreUnavailable("token bucket store unavailable") from error
        if int(answer[0]) == 1:
            return Taken(True)
        return Taken(False, int(answer[1]) / 1000.0, names[int(answer[2]) - 1])

    async def cap(self, bucket: Bucket, at_most: float) -> None:
        """The other side says only `at_most` is left: never believe more."""
        args = [repr(float(bucket.rate)), repr(float(bucket.burst)), repr(float(at_most))]
        try:
            await self._cap(keys=[f"{self.prefix}{bucket.name}"], args=args)
        except RedisError as error:
            raise BucketStoreUnavailable("token bucket store unavailable") from error

    async def block(self, name: str, until_epoch_seconds: float) -> None:
        """Refuse every take naming `name` until then (only ever later)."""
        try:
            await self._block(
                keys=[f"{self.prefix}{name}"], args=[str(int(until_epoch_seconds * 1000))]
            )
        except RedisError as error:
            raise BucketStoreUnavailable("token bucket store unavailable") from error

    async def ping(self) -> None:
        try:
            await self.redis.ping()
        except RedisError as error:
            raise BucketStoreUnavailable("token bucket store unavailable") from error

    async def close(self) -> None:
        await self.redis.aclose()
