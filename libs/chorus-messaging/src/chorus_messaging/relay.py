"""The outbox relay: publishes committed outbox rows in order, then marks them.

Delivery is at-least-once: a crash after the broker acknowledged but before
the row is marked publishes the row again on restart, with the same ce_id, and
consumers' inboxes make that a no-op. Nothing written is ever lost.

Sends are kept in flight together, in waves: a wave holds at most one row
per key (an aggregate), and the next wave starts once every row of this one
is acknowledged. So a campaign's thousands of rows (a key each) go out in a
few produce requests instead of one round trip each, while the events of one
key still reach the broker strictly one after the other, in the order they
were written: a later one is never sent before an earlier one is
acknowledged, and a failure stops the batch before anything after it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable

from chorus_core.clock import utcnow
from chorus_db import Database
from chorus_telemetry.propagation import TraceCarrier, restored
from faststream.kafka import KafkaBroker
from sqlalchemy import select, update
from sqlmodel import col

from chorus_messaging.envelope import Envelope
from chorus_messaging.outbox import Outbox
from chorus_messaging.tables import OutboxMessage

log = logging.getLogger(__name__)


class OutboxRelay:
    def __init__(
        self,
        db: Database,
        broker: KafkaBroker,
        outbox: Outbox,
        *,
        batch_size: int = 500,
        poll_interval: float = 0.5,
        topic_prefix: str = "",
    ) -> None:
        self.topic_prefix = topic_prefix
        self.db = db
        self.broker = broker
        self.outbox = outbox
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self._stopping = asyncio.Event()

    async def run(self) -> None:
        while not self._stopping.is_set():
            try:
                published = await self.publish_batch()
            except Exception:
                # Broker or database down: keep the rows, try again later.
                log.exception("outbox relay batch failed; retrying")
                published = 0
                await asyncio.sleep(1.0)
            if published == 0:
                await self.outbox.wait_for_writes(self.poll_interval)

    def stop(self) -> None:
        self._stopping.set()
        self.outbox.wake()

    async def publish_batch(self) -> int:
        async with self.db.transaction() as session:
            query = (
                select(OutboxMessage)
                .where(col(OutboxMessage.published_at).is_(None))
                .order_by(col(OutboxMessage.seq))
                .limit(self.batch_size)
            )
            if not self.db.is_sqlite:
                # Several relay replicas may run; each row goes to exactly one.
                query = query.with_for_update(skip_locked=True)
            rows = list((await session.execute(query)).scalars())
            if not rows:
                return 0
            for wave in waves(rows):
                await asyncio.gather(*[await self._enqueue(row) for row in wave])
            await session.execute(
                update(OutboxMessage)
                .where(col(OutboxMessage.seq).in_([r.seq for r in rows]))
                .values(published_at=utcnow())
            )
        return len(rows)

    async def send(self, row: OutboxMessage) -> None:
        """Publish one row and wait for the broker's acknowledgement, without
        marking it published (publish_batch marks its rows once all are sent)."""
        await (await self._enqueue(row))

    async def _enqueue(self, row: OutboxMessage) -> Awaitable[object]:
        """Hands the row to the producer; the acknowledgement is awaited by
        the caller (acks=all)."""
        envelope = Envelope(
            ce_id=row.ce_id,
            ce_type=row.ce_type,
            ce_source=self.outbox.source,
            ce_time=row.ce_time,
            ce_subject=row.ce_subject,
            tenant_id=row.tenant_id,
            actor=row.actor or "",
        )
        with restored(TraceCarrier(row.traceparent, row.tracestate, row.baggage)):
            # The telemetry middleware opens the publish span under the stored
            # context and injects the new traceparent into the headers.
            sent = await self.broker.publish(
                row.payload,
                topic=self.topic_prefix + row.topic,
                key=row.key.encode(),
                headers=envelope.to_headers(),
                no_confirm=True,
            )
        # The in-memory test broker delivers at once and returns no future.
        return sent if isinstance(sent, asyncio.Future) else _done()


async def _done() -> None:
    return None


def waves(rows: list[OutboxMessage]) -> list[list[OutboxMessage]]:
    """The rows in waves of distinct keys, each row in the wave after the
    one holding its key's previous row (see the module docstring)."""
    out: list[list[OutboxMessage]] = []
    last: dict[str, int] = {}
    for row in rows:
        wave = last.get(row.key, -1) + 1
        last[row.key] = wave
        if wave == len(out):
            out.append([])
        out[wave].append(row)
    return out
