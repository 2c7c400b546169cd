"""Erasure of an employee (EmployeeErased from targeting, through
chorus_messaging.privacy's subscription).

The ledger is anonymised, not deleted: the employee's rows and total move to
the shared ERASED pseudo-employee, so every tenant-wide sum stays what it was
while nothing links the points to the person. Their leaderboard entry goes.
Opt-out changes nothing here: points already earned stay theirs.
"""

from __future__ import annotations

import logging

from chorus_core.clock import utcnow
from redis.asyncio import Redis
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from gamification_service.adapters.leaderboard import board_key
from gamification_service.adapters.tables import LedgerRow, TotalRow

log = logging.getLogger(__name__)
ERASED = "erased"  # one bucket for everyone erased: no per-person trace left


async def anonymise_employee(
    session: AsyncSession, redis: Redis, tenant_id: str, employee_id: str
) -> int:
    """Returns the points moved to the anonymous bucket."""
    if employee_id == ERASED:
        return 0
    await session.execute(
        update(LedgerRow)
        .where(col(LedgerRow.tenant_id) == tenant_id, col(LedgerRow.employee_id) == employee_id)
        .values(employee_id=ERASED)
    )
    total = await session.get(TotalRow, (tenant_id, employee_id), with_for_update=True)
    moved = total.points if total else 0
    if total is not None:
        await session.execute(
            delete(TotalRow).where(
                col(TotalRow.tenant_id) == tenant_id, col(TotalRow.employee_id) == employee_id
            )
        )
        bucket = (
            await session.execute(
                select(TotalRow)
                .where(col(TotalRow.tenant_id) == tenant_id, col(TotalRow.employee_id) == ERASED)
                .with_for_update()
            )
        ).scalar_one_or_none()
        if bucket is None:
            session.add(
                TotalRow(tenant_id=tenant_id, employee_id=ERASED, points=moved, updated_at=utcnow())
            )
        else:
            bucket.points += moved
            bucket.updated_at = utcnow()
    # Inside the transaction on purpose: if Redis is down the event is retried
    # (an erasure must not commit while the board still names the person).
    await redis.zrem(board_key(tenant_id), employee_id)
    log.info(
        "employee erased: ledger anonymised",
        extra={"chorus": {"tenant_id": tenant_id, "employee_id": employee_id, "points": moved}},
    )
    return moved
