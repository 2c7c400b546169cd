"""Consent decisions: the employee's row they change (locked) and the record
of each decision by request_id (domain.consent_records). Tenant-scoped.

The record table holds opaque ids, booleans, a source and times only; no
name or address. Erasure deletes a person's records with the rest of their
rows (adapters.erasure)."""

from __future__ import annotations

from datetime import datetime

from chorus_core.clock import as_utc
from chorus_core.errors import NotFound
from chorus_db import timestamp
from sqlalchemy import Index, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col

from targeting_service.adapters.tables import EmployeeRow
from targeting_service.domain.consent_records import (
    ConsentRecord,
    Operation,
    request_id_taken,
)
from targeting_service.domain.participation import ConsentState, Standing


class ConsentRecordRow(SQLModel, table=True):
    __tablename__ = "targeting_consent_records"
    # The person's last applied decision (stale check) and their records (erasure).
    __table_args__ = (
        Index("ix_targeting_consent_records_employee", "tenant_id", "employee_id", "decided_at"),
    )

    tenant_id: str = Field(primary_key=True, max_length=64)
    request_id: str = Field(primary_key=True, max_length=100)
    employee_id: str = Field(max_length=36)
    operation: str = Field(max_length=20)  # domain.consent_records.Operation
    opted_in: bool
    consent: bool
    auto_share: bool
    source: str = Field(max_length=40)
    decided_at: datetime = Field(sa_column=timestamp())  # when the person chose
    recorded_at: datetime = Field(sa_column=timestamp())  # when Chorus received it
    applied: bool  # False: a later decision held already


def _to_domain(row: ConsentRecordRow) -> ConsentRecord:
    return ConsentRecord(
        request_id=row.request_id,
        employee_id=row.employee_id,
        operation=Operation(row.operation),
        opted_in=row.opted_in,
        consent=row.consent,
        auto_share=row.auto_share,
        source=row.source,
        decided_at=as_utc(row.decided_at),
        applied=row.applied,
    )


class ConsentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def lock(self, tenant_id: str, employee_id: str) -> tuple[Standing, ConsentState]:
        """The person's row, locked for the rest of the transaction: two
        decisions for one person (a retry racing its first attempt among
        them) apply one after the other, each seeing the other's record."""
        row = await self.session.get(EmployeeRow, (tenant_id, employee_id), with_for_update=True)
        if row is None:
            raise NotFound("employee", employee_id)
        return (
            Standing(row.active, row.opted_in, row.consent),
            ConsentState(row.opted_in, row.consent, row.auto_share),
        )

    async def apply(self, tenant_id: str, record: ConsentRecord, now: datetime) -> Standing:
        """Sets the person's row to the state the decision sets (after lock);
        returns their standing after it."""
        row = await self.session.get(EmployeeRow, (tenant_id, record.employee_id))
        if row is None:
            raise NotFound("employee", record.employee_id)
        row.opted_in, row.consent, row.auto_share = (
            record.opted_in,
            record.consent,
            record.auto_share,
        )
        row.opt_in_source = record.source
        # The time of the choice that holds now (None while opted out).
        row.opted_in_at = record.decided_at if record.opted_in else None
        row.updated_at = now
        return Standing(row.active, row.opted_in, row.consent)

    async def find(self, tenant_id: str, request_id: str) -> ConsentRecord | None:
        row = await self.session.get(ConsentRecordRow, (tenant_id, request_id))
        return None if row is None else _to_domain(row)

    async def last_applied(self, tenant_id: str, employee_id: str) -> datetime | None:
        query = select(func.max(col(ConsentRecordRow.decided_at))).where(
            col(ConsentRecordRow.tenant_id) == tenant_id,
            col(ConsentRecordRow.employee_id) == employee_id,
            col(ConsentRecordRow.applied).is_(True),
        )
        latest = (await self.session.execute(query)).scalar_one_or_none()
        return None if latest is None else as_utc(latest)

    async def add(self, tenant_id: str, record: ConsentRecord, now: datetime) -> None:
        self.session.add(
            ConsentRecordRow(
                tenant_id=tenant_id,
                request_id=record.request_id,
                employee_id=record.employee_id,
                operation=record.operation.value,
                opted_in=record.opted_in,
                consent=record.consent,
                auto_share=record.auto_share,
                source=record.source,
                decided_at=record.decided_at,
                recorded_at=now,
                applied=record.applied,
            )
        )
        try:
            await self.session.flush()
        except IntegrityError:
            # The employee lock orders the requests of one person; the same
            # request_id sent at once for two people meets here instead.
            raise request_id_taken(record.request_id) from None

    async def forget(self, tenant_id: str, employee_id: str) -> None:
        await self.session.execute(
            delete(ConsentRecordRow).where(
                col(ConsentRecordRow.tenant_id) == tenant_id,
                col(ConsentRecordRow.employee_id) == employee_id,
            )
        )
