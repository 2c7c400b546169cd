"""The delivery guarantees of chorus_messaging, against the real Kafka broker
and the real databases (SQLite and PostgreSQL):

* an event written to the outbox just before a crash is still delivered, and
  applied exactly once by the consumer, even when the relay published it twice;
* a redelivered event changes nothing;
* a poison message goes to the DLQ with its original bytes and headers, and the
  consumer keeps going;
* so does an event whose body names another tenant than its ce_tenantid
  header; an empty body tenant is filled from the header;
* a handler that keeps failing is retried a bounded number of times, then DLQ;
* the relay, sending many rows at once, keeps each key's events in the order
  they were written.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import pytest
from aiokafka import AIOKafkaProducer
from chorus.content.v1 import content_events_pb2 as events
from chorus.content.v1 import content_service_pb2 as content_pb
from chorus_db import Database, migrate
from chorus_messaging import MESSAGING_SCHEMA, EventConsumer, EventContext, Outbox, OutboxRelay
from chorus_messaging.consumer import RetryPolicy
from chorus_messaging.tables import OutboxMessage
from chorus_messaging.topics import dlq_topic
from chorus_testing.kafka import create_topics, read_topic, unique_topic
from faststream.kafka import KafkaBroker
from sqlalchemy import func, select
from sqlmodel import Field, SQLModel

pytestmark = pytest.mark.infra


class AppliedEffect(SQLModel, table=True):
    """What a test handler does: one row per applied event."""

    __tablename__ = "test_applied_effects"
    id: int | None = Field(default=None, primary_key=True)
    post_id: str


async def with_effects_table(db: Database) -> None:
    """The messaging tables by their migrations, plus this test's own table
    (a test fixture, not part of any service's schema)."""
    await migrate(db, MESSAGING_SCHEMA)
    async with db.engine.begin() as conn:
        effects = SQLModel.metadata.tables[AppliedEffect.__tablename__]
        await conn.run_sync(SQLModel.metadata.create_all, tables=[effects])


def approved(post_id: str, tenant_id: str = "t1") -> events.PostApproved:
    return events.PostApproved(
        tenant_id=tenant_id, post=content_pb.Post(post_id=post_id, tenant_id=tenant_id)
    )


@dataclass
class Pipeline:
    bootstrap: str
    topic: str
    service: str = "testsvc"
    calls: list[str] = field(default_factory=list)
    tenants: list[tuple[str, str]] = field(default_factory=list)  # (body, context)
    fail_times: int = 0

    async def handle(self, event: events.PostApproved, ctx: EventContext) -> None:
        self.calls.append(ctx.envelope.ce_id)
        self.tenants.append((event.tenant_id, ctx.tenant_id))
        if self.fail_times:
            self.fail_times -= 1
            raise RuntimeError("transient failure")
        async with ctx.transaction() as session:
            session.add(AppliedEffect(post_id=event.post.post_id))


async def count_effects(db: Database) -> int:
    async with db.session() as session:
        return (await session.execute(select(func.count()).select_from(AppliedEffect))).scalar_one()


@pytest.fixture
async def topic(kafka_bootstrap: str) -> str:
    name = unique_topic()
    await create_topics(kafka_bootstrap, [name, dlq_topic(name, "testsvc")])
    return name


async def start_consumer(
    bootstrap: str, topic: str, db: Database, pipeline: Pipeline, retry: RetryPolicy | None = None
) -> KafkaBroker:
    broker = KafkaBroker(bootstrap, logger=None)
    EventConsumer(
        service=pipeline.service,
        topic=topic,
        db=db,
        broker=broker,
        handlers={events.PostApproved: pipeline.handle},
        retry=retry or RetryPolicy(attempts=3, first_backoff=0.05),
    ).register()
    await broker.start()
    return broker


async def wait_until(predicate, timeout: float = 30.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        if await predicate():
            return
        await asyncio.sleep(0.1)
    raise AssertionError("condition not met in time")


async def test_outbox_row_written_before_crash_is_delivered_once(
    any_database, kafka_bootstrap: str, topic: str
) -> None:
    producer_db: Database = await any_database()
    consumer_db: Database = await any_database()
    await migrate(producer_db, MESSAGING_SCHEMA)
    await with_effects_table(consumer_db)

    # The business transaction commits its event... and the process dies
    # before any relay ran.
    outbox = Outbox("chorus/test@local")
    async with producer_db.transaction() as session:
        outbox.add(session, topic=topic, key="p1", event=approved("p1"), tenant_id="t1")
    url = producer_db.url
    await producer_db.dispose()

    # Restart #1: the relay publishes, then dies before marking the row.
    restarted = Database(url)
    broker = KafkaBroker(kafka_bootstrap, logger=None)
    await broker.start()
    relay = OutboxRelay(restarted, broker, Outbox("chorus/test@local"))
    async with restarted.session() as session:
        row = (await session.execute(select(OutboxMessage))).scalar_one()
    await relay.send(row)  # acknowledged by Kafka, never marked published

    # Restart #2: a healthy relay publishes the still-unmarked row again.
    assert await relay.publish_batch() == 1
    assert await relay.publish_batch() == 0
    published = await read_topic(kafka_bootstrap, topic, expected=2)
    assert len(published) == 2
    assert published[0].headers["ce_id"] == published[1].headers["ce_id"] == row.ce_id.encode()

    pipeline = Pipeline(kafka_bootstrap, topic)
    consumer = await start_consumer(kafka_bootstrap, topic, consumer_db, pipeline)
    try:
        await wait_until(lambda: _gte(len(pipeline.calls), 2))
        assert await count_effects(consumer_db) == 1  # two deliveries, one effect
    finally:
        await consumer.stop()
        await broker.stop()
        await restarted.dispose()


async def _gte(a: int, b: int) -> bool:
    return a >= b


async def test_redelivered_event_changes_nothing(
    any_database, kafka_bootstrap: str, topic: str, producer: AIOKafkaProducer
) -> None:
    db: Database = await any_database()
    await with_effects_table(db)
    headers = [
        ("ce_id", b"0192f0c8-0000-7000-8000-000000000001"),
        ("ce_type", b"chorus.content.v1.PostApproved"),
        ("ce_source", b"chorus/test@local"),
        ("ce_time", b"2026-11-21T08:00:00+00:00"),
        ("ce_tenantid", b"t1"),
    ]
    for _ in range(3):  # the same event, delivered three times
        await producer.send_and_wait(
            topic, approved("p2").SerializeToString(), key=b"p2", headers=headers
        )
    pipeline = Pipeline(kafka_bootstrap, topic)
    consumer = await start_consumer(kafka_bootstrap, topic, db, pipeline)
    try:
        await wait_until(lambda: _gte(len(pipeline.calls), 3))
        assert await count_effects(db) == 1
    finally:
        await consumer.stop()


async def test_poison_messages_go_to_dlq_with_original_headers_and_consumer_continues(
    sqlite_database, kafka_bootstrap: str, topic: str, producer: AIOKafkaProducer
) -> None:
    db: Database = await sqlite_database()
    await with_effects_table(db)
    good_headers = [
        ("ce_id", b"0192f0c8-0000-7000-8000-0000000000aa"),
        ("ce_type", b"chorus.content.v1.PostApproved"),
        ("ce_source", b"chorus/test@local"),
        ("ce_time", b"2026-11-21T08:00:00+00:00"),
        ("ce_tenantid", b"t1"),
        ("traceparent", b"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
    ]
    undecodable = b"\xff\xff\xff\xff"
    await producer.send_and_wait(topic, undecodable, key=b"bad", headers=good_headers, partition=0)
    await producer.send_and_wait(
        topic, approved("x").SerializeToString(), key=b"nohdr", partition=0
    )
    ok_headers = [
        (k, v if k != "ce_id" else b"0192f0c8-0000-7000-8000-0000000000bb") for k, v in good_headers
    ]
    await producer.send_and_wait(
        topic, approved("p3").SerializeToString(), key=b"p3", headers=ok_headers, partition=0
    )

    pipeline = Pipeline(kafka_bootstrap, topic)
    consumer = await start_consumer(kafka_bootstrap, topic, db, pipeline)
    try:
        await wait_until(lambda: _count_is(db, 1))  # the good message after the poison ones
        dead = await read_topic(kafka_bootstrap, dlq_topic(topic, "testsvc"), expected=2)
    finally:
        await consumer.stop()
    assert len(dead) == 2
    by_key = {r.key: r for r in dead}
    decode_failure = by_key[b"bad"]
    assert decode_failure.value == undecodable
    for name, value in good_headers:  # original headers kept, byte for byte
        assert decode_failure.headers[name] == value
    assert decode_failure.headers["chorus_dlq_reason"] == b"DecodeError"
    assert decode_failure.headers["chorus_dlq_original_topic"] == topic.encode()
    assert by_key[b"nohdr"].headers["chorus_dlq_reason"] == b"EnvelopeError"
    assert by_key[b"nohdr"].value == approved("x").SerializeToString()


async def test_a_body_naming_another_tenant_goes_to_dlq_and_the_consumer_continues(
    sqlite_database, kafka_bootstrap: str, topic: str, producer: AIOKafkaProducer
) -> None:
    db: Database = await sqlite_database()
    await with_effects_table(db)

    def headers(n: int) -> list[tuple[str, bytes]]:
        return [
            ("ce_id", f"0192f0c8-0000-7000-8000-0000000000c{n}".encode()),
            ("ce_type", b"chorus.content.v1.PostApproved"),
            ("ce_source", b"chorus/test@local"),
            ("ce_time", b"2026-11-21T08:00:00+00:00"),
            ("ce_tenantid", b"t1"),
        ]

    crossed = approved("p6", tenant_id="t2").SerializeToString()
    sent = [
        (b"crossed", crossed),
        (b"no-body-tenant", approved("p7", tenant_id="").SerializeToString()),
        (b"same", approved("p8").SerializeToString()),
    ]
    for n, (key, value) in enumerate(sent):
        await producer.send_and_wait(topic, value, key=key, headers=headers(n), partition=0)

    pipeline = Pipeline(kafka_bootstrap, topic)
    consumer = await start_consumer(kafka_bootstrap, topic, db, pipeline)
    try:
        await wait_until(lambda: _count_is(db, 2))  # the two after the crossed one
        dead = await read_topic(kafka_bootstrap, dlq_topic(topic, "testsvc"), expected=1)
    finally:
        await consumer.stop()
    assert [(r.key, r.value) for r in dead] == [(b"crossed", crossed)]
    assert dead[0].headers["chorus_dlq_reason"] == b"TenantMismatch"
    assert dead[0].headers["chorus_dlq_attempts"] == b"0"  # never handled, never retried
    assert dead[0].headers["ce_tenantid"] == b"t1"
    # The handler never saw t2; the empty body was filled from the header.
    assert pipeline.tenants == [("t1", "t1"), ("t1", "t1")]


async def _count_is(db: Database, n: int) -> bool:
    return await count_effects(db) == n


async def test_transient_failures_retry_then_succeed_or_go_to_dlq(
    sqlite_database, kafka_bootstrap: str, topic: str, producer: AIOKafkaProducer
) -> None:
    db: Database = await sqlite_database()
    await with_effects_table(db)

    def headers(n: int) -> list[tuple[str, bytes]]:
        return [
            ("ce_id", f"0192f0c8-0000-7000-8000-00000000000{n}".encode()),
            ("ce_type", b"chorus.content.v1.PostApproved"),
            ("ce_source", b"chorus/test@local"),
            ("ce_time", b"2026-11-21T08:00:00+00:00"),
            ("ce_tenantid", b"t1"),
        ]

    # First message: fails twice, then works (3 attempts allowed).
    pipeline = Pipeline(kafka_bootstrap, topic, fail_times=2)
    await producer.send_and_wait(
        topic, approved("p4").SerializeToString(), key=b"p4", headers=headers(1), partition=0
    )
    consumer = await start_consumer(kafka_bootstrap, topic, db, pipeline)
    try:
        await wait_until(lambda: _count_is(db, 1))
        assert len(pipeline.calls) == 3
        # Second message: fails more often than allowed -> DLQ after 3 attempts.
        pipeline.fail_times = 10
        await producer.send_and_wait(
            topic, approved("p5").SerializeToString(), key=b"p5", headers=headers(2), partition=0
        )
        dead = await read_topic(kafka_bootstrap, dlq_topic(topic, "testsvc"), expected=1)
    finally:
        await consumer.stop()
    assert len(dead) == 1
    assert dead[0].headers["chorus_dlq_attempts"] == b"3"
    assert dead[0].headers["chorus_dlq_reason"] == b"RuntimeError"
    assert await count_effects(db) == 1


async def test_the_relay_keeps_each_keys_events_in_order_while_sending_many_at_once(
    sqlite_database, kafka_bootstrap: str
) -> None:
    topic = unique_topic()
    await create_topics(kafka_bootstrap, [topic], partitions=3)
    db: Database = await sqlite_database()
    await migrate(db, MESSAGING_SCHEMA)
    outbox = Outbox("chorus/test@local")
    # 100 aggregates, three events each, written interleaved: one wave per
    # round of keys, each wave sent at once.
    async with db.transaction() as session:
        for step in range(3):
            for n in range(100):
                outbox.add(
                    session,
                    topic=topic,
                    key=f"k{n}",
                    event=approved(f"k{n}-{step}"),
                    tenant_id="t1",
                )
    broker = KafkaBroker(kafka_bootstrap, logger=None)
    await broker.start()
    try:
        assert await OutboxRelay(db, broker, outbox).publish_batch() == 300
    finally:
        await broker.stop()
    published = await read_topic(kafka_bootstrap, topic, expected=300)
    by_key: dict[bytes | None, list[str]] = {}
    for record in sorted(published, key=lambda r: (r.partition, r.offset)):
        post_id = events.PostApproved.FromString(record.value).post.post_id
        by_key.setdefault(record.key, []).append(post_id)
    assert len(published) == 300
    assert by_key == {f"k{n}".encode(): [f"k{n}-0", f"k{n}-1", f"k{n}-2"] for n in range(100)}
