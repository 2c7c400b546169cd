"""What the audit and webhook tests do over and over: act as a tenant admin,
hand an event to the gateway's own consumers (its kafka_handlers, with the
context the consumer builds), move what the gateway wrote to its outbox to
its own audit consumer, and run the delivery worker against a receiver."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from chorus.audit.v1 import audit_events_pb2 as audit_events
from chorus_core.clock import utcnow
from chorus_db import Database
from chorus_messaging import OutboxMessage
from chorus_messaging.topics import AUDIT
from chorus_testing.events import event_context, outbox_rows
from gateway_service import composition
from gateway_service.adapters.webhook_queue import SqlDeliveryQueue
from gateway_service.adapters.webhook_sender import HttpSender, tls_context
from gateway_service.adapters.webhook_store import SqlWebhookStore
from gateway_service.app.webhook_delivery import WebhookDelivery
from gateway_service.domain.webhooks import RetryPolicy
from gateway_service.entrypoints import kafka_handlers
from google.protobuf.message import Message

from tests.component.gateway.webhook_receiver import Receiver

if TYPE_CHECKING:
    from tests.component.gateway.conftest import Gateway

TENANT = "acme"


def db_of(gw: Gateway) -> Database:
    webhooks = gw.deps.webhooks
    assert webhooks is not None and isinstance(webhooks.db, Database)
    return webhooks.db


def admin(gw: Gateway, tenant: str = TENANT, subject: str = "admin-1") -> dict[str, str]:
    return gw.headers(gw.idp.token(subject, tenant, ("tenant_admin",)))


def member(gw: Gateway, role: str, tenant: str = TENANT) -> dict[str, str]:
    return gw.headers(gw.idp.token(f"{role}-1", tenant, (role,)))


async def allow(gw: Gateway, *hosts: str, tenant: str = TENANT) -> None:
    answer = await gw.client.put(
        "/v1/webhook-allowed-hosts", json={"hosts": list(hosts)}, headers=admin(gw, tenant)
    )
    assert answer.status_code == 200, answer.text


async def subscribe(
    gw: Gateway, url: str, *event_types: str, tenant: str = TENANT
) -> dict[str, Any]:
    answer = await gw.client.post(
        "/v1/webhooks",
        json={"url": url, "event_types": list(event_types)},
        headers=admin(gw, tenant),
    )
    assert answer.status_code == 201, answer.text
    created: dict[str, Any] = answer.json()
    return created


async def deliver(
    gw: Gateway, event: Message, topic: str, tenant: str = TENANT, ce_id: str | None = None
) -> None:
    """The event as the gateway's consumer of `topic` hands it to its handler."""
    assert gw.deps.audit_log is not None
    subs = kafka_handlers.subscriptions(gw.deps.audit_log, composition.webhook_intake())
    [handler] = [s.handlers[type(event)] for s in subs if s.topic == topic]
    ctx = event_context(db_of(gw), event, tenant, ce_id, consumer=f"gateway:{topic}")
    await handler(event, ctx)


async def relay_audit(gw: Gateway, seen: set[str] | None = None) -> list[OutboxMessage]:
    """The gateway's own audit entries, from its outbox to its audit consumer
    (what the relay and Kafka do between them)."""
    done = seen if seen is not None else set()
    rows = [r for r in await outbox_rows(db_of(gw), topic=AUDIT) if r.ce_id not in done]
    for row in rows:
        event = audit_events.AuditRecorded.FromString(row.payload)
        await deliver(gw, event, AUDIT, row.tenant_id, row.ce_id)
        done.add(row.ce_id)
    return rows


@asynccontextmanager
async def worker(
    gw: Gateway, receiver: Receiver, policy: RetryPolicy
) -> AsyncIterator[WebhookDelivery]:
    """The delivery worker as main.py builds it, trusting the receiver's CA."""
    webhooks = gw.deps.webhooks
    assert webhooks is not None
    sender = HttpSender(tls_context(str(receiver.ca_bundle)), timeout=5)
    try:
        yield WebhookDelivery(
            db_of(gw),
            SqlDeliveryQueue.on,
            SqlWebhookStore.on,
            sender,
            webhooks.cipher,
            webhooks.audit,
            policy,
            tick_seconds=0.05,
        )
    finally:
        await sender.aclose()


async def tick(delivery: WebhookDelivery) -> int:
    return await delivery.tick(utcnow())
