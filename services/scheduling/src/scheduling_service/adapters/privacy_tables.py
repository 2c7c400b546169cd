"""Employees scheduling must not create shares for (opted out or erased).

Targeting leaves such people out of every audience it resolves from then on,
but an AudienceBatchResolved resolved just before the opt-out can still be on
its way: the hold makes scheduling drop them from it. An opt-out hold is
lifted by EmployeeOptedIn; an erasure hold never is (the id is gone for good).
The row holds only the opaque employee id, no personal data."""

from __future__ import annotations

from datetime import datetime

from chorus_db import timestamp
from sqlmodel import Field, SQLModel


class WithdrawnEmployeeRow(SQLModel, table=True):
    __tablename__ = "scheduling_withdrawn_employees"

    tenant_id: str = Field(primary_key=True, max_length=64)
    employee_id: str = Field(primary_key=True, max_length=100)
    reason: str = Field(max_length=20)  # opted_out | erased
    since: datetime = Field(sa_column=timestamp())
