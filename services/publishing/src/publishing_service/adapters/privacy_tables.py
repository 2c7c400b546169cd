"""What publishing must not publish although a ShareDue says so.

A ShareDue already emitted (in Kafka, or being retried) when the employee
opts out or is erased must not reach the network: scheduling's ShareCancelled
is recorded per share, targeting's opt-out / erasure per employee (that event
travels on another topic, so it can overtake a ShareDue still queued). The
ShareDue handler checks both before taking any lease. Opaque ids only."""

from __future__ import annotations

from datetime import datetime

from chorus_db import timestamp
from sqlmodel import Field, SQLModel


class CancelledShareRow(SQLModel, table=True):
    __tablename__ = "publishing_cancelled_shares"

    tenant_id: str = Field(primary_key=True, max_length=64)
    share_id: str = Field(primary_key=True, max_length=36)
    reason: str = Field(max_length=20)  # opted_out | erased
    cancelled_at: datetime = Field(sa_column=timestamp())


class WithdrawnEmployeeRow(SQLModel, table=True):
    __tablename__ = "publishing_withdrawn_employees"

    tenant_id: str = Field(primary_key=True, max_length=64)
    employee_id: str = Field(primary_key=True, max_length=100)
    reason: str = Field(max_length=20)  # opted_out (lifted by EmployeeOptedIn) | erased (never)
    since: datetime = Field(sa_column=timestamp())
