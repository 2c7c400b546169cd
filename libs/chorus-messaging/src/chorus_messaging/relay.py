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

Each event gets one producer span, `<topic> create`, under the context
stored with its row (the trace of the transaction that wrote it), with the
chorus.* attributes (spans.py); its traceparent goes out in the headers, so
each consumer's `<topic> process` span is its child. The relay hands the
record to faststream's producer itself rather than through broker.publish:
the broker's middlewares would add a second span per event and a correlation
id of their own, which at campaign volume cost as much as the send (the
event's ce_id is its correlation id here). The relay counts what it sent
(chorus_events_published_total, per topic) instead.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Sequence
from datetime import datetime
from typing import Protocol, TypeVar, cast

from chorus_core.clock import utcnow
from chorus_db import Database, table_of
from chorus_telemetry.metrics import registry
from chorus_telemetry.propagation import TraceCarrier, restored
from faststream.kafka import KafkaBroker
from faststream.kafka.response import KafkaPublishCommand
from faststream.response.publish_type import PublishType
from opentelemetry import trace
from opentelemetry.semconv.trace import SpanAttributes
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
from prometheus_client import Counter
from sqlalchemy import select, update

from chorus_messaging.envelope import Envelope
from chorus_messaging.outbox import Outbox
from chorus_messaging.spans import event_attributes, recorded_under
from chorus_messaging.tables import OutboxMessage

log = logging.getLogger(__name__)

_OUTBOX = table_of(OutboxMessage)
# The trace context only, as the consumers' middleware reads it.
_TRACE_CONTEXT = TraceContextTextMapPropagator()
_PUBLISHED = Counter(
    "chorus_events_published",
    "Events the outbox relay handed to the broker, per topic.",
    ["topic"],
    registry=registry(),
)


class OutgoingEvent(Protocol):
    """An outbox row as the relay reads it (a Core row in publish_batch, or
    an OutboxMessage)."""

    @property
    def seq(self) -> int | None: ...
    @property
    def ce_id(self) -> str: ...
    @property
    def tenant_id(self) -> str: ...
    @property
    def topic(self) -> str: ...
    @property
    def key(self) -> str: ...
    @property
    def ce_type(self) -> str: ...
    @property
    def ce_subject(self) -> str: ...
    @property
    def ce_time(self) -> datetime: ...
    @property
    def payload(self) -> bytes: ...
    @property
    def traceparent(self) -> str | None: ...
    @property
    def tracestate(self) -> str | None: ...
    @property
    def baggage(self) -> str | None: ...
    @property
    def actor(self) -> str | None: ...


Event = TypeVar("Event", bound=OutgoingEvent)


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
        tracer_provider: trace.TracerProvider | None = None,
    ) -> None:
        """`tracer_provider`: the global one unless given (tests pass their own)."""
        self.topic_prefix = topic_prefix
        self._tracer = trace.get_tracer(__name__, tracer_provider=tracer_provider)
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
            # Core rows, not ORM objects: a batch is hundreds of rows read
            # once and never changed through the session.
            query = (
                select(_OUTBOX)
                .where(_OUTBOX.c.published_at.is_(None))
                .order_by(_OUTBOX.c.seq)
                .limit(self.batch_size)
            )
            if not self.db.is_sqlite:
                # Several relay replicas may run; each row goes to exactly one.
                query = query.with_for_update(skip_locked=True)
            rows = cast(Sequence[OutgoingEvent], (await session.execute(query)).all())
            if not rows:
                return 0
            for wave in waves(rows):
                await asyncio.gather(*[await self._enqueue(row) for row in wave])
            await session.execute(
                update(_OUTBOX)
                .where(_OUTBOX.c.seq.in_([r.seq for r in rows]))
                .values(published_at=utcnow())
            )
        return len(rows)

    async def send(self, row: OutgoingEvent) -> None:
        """Publish one row and wait for the broker's acknowledgement, without
        marking it published (publish_batch marks its rows once all are sent)."""
        await (await self._enqueue(row))

    async def _enqueue(self, row: OutgoingEvent) -> Awaitable[object]:
        """Hands the row to the producer; the acknowledgement is awaited by
        the caller (acks=all)."""
        topic = self.topic_prefix + row.topic
        headers = Envelope(
            ce_id=row.ce_id,
            ce_type=row.ce_type,
            ce_source=self.outbox.source,
            ce_time=row.ce_time,
            ce_subject=row.ce_subject,
            tenant_id=row.tenant_id,
            actor=row.actor or "",
        ).to_headers()
        with restored(TraceCarrier(row.traceparent, row.tracestate, row.baggage)):
            attributes: dict[str, str] = (
                {
                    SpanAttributes.MESSAGING_SYSTEM: "kafka",
                    SpanAttributes.MESSAGING_DESTINATION_NAME: topic,
                    SpanAttributes.MESSAGING_MESSAGE_ID: row.ce_id,
                    **event_attributes(headers, row.payload),
                }
                if recorded_under()
                else {}
            )
            with self._tracer.start_as_current_span(
                f"{topic} create", kind=trace.SpanKind.PRODUCER, attributes=attributes
            ):
                _TRACE_CONTEXT.inject(headers)
                # The broker's producer, read at each send: the in-memory test
                # broker swaps in its own once started.
                sent = await self.broker.config.producer.publish(
                    KafkaPublishCommand(
                        row.payload,
                        topic=topic,
                        key=row.key.encode(),
                        headers=headers,
                        correlation_id=row.ce_id,
                        no_confirm=True,
                        _publish_type=PublishType.PUBLISH,
                    )
                )
        _PUBLISHED.labels(row.topic).inc()
        # The in-memory test broker delivers at once and returns no future.
        return sent if isinstance(sent, asyncio.Future) else _done()


async def _done() -> None:
    return None


def waves(rows: Sequence[Event]) -> list[list[Event]]:
    """The rows in waves of distinct keys, each row in the wave after the
    one holding its key's previous row (see the module docstring)."""
    out: list[list[Event]] = []
    last: dict[str, int] = {}
    for row in rows:
        wave = last.get(row.key, -1) + 1
        last[row.key] = wave
        if wave == len(out):
            out.append([])
        out[wave].append(row)
    return out
