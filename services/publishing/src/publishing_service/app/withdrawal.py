"""What publishing must not publish although a ShareDue says so, and the
erasure of an employee (EmployeeErased from targeting).

A ShareDue already emitted (in Kafka, or being retried) when the employee
opts out or is erased must not reach the network: scheduling's ShareCancelled
is recorded per share (CancelledShareRow), targeting's opt-out / erasure per
employee as a chorus_messaging.privacy hold (that event travels on another
topic, so it can overtake a ShareDue still queued). The ShareDue handler
checks both before taking any lease. Opaque ids only.

On erasure, their connected accounts (handle, network id, encrypted
credentials) are deleted; their ledger rows stay, so a redelivered ShareDue
still finds its share already handled and publishes nothing twice, but the
personal columns (employee id, and the post URI / CID, which embed the
account's DID) are overwritten, and the already-relayed outbox copies of
their SharePublished events are dropped. A ShareDue for them arriving later
finds no account and fails as for anyone without one.
"""

from __future__ import annotations

import logging

from chorus_core.clock import utcnow
from chorus_db import Database
from chorus_messaging.privacy import withdrawn
from chorus_messaging.tables import OutboxMessage
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from publishing_service.adapters.tables import AccountRow, CancelledShareRow, LedgerRow

log = logging.getLogger(__name__)
ERASED = "erased"  # who an erased employee's ledger rows belong to from then on


async def erase_employee(
    session: AsyncSession, tenant_id: str, employee_id: str
) -> tuple[int, int]:
    """Returns (accounts deleted, ledger rows anonymised)."""
    share_ids = list(
        (
            await session.execute(
                select(col(LedgerRow.share_id)).where(
                    col(LedgerRow.tenant_id) == tenant_id,
                    col(LedgerRow.employee_id) == employee_id,
                )
            )
        ).scalars()
    )
    if share_ids:
        # SharePublished copies (post URI: the account's DID) already relayed
        # to Kafka: the outbox keeps them only as a record. Unsent ones stay,
        # or the relay would lose them.
        await session.execute(
            delete(OutboxMessage).where(
                col(OutboxMessage.tenant_id) == tenant_id,
                col(OutboxMessage.key).in_(share_ids),
                col(OutboxMessage.published_at).is_not(None),
            )
        )
    accounts = await session.execute(
        delete(AccountRow).where(
            col(AccountRow.tenant_id) == tenant_id, col(AccountRow.employee_id) == employee_id
        )
    )
    ledger = await session.execute(
        update(LedgerRow)
        .where(col(LedgerRow.tenant_id) == tenant_id, col(LedgerRow.employee_id) == employee_id)
        .values(employee_id=ERASED, post_uri="", post_cid="")
    )
    # DELETE and UPDATE results are CursorResults; execute() is typed Result.
    counts = (getattr(accounts, "rowcount", 0), getattr(ledger, "rowcount", 0))
    log.info(
        "employee erased: accounts deleted, ledger anonymised",
        extra={
            "chorus": {
                "tenant_id": tenant_id,
                "employee_id": employee_id,
                "accounts": counts[0],
                "ledger_rows": counts[1],
            }
        },
    )
    return counts


async def record_cancelled(
    session: AsyncSession, tenant_id: str, share_id: str, reason: str
) -> None:
    if await session.get(CancelledShareRow, (tenant_id, share_id)) is None:
        session.add(
            CancelledShareRow(
                tenant_id=tenant_id,
                share_id=share_id,
                reason=reason or "cancelled",
                cancelled_at=utcnow(),
            )
        )
        await session.flush()


async def withdrawn_reason(
    db: Database, tenant_id: str, share_id: str, employee_id: str
) -> str | None:
    """Why this due share must not be published, or None (it may)."""
    async with db.session() as session:
        cancelled = await session.get(CancelledShareRow, (tenant_id, share_id))
        if cancelled is not None:
            return cancelled.reason
        return (await withdrawn(session, tenant_id, [employee_id])).get(employee_id)
