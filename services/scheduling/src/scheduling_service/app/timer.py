"""The durable timer: fires ShareDue for every scheduled share whose time has
come and whose text (in the employee's language) is ready.

Durable because nothing lives in memory: the due time and the state are rows,
and a share is marked due in the same transaction that writes its ShareDue to
the outbox. A scheduler that restarts before T finds the row after T; one that
dies mid-batch rolls the whole batch back; two replicas never claim the same
row (SKIP LOCKED on PostgreSQL, and the conditional status update everywhere).
So each share fires exactly once.
"""

from __future__ import annotations

import logging
from datetime import datetime

from chorus_db.ports import UnitOfWork
from chorus_runtime.periodic import TickLoop
from chorus_telemetry.propagation import restored

from scheduling_service.app.ports import ShareEvents, Stores

log = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 500


class DueShareTimer(TickLoop):
    tick_done_message = "shares due"

    def __init__(
        self,
        db: UnitOfWork,
        stores: Stores,
        events: ShareEvents,
        *,
        tick_seconds: float = 1.0,
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> None:
        self.db = db
        self.stores = stores
        self.events = events
        self.batch_size = batch_size
        super().__init__(tick_seconds)

    async def tick(self, now: datetime) -> int:
        """Fire everything due at `now`, batch after batch; returns how many fired."""
        fired = 0
        while True:
            scanned, count = await self._fire_batch(now)
            fired += count
            # A short batch means the due set is drained; a full one may have more.
            if scanned < self.batch_size:
                return fired

    async def _fire_batch(self, now: datetime) -> tuple[int, int]:
        async with self.db.transaction() as transaction:
            scanned, due = await self.stores.shares(transaction).claim_due(now, self.batch_size)
            for item in due:
                # The event joins the trace that scheduled the share, not the
                # timer's own (which would be a new, disconnected trace per
                # tick). Its `<topic> create` span, with the share's ids, is
                # the firing's mark in that trace: no span of its own here.
                with restored(item.trace):
                    self.events.due(transaction, item)
        return scanned, len(due)
