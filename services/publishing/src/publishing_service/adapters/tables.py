"""Publishing tables. Every row carries its tenant; every query filters on it."""

from __future__ import annotations

from datetime import datetime

from chorus_db import blob, timestamp
from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel


class AccountRow(SQLModel, table=True):
    """A connected social account. The secret is stored encrypted (AES-GCM,
    bound to this row's tenant, employee and network); never logged, never
    returned by any RPC."""

    __tablename__ = "publishing_accounts"
    __table_args__ = (
        UniqueConstraint(
            "tenant_id", "employee_id", "network", name="uq_publishing_accounts_owner"
        ),
    )

    account_id: str = Field(primary_key=True, max_length=36)
    tenant_id: str = Field(max_length=64)
    employee_id: str = Field(max_length=100)
    network: str = Field(max_length=20)
    handle: str = Field(max_length=253)
    external_id: str = Field(max_length=200)  # the network's id for the account (Bluesky: DID)
    secret_ciphertext: bytes = Field(sa_column=blob())
    request_id: str | None = Field(default=None, max_length=100)
    connected_at: datetime = Field(sa_column=timestamp())
    updated_at: datetime = Field(sa_column=timestamp())


class LedgerRow(SQLModel, table=True):
    """One row per share: leased while a worker calls the network, then
    published (with the post's URI) or failed (with the reason)."""

    __tablename__ = "publishing_ledger"
    __table_args__ = (
        Index("ix_publishing_ledger_post", "tenant_id", "post_id", "status"),
        # The sweeper's scan: deferred shares in time order.
        Index("ix_publishing_ledger_retry", "status", "retry_at"),
    )

    share_id: str = Field(primary_key=True, max_length=36)
    tenant_id: str = Field(max_length=64)
    post_id: str = Field(max_length=36)
    employee_id: str = Field(max_length=100)
    network: str = Field(max_length=20)
    status: str = Field(max_length=20)
    lease_until: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    # Who holds the lease: a worker writes the outcome only while the token is
    # still its own, so a worker that outlived its lease cannot overwrite the
    # outcome of the one that took over.
    lease_token: str = Field(default="", max_length=36)
    post_uri: str = Field(default="", max_length=500)
    post_cid: str = Field(default="", max_length=200)
    link_code: str = Field(default="", max_length=64)
    failure_reason: str = Field(default="", max_length=500)
    attempts: int = 0
    published_at: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    # A deferred share's time, and the ShareDue it came with (the sweeper
    # sends it from there: no event is waited for again).
    retry_at: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    due: dict | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    created_at: datetime = Field(sa_column=timestamp())
    updated_at: datetime = Field(sa_column=timestamp())


class CancelledShareRow(SQLModel, table=True):
    """A share scheduling cancelled (ShareCancelled) after its ShareDue may
    already have been emitted: the ShareDue handler checks it, with the
    employee holds (chorus_messaging.privacy), before taking any lease."""

    __tablename__ = "publishing_cancelled_shares"

    tenant_id: str = Field(primary_key=True, max_length=64)
    share_id: str = Field(primary_key=True, max_length=36)
    reason: str = Field(max_length=20)  # opted_out | erased
    cancelled_at: datetime = Field(sa_column=timestamp())
