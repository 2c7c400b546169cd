"""Channels, subscriptions, managers and saved segments (tenant-scoped)."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from datetime import datetime

from chorus_core.errors import AlreadyExists, NotFound
from chorus_db import exclusive
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from targeting_service.adapters.directory_tables import (
    ChannelManagerRow,
    ChannelRow,
    ChannelSubscriptionRow,
    SegmentRow,
)
from targeting_service.adapters.tables import EmployeeRow
from targeting_service.domain.channels import Channel, SavedSegment


def _channel(row: ChannelRow, managers: Sequence[str], subscribers: int) -> Channel:
    return Channel(
        row.channel_id,
        row.name,
        row.description,
        tuple(row.regions),
        row.mandatory,
        tuple(managers),
        subscribers,
    )


class ChannelRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, tenant_id: str, channel: Channel, now: datetime) -> None:
        taken = await self.session.execute(
            select(col(ChannelRow.channel_id)).where(
                col(ChannelRow.tenant_id) == tenant_id, col(ChannelRow.name) == channel.name
            )
        )
        if taken.first() is not None:
            raise AlreadyExists(f"channel {channel.name!r} already exists")
        self.session.add(
            ChannelRow(
                tenant_id=tenant_id,
                channel_id=channel.channel_id,
                name=channel.name,
                description=channel.description,
                regions=list(channel.regions),
                mandatory=channel.mandatory,
                created_at=now,
            )
        )
        for employee_id in channel.managers:
            self.session.add(
                ChannelManagerRow(
                    tenant_id=tenant_id, channel_id=channel.channel_id, employee_id=employee_id
                )
            )
        await self.session.flush()

    async def get(self, tenant_id: str, channel_id: str) -> Channel:
        row = await self.session.get(ChannelRow, (tenant_id, channel_id))
        if row is None:
            raise NotFound("channel", channel_id)
        managers = (
            await self.session.execute(
                select(col(ChannelManagerRow.employee_id)).where(
                    col(ChannelManagerRow.tenant_id) == tenant_id,
                    col(ChannelManagerRow.channel_id) == channel_id,
                )
            )
        ).scalars()
        count = await self.session.execute(
            select(func.count())
            .select_from(ChannelSubscriptionRow)
            .where(
                col(ChannelSubscriptionRow.tenant_id) == tenant_id,
                col(ChannelSubscriptionRow.channel_id) == channel_id,
            )
        )
        return _channel(row, sorted(managers), int(count.scalar_one()))

    async def list(self, tenant_id: str) -> list[Channel]:
        rows = (
            (
                await self.session.execute(
                    select(ChannelRow)
                    .where(col(ChannelRow.tenant_id) == tenant_id)
                    .order_by(col(ChannelRow.name))
                )
            )
            .scalars()
            .all()
        )
        return [await self.get(tenant_id, r.channel_id) for r in rows]

    async def many(self, tenant_id: str, channel_ids: Sequence[str]) -> builtins.list[Channel]:
        return [await self.get(tenant_id, c) for c in channel_ids]

    async def lock(self, tenant_id: str, channel_id: str) -> None:
        await exclusive(self.session, f"targeting.channel/{tenant_id}/{channel_id}")

    async def set_managers(
        self, tenant_id: str, channel_id: str, employee_ids: Sequence[str]
    ) -> None:
        await self.get(tenant_id, channel_id)
        await self.session.execute(
            delete(ChannelManagerRow).where(
                col(ChannelManagerRow.tenant_id) == tenant_id,
                col(ChannelManagerRow.channel_id) == channel_id,
            )
        )
        for employee_id in sorted(set(employee_ids)):
            self.session.add(
                ChannelManagerRow(
                    tenant_id=tenant_id, channel_id=channel_id, employee_id=employee_id
                )
            )
        await self.session.flush()

    async def subscribe(self, tenant_id: str, channel_id: str, employee_id: str) -> bool:
        if await self.session.get(EmployeeRow, (tenant_id, employee_id)) is None:
            raise NotFound("employee", employee_id)
        key = (tenant_id, channel_id, employee_id)
        # Read-then-insert: two concurrent subscribes would both insert.
        await exclusive(
            self.session, f"targeting.subscription/{tenant_id}/{channel_id}/{employee_id}"
        )
        if await self.session.get(ChannelSubscriptionRow, key) is not None:
            return False
        self.session.add(
            ChannelSubscriptionRow(
                tenant_id=tenant_id, channel_id=channel_id, employee_id=employee_id
            )
        )
        await self.session.flush()
        return True

    async def unsubscribe(self, tenant_id: str, channel_id: str, employee_id: str) -> bool:
        row = await self.session.get(ChannelSubscriptionRow, (tenant_id, channel_id, employee_id))
        if row is None:
            return False
        await self.session.delete(row)
        await self.session.flush()
        return True


class SegmentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def lock(self, tenant_id: str, segment_id: str) -> None:
        await exclusive(self.session, f"targeting.segment/{tenant_id}/{segment_id}")

    async def latest_version(self, tenant_id: str, segment_id: str) -> int:
        query = select(func.max(col(SegmentRow.version))).where(
            col(SegmentRow.tenant_id) == tenant_id, col(SegmentRow.segment_id) == segment_id
        )
        return int((await self.session.execute(query)).scalar_one() or 0)

    async def add(self, tenant_id: str, segment: SavedSegment) -> None:
        self.session.add(
            SegmentRow(
                tenant_id=tenant_id,
                segment_id=segment.segment_id,
                version=segment.version,
                name=segment.name,
                rule=segment.rule,
                created_at=segment.created_at,
            )
        )
        await self.session.flush()

    async def get(self, tenant_id: str, segment_id: str, version: int = 0) -> SavedSegment:
        version = version or await self.latest_version(tenant_id, segment_id)
        row = await self.session.get(SegmentRow, (tenant_id, segment_id, version))
        if row is None:
            raise NotFound("segment", f"{segment_id} v{version}" if version else segment_id)
        return SavedSegment(row.segment_id, row.version, row.name, row.rule, row.created_at)

    async def list(self, tenant_id: str) -> list[SavedSegment]:
        latest = (
            select(col(SegmentRow.segment_id), func.max(col(SegmentRow.version)).label("v"))
            .where(col(SegmentRow.tenant_id) == tenant_id)
            .group_by(col(SegmentRow.segment_id))
            .subquery()
        )
        query = (
            select(SegmentRow)
            .join(
                latest,
                (col(SegmentRow.segment_id) == latest.c.segment_id)
                & (col(SegmentRow.version) == latest.c.v),
            )
            .where(col(SegmentRow.tenant_id) == tenant_id)
            .order_by(col(SegmentRow.name))
        )
        return [
            SavedSegment(r.segment_id, r.version, r.name, r.rule, r.created_at)
            for r in (await self.session.execute(query)).scalars()
        ]
