"""The gateway's own tables. Every row carries its tenant; every query
filters on it. Subjects are the IdP's opaque ids; no personal data here
(a stored response body is what the caller itself was answered, kept 24 h)."""

from __future__ import annotations

from datetime import datetime

from chorus_db import timestamp
from sqlalchemy import Column, LargeBinary, Text
from sqlmodel import Field, SQLModel


class IdempotencyRow(SQLModel, table=True):
    __tablename__ = "gateway_idempotency"

    tenant_id: str = Field(primary_key=True, max_length=64)
    subject: str = Field(primary_key=True, max_length=255)
    key: str = Field(primary_key=True, max_length=255)
    fingerprint: str = Field(max_length=64)
    created_at: datetime = Field(sa_column=timestamp(index=True))
    # Set when the first request succeeded; NULL while it runs.
    status: int | None = Field(default=None)
    headers: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    body: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))


class RoleGrantRow(SQLModel, table=True):
    """One role of one subject in one tenant, with its scopes (JSON lists)."""

    __tablename__ = "gateway_role_grants"

    tenant_id: str = Field(primary_key=True, max_length=64)
    subject: str = Field(primary_key=True, max_length=255)
    role: str = Field(primary_key=True, max_length=32)
    regions: str = Field(default="[]", sa_column=Column(Text, nullable=False))
    channels: str = Field(default="[]", sa_column=Column(Text, nullable=False))
    steps: str = Field(default="[]", sa_column=Column(Text, nullable=False))
