"""The WebhookStore port on the gateway's database: subscriptions, their
encrypted secrets and the tenant's allow-listed hosts."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from chorus_core.clock import as_utc
from chorus_db import affected_rows, exclusive
from chorus_db.ports import Transaction
from chorus_db.sessions import session_of
from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from gateway_service.adapters.webhook_tables import WebhookAllowedHostRow, WebhookRow
from gateway_service.app.webhooks import Secrets
from gateway_service.domain.webhooks import Webhook


def webhook_of(row: WebhookRow) -> Webhook:
    return Webhook(
        webhook_id=row.webhook_id,
        tenant_id=row.tenant_id,
        url=row.url,
        event_types=tuple(json.loads(row.event_types)),
        created_at=as_utc(row.created_at),
        created_by=row.created_by,
        enabled=row.enabled,
        consecutive_failures=row.consecutive_failures,
        disabled_at=as_utc(row.disabled_at) if row.disabled_at else None,
        disabled_reason=row.disabled_reason,
        previous_secret_until=(
            as_utc(row.previous_secret_until) if row.previous_secret_until else None
        ),
    )


def _live(tenant_id: str, webhook_id: str) -> list[ColumnElement[bool]]:
    return [
        col(WebhookRow.tenant_id) == tenant_id,
        col(WebhookRow.webhook_id) == webhook_id,
        col(WebhookRow.deleted).is_(False),
    ]


class SqlWebhookStore:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @classmethod
    def on(cls, transaction: Transaction) -> SqlWebhookStore:
        return cls(session_of(transaction))

    async def count(self, tenant_id: str) -> int:
        found = await self.session.execute(
            select(func.count())
            .select_from(WebhookRow)
            .where(col(WebhookRow.tenant_id) == tenant_id, col(WebhookRow.deleted).is_(False))
        )
        return int(found.scalar_one())

    async def add(self, webhook: Webhook, secret: bytes) -> None:
        self.session.add(
            WebhookRow(
                webhook_id=webhook.webhook_id,
                tenant_id=webhook.tenant_id,
                url=webhook.url,
                event_types=json.dumps(list(webhook.event_types)),
                secret=secret,
                created_at=webhook.created_at,
                created_by=webhook.created_by,
            )
        )
        await self.session.flush()

    async def _row(self, tenant_id: str, webhook_id: str) -> WebhookRow | None:
        found = await self.session.execute(select(WebhookRow).where(*_live(tenant_id, webhook_id)))
        return found.scalar_one_or_none()

    async def get(self, tenant_id: str, webhook_id: str) -> Webhook | None:
        row = await self._row(tenant_id, webhook_id)
        return webhook_of(row) if row is not None else None

    async def all(self, tenant_id: str) -> list[Webhook]:
        rows = await self.session.execute(
            select(WebhookRow)
            .where(col(WebhookRow.tenant_id) == tenant_id, col(WebhookRow.deleted).is_(False))
            .order_by(col(WebhookRow.created_at), col(WebhookRow.webhook_id))
        )
        return [webhook_of(row) for row in rows.scalars()]

    async def secrets(self, webhook_id: str) -> Secrets:
        row = await self.session.get(WebhookRow, webhook_id)
        if row is None:
            raise LookupError(webhook_id)
        return Secrets(row.secret, row.previous_secret)

    async def delete(self, tenant_id: str, webhook_id: str) -> bool:
        # Marked, not removed: its delivery log stays readable for the
        # record; queued deliveries of it are never claimed again.
        result = await self.session.execute(
            update(WebhookRow)
            .where(*_live(tenant_id, webhook_id))
            .values(deleted=True, enabled=False)
        )
        return affected_rows(result) == 1

    async def rotate(
        self, tenant_id: str, webhook_id: str, secret: bytes, previous_until: datetime
    ) -> None:
        row = await self._row(tenant_id, webhook_id)
        if row is None:
            raise LookupError(webhook_id)
        row.previous_secret, row.secret = row.secret, secret
        row.previous_secret_until = previous_until
        await self.session.flush()

    async def enable(self, tenant_id: str, webhook_id: str) -> None:
        await self.session.execute(
            update(WebhookRow)
            .where(*_live(tenant_id, webhook_id))
            .values(enabled=True, consecutive_failures=0, disabled_at=None, disabled_reason="")
        )

    async def allowed_hosts(self, tenant_id: str) -> frozenset[str]:
        rows = await self.session.execute(
            select(col(WebhookAllowedHostRow.host)).where(
                col(WebhookAllowedHostRow.tenant_id) == tenant_id
            )
        )
        return frozenset(rows.scalars())

    async def set_allowed_hosts(self, tenant_id: str, hosts: Sequence[str]) -> None:
        # Delete-then-insert: two concurrent replacements would insert the same rows.
        await exclusive(self.session, f"gateway.webhook_allowed_hosts/{tenant_id}")
        await self.session.execute(
            delete(WebhookAllowedHostRow).where(col(WebhookAllowedHostRow.tenant_id) == tenant_id)
        )
        self.session.add_all(WebhookAllowedHostRow(tenant_id=tenant_id, host=h) for h in hosts)
        await self.session.flush()
