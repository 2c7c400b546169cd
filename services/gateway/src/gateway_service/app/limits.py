"""Per-user and per-tenant request rates (token buckets in Redis).

A request takes one token from its user's bucket and one from its
tenant's: one noisy script cannot starve a person's colleagues, and one
tenant cannot starve the others. When Redis cannot answer, requests pass
(and a counter says so): the limit protects the services, it must not be
the reason they are unreachable.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

from chorus_identity.principal import Principal

from gateway_service.app.ports import RateLimiter
from gateway_service.domain.problems import too_many
from gateway_service.domain.rates import buckets_for

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rates:
    user_rate: float
    user_burst: int
    tenant_rate: float
    tenant_burst: int


class RateLimits:
    def __init__(self, limiter: RateLimiter, rates: Rates) -> None:
        self.limiter = limiter
        self.rates = rates
        self.unchecked = 0  # requests let through while the store was down

    async def check(self, principal: Principal) -> None:
        r = self.rates
        buckets = buckets_for(
            principal.tenant_id,
            principal.subject,
            r.user_rate,
            r.user_burst,
            r.tenant_rate,
            r.tenant_burst,
        )
        try:
            verdict = await self.limiter.take(buckets)
        except OSError:
            self.unchecked += 1
            log.warning("rate limit store unavailable; request not limited")
            return
        if not verdict.allowed:
            raise too_many(
                math.ceil(verdict.retry_after_seconds),
                f"the {verdict.bucket} request rate is exceeded",
            )
