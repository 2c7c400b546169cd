"""Gamification tables. Every row carries its tenant; every query filters on it."""

from __future__ import annotations

from datetime import datetime

from chorus_db import timestamp
from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel


class LedgerRow(SQLModel, table=True):
    """One row per fact that earned points: the source of truth. The unique
    key is the fact, not the event, so a fact re-sent under a new ce_id
    still earns once."""

    __tablename__ = "gamification_ledger"
    __table_args__ = (
        UniqueConstraint("tenant_id", "reason", "source_id", name="uq_gamification_ledger_fact"),
        Index("ix_gamification_ledger_employee", "tenant_id", "employee_id", "created_at"),
    )

    id: str = Field(primary_key=True, max_length=36)  # UUIDv7: time-ordered
    tenant_id: str = Field(max_length=64)
    employee_id: str = Field(max_length=100)
    points: int
    reason: str = Field(max_length=40)
    source_id: str = Field(max_length=100)
    created_at: datetime = Field(sa_column=timestamp())


class TotalRow(SQLModel, table=True):
    """Running total per employee, updated in the same transaction as each
    ledger row (so it always equals the ledger's sum). Its row lock orders
    concurrent awards of one employee, which makes PointsAwarded.total exact,
    and it keeps GetProfile and reconciliation from summing the whole ledger."""

    __tablename__ = "gamification_totals"

    tenant_id: str = Field(primary_key=True, max_length=64)
    employee_id: str = Field(primary_key=True, max_length=100)
    points: int
    updated_at: datetime = Field(sa_column=timestamp())


class RebuildRow(SQLModel, table=True):
    """RebuildLeaderboard results by request_id: a retried call answers the
    first result instead of rebuilding again."""

    __tablename__ = "gamification_rebuilds"

    tenant_id: str = Field(primary_key=True, max_length=64)
    request_id: str = Field(primary_key=True, max_length=100)
    employees: int
    rebuilt_at: datetime = Field(sa_column=timestamp())
