"""Leases on the publish ledger: who may call the network for a share now.

Taken in its own small transaction before the network call (so other workers
see it at once) and given back early when an attempt fails in a way a retry
may fix; a worker that dies simply lets its lease expire."""

from __future__ import annotations

import logging
from datetime import timedelta

from chorus_core.clock import utcnow
from chorus_core.ids import new_id
from chorus_db.ports import UnitOfWork

from publishing_service.app.ports import DueShare, Stores, due_record
from publishing_service.domain.ledger import (
    Lease,
    LeaseDecision,
    LeaseHeld,
    PublishStatus,
    ShareEnded,
    StillDeferred,
    StillHeld,
    lease_decision,
)

log = logging.getLogger(__name__)


class Leases:
    def __init__(self, db: UnitOfWork, stores: Stores, duration: timedelta) -> None:
        self.db = db
        self.stores = stores
        self.duration = duration

    async def take(self, share: DueShare) -> Lease | None:
        """Our lease, or None when the share is already published. Raises
        LeaseHeld (retryable) while another worker holds it, StillDeferred
        while its deferral lasts, StillHeld while it waits for its account's
        reconnection (unless its post expired: then it is ours, to end),
        ShareEnded once it failed and its post has expired. The
        ShareDue is kept with the entry: a deferred share is sent from it."""
        now = utcnow()
        token = new_id()
        async with self.db.transaction() as transaction:
            ledger = self.stores.ledger(transaction)
            entry = await ledger.get(share.tenant_id, share.share_id, for_update=True)
            decision = lease_decision(entry, now)
            if decision is LeaseDecision.ALREADY_PUBLISHED:
                return None
            if decision is LeaseDecision.HELD:
                raise LeaseHeld(f"share {share.share_id} is being published by another worker")
            if decision is LeaseDecision.WAITING and entry is not None and entry.retry_at:
                raise StillDeferred(entry.retry_at)
            if decision is LeaseDecision.ENDED:
                raise ShareEnded(f"share {share.share_id} failed; its post has expired")
            if decision is LeaseDecision.ON_HOLD:
                raise StillHeld(f"share {share.share_id} waits for its account's reconnection")
            if entry is None:
                # Raises LeaseHeld when a concurrent first lease got there first.
                await ledger.add_leased(
                    share_id=share.share_id,
                    tenant_id=share.tenant_id,
                    post_id=share.post_id,
                    employee_id=share.employee_id,
                    network=share.network,
                    lease_until=now + self.duration,
                    lease_token=token,
                    now=now,
                    due=due_record(share),
                    expires_at=share.expires_at,
                )
                return Lease(token)
            if not await ledger.take_over(
                entry,
                now + self.duration,
                token,
                now,
                due=due_record(share),
                expires_at=share.expires_at,
            ):
                raise LeaseHeld(f"share {share.share_id} was leased concurrently")
        return Lease(token, maybe_sent=entry.status is PublishStatus.LEASED, previous=entry.status)

    async def release(self, share: DueShare, token: str) -> None:
        try:
            async with self.db.transaction() as transaction:
                await self.stores.ledger(transaction).release(
                    share.tenant_id, share.share_id, token, utcnow()
                )
        except Exception:
            # The lease expires by itself; the retry then waits for it.
            log.warning("could not release lease", extra={"chorus": {"share_id": share.share_id}})
