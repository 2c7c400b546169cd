"""Rate budgets: token buckets per account and per application. Pure: the
caller passes the time (seconds on a monotonic clock).

Why here, and in memory: the networks' limits bind per account and per app
(Bluesky: 5,000 points per hour per account, a post costs 3; the PDS also caps
requests per client at 3,000 per 5 minutes). Spending our own budget first
means a campaign to thousands of employees slows down instead of collecting
429s. The buckets live in each replica's memory: the app bucket is then per
replica (as is the PDS's per-client-address cap), and an account's budget is
not shared between replicas; the network's own 429 stays the backstop, and
is retried like an empty bucket.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass


class BudgetExhausted(Exception):
    """Not enough budget now; retry after `retry_after` seconds. Retryable."""

    def __init__(self, scope: str, retry_after: float) -> None:
        super().__init__(f"{scope} rate budget exhausted; retry in {retry_after:.1f}s")
        self.scope = scope
        self.retry_after = retry_after


@dataclass(frozen=True)
class BucketSpec:
    capacity: float  # the most that can be spent in a burst
    refill_per_second: float  # long-run rate

    @classmethod
    def per(cls, points: float, seconds: float) -> BucketSpec:
        return cls(capacity=points, refill_per_second=points / seconds)


@dataclass
class TokenBucket:
    spec: BucketSpec
    tokens: float
    updated: float

    @classmethod
    def full(cls, spec: BucketSpec, now: float) -> TokenBucket:
        return cls(spec, spec.capacity, now)

    def refill(self, now: float) -> None:
        elapsed = max(0.0, now - self.updated)
        self.tokens = min(self.spec.capacity, self.tokens + elapsed * self.spec.refill_per_second)
        self.updated = now

    def wait_for(self, cost: float, now: float) -> float:
        """Seconds until `cost` can be spent (0 = now)."""
        self.refill(now)
        missing = cost - self.tokens
        return 0.0 if missing <= 0 else missing / self.spec.refill_per_second


# Bluesky: repo writes 5,000 points/hour per account (create = 3 points);
# API requests 3,000 per 5 minutes per client.
BLUESKY_ACCOUNT = BucketSpec.per(5000, 3600)
BLUESKY_APP = BucketSpec.per(3000, 300)
BLUESKY_CREATE_COST = 3.0


class RateBudget:
    """One bucket per account (least recently used ones forgotten past
    `max_accounts`: a forgotten bucket comes back full, which only errs
    towards the network's own limit) and one for the whole application."""

    def __init__(self, account: BucketSpec, app: BucketSpec, max_accounts: int = 100_000) -> None:
        self.account_spec = account
        self.app_spec = app
        self._app: TokenBucket | None = None
        self.max_accounts = max_accounts
        self._accounts: OrderedDict[str, TokenBucket] = OrderedDict()

    @property
    def accounts_tracked(self) -> int:
        return len(self._accounts)

    def spend(self, account_key: str, cost: float, now: float) -> None:
        """Spend `cost` from the account and 1 request from the app, or
        neither: raises BudgetExhausted naming the scope that is short."""
        if self._app is None:
            self._app = TokenBucket.full(self.app_spec, now)
        bucket = self._accounts.get(account_key)
        if bucket is None:
            bucket = TokenBucket.full(self.account_spec, now)
            self._accounts[account_key] = bucket
            if len(self._accounts) > self.max_accounts:
                self._accounts.popitem(last=False)
        self._accounts.move_to_end(account_key)
        account_wait = bucket.wait_for(cost, now)
        if account_wait > 0:
            raise BudgetExhausted("account", account_wait)
        app_wait = self._app.wait_for(1.0, now)
        if app_wait > 0:
            raise BudgetExhausted("application", app_wait)
        bucket.tokens -= cost
        self._app.tokens -= 1.0
