"""The points ledger and running totals in the service's own database."""

from __future__ import annotations

from chorus_core.clock import as_utc, utcnow
from chorus_core.ids import new_id
from chorus_db import table_of
from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from gamification_service.adapters.tables import LedgerRow, RebuildRow, TotalRow
from gamification_service.domain.points import Award, LedgerEntry


class LedgerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def has_fact(self, tenant_id: str, reason: str, source_id: str) -> bool:
        query = select(col(LedgerRow.id)).where(
            col(LedgerRow.tenant_id) == tenant_id,
            col(LedgerRow.reason) == reason,
            col(LedgerRow.source_id) == source_id,
        )
        return (await self.session.execute(query)).first() is not None

    async def record(self, award: Award) -> int:
        """Appends the award and returns the employee's new total."""
        now = utcnow()
        self.session.add(
            LedgerRow(
                id=new_id(),
                tenant_id=award.tenant_id,
                employee_id=award.employee_id,
                points=award.points,
                reason=award.reason.value,
                source_id=award.source_id,
                created_at=now,
            )
        )
        await self.session.flush()  # a duplicate fact fails here, before the total moves
        return await self._add_to_total(award.tenant_id, award.employee_id, award.points)

    async def _add_to_total(self, tenant_id: str, employee_id: str, points: int) -> int:
        # One atomic upsert on both databases: the row lock it takes orders
        # concurrent awards of the same employee.
        dialect = postgresql if self.session.bind.dialect.name == "postgresql" else sqlite
        table = table_of(TotalRow)
        now = utcnow()
        statement = (
            dialect.insert(table)
            .values(tenant_id=tenant_id, employee_id=employee_id, points=points, updated_at=now)
            .on_conflict_do_update(
                index_elements=[table.c.tenant_id, table.c.employee_id],
                set_={"points": table.c.points + points, "updated_at": now},
            )
            .returning(table.c.points)
        )
        return int((await self.session.execute(statement)).scalar_one())

    async def total(self, tenant_id: str, employee_id: str) -> int:
        query = select(col(TotalRow.points)).where(
            col(TotalRow.tenant_id) == tenant_id, col(TotalRow.employee_id) == employee_id
        )
        return int((await self.session.execute(query)).scalar_one_or_none() or 0)

    async def entries(self, tenant_id: str, employee_id: str, limit: int) -> list[LedgerEntry]:
        query = (
            select(LedgerRow)
            .where(col(LedgerRow.tenant_id) == tenant_id, col(LedgerRow.employee_id) == employee_id)
            .order_by(col(LedgerRow.created_at).desc(), col(LedgerRow.id).desc())
            .limit(limit)
        )
        return [
            LedgerEntry(row.reason, row.points, row.source_id, as_utc(row.created_at))
            for row in (await self.session.execute(query)).scalars()
        ]

    async def sums_from_ledger(self, tenant_id: str) -> dict[str, int]:
        """Every employee's total recomputed from the ledger itself."""
        query = (
            select(col(LedgerRow.employee_id), func.sum(col(LedgerRow.points)))
            .where(col(LedgerRow.tenant_id) == tenant_id)
            .group_by(col(LedgerRow.employee_id))
        )
        return {employee: int(points) for employee, points in await self.session.execute(query)}

    async def running_totals(self, tenant_id: str) -> dict[str, int]:
        query = select(col(TotalRow.employee_id), col(TotalRow.points)).where(
            col(TotalRow.tenant_id) == tenant_id
        )
        return {employee: int(points) for employee, points in await self.session.execute(query)}

    async def tenants(self) -> list[str]:
        """Tenants with any points: the reconciliation job's work list. The
        one query that spans tenants, because that job serves all of them."""
        query = select(col(TotalRow.tenant_id)).distinct().order_by(col(TotalRow.tenant_id))
        return list((await self.session.execute(query)).scalars())

    async def rebuild_result(self, tenant_id: str, request_id: str) -> int | None:
        row = await self.session.get(RebuildRow, (tenant_id, request_id))
        return row.employees if row else None

    async def record_rebuild(self, tenant_id: str, request_id: str, employees: int) -> None:
        self.session.add(
            RebuildRow(
                tenant_id=tenant_id, request_id=request_id, employees=employees, rebuilt_at=utcnow()
            )
        )
