"""Erasure of an employee (EmployeeErased from targeting), and the holds
that keep a ShareDue already in flight from being published after an opt-out,
an erasure or a ShareCancelled (see adapters/privacy_tables.py).

Their connected accounts (handle, network id, encrypted credentials) are
deleted; their ledger rows stay, so a redelivered ShareDue still finds its
share already handled and publishes nothing twice, but the personal columns
(employee id, and the post URI / CID, which embed the account's DID) are
overwritten, and the already-relayed outbox copies of their SharePublished
events are dropped. A ShareDue for them arriving later finds no account and
fails as for anyone without one.
"""

from __future__ import annotations

import logging

from chorus_core.clock import utcnow
from chorus_db import Database
from chorus_messaging.tables import OutboxMessage
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from publishing_service.adapters.privacy_tables import CancelledShareRow, WithdrawnEmployeeRow
from publishing_service.adapters.tables import AccountRow, LedgerRow

log = logging.getLogger(__name__)
ERASED = "erased"


async def erase_employee(
    session: AsyncSession, tenant_id: str, employee_id: str
) -> tuple[int, int]:
    """Returns (accounts deleted, ledger rows anonymised)."""
    share_ids = list(
        (
            await session.execute(
                select(LedgerRow.share_id).where(
                    LedgerRow.tenant_id == tenant_id, LedgerRow.employee_id == employee_id
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
                OutboxMessage.tenant_id == tenant_id,
                OutboxMessage.key.in_(share_ids),  # type: ignore[attr-defined]
                OutboxMessage.published_at.is_not(None),  # type: ignore[union-attr]
            )
        )
    accounts = await session.execute(
        delete(AccountRow).where(
            AccountRow.tenant_id == tenant_id, AccountRow.employee_id == employee_id
        )
    )
    ledger = await session.execute(
        update(LedgerRow)
        .where(LedgerRow.tenant_id == tenant_id, LedgerRow.employee_id == employee_id)
        .values(employee_id=ERASED, post_uri="", post_cid="")
    )
    counts = (accounts.rowcount, ledger.rowcount)  # type: ignore[attr-defined]
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


async def hold_employee(
    session: AsyncSession, tenant_id: str, employee_id: str, reason: str
) -> None:
    """Opt-out or erasure: no ShareDue of theirs is published from now on."""
    row = await session.get(WithdrawnEmployeeRow, (tenant_id, employee_id), with_for_update=True)
    if row is None:
        session.add(
            WithdrawnEmployeeRow(
                tenant_id=tenant_id, employee_id=employee_id, reason=reason, since=utcnow()
            )
        )
    elif row.reason != "erased":
        row.reason, row.since = reason, utcnow()
    await session.flush()


async def lift_hold(session: AsyncSession, tenant_id: str, employee_id: str) -> None:
    """Opted in again: shares scheduled from now on go out (an erasure stays)."""
    await session.execute(
        delete(WithdrawnEmployeeRow).where(
            WithdrawnEmployeeRow.tenant_id == tenant_id,
            WithdrawnEmployeeRow.employee_id == employee_id,
            WithdrawnEmployeeRow.reason == "opted_out",
        )
    )


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
        held = await session.get(WithdrawnEmployeeRow, (tenant_id, employee_id))
        return held.reason if held is not None else None
