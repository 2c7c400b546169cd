"""Batched handlers (chorus_messaging.Batched), on the real broker and the
real databases:

* the records of a poll are applied together, in one transaction, each
  once: one already in the inbox is left out, a poison one is dead-lettered
  and the others still applied;
* a batch that fails (here: the handler refuses one event) rolls back, and
  each of its records is handled alone: the good ones applied once, the bad
  one dead-lettered with its reason;
* two records of one key in a poll are handled alone, in offset order; an
  event of a type with no handler here (another consumer's, on a shared
  topic) is skipped without a span and keeps nothing out of the batch;
* a record the handler leaves is handled alone after the batch, the others
  committed with the batch;
* an inbox row written by someone else between the check and the claim
  fails the batch rather than applying an event twice;
* what a handler writes for one event, inside its scope, continues that
  event's trace and names its actor.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from aiokafka import AIOKafkaProducer
from chorus.content.v1 import content_events_pb2 as events
from chorus_core.clock import utcnow
from chorus_core.errors import DomainError
from chorus_db import Database, migrate
from chorus_messaging import (
    MESSAGING_SCHEMA,
    Batch,
    Batched,
    EventConsumer,
    InboxRecord,
    Outbox,
    OutboxMessage,
)
from chorus_messaging.consumer import AlreadyProcessed, RetryPolicy, claim
from chorus_messaging.topics import dlq_topic
from chorus_testing.kafka import create_topics, read_topic, unique_topic
from faststream.kafka import KafkaBroker
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from sqlalchemy import func, select

from tests.integration.messaging_support import (
    AppliedPost,
    approved,
    ce_id,
    effects,
    headers,
    until_applied,
    with_effects_table,
)

pytestmark = pytest.mark.infra

SERVICE = "batchedsvc"
CONSUMER = f"{SERVICE}:"  # + topic: EventConsumer.consumer_name


@dataclass
class Recorder:
    """Applies every delivery as one effect row; notes each call's posts,
    refuses the posts named in `refuse` (a DomainError: to the DLQ) and
    leaves those in `leave` to be handled alone (where they are refused)."""

    calls: list[list[str]] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    leave: set[str] = field(default_factory=set)
    outbox: Outbox | None = None
    topic: str = ""

    async def handle(self, batch: Batch[events.PostApproved]) -> None:
        self.calls.append([d.event.post.post_id for d in batch.deliveries])
        for delivery in batch.deliveries:
            if delivery.event.post.post_id in self.leave:
                batch.leave(delivery, DomainError(f"{delivery.event.post.post_id} left"))
        async with batch.transaction() as session:
            for delivery in batch.deliveries:
                post_id = delivery.event.post.post_id
                if post_id in self.leave and len(batch.deliveries) > 1:
                    continue
                if post_id in self.refuse:
                    raise DomainError(f"{post_id} refused")
                session.add(AppliedPost(post_id=post_id))
                if self.outbox is not None:
                    with delivery.scope():
                        self.outbox.add(
                            session,
                            topic=self.topic,
                            key=post_id,
                            event=delivery.event,
                            tenant_id=delivery.tenant_id,
                        )


@pytest.fixture
async def topic(kafka_bootstrap: str) -> str:
    name = unique_topic()
    await create_topics(kafka_bootstrap, [name, dlq_topic(name, SERVICE)], partitions=1)
    return name


def batched_consumer(
    broker: KafkaBroker,
    topic: str,
    db: Database,
    recorder: Recorder,
    tracer_provider: TracerProvider | None = None,
) -> EventConsumer:
    return EventConsumer(
        service=SERVICE,
        topic=topic,
        db=db,
        broker=broker,
        handlers={events.PostApproved: Batched(recorder.handle)},
        retry=RetryPolicy(attempts=2, first_backoff=0.05),
        in_flight=100,
        tracer_provider=tracer_provider,
    )


async def start_consumer(
    bootstrap: str, topic: str, db: Database, recorder: Recorder
) -> KafkaBroker:
    broker = KafkaBroker(bootstrap, logger=None)
    batched_consumer(broker, topic, db, recorder).register()
    await broker.start()
    return broker


async def inbox_count(db: Database) -> int:
    async with db.session() as session:
        return int(
            (await session.execute(select(func.count()).select_from(InboxRecord))).scalar_one()
        )


async def test_a_poll_is_applied_in_one_transaction_each_event_once(
    any_database, kafka_bootstrap: str, topic: str, producer: AIOKafkaProducer
) -> None:
    db: Database = await any_database()
    await with_effects_table(db)
    # Event 0 was handled before (a redelivery now): it is left out.
    async with db.transaction() as session:
        session.add(InboxRecord(consumer=CONSUMER + topic, ce_id=ce_id(0), processed_at=utcnow()))
    for n in range(30):
        await producer.send_and_wait(
            topic, approved(f"p{n}"), key=f"p{n}".encode(), headers=headers(n)
        )
    await producer.send_and_wait(topic, b"\xff\xff", key=b"poison", headers=headers(99))
    recorder = Recorder()
    consumer = await start_consumer(kafka_bootstrap, topic, db, recorder)
    try:
        await until_applied(db, 29)
        dead = await read_topic(kafka_bootstrap, dlq_topic(topic, SERVICE), expected=1)
    finally:
        await consumer.stop()
    assert sorted(await effects(db)) == sorted(f"p{n}" for n in range(1, 30))
    assert await inbox_count(db) == 30  # the 29 and the one handled before
    # Sent before the consumer started, one poll took them: far fewer calls
    # than events (one each, were they handled alone).
    assert len(recorder.calls) <= 3
    assert max(len(call) for call in recorder.calls) > 1
    assert "p0" not in [p for call in recorder.calls for p in call]
    assert [(r.key, r.headers["chorus_dlq_reason"]) for r in dead] == [(b"poison", b"DecodeError")]


async def test_a_failing_batch_is_handled_one_by_one_and_only_the_bad_event_dead_lettered(
    any_database, kafka_bootstrap: str, topic: str, producer: AIOKafkaProducer
) -> None:
    db: Database = await any_database()
    await with_effects_table(db)
    for n in range(10):
        await producer.send_and_wait(
            topic, approved(f"f{n}"), key=f"f{n}".encode(), headers=headers(n)
        )
    recorder = Recorder(refuse={"f4"})
    consumer = await start_consumer(kafka_bootstrap, topic, db, recorder)
    try:
        dead = await read_topic(kafka_bootstrap, dlq_topic(topic, SERVICE), expected=1)
        await until_applied(db, 9)
    finally:
        await consumer.stop()
    # The batch rolled back (f0..f3 were added before f4 refused), then each
    # alone: nothing applied twice.
    assert sorted(await effects(db)) == sorted(f"f{n}" for n in range(10) if n != 4)
    assert await inbox_count(db) == 9
    assert any(len(call) > 1 for call in recorder.calls)
    assert [(r.key, r.headers["chorus_dlq_reason"]) for r in dead] == [(b"f4", b"DomainError")]


async def test_records_of_one_key_in_a_poll_are_handled_alone_in_offset_order(
    sqlite_database, kafka_bootstrap: str, topic: str, producer: AIOKafkaProducer
) -> None:
    db: Database = await sqlite_database()
    await with_effects_table(db)
    sent = [f"s{n}" for n in range(6)]
    for n, post_id in enumerate(sent):
        await producer.send_and_wait(topic, approved(post_id), key=b"one-share", headers=headers(n))
    recorder = Recorder()
    consumer = await start_consumer(kafka_bootstrap, topic, db, recorder)
    try:
        await until_applied(db, len(sent))
    finally:
        await consumer.stop()
    assert recorder.calls == [[post_id] for post_id in sent]


async def test_another_consumers_event_on_the_topic_is_skipped_and_keeps_nothing_alone(
    sqlite_database, kafka_bootstrap: str, topic: str, producer: AIOKafkaProducer
) -> None:
    db: Database = await sqlite_database()
    await with_effects_table(db)
    # Each key's PostApproved follows an event of another type with the same
    # key (a type this consumer has no handler for, on a shared topic).
    theirs = [(k, v.replace(b"PostApproved", b"PostArchived")) for k, v in headers(1000)]
    for n in range(8):
        key = f"k{n}".encode()
        await producer.send_and_wait(topic, b"not ours", key=key, headers=theirs)
        await producer.send_and_wait(topic, approved(f"k{n}"), key=key, headers=headers(n))
    recorder = Recorder()
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    broker = KafkaBroker(kafka_bootstrap, logger=None)
    batched_consumer(broker, topic, db, recorder, tracer_provider=provider).register()
    await broker.start()
    try:
        await until_applied(db, 8)
    finally:
        await broker.stop()
    # Sent before the consumer started: one poll, one call for all eight
    # (alone, each would be a call of its own).
    assert len(recorder.calls) < 8
    assert sorted(p for call in recorder.calls for p in call) == [f"k{n}" for n in range(8)]
    processed = [s for s in exporter.get_finished_spans() if s.name == f"{topic} process"]
    assert sorted(str((s.attributes or {})["chorus.event_id"]) for s in processed) == sorted(
        ce_id(n) for n in range(8)
    )
    assert await inbox_count(db) == 8


async def test_an_inbox_row_written_meanwhile_fails_the_claim(any_database) -> None:
    db: Database = await any_database()
    await migrate(db, MESSAGING_SCHEMA)
    consumer = batched_consumer(KafkaBroker("127.0.0.1:1"), "claims", db, Recorder())
    async with db.transaction() as session:
        session.add(
            InboxRecord(consumer=consumer.consumer_name, ce_id=ce_id(1), processed_at=utcnow())
        )
    with pytest.raises(AlreadyProcessed):
        async with db.transaction() as session:
            await claim(session, consumer.consumer_name, [ce_id(0), ce_id(1)])
    async with db.transaction() as session:  # none claimed above: all rolled back
        await claim(session, consumer.consumer_name, [ce_id(0), ce_id(2)])
    assert await inbox_count(db) == 3


async def test_what_is_written_for_an_event_continues_its_trace_and_names_its_actor(
    sqlite_database, kafka_bootstrap: str, topic: str, producer: AIOKafkaProducer
) -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    db: Database = await sqlite_database()
    await with_effects_table(db)
    outbox = Outbox("chorus/batched@test")
    recorder = Recorder(outbox=outbox, topic="out")
    for n in range(5):
        await producer.send_and_wait(
            topic, approved(f"t{n}"), key=f"t{n}".encode(), headers=headers(n, f"user:u{n}")
        )
    broker = KafkaBroker(kafka_bootstrap, logger=None)
    batched_consumer(broker, topic, db, recorder, provider).register()
    await broker.start()
    try:
        await until_applied(db, 5)
    finally:
        await broker.stop()
    assert max(len(call) for call in recorder.calls) > 1
    process = {
        str((s.attributes or {})["chorus.post_id"]): s
        for s in exporter.get_finished_spans()
        if s.name == f"{topic} process"
    }
    async with db.session() as session:
        rows = list((await session.execute(select(OutboxMessage))).scalars())
    assert sorted(row.key for row in rows) == [f"t{n}" for n in range(5)]
    for row in rows:
        span = process[row.key]
        assert row.traceparent is not None
        _, trace_id, span_id, _ = row.traceparent.split("-")
        assert int(trace_id, 16) == span.context.trace_id
        assert int(span_id, 16) == span.context.span_id
        assert row.actor == f"user:u{row.key.removeprefix('t')}"


async def test_a_left_event_is_handled_alone_after_the_batch_commits_the_others(
    any_database, kafka_bootstrap: str, topic: str, producer: AIOKafkaProducer
) -> None:
    db: Database = await any_database()
    await with_effects_table(db)
    for n in range(8):
        await producer.send_and_wait(
            topic, approved(f"l{n}"), key=f"l{n}".encode(), headers=headers(n)
        )
    # Left in the batch, then alone it is refused: retried, dead-lettered.
    recorder = Recorder(leave={"l3"}, refuse={"l3"})
    consumer = await start_consumer(kafka_bootstrap, topic, db, recorder)
    try:
        dead = await read_topic(kafka_bootstrap, dlq_topic(topic, SERVICE), expected=1)
        await until_applied(db, 7)
    finally:
        await consumer.stop()
    assert sorted(await effects(db)) == sorted(f"l{n}" for n in range(8) if n != 3)
    assert await inbox_count(db) == 7
    batches = [call for call in recorder.calls if len(call) > 1]
    assert batches and all("l3" in call for call in batches)
    assert recorder.calls[-1] == ["l3"]  # alone, after the batch
    assert [(r.key, r.headers["chorus_dlq_reason"]) for r in dead] == [(b"l3", b"DomainError")]
