"""The share volume per day (the app's VolumeStore port): one tenant-scoped
GROUP BY on the shares table, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Integer, case, func, literal_column, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from scheduling_service.adapters.tables import ShareRow
from scheduling_service.domain.shares import ShareStatus
from scheduling_service.domain.volume import DayVolume, VolumeQuery

_COUNTED = (ShareStatus.SCHEDULED.value, ShareStatus.DUE.value)


def _utc_day(dialect: str) -> ColumnElement[str]:
    """due_at's UTC date as YYYY-MM-DD. SQLite keeps timestamps as UTC text
    (every due_at is written in UTC), so date() reads it as it is.
    PostgreSQL keeps timestamptz: read in UTC, whatever the session's zone.
    Literal SQL, not bound parameters: PostgreSQL matches the GROUP BY to
    the SELECT expression only when both are the very same text."""
    due_at = col(ShareRow.due_at)
    if dialect == "postgresql":
        in_utc = func.timezone(literal_column("'UTC'"), due_at)
        return func.to_char(in_utc, literal_column("'YYYY-MM-DD'"))
    return func.date(due_at)


def _count(status: ShareStatus) -> ColumnElement[int]:
    return func.sum(case((col(ShareRow.status) == status.value, 1), else_=0), type_=Integer)


class VolumeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def day_volumes(self, tenant_id: str, query: VolumeQuery) -> list[DayVolume]:
        day = _utc_day(self.session.get_bind().dialect.name).label("day")
        region, post = col(ShareRow.region), col(ShareRow.post_id)
        statement = (
            select(day, region, post, _count(ShareStatus.SCHEDULED), _count(ShareStatus.DUE))
            .where(
                col(ShareRow.tenant_id) == tenant_id,
                post.in_(query.post_ids),
                col(ShareRow.status).in_(_COUNTED),
                col(ShareRow.due_at) >= query.since,
                col(ShareRow.due_at) < query.until,
            )
            .group_by(day, region, post)
            .order_by(day, region, post)
        )
        if query.region:
            statement = statement.where(region == query.region)
        rows = await self.session.execute(statement)
        return [
            DayVolume(
                post_id=post_id,
                region=region_name,
                day=str(day_text),
                scheduled=int(scheduled or 0),
                due=int(due or 0),
            )
            for day_text, region_name, post_id, scheduled, due in rows
        ]
