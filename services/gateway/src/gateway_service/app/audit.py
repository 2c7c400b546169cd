"""The tenant's audit log: every administrative and editorial action of
every service (chorus_messaging.audit), stored by the gateway as it hears
them, read by the tenant's admins.

Policy: only a tenant admin reads the log or exports it, and only their own
tenant's (the tenant is the admin's, never a request field). Nobody changes
or deletes an entry: the store can only append (and the database refuses
UPDATE and DELETE on the table, gateway_0002).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from chorus_core.errors import InvalidArgument
from chorus_db.ports import Transaction, UnitOfWork
from chorus_identity.policy import require_admin
from chorus_identity.principal import Principal

EXPORT_PAGE = 500


@dataclass(frozen=True)
class AuditEntry:
    audit_id: str
    tenant_id: str
    actor: str
    action: str
    target_type: str
    target_id: str
    summary: str  # compact JSON: {"field": [before, after]}
    request_id: str
    trace_id: str
    service: str
    occurred_at: datetime


@dataclass(frozen=True)
class AuditFilter:
    action: str = ""
    actor: str = ""
    target_type: str = ""
    target_id: str = ""
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive

    def check(self) -> AuditFilter:
        if self.since and self.until and self.since >= self.until:
            raise InvalidArgument("since", "must be before until")
        if self.target_id and not self.target_type:
            raise InvalidArgument("target_id", "needs target_type")
        return self


@dataclass(frozen=True)
class Position:
    """Where a page ends: the last entry's time and id (newest first)."""

    occurred_at: datetime
    audit_id: str


class AuditLogStore(Protocol):
    async def append(self, entry: AuditEntry) -> bool:
        """Store the entry; False when its audit_id is stored already."""

    async def page(
        self, tenant_id: str, where: AuditFilter, after: Position | None, limit: int
    ) -> list[AuditEntry]:
        """Newest first, strictly after `after`."""


class AuditLog:
    def __init__(self, db: UnitOfWork, store: Callable[[Transaction], AuditLogStore]) -> None:
        self.db = db
        self.store = store

    async def keep(self, entry: AuditEntry, transaction: Transaction) -> bool:
        """From the consumer, in the event's transaction (with its inbox row)."""
        return await self.store(transaction).append(entry)

    async def page(
        self,
        actor: Principal,
        where: AuditFilter,
        after: Position | None,
        limit: int,
    ) -> tuple[list[AuditEntry], Position | None]:
        """One page and where the next starts (None: this was the last)."""
        require_admin(actor)
        where.check()
        async with self.db.session() as session:
            found = await self.store(session).page(actor.tenant_id, where, after, limit + 1)
        items = found[:limit]
        more = len(found) > limit
        return items, (Position(items[-1].occurred_at, items[-1].audit_id) if more else None)

    async def export(self, actor: Principal, where: AuditFilter) -> AsyncIterator[AuditEntry]:
        """Every matching entry, newest first, read page by page (a large
        log is streamed, not held in memory). The check runs before the
        first entry is asked for, so a refusal is an error, not a cut stream."""
        require_admin(actor)
        where.check()
        return self._all(actor.tenant_id, where)

    async def _all(self, tenant_id: str, where: AuditFilter) -> AsyncIterator[AuditEntry]:
        after: Position | None = None
        while True:
            async with self.db.session() as session:
                found = await self.store(session).page(tenant_id, where, after, EXPORT_PAGE)
            for entry in found:
                yield entry
            if len(found) < EXPORT_PAGE:
                return
            after = Position(found[-1].occurred_at, found[-1].audit_id)
