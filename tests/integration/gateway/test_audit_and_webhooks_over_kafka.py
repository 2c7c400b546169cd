"""The audit trail and a webhook over the real infrastructure: a service's
change recorded with chorus_messaging.audit.record in its PostgreSQL
transaction, sent by its outbox relay through the real Kafka broker (with
the ce_actor header), consumed by the gateway's EventConsumer into its
append-only audit log on PostgreSQL; a SharePublished taking the same road
to the gateway's webhook queue, and the delivery worker posting it, signed,
to a real HTTPS receiver."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from chorus.publishing.v1 import publishing_events_pb2 as publishing_events
from chorus_db import Database, migrate
from chorus_identity import acting_as
from chorus_identity.principal import Role, user
from chorus_messaging import MESSAGING_SCHEMA, EventConsumer, Outbox, OutboxRelay, make_broker
from chorus_messaging.audit import record
from chorus_messaging.consumer import RetryPolicy
from chorus_messaging.subscriptions import merge_by_topic
from chorus_messaging.topics import AUDIT, SHARES_PUBLISHED, dlq_topic
from chorus_testing.fixtures import create_pg_database
from chorus_testing.kafka import create_topics, read_topic
from faststream.kafka import KafkaBroker
from gateway_service import composition
from gateway_service.adapters.audit_store import SqlAuditLog
from gateway_service.adapters.migrations import SCHEMA as GATEWAY_SCHEMA
from gateway_service.adapters.webhook_sender import HttpSender, tls_context
from gateway_service.app.audit import AuditFilter, AuditLog
from gateway_service.entrypoints import kafka_handlers
from gateway_service.settings import GatewaySettings
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from tests.component.gateway.webhook_receiver import Receiver, start_receiver, verify

pytestmark = pytest.mark.infra
TENANT = "acme"
ADMIN = user("alice-sub", TENANT, Role.TENANT_ADMIN)


@dataclass
class Stack:
    prefix: str
    service_db: Database
    gateway_db: Database
    outbox: Outbox
    settings: GatewaySettings
    audit_log: AuditLog


async def until(check: Callable[[], Awaitable[bool]], timeout: float = 30.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        if await check():
            return
        await asyncio.sleep(0.1)
    raise AssertionError("not in time")


@pytest.fixture
def receiver(tmp_path: Path) -> Iterator[Receiver]:
    found = start_receiver(tmp_path)
    yield found
    found.close()


@pytest.fixture
async def stack(
    kafka_bootstrap: str, pg_admin_url: str, receiver: Receiver
) -> AsyncIterator[Stack]:
    prefix = f"it{uuid.uuid4().hex[:8]}."
    topics = [AUDIT, SHARES_PUBLISHED]
    await create_topics(
        kafka_bootstrap,
        [prefix + t for t in topics] + [prefix + dlq_topic(t, "gateway") for t in topics],
    )
    service_db = Database(await create_pg_database(pg_admin_url))
    gateway_db = Database(await create_pg_database(pg_admin_url))
    await migrate(service_db, MESSAGING_SCHEMA)
    await migrate(gateway_db, GATEWAY_SCHEMA)
    settings = GatewaySettings(
        gateway_encryption_key=base64.urlsafe_b64encode(os.urandom(32)).decode(),
        gateway_webhook_ca_bundle=str(receiver.ca_bundle),
        gateway_webhook_tick_seconds=0.1,
    )
    # The producing service: its outbox and relay.
    outbox = Outbox("chorus/targeting@eu-west")
    relay_broker = make_broker(kafka_bootstrap, client_id="chorus-test-producer")
    relay = OutboxRelay(service_db, relay_broker, outbox, topic_prefix=prefix, poll_interval=0.1)
    # The gateway: its consumers and the delivery worker, as main.py wires them.
    audit_log = AuditLog(gateway_db, SqlAuditLog.on)
    gateway_broker: KafkaBroker = make_broker(kafka_bootstrap, client_id="chorus-test-gateway")
    for sub in merge_by_topic(
        kafka_handlers.subscriptions(audit_log, composition.webhook_intake())
    ):
        if sub.topic in topics:
            EventConsumer(
                service="gateway",
                topic=sub.topic,
                db=gateway_db,
                broker=gateway_broker,
                handlers=sub.handlers,
                retry=RetryPolicy(attempts=3, first_backoff=0.05),
                topic_prefix=prefix,
            ).register()
    gateway_outbox = Outbox("chorus/gateway@eu-west")
    sender = HttpSender(tls_context(settings.gateway_webhook_ca_bundle), timeout=5)
    delivery = composition.webhook_delivery(settings, gateway_db, gateway_outbox, sender)
    await relay_broker.start()
    await gateway_broker.start()
    tasks = [asyncio.create_task(relay.run()), asyncio.create_task(delivery.run())]
    try:
        yield Stack(prefix, service_db, gateway_db, outbox, settings, audit_log)
    finally:
        relay.stop()
        delivery.stop()
        await asyncio.gather(*tasks)
        await gateway_broker.stop()
        await relay_broker.stop()
        await sender.aclose()
        await service_db.dispose()
        await gateway_db.dispose()


async def test_an_audited_change_reaches_the_gateways_append_only_log(
    stack: Stack, kafka_bootstrap: str
) -> None:
    with acting_as(ADMIN):
        async with stack.service_db.transaction() as session:
            audit_id = record(
                session,
                stack.outbox,
                tenant_id=TENANT,
                action="scim_token.issue",
                target_type="scim_token",
                target_id=TENANT,
                before={"active": True},
                after={"active": True, "token_version": 2},
                request_id="req-scim-1",
            )

    async def kept() -> bool:
        found, _ = await stack.audit_log.page(ADMIN, AuditFilter(), None, 10)
        return bool(found)

    await until(kept)
    [entry], _ = await stack.audit_log.page(ADMIN, AuditFilter(), None, 10)
    assert (entry.audit_id, entry.actor, entry.action) == (
        audit_id,
        "user:alice-sub",
        "scim_token.issue",
    )
    assert (entry.service, entry.request_id) == ("targeting", "req-scim-1")
    assert json.loads(entry.summary) == {"token_version": [None, 2]}
    # On the wire: keyed by tenant, the actor in its header, no personal data.
    [sent] = await read_topic(kafka_bootstrap, stack.prefix + AUDIT, 1)
    assert sent.key == TENANT.encode()
    assert sent.headers["ce_actor"] == b"user:alice-sub"
    # The gateway's copy cannot be changed or removed on PostgreSQL.
    for statement in (
        "UPDATE gateway_audit_log SET actor = 'user:someone-else'",
        "DELETE FROM gateway_audit_log",
    ):
        with pytest.raises(DBAPIError, match="append-only"):
            async with stack.gateway_db.transaction() as session:
                await session.execute(text(statement))
    [still], _ = await stack.audit_log.page(ADMIN, AuditFilter(), None, 10)
    assert still == entry


async def test_a_share_published_reaches_the_webhook_receiver_signed(
    stack: Stack, receiver: Receiver
) -> None:
    webhooks = composition.webhooks(stack.settings, stack.gateway_db, Outbox("chorus/gateway@x"))
    await webhooks.set_allowed_hosts(ADMIN, ["127.0.0.1"], "hosts-1")
    hook, secret = await webhooks.create(ADMIN, receiver.url, ["share.published"], "hook-1")
    event = publishing_events.SharePublished(
        tenant_id=TENANT, share_id="s-1", post_id="p-1", employee_id="e-1", network="bluesky"
    )
    async with stack.service_db.transaction() as session:
        stack.outbox.add(session, topic=SHARES_PUBLISHED, key="s-1", event=event, tenant_id=TENANT)

    async def received() -> bool:
        return bool(receiver.received)

    await until(received)
    [got] = receiver.received
    assert verify(secret, got)
    body = json.loads(got.body)
    assert (body["type"], body["data"]["share_id"]) == ("share.published", "s-1")
    deliveries, _ = await webhooks.deliveries(ADMIN, hook.webhook_id, "", 10)
    [delivery] = deliveries
    assert delivery.delivery_id == got.headers["webhook-id"]

    async def delivered() -> bool:
        found, _ = await webhooks.deliveries(ADMIN, hook.webhook_id, "", 10)
        return found[0].status.value == "delivered"

    await until(delivered)
