"""Publishing tables. Every row carries its tenant; every query filters on it."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from chorus_db import blob, timestamp
from sqlalchemy import JSON, Column, DateTime, Index, UniqueConstraint
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
        # The token warnings' scan: tokens expiring soon.
        Index("ix_publishing_accounts_token_expiry", "token_expires_at"),
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
    # When the network says the token stops working (VerifiedAccount); None:
    # it does not expire, or the network does not say.
    token_expires_at: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    # The network refused the token: the account's shares are held until the
    # employee reconnects, which clears both.
    reconnect_needed_at: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    # (A server default: accounts connected before the column existed are fine.)
    reconnect_reason: str = Field(
        default="", max_length=500, sa_column_kwargs={"server_default": ""}
    )


class LedgerRow(SQLModel, table=True):
    """One row per share: leased while a worker calls the network, then
    published (with the post's URI) or failed (with the reason)."""

    __tablename__ = "publishing_ledger"
    __table_args__ = (
        Index("ix_publishing_ledger_post", "tenant_id", "post_id", "status"),
        # The sweeper's scan: deferred shares in time order.
        Index("ix_publishing_ledger_retry", "status", "retry_at"),
        # ...and waiting shares whose post expired.
        Index("ix_publishing_ledger_expiry", "status", "expires_at"),
        # An account's held shares, released when it is reconnected.
        Index("ix_publishing_ledger_account", "tenant_id", "employee_id", "network", "status"),
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
    # What went out (publishing_0005): the text posted, with its tracked
    # link; the variant it came from (None: the post's own text); whether
    # the employee edited it. Cleared with the personal columns on erasure.
    published_text: str = Field(
        default="", max_length=5000, sa_column_kwargs={"server_default": ""}
    )
    variant: int | None = None
    edited: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    # A deferred share's time, and the ShareDue it came with (the sweeper
    # sends it from there: no event is waited for again).
    retry_at: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    due: dict | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    # The post's expiry (from the ShareDue): a share still waiting then ends
    # failed, never sent.
    expires_at: datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
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


class TokenWarningRow(SQLModel, table=True):
    """A TokenExpiring sent: one per (account, expiry), whatever the number
    of replicas or restarts (the insert is conditional on this key). A new
    expiry (the employee reconnected) is warned of again."""

    __tablename__ = "publishing_token_warnings"

    tenant_id: str = Field(primary_key=True, max_length=64)
    account_id: str = Field(primary_key=True, max_length=36)
    # A timestamp in the key, as timestamp() stores it (timestamptz, or text).
    expires_at: datetime = Field(sa_column=Column(DateTime(timezone=True), primary_key=True))
    warned_at: datetime = Field(sa_column=timestamp())
