"""Who caused an event travels with it, through the real Kafka broker and
the real databases (SQLite and PostgreSQL):

* an event written in a person's call carries `ce_actor: user:<subject>`
  (the outbox stores it, the relay sends it);
* a consumer's handler runs as its service (the principal), sees the actor
  on `ctx.actor`, and the event it writes carries the same actor on
  (causation), sent by its own relay with its own source;
* an event that names nobody (another producer, no header) is handled with
  `ctx.actor == ""`, and what the handler writes is the service's own;
* an event written by no call at all (a timer) is the producing service's.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from aiokafka import AIOKafkaProducer
from chorus.content.v1 import content_events_pb2 as events
from chorus.content.v1 import content_service_pb2 as content_pb
from chorus_db import migrate
from chorus_identity.context import acting_as, current_principal
from chorus_identity.principal import Role, user
from chorus_messaging import MESSAGING_SCHEMA, EventConsumer, EventContext, Outbox, OutboxRelay
from chorus_messaging.consumer import RetryPolicy
from chorus_messaging.topics import dlq_topic
from chorus_testing.fixtures import DatabaseFactory
from chorus_testing.kafka import Record, create_topics, read_topic, unique_topic
from faststream.kafka import KafkaBroker

pytestmark = pytest.mark.infra

EMPLOYEE = user("3f0c9d2e-emp", "t1", Role.EMPLOYEE, employee_id="e-1")


def approved(post_id: str) -> events.PostApproved:
    return events.PostApproved(
        tenant_id="t1", post=content_pb.Post(post_id=post_id, tenant_id="t1")
    )


@dataclass
class Forwarder:
    """A publishing-like handler: for each event it handles, records what it
    saw and writes an event of its own (in the handler's transaction)."""

    outbox: Outbox
    topic: str
    seen: list[tuple[str, str, str]] = field(default_factory=list)  # (post, actor, principal)

    async def handle(self, event: events.PostApproved, ctx: EventContext) -> None:
        self.seen.append((event.post.post_id, ctx.actor, current_principal().ref))
        async with ctx.transaction() as session:
            self.outbox.add(
                session,
                topic=self.topic,
                key=event.post.post_id,
                event=approved(f"{event.post.post_id}-next"),
                tenant_id=ctx.tenant_id,
            )


async def wait_until(predicate: Callable[[], bool], timeout: float = 30.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.1)


def by_key(records: list[Record]) -> dict[bytes | None, dict[str, bytes]]:
    return {r.key: r.headers for r in records}


async def drain(relay: OutboxRelay, rows: int) -> None:
    """Publish until `rows` rows went out (the handler's commits come in as
    the consumer works)."""
    sent = 0
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 30.0
    while sent < rows:
        if loop.time() > deadline:
            raise AssertionError(f"only {sent} of {rows} outbox rows published")
        sent += await relay.publish_batch()
        await asyncio.sleep(0.1)


async def test_the_actor_travels_with_the_events_it_causes(
    any_database: DatabaseFactory, kafka_bootstrap: str
) -> None:
    first, second = unique_topic(), unique_topic()
    await create_topics(kafka_bootstrap, [first, second, dlq_topic(first, "publishing")])
    scheduling_db, publishing_db = await any_database(), await any_database()
    for db in (scheduling_db, publishing_db):
        await migrate(db, MESSAGING_SCHEMA)
    scheduling = Outbox("chorus/scheduling@eu-west")
    publishing = Outbox("chorus/publishing@eu-west")
    broker = KafkaBroker(kafka_bootstrap, logger=None)
    forwarder = Forwarder(publishing, second)
    EventConsumer(
        service="publishing",
        topic=first,
        db=publishing_db,
        broker=broker,
        handlers={events.PostApproved: forwarder.handle},
        retry=RetryPolicy(attempts=2, first_backoff=0.05),
    ).register()
    await broker.start()
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
    await producer.start()
    try:
        # The employee's call writes p1; a timer (no call) writes p2.
        async with scheduling_db.transaction() as session:
            with acting_as(EMPLOYEE, "their-token"):
                scheduling.add(session, topic=first, key="p1", event=approved("p1"), tenant_id="t1")
            scheduling.add(session, topic=first, key="p2", event=approved("p2"), tenant_id="t1")
        await OutboxRelay(scheduling_db, broker, scheduling).publish_batch()
        # Another producer's event, without any actor header.
        await producer.send_and_wait(
            first,
            approved("p3").SerializeToString(),
            key=b"p3",
            headers=[
                ("ce_id", b"0192f0c8-0000-7000-8000-0000000000a3"),
                ("ce_type", b"chorus.content.v1.PostApproved"),
                ("ce_source", b"chorus/elsewhere@eu-west"),
                ("ce_time", b"2026-12-01T08:00:00+00:00"),
                ("ce_tenantid", b"t1"),
            ],
        )

        sent = by_key(await read_topic(kafka_bootstrap, first, expected=3))
        assert sent[b"p1"]["ce_actor"] == b"user:3f0c9d2e-emp"
        assert sent[b"p2"]["ce_actor"] == b"service:scheduling"
        assert "ce_actor" not in sent[b"p3"]

        await wait_until(lambda: len(forwarder.seen) == 3)
        assert sorted(forwarder.seen) == [
            ("p1", "user:3f0c9d2e-emp", "service:publishing"),  # runs as the service
            ("p2", "service:scheduling", "service:publishing"),
            ("p3", "", "service:publishing"),
        ]
        relay = OutboxRelay(publishing_db, broker, publishing)
        await drain(relay, rows=3)
        caused = by_key(await read_topic(kafka_bootstrap, second, expected=3))
    finally:
        await producer.stop()
        await broker.stop()
    assert {k: h["ce_actor"] for k, h in caused.items()} == {
        b"p1": b"user:3f0c9d2e-emp",  # the employee's share, published by the service
        b"p2": b"service:scheduling",
        b"p3": b"service:publishing",  # nobody named: the handling service's own
    }
    assert all(h["ce_source"] == b"chorus/publishing@eu-west" for h in caused.values())
