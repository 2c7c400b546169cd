"""Event spans on the real broker: the relay's `<topic> create` span and the
consumer's `<topic> process` span (its child) carry the same chorus.*
attributes (chorus_messaging.spans), for handled and unhandled event types."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from chorus.publishing.v1 import publishing_events_pb2 as publishing_events
from chorus.scheduling.v1 import scheduling_events_pb2 as scheduling_events
from chorus_db import Database, migrate
from chorus_messaging import (
    MESSAGING_SCHEMA,
    Batch,
    Batched,
    EventConsumer,
    EventContext,
    Outbox,
    OutboxRelay,
)
from chorus_messaging.broker import make_broker
from chorus_messaging.topics import dlq_topic
from chorus_telemetry.propagation import TraceCarrier, restored, sampled_for
from chorus_testing.kafka import create_topics, unique_topic
from google.protobuf.message import Message
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from sqlalchemy.ext.asyncio import AsyncSession

pytestmark = pytest.mark.infra


def published(share_id: str) -> publishing_events.SharePublished:
    return publishing_events.SharePublished(
        tenant_id="t-spans", share_id=share_id, post_id="p-spans", employee_id="e-1"
    )


def by_name(spans: tuple[ReadableSpan, ...], suffix: str) -> list[ReadableSpan]:
    return [s for s in spans if s.name.endswith(suffix)]


def cancelled(share_id: str) -> scheduling_events.ShareCancelled:
    return scheduling_events.ShareCancelled(
        tenant_id="t-spans", share_id=share_id, post_id="p-spans"
    )


@dataclass
class Rig:
    """An outbox on SQLite, its relay and one consumer on the real broker,
    every span in `exporter`."""

    topic: str
    db: Database
    kafka_bootstrap: str
    exporter: InMemorySpanExporter = field(default_factory=InMemorySpanExporter)
    provider: TracerProvider = field(default_factory=TracerProvider)
    outbox: Outbox = field(default_factory=lambda: Outbox("chorus/spans@test"))

    def __post_init__(self) -> None:
        self.provider.add_span_processor(SimpleSpanProcessor(self.exporter))
        self.producer = make_broker(self.kafka_bootstrap, "spans-producer", self.provider)
        self.consumer = make_broker(self.kafka_bootstrap, "spans-consumer", self.provider)

    def add(self, session: AsyncSession, key: str, event: Message) -> None:
        self.outbox.add(session, topic=self.topic, key=key, event=event, tenant_id="t-spans")

    async def run(
        self, handlers: dict[type[Message], Any], sent: int, done: Callable[[], bool]
    ) -> None:
        """Relays what was added (`sent` rows) and waits until `done()`."""
        EventConsumer(
            service="spansvc",
            topic=self.topic,
            db=self.db,
            broker=self.consumer,
            handlers=handlers,
            tracer_provider=self.provider,
        ).register()
        await self.producer.start()
        await self.consumer.start()
        try:
            relay = OutboxRelay(self.db, self.producer, self.outbox, tracer_provider=self.provider)
            assert await relay.publish_batch() == sent
            loop = asyncio.get_running_loop()
            deadline = loop.time() + 30
            while not done():
                assert loop.time() < deadline, "the consumer did not handle every event"
                await asyncio.sleep(0.1)
        finally:
            await self.consumer.stop()
            await self.producer.stop()
        self.provider.force_flush()


@pytest.fixture
async def rig(sqlite_database, kafka_bootstrap: str) -> Rig:
    topic = unique_topic()
    await create_topics(kafka_bootstrap, [topic, dlq_topic(topic, "spansvc")], partitions=1)
    db: Database = await sqlite_database()
    await migrate(db, MESSAGING_SCHEMA)
    return Rig(topic, db, kafka_bootstrap)


async def test_create_and_process_spans_carry_the_event_attributes(rig: Rig) -> None:
    topic, exporter = rig.topic, rig.exporter
    handled: list[str] = []

    async def on_published(event: publishing_events.SharePublished, ctx: EventContext) -> None:
        handled.append(event.share_id)

    async with rig.db.transaction() as session:
        rig.add(session, "s-1", published("s-1"))
        rig.add(session, "s-2", cancelled("s-2"))  # not this consumer's: still described
    await rig.run(
        {publishing_events.SharePublished: on_published},
        2,
        lambda: len(by_name(exporter.get_finished_spans(), " process")) >= 2,
    )
    assert handled == ["s-1"]

    spans = exporter.get_finished_spans()
    creates = {
        (s.attributes or {})["chorus.event_id"]: s for s in by_name(spans, f"{topic} create")
    }
    processes = by_name(spans, f"{topic} process")
    assert len(creates) == 2 and len(processes) == 2
    expected_types = {
        "s-1": "chorus.publishing.v1.SharePublished",
        "s-2": "chorus.scheduling.v1.ShareCancelled",
    }
    for process in processes:
        event_id = (process.attributes or {})["chorus.event_id"]
        create = creates[event_id]
        # The consumer's span is the producer's create span's child, in its trace.
        assert process.parent is not None
        assert process.parent.span_id == create.context.span_id
        assert process.context.trace_id == create.context.trace_id
        share = (process.attributes or {})["chorus.share_id"]
        for span in (create, process):
            assert span.attributes is not None
            assert {k: v for k, v in span.attributes.items() if k.startswith("chorus.")} == {
                "chorus.event_type": expected_types[str(share)],
                "chorus.event_id": event_id,
                "chorus.tenant_id": "t-spans",
                "chorus.post_id": "p-spans",
                "chorus.share_id": share,
            }
    # The relay's create span is the producer's one span per event (no
    # separate publish span), and names the event's id as its message id.
    assert by_name(spans, f"{topic} publish") == []
    for event_id, create in creates.items():
        assert create.kind is SpanKind.PRODUCER
        assert (create.attributes or {})["messaging.message.id"] == event_id


async def test_an_event_of_a_share_not_sampled_is_handled_and_records_no_span(
    rig: Rig,
) -> None:
    """The outbox row written under a not-sampled parent (a share outside
    CHORUS_SCHEDULING_TRACED_SHARES): the relay's create span and the
    consumer's process spans, single or batched, are not recorded; the
    events are handled all the same, and a sampled one beside them is traced."""
    topic = rig.topic
    published_ids: list[str] = []
    cancelled_ids: list[str] = []

    async def on_published(batch: Batch[publishing_events.SharePublished]) -> None:
        published_ids.extend(d.event.share_id for d in batch.deliveries)

    async def on_cancelled(event: scheduling_events.ShareCancelled, ctx: EventContext) -> None:
        cancelled_ids.append(event.share_id)

    trace_id = 0x0AF7651916CD43DD8448EB211C80319C
    campaign = f"00-{trace_id:032x}-00f067aa0ba902b7-01"
    unsampled = sampled_for(TraceCarrier(campaign), "s-1", 0.0)
    async with rig.db.transaction() as session:
        with restored(unsampled):
            rig.add(session, "s-1", published("s-1"))
            rig.add(session, "s-2", published("s-2"))
            rig.add(session, "s-3", cancelled("s-3"))
        with restored(TraceCarrier(campaign)):
            rig.add(session, "s-4", published("s-4"))
    await rig.run(
        {
            publishing_events.SharePublished: Batched(on_published),
            scheduling_events.ShareCancelled: on_cancelled,
        },
        4,
        lambda: len(published_ids) >= 3 and bool(cancelled_ids),
    )
    assert sorted(published_ids) == ["s-1", "s-2", "s-4"] and cancelled_ids == ["s-3"]
    spans = rig.exporter.get_finished_spans()
    described = {
        (s.name.rsplit(" ", 1)[-1], (s.attributes or {}).get("chorus.share_id"))
        for s in spans
        if s.name.startswith(topic)
    }
    # Only the sampled share's hops, in the campaign's trace.
    assert described == {("create", "s-4"), ("process", "s-4")}
    assert {s.context.trace_id for s in spans if s.name.startswith(topic)} == {trace_id}
