"""Idempotency-Key for every mutating request (domain/idempotency.py has
the rules): claim the key before the request runs, store its response when
it succeeded, release it when it failed (so the retry runs, and the
service, which got the key as its request_id, dedupes whatever did get
through)."""

from __future__ import annotations

import logging
from datetime import datetime

from chorus_core.clock import utcnow
from chorus_runtime.periodic import TickLoop

from gateway_service.app.ports import IdempotencyStore
from gateway_service.domain.idempotency import (
    RETENTION,
    IdempotencyRecord,
    Outcome,
    StoredResponse,
    decide,
)

# Two takers can race for a dead claim; after this many rounds, call it busy.
_ROUNDS = 3


class Idempotency:
    def __init__(self, store: IdempotencyStore) -> None:
        self.store = store

    async def begin(
        self, tenant_id: str, subject: str, key: str, fingerprint: str
    ) -> tuple[Outcome, StoredResponse | None]:
        for _ in range(_ROUNDS):
            now = utcnow()
            mine = IdempotencyRecord(tenant_id, subject, key, fingerprint, now)
            if await self.store.insert(mine):
                return Outcome.PROCEED, None
            existing = await self.store.get(tenant_id, subject, key)
            if existing is None:
                continue  # released or purged in between: claim again
            outcome = decide(existing, fingerprint, now)
            if outcome is not Outcome.PROCEED:
                return outcome, existing.response
            if await self.store.take_over(existing, mine):
                return Outcome.PROCEED, None
        return Outcome.IN_PROGRESS, None

    async def complete(
        self, tenant_id: str, subject: str, key: str, response: StoredResponse
    ) -> None:
        await self.store.complete(tenant_id, subject, key, response)

    async def release(self, tenant_id: str, subject: str, key: str) -> None:
        await self.store.release(tenant_id, subject, key)

    async def purge(self) -> int:
        return await self.store.purge(utcnow() - RETENTION)


class IdempotencyPurge(TickLoop):
    """Deletes the records older than their 24 hours, every tick."""

    tick_done_message = "idempotency records purged"
    tick_done_level = logging.DEBUG

    def __init__(self, idempotency: Idempotency, tick_seconds: float = 3600.0) -> None:
        super().__init__(tick_seconds)
        self.idempotency = idempotency

    async def tick(self, now: datetime) -> int:
        return await self.idempotency.purge()
