"""Webhook subscriptions, their delivery queue (which is also the delivery
log) and each delivery's attempts. Secrets are stored encrypted
(chorus_identity.secrets.SecretBox, bound to the row). Every row carries its
tenant; every query filters on it."""

from __future__ import annotations

from datetime import datetime

from chorus_db import blob, timestamp
from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class WebhookRow(SQLModel, table=True):
    __tablename__ = "gateway_webhooks"

    webhook_id: str = Field(primary_key=True, max_length=36)
    tenant_id: str = Field(max_length=64, index=True)
    url: str = Field(sa_column=Column(Text, nullable=False))
    event_types: str = Field(sa_column=Column(Text, nullable=False))  # JSON list
    secret: bytes = Field(sa_column=blob())
    previous_secret: bytes | None = Field(default=None, sa_column=blob(nullable=True))
    previous_secret_until: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    created_at: datetime = Field(sa_column=timestamp())
    created_by: str = Field(max_length=300)
    enabled: bool = True
    consecutive_failures: int = 0
    disabled_at: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    disabled_reason: str = Field(default="", max_length=200)
    deleted: bool = False  # deliveries stay readable in the log after a delete


class WebhookAllowedHostRow(SQLModel, table=True):
    """A host a tenant admin allows webhooks to reach although it resolves to
    a non-public address (an on-premises receiver): chorus_core.outbound."""

    __tablename__ = "gateway_webhook_allowed_hosts"

    tenant_id: str = Field(primary_key=True, max_length=64)
    host: str = Field(primary_key=True, max_length=253)


class WebhookDeliveryRow(SQLModel, table=True):
    """One event for one webhook: queued by the consumer in the event's
    transaction, sent by the delivery worker until delivered or given up."""

    __tablename__ = "gateway_webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("webhook_id", "event_id", name="uq_gateway_webhook_deliveries_event"),
        # The worker's queue: pending rows whose time has come.
        Index("ix_gateway_webhook_deliveries_due", "status", "next_attempt_at"),
        # The delivery log of one webhook, newest first.
        Index("ix_gateway_webhook_deliveries_log", "tenant_id", "webhook_id", "delivery_id"),
    )

    delivery_id: str = Field(primary_key=True, max_length=36)
    tenant_id: str = Field(max_length=64)
    webhook_id: str = Field(max_length=36)
    event_type: str = Field(max_length=40)
    event_id: str = Field(max_length=36)
    payload: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(max_length=16)
    attempts: int = 0
    next_attempt_at: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    created_at: datetime = Field(sa_column=timestamp())
    delivered_at: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))


class WebhookAttemptRow(SQLModel, table=True):
    __tablename__ = "gateway_webhook_attempts"

    delivery_id: str = Field(primary_key=True, max_length=36)
    number: int = Field(primary_key=True)
    tenant_id: str = Field(max_length=64)
    at: datetime = Field(sa_column=timestamp())
    status_code: int | None = Field(default=None)
    error: str = Field(default="", max_length=200)
    duration_ms: int = 0
