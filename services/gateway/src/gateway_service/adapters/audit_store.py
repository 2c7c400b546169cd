"""The AuditLogStore port on the gateway's database: append and read, and
nothing else (no update, no delete: the table's triggers refuse them too)."""

from __future__ import annotations

from chorus_core.clock import as_utc, utcnow
from chorus_db.ports import Transaction
from chorus_db.sessions import session_of
from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from gateway_service.adapters.audit_tables import AuditLogRow
from gateway_service.app.audit import AuditEntry, AuditFilter, Position


def _entry(row: AuditLogRow) -> AuditEntry:
    return AuditEntry(
        audit_id=row.audit_id,
        tenant_id=row.tenant_id,
        actor=row.actor,
        action=row.action,
        target_type=row.target_type,
        target_id=row.target_id,
        summary=row.summary,
        request_id=row.request_id,
        trace_id=row.trace_id,
        service=row.service,
        occurred_at=as_utc(row.occurred_at),
    )


def _conditions(tenant_id: str, where: AuditFilter) -> list[ColumnElement[bool]]:
    found = [col(AuditLogRow.tenant_id) == tenant_id]
    if where.action:
        found.append(col(AuditLogRow.action) == where.action)
    if where.actor:
        found.append(col(AuditLogRow.actor) == where.actor)
    if where.target_type:
        found.append(col(AuditLogRow.target_type) == where.target_type)
    if where.target_id:
        found.append(col(AuditLogRow.target_id) == where.target_id)
    if where.since:
        found.append(col(AuditLogRow.occurred_at) >= where.since)
    if where.until:
        found.append(col(AuditLogRow.occurred_at) < where.until)
    return found


class SqlAuditLog:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @classmethod
    def on(cls, transaction: Transaction) -> SqlAuditLog:
        return cls(session_of(transaction))

    async def append(self, entry: AuditEntry) -> bool:
        # Each entry comes once per ce_id (the consumer's inbox); this check
        # keeps a second copy of one entry out should it ever come twice.
        if await self.session.get(AuditLogRow, entry.audit_id) is not None:
            return False
        self.session.add(
            AuditLogRow(
                audit_id=entry.audit_id,
                tenant_id=entry.tenant_id,
                actor=entry.actor,
                action=entry.action,
                target_type=entry.target_type,
                target_id=entry.target_id,
                summary=entry.summary,
                request_id=entry.request_id,
                trace_id=entry.trace_id,
                service=entry.service,
                occurred_at=entry.occurred_at,
                recorded_at=utcnow(),
            )
        )
        await self.session.flush()
        return True

    async def page(
        self, tenant_id: str, where: AuditFilter, after: Position | None, limit: int
    ) -> list[AuditEntry]:
        conditions = _conditions(tenant_id, where)
        if after is not None:
            at, audit_id = col(AuditLogRow.occurred_at), col(AuditLogRow.audit_id)
            conditions.append(
                or_(
                    at < after.occurred_at, and_(at == after.occurred_at, audit_id < after.audit_id)
                )
            )
        rows = (
            await self.session.execute(
                select(AuditLogRow)
                .where(*conditions)
                .order_by(col(AuditLogRow.occurred_at).desc(), col(AuditLogRow.audit_id).desc())
                .limit(limit)
            )
        ).scalars()
        return [_entry(row) for row in rows]
