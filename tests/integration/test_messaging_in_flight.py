"""Many records in flight (EventConsumer.in_flight > 1), on the real broker and
the real databases:

* records of different keys are handled at once, and one that waits (here:
  until all the others are done) holds none of them up; a poison record in
  the batch still goes to the DLQ;
* records of one key are handled one after the other, in offset order;
* a consumer that dies with a batch half handled commits nothing: the batch
  is redelivered to the next consumer and every effect is applied once;
* each record is handled under its own process span, a child of its
  producer's create span, with the chorus.* attributes.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field

import pytest
from aiokafka import AIOKafkaProducer
from chorus.content.v1 import content_events_pb2 as events
from chorus.content.v1 import content_service_pb2 as content_pb
from chorus_db import Database
from chorus_messaging import EventConsumer, EventContext, Outbox, OutboxRelay
from chorus_messaging.broker import make_broker
from chorus_messaging.consumer import RetryPolicy
from chorus_messaging.topics import dlq_topic
from chorus_testing.kafka import create_topics, read_topic, unique_topic
from faststream.kafka import KafkaBroker
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from tests.integration.messaging_support import (
    AppliedPost,
    approved,
    effects,
    headers,
    until_applied,
    with_effects_table,
)

pytestmark = pytest.mark.infra

SERVICE = "inflightsvc"


@dataclass
class Handler:
    """Records who runs when; `hold` blocks the handling of the named posts
    until its event is set."""

    running: int = 0
    most_at_once: int = 0
    order: list[str] = field(default_factory=list)
    hold: dict[str, asyncio.Event] = field(default_factory=dict)
    calls: int = 0

    async def handle(self, event: events.PostApproved, ctx: EventContext) -> None:
        post_id = event.post.post_id
        self.calls += 1
        self.running += 1
        self.most_at_once = max(self.most_at_once, self.running)
        try:
            await asyncio.sleep(0.05)  # some waiting, as a network call does
            if post_id in self.hold:
                await self.hold[post_id].wait()
            async with ctx.transaction() as session:
                session.add(AppliedPost(post_id=post_id))
                # Noted before the commit: once the test sees the row, its
                # place in the order is taken (after the commit, the test
                # could see the row before the note).
                self.order.append(post_id)
        finally:
            self.running -= 1


@pytest.fixture
async def topic(kafka_bootstrap: str) -> str:
    name = unique_topic()
    await create_topics(kafka_bootstrap, [name, dlq_topic(name, SERVICE)])
    return name


async def start_consumer(
    bootstrap: str, topic: str, db: Database, handler: Handler, *, graceful: float = 15.0
) -> KafkaBroker:
    broker = KafkaBroker(bootstrap, logger=None, graceful_timeout=graceful)
    EventConsumer(
        service=SERVICE,
        topic=topic,
        db=db,
        broker=broker,
        handlers={events.PostApproved: handler.handle},
        retry=RetryPolicy(attempts=2, first_backoff=0.05),
        in_flight=32,
    ).register()
    await broker.start()
    return broker


async def test_records_of_different_keys_are_handled_at_once_and_a_waiting_one_holds_none_up(
    any_database, kafka_bootstrap: str, topic: str, producer: AIOKafkaProducer
) -> None:
    db: Database = await any_database()
    await with_effects_table(db)
    handler = Handler()
    # "slow" waits until the 20 others are applied: a consumer that handled
    # one record at a time (or that let one hold up its batch) never ends.
    handler.hold["slow"] = asyncio.Event()
    await producer.send_and_wait(
        topic, approved("slow"), key=b"slow", headers=headers(0), partition=0
    )
    await producer.send_and_wait(topic, b"\xff\xff", key=b"poison", headers=headers(1), partition=0)
    for n in range(20):
        await producer.send_and_wait(
            topic, approved(f"p{n}"), key=f"p{n}".encode(), headers=headers(2 + n), partition=0
        )
    consumer = await start_consumer(kafka_bootstrap, topic, db, handler)
    try:
        await until_applied(db, 20)
        assert "slow" not in await effects(db)
        handler.hold["slow"].set()

        await until_applied(db, 21)  # the 20 and "slow"
        dead = await read_topic(kafka_bootstrap, dlq_topic(topic, SERVICE), expected=1)
    finally:
        await consumer.stop()
    assert sorted(await effects(db)) == sorted(["slow", *(f"p{n}" for n in range(20))])
    assert handler.order[-1] == "slow"
    assert handler.most_at_once > 1
    assert [(r.key, r.headers["chorus_dlq_reason"]) for r in dead] == [(b"poison", b"DecodeError")]


async def test_records_of_one_key_are_handled_one_after_the_other_in_offset_order(
    sqlite_database, kafka_bootstrap: str, topic: str, producer: AIOKafkaProducer
) -> None:
    db: Database = await sqlite_database()
    await with_effects_table(db)
    handler = Handler()
    sent = [f"s{n}" for n in range(12)]
    for n, post_id in enumerate(sent):
        await producer.send_and_wait(topic, approved(post_id), key=b"one-share", headers=headers(n))
    consumer = await start_consumer(kafka_bootstrap, topic, db, handler)
    try:
        await until_applied(db, len(sent))
    finally:
        await consumer.stop()
    assert handler.order == sent
    assert handler.most_at_once == 1


async def test_a_consumer_dying_mid_batch_commits_nothing_and_the_batch_is_applied_once(
    any_database, kafka_bootstrap: str, topic: str, producer: AIOKafkaProducer
) -> None:
    db: Database = await any_database()
    await with_effects_table(db)
    sent = [f"c{n}" for n in range(10)]
    for n, post_id in enumerate(sent):
        await producer.send_and_wait(
            topic, approved(post_id), key=post_id.encode(), headers=headers(n), partition=0
        )
    first = Handler()
    first.hold["c9"] = asyncio.Event()  # never set: this consumer dies on it
    consumer = await start_consumer(kafka_bootstrap, topic, db, first, graceful=0.5)

    try:
        await until_applied(db, 9)
    finally:
        # Stopped without draining (graceful timeout over): "c9" is cut off,
        # and the batch's offsets were never committed.
        with contextlib.suppress(Exception):
            await consumer.stop()

    second = Handler()
    consumer = await start_consumer(kafka_bootstrap, topic, db, second)
    try:
        await until_applied(db, len(sent))
    finally:
        await consumer.stop()
    # The whole batch came again: the nine handled ones were inbox no-ops
    # (their effects not applied twice), the tenth was applied now.
    assert second.calls == len(sent)
    assert second.order == ["c9"]
    assert sorted(await effects(db)) == sorted(sent)


async def test_each_record_of_a_batch_is_processed_in_its_producers_trace(
    sqlite_database, kafka_bootstrap: str
) -> None:
    topic = unique_topic()
    await create_topics(kafka_bootstrap, [topic, dlq_topic(topic, SERVICE)], partitions=1)
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    db: Database = await sqlite_database()
    await with_effects_table(db)
    handler = Handler()
    producer = make_broker(kafka_bootstrap, "in-flight-producer", tracer_provider=provider)
    consumer = make_broker(kafka_bootstrap, "in-flight-consumer", tracer_provider=provider)
    EventConsumer(
        service=SERVICE,
        topic=topic,
        db=db,
        broker=consumer,
        handlers={events.PostApproved: handler.handle},
        in_flight=8,
        tracer_provider=provider,
    ).register()
    outbox = Outbox("chorus/in-flight@test")
    async with db.transaction() as session:
        for n in range(5):
            outbox.add(
                session,
                topic=topic,
                key=f"k{n}",
                event=events.PostApproved(
                    tenant_id="t1", post=content_pb.Post(post_id=f"t{n}", tenant_id="t1")
                ),
                tenant_id="t1",
            )
    await producer.start()
    try:
        # Published before the consumer starts, so that one poll takes them all.
        relay = OutboxRelay(db, producer, outbox, tracer_provider=provider)
        assert await relay.publish_batch() == 5
        await consumer.start()

        await until_applied(db, 5)
    finally:
        await consumer.stop()
        await producer.stop()

    spans = exporter.get_finished_spans()
    creates = {
        (s.attributes or {})["chorus.event_id"]: s
        for s in spans
        if s.name == f"{topic} create" and "chorus.event_id" in (s.attributes or {})
    }
    processes = [
        s
        for s in spans
        if s.name == f"{topic} process" and "chorus.event_id" in (s.attributes or {})
    ]
    assert len(creates) == 5 and len(processes) == 5
    for process in processes:
        attributes = process.attributes or {}
        create = creates[str(attributes["chorus.event_id"])]
        assert process.parent is not None
        assert process.parent.span_id == create.context.span_id
        assert process.context.trace_id == create.context.trace_id
        assert attributes["chorus.tenant_id"] == "t1"
        assert attributes["chorus.event_type"] == "chorus.content.v1.PostApproved"
        assert str(attributes["chorus.post_id"]).startswith("t")
