"""Opt-out and erasure of an employee (events from targeting).

Opt-out: every suggested or scheduled share of theirs is cancelled at once,
each with a ShareCancelled event, and a hold is kept so that an audience
batch resolved before the opt-out (still on its way) creates no share for
them; EmployeeOptedIn lifts the hold. Erasure: the same, then every share row
of theirs is deleted; its hold is never lifted.
"""

from __future__ import annotations

import logging
from datetime import datetime

from chorus.scheduling.v1 import scheduling_events_pb2 as events
from chorus_core.clock import utcnow
from chorus_messaging import Outbox
from chorus_messaging.topics import SHARES_SCHEDULED
from google.protobuf.timestamp_pb2 import Timestamp
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from scheduling_service.adapters.privacy_tables import WithdrawnEmployeeRow
from scheduling_service.adapters.tables import ShareRow
from scheduling_service.domain.shares import ShareStatus

log = logging.getLogger(__name__)
_OPEN = (ShareStatus.SUGGESTED.value, ShareStatus.SCHEDULED.value)


async def cancel_open_shares(
    session: AsyncSession, outbox: Outbox, tenant_id: str, employee_id: str, reason: str
) -> int:
    now = utcnow()
    query = (
        select(ShareRow.share_id, ShareRow.post_id)
        .where(
            ShareRow.tenant_id == tenant_id,
            ShareRow.employee_id == employee_id,
            ShareRow.status.in_(_OPEN),  # type: ignore[attr-defined]
        )
        .with_for_update()
    )
    open_shares = (await session.execute(query)).all()
    if not open_shares:
        return 0
    await session.execute(
        update(ShareRow)
        .where(ShareRow.tenant_id == tenant_id, ShareRow.share_id.in_([s for s, _ in open_shares]))  # type: ignore[attr-defined]
        .values(status=ShareStatus.CANCELLED.value, updated_at=now)
    )
    for share_id, post_id in open_shares:
        outbox.add(
            session,
            topic=SHARES_SCHEDULED,
            key=share_id,
            subject=share_id,
            tenant_id=tenant_id,
            event=_cancelled(tenant_id, share_id, post_id, employee_id, reason, now),
        )
    return len(open_shares)


def _cancelled(
    tenant_id: str, share_id: str, post_id: str, employee_id: str, reason: str, now: datetime
) -> events.ShareCancelled:
    stamp = Timestamp()
    stamp.FromDatetime(now)
    return events.ShareCancelled(
        tenant_id=tenant_id,
        share_id=share_id,
        post_id=post_id,
        employee_id=employee_id,
        reason=reason,
        cancelled_at=stamp,
    )


async def _hold(session: AsyncSession, tenant_id: str, employee_id: str, reason: str) -> None:
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


async def withdrawn(session: AsyncSession, tenant_id: str, employee_ids: list[str]) -> set[str]:
    """Those of `employee_ids` no share may be created for (one query per batch)."""
    if not employee_ids:
        return set()
    query = select(WithdrawnEmployeeRow.employee_id).where(
        WithdrawnEmployeeRow.tenant_id == tenant_id,
        WithdrawnEmployeeRow.employee_id.in_(employee_ids),  # type: ignore[attr-defined]
    )
    return set((await session.execute(query)).scalars())


class EmployeePrivacy:
    def __init__(self, outbox: Outbox) -> None:
        self.outbox = outbox

    async def opted_out(self, session: AsyncSession, tenant_id: str, employee_id: str) -> None:
        await _hold(session, tenant_id, employee_id, "opted_out")
        cancelled = await cancel_open_shares(
            session, self.outbox, tenant_id, employee_id, "opted_out"
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

    async def opted_in(self, session: AsyncSession, tenant_id: str, employee_id: str) -> None:
        """Participation given again: new audiences may include them again
        (an erased person's hold stays: the id can never come back)."""
        await session.execute(
            delete(WithdrawnEmployeeRow).where(
                WithdrawnEmployeeRow.tenant_id == tenant_id,
                WithdrawnEmployeeRow.employee_id == employee_id,
                WithdrawnEmployeeRow.reason == "opted_out",
            )
        )
        log.info(
            "employee opted in again: hold lifted",
            extra={"chorus": {"tenant_id": tenant_id, "employee_id": employee_id}},
        )

    async def erased(self, session: AsyncSession, tenant_id: str, employee_id: str) -> None:
        await _hold(session, tenant_id, employee_id, "erased")
        await cancel_open_shares(session, self.outbox, tenant_id, employee_id, "erased")
        result = await session.execute(
            delete(ShareRow).where(
                ShareRow.tenant_id == tenant_id, ShareRow.employee_id == employee_id
            )
        )
        log.info(
            "employee erased: shares deleted",
            extra={
                "chorus": {
                    "tenant_id": tenant_id,
                    "employee_id": employee_id,
                    "deleted": result.rowcount,
                }
            },
        )  # type: ignore[attr-defined]
