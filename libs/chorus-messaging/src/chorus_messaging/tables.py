"""Outbox and inbox tables, created in every service's own database."""

from __future__ import annotations

from datetime import datetime

from chorus_db import blob, timestamp
from sqlmodel import Field, SQLModel


class OutboxMessage(SQLModel, table=True):
    """An event written in the same transaction as the change it describes;
    the relay publishes it after commit."""

    __tablename__ = "chorus_outbox"

    seq: int | None = Field(default=None, primary_key=True)  # publish order
    ce_id: str = Field(max_length=36, unique=True)
    tenant_id: str = Field(max_length=64)
    topic: str = Field(max_length=200)
    key: str = Field(max_length=200)
    ce_type: str = Field(max_length=200)
    ce_subject: str = Field(max_length=200)
    ce_time: datetime = Field(sa_column=timestamp())
    payload: bytes = Field(sa_column=blob())
    # The trace context of the transaction that wrote the event, so the relay's
    # publish (and every consumer after it) continues the same trace.
    traceparent: str | None = Field(default=None, max_length=100)
    tracestate: str | None = Field(default=None, max_length=512)
    baggage: str | None = Field(default=None, max_length=1024)
    # Who caused the event (chorus_identity Principal.ref: "user:<subject>" or
    # "service:<name>"), sent as the ce_actor header; empty for rows written
    # before the header existed.
    actor: str | None = Field(default=None, max_length=300)
    published_at: datetime | None = Field(
        default=None, sa_column=timestamp(nullable=True, index=True)
    )


class InboxRecord(SQLModel, table=True):
    """One row per event a consumer has applied: written in the same
    transaction as the effects, so a redelivered event is a no-op."""

    __tablename__ = "chorus_inbox"

    consumer: str = Field(max_length=100, primary_key=True)
    ce_id: str = Field(max_length=36, primary_key=True)
    processed_at: datetime = Field(sa_column=timestamp())


class EmployeeHold(SQLModel, table=True):
    """An employee this service must no longer act for (chorus_messaging.privacy):
    opted out (lifted when they opt in again) or erased (never lifted: the id
    is gone for good). Only the opaque employee id, no personal data."""

    __tablename__ = "chorus_employee_holds"

    tenant_id: str = Field(primary_key=True, max_length=64)
    employee_id: str = Field(primary_key=True, max_length=100)
    reason: str = Field(max_length=20)  # opted_out | erased
    since: datetime = Field(sa_column=timestamp())
