"""The DeliveryQueue and DeliveryLog ports on the gateway's database.

A claim is an UPDATE conditioned on the row still being as it was read
(pending, the same next attempt time), so two workers (two gateway
replicas) reading the same due row cannot both claim it: the second one's
update matches nothing. It works the same on PostgreSQL and SQLite."""

from __future__ import annotations

from datetime import datetime, timedelta

from chorus_core.clock import as_utc
from chorus_db import affected_rows
from chorus_db.ports import Transaction
from chorus_db.sessions import session_of
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from gateway_service.adapters.webhook_store import webhook_of
from gateway_service.adapters.webhook_tables import (
    WebhookAttemptRow,
    WebhookDeliveryRow,
    WebhookRow,
)
from gateway_service.app.webhook_delivery import Claimed
from gateway_service.domain.webhooks import Attempt, Delivery, DeliveryStatus, Webhook


def _delivery(row: WebhookDeliveryRow, history: tuple[Attempt, ...] = ()) -> Delivery:
    return Delivery(
        delivery_id=row.delivery_id,
        tenant_id=row.tenant_id,
        webhook_id=row.webhook_id,
        event_type=row.event_type,
        event_id=row.event_id,
        payload=row.payload,
        status=DeliveryStatus(row.status),
        attempts=row.attempts,
        next_attempt_at=as_utc(row.next_attempt_at) if row.next_attempt_at else None,
        created_at=as_utc(row.created_at),
        delivered_at=as_utc(row.delivered_at) if row.delivered_at else None,
        history=history,
    )


def _attempt(row: WebhookAttemptRow) -> Attempt:
    return Attempt(row.number, as_utc(row.at), row.status_code, row.error, row.duration_ms)


class SqlDeliveryQueue:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @classmethod
    def on(cls, transaction: Transaction) -> SqlDeliveryQueue:
        return cls(session_of(transaction))

    async def subscribed(self, tenant_id: str, event_type: str) -> list[Webhook]:
        rows = await self.session.execute(
            select(WebhookRow).where(
                col(WebhookRow.tenant_id) == tenant_id,
                col(WebhookRow.enabled).is_(True),
                col(WebhookRow.deleted).is_(False),
            )
        )
        webhooks = [webhook_of(row) for row in rows.scalars()]
        return [w for w in webhooks if w.wants(event_type)]

    async def enqueue(self, delivery: Delivery) -> bool:
        exists = await self.session.execute(
            select(col(WebhookDeliveryRow.delivery_id)).where(
                col(WebhookDeliveryRow.webhook_id) == delivery.webhook_id,
                col(WebhookDeliveryRow.event_id) == delivery.event_id,
            )
        )
        if exists.first() is not None:
            return False
        self.session.add(
            WebhookDeliveryRow(
                delivery_id=delivery.delivery_id,
                tenant_id=delivery.tenant_id,
                webhook_id=delivery.webhook_id,
                event_type=delivery.event_type,
                event_id=delivery.event_id,
                payload=delivery.payload,
                status=delivery.status.value,
                attempts=0,
                next_attempt_at=delivery.next_attempt_at,
                created_at=delivery.created_at,
            )
        )
        # A concurrent enqueue of the same event fails the flush on the unique
        # constraint; the consumer retries the event and finds it queued.
        await self.session.flush()
        return True

    async def claim(self, now: datetime, lease: timedelta, limit: int) -> list[Claimed]:
        due = await self.session.execute(
            select(WebhookDeliveryRow, WebhookRow)
            .join(WebhookRow, col(WebhookRow.webhook_id) == col(WebhookDeliveryRow.webhook_id))
            .where(
                col(WebhookDeliveryRow.status) == DeliveryStatus.PENDING.value,
                col(WebhookDeliveryRow.next_attempt_at) <= now,
                col(WebhookRow.enabled).is_(True),
                col(WebhookRow.deleted).is_(False),
            )
            .order_by(col(WebhookDeliveryRow.next_attempt_at))
            .limit(limit)
        )
        claimed: list[Claimed] = []
        for delivery, webhook in due.tuples():
            result = await self.session.execute(
                update(WebhookDeliveryRow)
                .where(
                    col(WebhookDeliveryRow.delivery_id) == delivery.delivery_id,
                    col(WebhookDeliveryRow.status) == DeliveryStatus.PENDING.value,
                    col(WebhookDeliveryRow.attempts) == delivery.attempts,
                )
                .values(attempts=delivery.attempts + 1, next_attempt_at=now + lease)
                .execution_options(synchronize_session=False)
            )
            if affected_rows(result) == 1:
                claimed.append(
                    Claimed(_delivery(delivery), webhook_of(webhook), delivery.attempts + 1)
                )
        return claimed

    async def finish(
        self,
        delivery_id: str,
        attempt: Attempt,
        status: DeliveryStatus,
        next_attempt_at: datetime | None,
    ) -> None:
        row = await self.session.get(WebhookDeliveryRow, delivery_id)
        if row is None:
            raise LookupError(delivery_id)
        self.session.add(
            WebhookAttemptRow(
                delivery_id=delivery_id,
                number=attempt.number,
                tenant_id=row.tenant_id,
                at=attempt.at,
                status_code=attempt.status_code,
                error=attempt.error,
                duration_ms=attempt.duration_ms,
            )
        )
        row.status = status.value
        row.next_attempt_at = next_attempt_at
        if status is DeliveryStatus.DELIVERED:
            row.delivered_at = attempt.at
        await self.session.flush()

    async def outcome(self, webhook_id: str, ok: bool) -> int:
        row = await self.session.get(WebhookRow, webhook_id)
        if row is None:
            raise LookupError(webhook_id)
        row.consecutive_failures = 0 if ok else row.consecutive_failures + 1
        await self.session.flush()
        return row.consecutive_failures

    async def disable(self, webhook_id: str, at: datetime, reason: str) -> bool:
        result = await self.session.execute(
            update(WebhookRow)
            .where(col(WebhookRow.webhook_id) == webhook_id, col(WebhookRow.enabled).is_(True))
            .values(enabled=False, disabled_at=at, disabled_reason=reason)
            .execution_options(synchronize_session=False)
        )
        return affected_rows(result) == 1

    async def log(
        self, tenant_id: str, webhook_id: str, before_id: str, limit: int
    ) -> list[Delivery]:
        conditions = [
            col(WebhookDeliveryRow.tenant_id) == tenant_id,
            col(WebhookDeliveryRow.webhook_id) == webhook_id,
        ]
        if before_id:
            conditions.append(col(WebhookDeliveryRow.delivery_id) < before_id)
        rows = list(
            (
                await self.session.execute(
                    select(WebhookDeliveryRow)
                    .where(*conditions)
                    .order_by(col(WebhookDeliveryRow.delivery_id).desc())
                    .limit(limit)
                )
            ).scalars()
        )
        attempts: dict[str, list[Attempt]] = {}
        if rows:
            found = await self.session.execute(
                select(WebhookAttemptRow)
                .where(
                    col(WebhookAttemptRow.tenant_id) == tenant_id,
                    col(WebhookAttemptRow.delivery_id).in_([r.delivery_id for r in rows]),
                )
                .order_by(col(WebhookAttemptRow.number))
            )
            for attempt in found.scalars():
                attempts.setdefault(attempt.delivery_id, []).append(_attempt(attempt))
        return [_delivery(r, tuple(attempts.get(r.delivery_id, ()))) for r in rows]
