"""The points ledger and running totals in the service's own database: the
app's Ledger port. The class is its own factory (`Ledgers`): it opens on the
session behind the caller's Transaction."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence

from chorus_core.clock import as_utc, utcnow
from chorus_core.ids import new_id
from chorus_db import conflict_insert, is_unique_violation, keys_in, table_of
from chorus_db.ports import Transaction
from chorus_db.sessions import session_of
from chorus_messaging import privacy
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from gamification_service.adapters.tables import LedgerRow, RebuildRow, TotalRow
from gamification_service.app.ports import RebuildAlreadyRecorded
from gamification_service.domain.points import Award, LedgerEntry


class LedgerRepository:
    def __init__(self, transaction: Transaction) -> None:
        self.session = session_of(transaction)

    async def known_facts(
        self, tenant_id: str, facts: Collection[tuple[str, str]]
    ) -> set[tuple[str, str]]:
        if not facts:
            return set()
        reason, source = col(LedgerRow.reason), col(LedgerRow.source_id)
        query = select(reason, source).where(
            col(LedgerRow.tenant_id) == tenant_id, keys_in((reason, source), facts)
        )
        return {(r, s) for r, s in await self.session.execute(query)}

    async def record_all(self, awards: Sequence[Award]) -> dict[str, int]:
        """Appends the awards and returns each employee's new total: one
        INSERT for the rows, one upsert for the totals, whatever the number."""
        if not awards:
            return {}
        now = utcnow()
        # Plain rows in one Core INSERT: a batch is hundreds of awards, and
        # an ORM object costs several times its row.
        await self.session.execute(
            insert(table_of(LedgerRow)),
            [
                {
                    "id": new_id(),
                    "tenant_id": award.tenant_id,
                    "employee_id": award.employee_id,
                    "points": award.points,
                    "reason": award.reason.value,
                    "source_id": award.source_id,
                    "created_at": now,
                }
                for award in awards
            ],
        )  # a duplicate fact fails here, before the totals move
        added: Counter[tuple[str, str]] = Counter()
        for award in awards:
            added[(award.tenant_id, award.employee_id)] += award.points
        return await self._add_to_totals(added)

    async def _add_to_totals(self, added: Counter[tuple[str, str]]) -> dict[str, int]:
        # One atomic upsert on both databases: the row locks it takes order
        # concurrent awards of the same employee, and taking them in
        # employee order keeps two concurrent batches from deadlocking.
        table = table_of(TotalRow)
        now = utcnow()
        insert = conflict_insert(self.session, table)
        statement = insert.on_conflict_do_update(
            index_elements=[table.c.tenant_id, table.c.employee_id],
            set_={
                "points": table.c.points + insert.excluded.points,
                "updated_at": insert.excluded.updated_at,
            },
        ).returning(table.c.employee_id, table.c.points)
        # Executed with a list of rows (one statement, "insertmanyvalues"):
        # compiled once and cached, whatever the batch's size.
        rows = [
            {"tenant_id": t, "employee_id": e, "points": p, "updated_at": now}
            for (t, e), p in sorted(added.items())
        ]
        return {e: int(p) for e, p in await self.session.execute(statement, rows)}

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
        try:
            await self.session.flush()  # here, not at commit: the app's error, not the driver's
        except IntegrityError as error:
            if not is_unique_violation(error):
                raise
            raise RebuildAlreadyRecorded(request_id) from error

    async def anonymise(self, tenant_id: str, employee_id: str, into: str) -> int:
        """Moves the rows and the total; `into`'s total absorbs the points, so
        every tenant-wide sum stays what it was."""
        await self.session.execute(
            update(LedgerRow)
            .where(col(LedgerRow.tenant_id) == tenant_id, col(LedgerRow.employee_id) == employee_id)
            .values(employee_id=into)
        )
        total = await self.session.get(TotalRow, (tenant_id, employee_id), with_for_update=True)
        if total is None:
            return 0
        moved = total.points
        await self.session.execute(
            delete(TotalRow).where(
                col(TotalRow.tenant_id) == tenant_id, col(TotalRow.employee_id) == employee_id
            )
        )
        bucket = (
            await self.session.execute(
                select(TotalRow)
                .where(col(TotalRow.tenant_id) == tenant_id, col(TotalRow.employee_id) == into)
                .with_for_update()
            )
        ).scalar_one_or_none()
        if bucket is None:
            self.session.add(
                TotalRow(tenant_id=tenant_id, employee_id=into, points=moved, updated_at=utcnow())
            )
        else:
            bucket.points += moved
            bucket.updated_at = utcnow()
        return moved

    async def erased_among(self, tenant_id: str, employee_ids: Collection[str]) -> set[str]:
        return await privacy.erased_among(self.session, tenant_id, employee_ids)
