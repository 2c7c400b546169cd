"""Every share of one employee in the service's database (the app's
EmployeeShares port): what an opt-out cancels and an erasure deletes."""

from __future__ import annotations

from datetime import datetime

from chorus_db import affected_rows
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from scheduling_service.adapters.tables import ShareRow
from scheduling_service.app.ports import OpenShareRef
from scheduling_service.domain.shares import ShareStatus

_OPEN = (ShareStatus.SUGGESTED.value, ShareStatus.SCHEDULED.value)


class EmployeeShareRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def cancel_open(
        self, tenant_id: str, employee_id: str, now: datetime
    ) -> list[OpenShareRef]:
        # Locked (PostgreSQL): the timer's SKIP LOCKED claim passes them by
        # instead of firing one between this read and the update.
        query = (
            select(col(ShareRow.share_id), col(ShareRow.post_id))
            .where(
                col(ShareRow.tenant_id) == tenant_id,
                col(ShareRow.employee_id) == employee_id,
                col(ShareRow.status).in_(_OPEN),
            )
            .with_for_update()
        )
        open_shares = [
            OpenShareRef(share_id, post_id)
            for share_id, post_id in (await self.session.execute(query)).all()
        ]
        if not open_shares:
            return []
        await self.session.execute(
            update(ShareRow)
            .where(
                col(ShareRow.tenant_id) == tenant_id,
                col(ShareRow.share_id).in_([s.share_id for s in open_shares]),
            )
            .values(status=ShareStatus.CANCELLED.value, updated_at=now)
        )
        return open_shares

    async def delete_all(self, tenant_id: str, employee_id: str) -> int:
        result = await self.session.execute(
            delete(ShareRow).where(
                col(ShareRow.tenant_id) == tenant_id, col(ShareRow.employee_id) == employee_id
            )
        )
        return affected_rows(result)
