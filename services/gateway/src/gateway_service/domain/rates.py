"""Rate limit buckets: who is counted, at what sustained rate and burst."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Bucket:
    name: str  # "user:<tenant>:<subject>" or "tenant:<tenant>" (opaque ids only)
    rate: float  # tokens added per second
    burst: int  # capacity


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after_seconds: float = 0.0
    bucket: str = ""  # which bucket refused ("user" or "tenant")


def buckets_for(
    tenant_id: str,
    subject: str,
    user_rate: float,
    user_burst: int,
    tenant_rate: float,
    tenant_burst: int,
) -> list[Bucket]:
    return [
        Bucket(f"user:{tenant_id}:{subject}", user_rate, user_burst),
        Bucket(f"tenant:{tenant_id}", tenant_rate, tenant_burst),
    ]
