"""The gateway's audit log: every AuditRecorded of every service, one row
each, append-only (gateway_0002 adds triggers refusing UPDATE and DELETE on
PostgreSQL and SQLite alike; the repository has no way to change a row).

Only opaque references and field names (chorus_messaging.audit): nothing
here is personal data, which is why an erasure leaves the log as it is."""

from __future__ import annotations

from datetime import datetime

from chorus_db import timestamp
from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel


class AuditLogRow(SQLModel, table=True):
    __tablename__ = "gateway_audit_log"
    __table_args__ = (
        # The admin's queries: a tenant's entries newest first, by action,
        # by actor or by target within a time range.
        Index("ix_gateway_audit_log_time", "tenant_id", "occurred_at", "audit_id"),
        Index("ix_gateway_audit_log_action", "tenant_id", "action", "occurred_at"),
        Index("ix_gateway_audit_log_actor", "tenant_id", "actor", "occurred_at"),
        Index("ix_gateway_audit_log_target", "tenant_id", "target_type", "target_id"),
    )

    audit_id: str = Field(primary_key=True, max_length=36)
    tenant_id: str = Field(max_length=64)
    actor: str = Field(max_length=300)
    action: str = Field(max_length=100)
    target_type: str = Field(max_length=64)
    target_id: str = Field(max_length=200)
    summary: str = Field(sa_column=Column(Text, nullable=False))
    request_id: str = Field(max_length=255)
    trace_id: str = Field(max_length=32)
    service: str = Field(max_length=40)
    occurred_at: datetime = Field(sa_column=timestamp())
    recorded_at: datetime = Field(sa_column=timestamp())  # when the gateway stored it
