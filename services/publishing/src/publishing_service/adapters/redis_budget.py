"""The shared network budgets (the NetworkBudget port) in Redis: every
publishing replica takes from the same buckets, atomically
(chorus_runtime.token_buckets), so N replicas never spend more than one
budget.

Per network, one bucket per documented window (domain.network_limits) of
each account and of the application; a call takes one unit of every CALLS
window, a post also `post_cost` units of every POSTS window. What the
network answers adapts them (observe):

  * a "not before" (Retry-After, a 429, Meta usage past 90%, a window whose
    remaining reached 0) blocks the scope until then: every replica waits;
  * a remaining count caps the scope's shortest window: we never believe we
    have more left than the network says.

Keys hold publishing's own account ids (opaque), never a handle or a name.
Redis not answering is a retryable failure (the share waits), never a free
pass: spending blind could cost the account its network standing.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

from chorus_runtime.token_buckets import Bucket, BucketStoreUnavailable, RedisTokenBuckets

from publishing_service.app.ports import RateLimited, RetryableNetworkError
from publishing_service.domain.network_limits import (
    LIMITS,
    Counts,
    NetworkLimits,
    Window,
    window_told,
)
from publishing_service.domain.rate_signals import RateSignal, Scope

PREFIX = "chorus:publishing:budget:"


def _owner(scope: Scope, account_key: str) -> str:
    return f"account:{account_key}" if scope is Scope.ACCOUNT else "app"


def _windows(limits: NetworkLimits, scope: Scope) -> tuple[Window, ...]:
    return limits.account if scope is Scope.ACCOUNT else limits.app


def _bucket(network: str, scope: Scope, account_key: str, index: int) -> str:
    return f"{network}:{_owner(scope, account_key)}:w{index}"


def not_before_key(network: str, scope: Scope, account_key: str) -> str:
    return f"{network}:{_owner(scope, account_key)}:not-before"


class RedisNetworkBudget:
    def __init__(
        self,
        buckets: RedisTokenBuckets,
        limits: dict[str, NetworkLimits] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.buckets = buckets
        self.limits = limits or LIMITS
        self.clock = clock

    @classmethod
    def from_url(
        cls, url: str, prefix: str = PREFIX, limits: dict[str, NetworkLimits] | None = None
    ) -> RedisNetworkBudget:
        return cls(RedisTokenBuckets.from_url(url, prefix), limits)

    def _limits(self, network: str) -> NetworkLimits:
        try:
            return self.limits[network]
        except KeyError:
            raise RetryableNetworkError(f"no documented limits for {network!r}") from None

    async def take(self, network: str, account_key: str, *, posts: float = 0.0) -> None:
        limits = self._limits(network)
        wanted: list[Bucket] = []
        scopes: dict[str, Scope] = {}
        for scope in Scope:
            for index, window in enumerate(_windows(limits, scope)):
                cost = 1.0 if window.counts is Counts.CALLS else posts * limits.post_cost
                if cost <= 0:
                    continue
                name = _bucket(network, scope, account_key, index)
                scopes[name] = scope
                wanted.append(Bucket(name, window.units / window.seconds, window.units, cost))
        blocks = {not_before_key(network, s, account_key): s for s in Scope}
        scopes.update(blocks)
        try:
            taken = await self.buckets.take(wanted, not_before=list(blocks))
        except BucketStoreUnavailable as down:
            raise RetryableNetworkError("the shared publishing budget is unavailable") from down
        if taken.allowed:
            return
        scope = scopes.get(taken.refused_by, Scope.ACCOUNT)
        retry_at = datetime.fromtimestamp(self.clock(), UTC) + timedelta(seconds=taken.wait_seconds)
        why = "told to wait" if taken.refused_by in blocks else "budget spent"
        raise RateLimited(f"{network} {scope.value} {why}", retry_at, scope)

    async def observe(self, network: str, account_key: str, signals: Sequence[RateSignal]) -> None:
        limits = self._limits(network)
        try:
            for signal in signals:
                until = signal.blocks_until
                if until is not None:
                    await self.buckets.block(
                        not_before_key(network, signal.scope, account_key), until.timestamp()
                    )
                windows = _windows(limits, signal.scope)
                if signal.remaining is None or not windows:
                    continue
                index = window_told(
                    windows,
                    limit=signal.limit,
                    resets_in=(
                        signal.reset_at.timestamp() - self.clock()
                        if signal.reset_at is not None
                        else None
                    ),
                )
                window = windows[index]
                name = _bucket(network, signal.scope, account_key, index)
                bucket = Bucket(name, window.units / window.seconds, window.units)
                await self.buckets.cap(bucket, max(0.0, signal.remaining))
        except BucketStoreUnavailable as down:
            raise RetryableNetworkError("the shared publishing budget is unavailable") from down

    async def close(self) -> None:
        await self.buckets.close()
