"""What scheduling does when an employee opts out or is erased (the holds
themselves are chorus_messaging.privacy's, kept by the same subscription).

Opt-out: every suggested or scheduled share of theirs is cancelled at once,
each with a ShareCancelled event; the hold makes an audience batch resolved
before the opt-out (still on its way) create no share for them, until
EmployeeOptedIn lifts it. Erasure: the same, then every share row of theirs
is deleted; its hold is never lifted.
"""

from __future__ import annotations

import logging

from chorus_core.clock import utcnow
from chorus_messaging import Outbox
from chorus_messaging.privacy import ERASED, OPTED_OUT
from chorus_messaging.topics import SHARES_SCHEDULED
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from scheduling_service.adapters.messages import share_cancelled
from scheduling_service.adapters.tables import ShareRow
from scheduling_service.domain.shares import ShareStatus

log = logging.getLogger(__name__)
_OPEN = (ShareStatus.SUGGESTED.value, ShareStatus.SCHEDULED.value)


async def cancel_open_shares(
    session: AsyncSession, outbox: Outbox, tenant_id: str, employee_id: str, reason: str
) -> int:
    now = utcnow()
    query = (
        select(col(ShareRow.share_id), col(ShareRow.post_id))
        .where(
            col(ShareRow.tenant_id) == tenant_id,
            col(ShareRow.employee_id) == employee_id,
            col(ShareRow.status).in_(_OPEN),
        )
        .with_for_update()
    )
    open_shares = (await session.execute(query)).all()
    if not open_shares:
        return 0
    await session.execute(
        update(ShareRow)
        .where(
            col(ShareRow.tenant_id) == tenant_id,
            col(ShareRow.share_id).in_([s for s, _ in open_shares]),
        )
        .values(status=ShareStatus.CANCELLED.value, updated_at=now)
    )
    for share_id, post_id in open_shares:
        outbox.add(
            session,
            topic=SHARES_SCHEDULED,
            key=share_id,
            subject=share_id,
            tenant_id=tenant_id,
            event=share_cancelled(tenant_id, share_id, post_id, employee_id, reason, now),
        )
    return len(open_shares)


class Withdrawal:
    """The effects for chorus_messaging.privacy.employee_privacy_subscription."""

    def __init__(self, outbox: Outbox) -> None:
        self.outbox = outbox

    async def opted_out(self, session: AsyncSession, tenant_id: str, employee_id: str) -> None:
        cancelled = await cancel_open_shares(
            session, self.outbox, tenant_id, employee_id, OPTED_OUT
        )
        log.info(
            "employee opted out: shares cancelled",
            extra={
                "chorus": {
                    "tenant_id": tenant_id,
                    "employee_id": employee_id,
                    "cancelled": cancelled,
                }
            },
        )

    async def erased(self, session: AsyncSession, tenant_id: str, employee_id: str) -> None:
        await cancel_open_shares(session, self.outbox, tenant_id, employee_id, ERASED)
        result = await session.execute(
            delete(ShareRow).where(
                col(ShareRow.tenant_id) == tenant_id, col(ShareRow.employee_id) == employee_id
            )
        )
        log.info(
            "employee erased: shares deleted",
            extra={
                "chorus": {
                    "tenant_id": tenant_id,
                    "employee_id": employee_id,
                    # A DELETE's result is a CursorResult; execute() is typed Result.
                    "deleted": getattr(result, "rowcount", 0),
                }
            },
        )
