"""Engagement by the local hour of the share (the app's EngagementStore
port): clicks counted per (tenant, region, network, local hour), each click
once by its click_id. No personal data: a count per hour, and the click ids
already counted (metrics' opaque UUIDs)."""

from __future__ import annotations

from datetime import datetime

from chorus_db import affected_rows, conflict_insert, table_of, timestamp
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col


class EngagementHourRow(SQLModel, table=True):
    """Clicks on shares that went out in one local hour (0-23) of their
    employee's day, per region and network: the data domain/best_hours.py
    learns the best hours from."""

    __tablename__ = "scheduling_engagement_hours"

    tenant_id: str = Field(primary_key=True, max_length=64)
    region: str = Field(primary_key=True, max_length=64)
    network: str = Field(primary_key=True, max_length=20)
    hour: int = Field(primary_key=True)
    clicks: int


class CountedClickRow(SQLModel, table=True):
    """A click already counted (LinkClicked's click_id, the fact's natural
    key): a click re-emitted under another ce_id is not counted twice."""

    __tablename__ = "scheduling_counted_clicks"

    tenant_id: str = Field(primary_key=True, max_length=64)
    click_id: str = Field(primary_key=True, max_length=64)
    counted_at: datetime = Field(sa_column=timestamp())


class EngagementRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def count_click(
        self,
        tenant_id: str,
        click_id: str,
        region: str,
        network: str,
        hour: int,
        now: datetime,
    ) -> bool:
        """One click more in that hour, unless this click_id was counted
        already (False). Two atomic statements on both databases: a
        concurrent duplicate inserts no second click id, and concurrent
        clicks in one hour never lose an increment."""
        counted = table_of(CountedClickRow)
        first = await self.session.execute(
            conflict_insert(self.session, counted)
            .values(tenant_id=tenant_id, click_id=click_id, counted_at=now)
            .on_conflict_do_nothing(index_elements=[counted.c.tenant_id, counted.c.click_id])
        )
        if not affected_rows(first):
            return False
        hours = table_of(EngagementHourRow)
        await self.session.execute(
            conflict_insert(self.session, hours)
            .values(tenant_id=tenant_id, region=region, network=network, hour=hour, clicks=1)
            .on_conflict_do_update(
                index_elements=[hours.c.tenant_id, hours.c.region, hours.c.network, hours.c.hour],
                set_={"clicks": hours.c.clicks + 1},
            )
        )
        return True

    async def clicks_by_hour(self, tenant_id: str, region: str, network: str) -> dict[int, int]:
        query = select(col(EngagementHourRow.hour), col(EngagementHourRow.clicks)).where(
            col(EngagementHourRow.tenant_id) == tenant_id,
            col(EngagementHourRow.region) == region,
            col(EngagementHourRow.network) == network,
        )
        return {int(hour): int(clicks) for hour, clicks in await self.session.execute(query)}
