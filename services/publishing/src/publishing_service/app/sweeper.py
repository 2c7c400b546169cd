"""The sweeper: no share is left behind. Every tick it sends, from the
ShareDue the ledger kept:

  * deferred shares whose time has come (a budget said "not before T");
  * leased shares whose lease ended more than a lease's length ago: a
    worker died mid-call, or the consumer's bounded retries ran out. The
    Publisher asks the connector's find() before sending such a share
    again (it may have gone out), so nothing is posted twice;
  * deferred or held shares (held: waiting for the employee to reconnect)
    whose post has expired: the Publisher never sends them, it ends them
    as failed with the reason ("the post expired before ...") and a
    ShareFailed, the event that ends a share today.

Held shares are otherwise not its business: reconnecting the account
defers them to "now" (app/accounts.py), and they come back here as deferred.

Through the same Publisher as the ShareDue consumer, so leases keep two
replicas' sweepers (and a late redelivery) off the same share. Many shares
are in flight at once (CONCURRENCY): one slow network answer does not hold
the others up. State is in rows: a sweeper that dies loses nothing."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from chorus_db.ports import UnitOfWork
from chorus_runtime.periodic import TickLoop

from publishing_service.app.ports import Stores, due_from_record
from publishing_service.app.publish import Publisher, PublishOutcome
from publishing_service.domain.ledger import LEASE_DURATION, StillDeferred

log = logging.getLogger(__name__)

BATCH_SIZE = 200
CONCURRENCY = 16


class Sweeper(TickLoop):
    tick_done_message = "shares swept"

    def __init__(
        self,
        db: UnitOfWork,
        stores: Stores,
        publisher: Publisher,
        *,
        tick_seconds: float = 2.0,
        stale_after: timedelta = LEASE_DURATION,
        batch_size: int = BATCH_SIZE,
        concurrency: int = CONCURRENCY,
    ) -> None:
        super().__init__(tick_seconds)
        self.db = db
        self.stores = stores
        self.publisher = publisher
        self.stale_after = stale_after
        self.batch_size = batch_size
        self.slots = asyncio.Semaphore(concurrency)

    async def tick(self, now: datetime) -> int:
        """One batch per tick: what is left waits for the next (a second
        tick at once would meet the same rows while they are in flight)."""
        async with self.db.session() as reads:
            found = await self.stores.ledger(reads).sweepable(
                now, now - self.stale_after, self.batch_size
            )
        results = await asyncio.gather(*(self._send(record) for _, record in found))
        return sum(results)

    async def _send(self, record: dict[str, object]) -> int:
        """1 when the share reached an outcome (published, failed, deferred
        anew); 0 when it is someone else's or waits for another sweep."""
        share = due_from_record(dict(record))
        async with self.slots:
            try:
                outcome = await self.publisher.publish(share, self.db.transaction)
            except StillDeferred:
                return 0  # it waits a while more
            except Exception:
                # E.g. the database, or a secret this deployment's key cannot
                # read: the others still go; this one is tried again once its
                # lease is stale.
                log.exception(
                    "sweep attempt failed", extra={"chorus": {"share_id": share.share_id}}
                )
                return 0
        return 0 if outcome is PublishOutcome.HANDED_OVER else 1
