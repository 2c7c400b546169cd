"""Leases on the publish ledger: who may call the network for a share now.

Taken in its own small transaction before the network call (so other workers
see it at once; one for all the shares of a Kafka batch) and given back early
when an attempt fails in a way a retry may fix; a worker that dies simply
lets its lease expire."""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from datetime import datetime, timedelta

from chorus_core.clock import utcnow
from chorus_core.ids import new_id
from chorus_db.ports import UnitOfWork

from publishing_service.app.ports import DueShare, LedgerStore, NewLease, Stores, due_record
from publishing_service.domain.ledger import (
    Lease,
    LeaseDecision,
    LeaseHeld,
    LedgerEntry,
    PublishStatus,
    ShareEnded,
    StillDeferred,
    StillHeld,
    lease_decision,
)

log = logging.getLogger(__name__)


class WithdrawnBeforeDue(Exception):
    """Cancelled, or its employee opted out or was erased, before its share
    was ever leased: nothing to record but the event."""


class Leases:
    def __init__(self, db: UnitOfWork, stores: Stores, duration: timedelta) -> None:
        self.db = db
        self.stores = stores
        self.duration = duration

    async def take_all(
        self, shares: Sequence[DueShare], withdrawn: Collection[tuple[str, str]] = ()
    ) -> list[Lease | None | Exception]:
        """Leases for these shares, in one transaction (a few statements
        whatever the number), each share's answer in its place: our lease;
        None when it is already published; LeaseHeld while another worker
        holds it; StillDeferred while its deferral lasts; StillHeld while it
        waits for its account's reconnection (unless its post expired: then
        it is ours, to end); ShareEnded once it failed and its post has
        expired. A share `withdrawn` (by (tenant, share)) that has no entry
        yet gets none: WithdrawnBeforeDue. The ShareDue is kept with the
        entry: a deferred share is sent from it."""
        now = utcnow()
        answers: list[Lease | None | Exception] = []
        async with self.db.transaction() as transaction:
            ledger = self.stores.ledger(transaction)
            keys = [(s.tenant_id, s.share_id) for s in shares]
            entries = await ledger.get_all(keys, for_update=True)
            first: dict[tuple[str, str], NewLease] = {}
            for share, key in zip(shares, keys, strict=True):
                entry = entries.get(key)
                if entry is None and key in withdrawn:
                    answers.append(WithdrawnBeforeDue(share.share_id))
                elif entry is None and key in first:
                    answers.append(LeaseHeld(f"share {share.share_id} twice in one batch"))
                elif entry is None:
                    first[key] = self._new_lease(share, now)
                    answers.append(Lease(first[key].lease_token))
                else:
                    answers.append(await self._decide(ledger, share, entry, now))
            written = await ledger.add_all_leased(list(first.values()))
            for i, key in enumerate(keys):
                if key in first and key not in written and isinstance(answers[i], Lease):
                    answers[i] = LeaseHeld(f"share {shares[i].share_id} was leased concurrently")
        return answers

    def _new_lease(self, share: DueShare, now: datetime) -> NewLease:
        return NewLease(
            share_id=share.share_id,
            tenant_id=share.tenant_id,
            post_id=share.post_id,
            employee_id=share.employee_id,
            network=share.network,
            lease_until=now + self.duration,
            lease_token=new_id(),
            now=now,
            due=due_record(share),
            expires_at=share.expires_at,
        )

    async def _decide(
        self, ledger: LedgerStore, share: DueShare, entry: LedgerEntry, now: datetime
    ) -> Lease | None | Exception:
        """A share with an entry: taken over, or why not."""
        decision = lease_decision(entry, now)
        if decision is LeaseDecision.ALREADY_PUBLISHED:
            return None
        if decision is LeaseDecision.HELD:
            return LeaseHeld(f"share {share.share_id} is being published by another worker")
        if decision is LeaseDecision.WAITING and entry.retry_at:
            return StillDeferred(entry.retry_at)
        if decision is LeaseDecision.ENDED:
            return ShareEnded(f"share {share.share_id} failed; its post has expired")
        if decision is LeaseDecision.ON_HOLD:
            return StillHeld(f"share {share.share_id} waits for its account's reconnection")
        token = new_id()
        if not await ledger.take_over(
            entry,
            now + self.duration,
            token,
            now,
            due=due_record(share),
            expires_at=share.expires_at,
        ):
            return LeaseHeld(f"share {share.share_id} was leased concurrently")
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
