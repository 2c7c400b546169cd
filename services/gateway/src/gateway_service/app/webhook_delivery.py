"""Getting events to the tenants' webhooks: a durable queue, retried with
backoff, never lost and never sent by two workers at once.

* The consumer enqueues one delivery per subscribed webhook in the event's
  transaction (with its inbox row): an event is either queued for every
  webhook that wants it, or not handled yet and redelivered.
* The worker (a TickLoop) claims due deliveries by pushing their next
  attempt a lease into the future and counting the attempt, in one short
  transaction; a worker that dies mid-send leaves the delivery to be
  claimed again when the lease ends (so a receiver may see a message twice:
  the webhook-id header is the same, receivers dedupe on it, as the
  Standard Webhooks convention expects). Attempts are bounded.
* Sending happens outside any transaction; the outcome is written after:
  delivered (2xx), or the next attempt after an exponential, jittered delay,
  or given up. Failed attempts in a row count against the webhook; after
  `disable_after` of them it is disabled (shown in GET /v1/webhooks, and an
  audit entry says so) until an admin enables it again.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from chorus_core.clock import utcnow
from chorus_core.ids import new_id
from chorus_db.ports import Transaction, UnitOfWork
from chorus_messaging.audit import AuditTrail
from chorus_runtime.periodic import TickLoop

from gateway_service.app.webhooks import SecretCipher, WebhookStore, secret_binding
from gateway_service.domain.webhooks import (
    Attempt,
    Delivery,
    DeliveryStatus,
    RetryPolicy,
    Webhook,
    disabled_reason,
    signature_header,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Claimed:
    delivery: Delivery
    webhook: Webhook
    attempt: int  # the number of this attempt (1 for the first)


@dataclass(frozen=True)
class SendResult:
    status_code: int | None  # None: no HTTP answer
    error: str  # short, ours; never the receiver's body
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class DeliveryQueue(Protocol):
    async def subscribed(self, tenant_id: str, event_type: str) -> list[Webhook]:
        """Enabled, not deleted webhooks of the tenant that want the type."""

    async def enqueue(self, delivery: Delivery) -> bool:
        """False when this event is queued for this webhook already."""

    async def claim(self, now: datetime, lease: timedelta, limit: int) -> list[Claimed]:
        """Due pending deliveries of enabled webhooks, each claimed by this
        caller alone: attempt counted, next attempt pushed to now + lease."""

    async def finish(
        self,
        delivery_id: str,
        attempt: Attempt,
        status: DeliveryStatus,
        next_attempt_at: datetime | None,
    ) -> None: ...

    async def outcome(self, webhook_id: str, ok: bool) -> int:
        """Resets (ok) or counts (not ok) the webhook's failures in a row;
        returns the count."""

    async def disable(self, webhook_id: str, at: datetime, reason: str) -> bool:
        """False when it was disabled already."""


class Sender(Protocol):
    async def send(
        self, url: str, headers: Mapping[str, str], body: bytes, allowed_hosts: Collection[str]
    ) -> SendResult:
        """One POST through the outbound-address guard; never raises for the
        receiver's or the network's failures (they are results)."""


class WebhookIntake:
    """From the consumers: an event for every webhook of its tenant that wants it."""

    def __init__(self, queue: Callable[[Transaction], DeliveryQueue]) -> None:
        self.queue = queue

    async def enqueue(
        self,
        transaction: Transaction,
        *,
        tenant_id: str,
        event_type: str,
        event_id: str,
        occurred_at: datetime,
        data: Mapping[str, Any],
    ) -> int:
        queue = self.queue(transaction)
        now = utcnow()
        # The Standard Webhooks payload shape: type, timestamp, data.
        body = json.dumps(
            {"type": event_type, "timestamp": occurred_at.isoformat(), "data": dict(data)},
            separators=(",", ":"),
            sort_keys=True,
        )
        queued = 0
        for webhook in await queue.subscribed(tenant_id, event_type):
            delivery = Delivery(
                delivery_id=new_id(),
                tenant_id=tenant_id,
                webhook_id=webhook.webhook_id,
                event_type=event_type,
                event_id=event_id,
                payload=body,
                status=DeliveryStatus.PENDING,
                attempts=0,
                next_attempt_at=now,
                created_at=now,
            )
            queued += await queue.enqueue(delivery)
        return queued


class WebhookDelivery(TickLoop):
    tick_done_message = "webhook deliveries attempted"

    def __init__(
        self,
        db: UnitOfWork,
        queue: Callable[[Transaction], DeliveryQueue],
        store: Callable[[Transaction], WebhookStore],
        sender: Sender,
        cipher: SecretCipher,
        audit: AuditTrail,
        policy: RetryPolicy,
        *,
        tick_seconds: float = 1.0,
        batch: int = 50,
        concurrency: int = 10,
        lease: timedelta = timedelta(minutes=2),
    ) -> None:
        super().__init__(tick_seconds)
        self.db = db
        self.queue = queue
        self.store = store
        self.sender = sender
        self.cipher = cipher
        self.audit = audit
        self.policy = policy
        self.batch = batch
        self.lease = lease
        self._slots = asyncio.Semaphore(concurrency)

    async def tick(self, now: datetime) -> int:
        async with self.db.transaction() as tx:
            claimed = await self.queue(tx).claim(now, self.lease, self.batch)
        await asyncio.gather(*(self._deliver(c) for c in claimed))
        return len(claimed)

    async def _deliver(self, claimed: Claimed) -> None:
        async with self._slots:
            try:
                await self._attempt(claimed)
            except Exception:
                # The claim's lease brings it back; the tick goes on with the others.
                log.exception("webhook delivery could not be recorded; retried after the lease")

    async def _attempt(self, claimed: Claimed) -> None:
        delivery, webhook = claimed.delivery, claimed.webhook
        now = utcnow()
        async with self.db.session() as session:
            store = self.store(session)
            stored = await store.secrets(webhook.webhook_id)
            allowed = await store.allowed_hosts(webhook.tenant_id)
        binding = secret_binding(webhook.tenant_id, webhook.webhook_id)
        in_force = [self.cipher.decrypt(stored.current, binding)]
        until = webhook.previous_secret_until
        if stored.previous is not None and until is not None and now < until:
            in_force.append(self.cipher.decrypt(stored.previous, binding))
        body = delivery.payload.encode()
        timestamp = int(now.timestamp())
        headers = {
            "content-type": "application/json",
            "user-agent": "Chorus-Webhooks/1",
            "webhook-id": delivery.delivery_id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": signature_header(in_force, delivery.delivery_id, timestamp, body),
        }
        result = await self.sender.send(webhook.url, headers, body, allowed)
        await self._record(claimed, result, now)

    async def _record(self, claimed: Claimed, result: SendResult, at: datetime) -> None:
        attempt = Attempt(
            claimed.attempt, at, result.status_code, result.error[:200], result.duration_ms
        )
        webhook = claimed.webhook
        if result.ok:
            status, next_at = DeliveryStatus.DELIVERED, None
        else:
            next_at = self.policy.next_attempt(claimed.attempt, utcnow())
            status = DeliveryStatus.PENDING if next_at else DeliveryStatus.FAILED
        async with self.db.transaction() as tx:
            queue = self.queue(tx)
            await queue.finish(claimed.delivery.delivery_id, attempt, status, next_at)
            failures = await queue.outcome(webhook.webhook_id, result.ok)
            if not result.ok and self.policy.disables(failures):
                await self._disable(tx, queue, webhook, failures, at)

    async def _disable(
        self,
        tx: Transaction,
        queue: DeliveryQueue,
        webhook: Webhook,
        failures: int,
        at: datetime,
    ) -> None:
        if not await queue.disable(webhook.webhook_id, at, disabled_reason(failures)):
            return  # another attempt in flight disabled it already
        # The notice, once: by the worker whose update disabled it.
        self.audit.record(
            tx,
            tenant_id=webhook.tenant_id,
            action="webhook.disable",
            target_type="webhook",
            target_id=webhook.webhook_id,
            before={"enabled": True},
            after={"enabled": False, "consecutive_failures": failures},
            request_id="",
        )
        log.warning(
            "webhook disabled after repeated failures",
            extra={"chorus": {"webhook_id": webhook.webhook_id, "failures": failures}},
        )
