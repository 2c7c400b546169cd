"""Campaigns (tenant-scoped)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from chorus_core.clock import as_utc
from chorus_core.errors import NotFound
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from content_service.adapters.tables import CampaignRow
from content_service.domain.campaigns import Campaign, Kpi, KpiTarget, Objective, Phase


def campaign_from_row(row: CampaignRow) -> Campaign:
    return Campaign(
        campaign_id=row.campaign_id,
        tenant_id=row.tenant_id,
        name=row.name,
        objective=Objective(row.objective),
        starts_at=as_utc(row.starts_at),
        ends_at=as_utc(row.ends_at),
        regions=tuple(row.regions),
        channels=tuple(row.channel_ids),
        segment_id=row.segment_id,
        targets=tuple(KpiTarget(Kpi(k), float(t), r) for k, t, r in row.targets),
        pilot_segment_id=row.pilot_segment_id,
        post_ids=tuple(row.post_ids),
        phase=Phase(row.phase),
        created_at=as_utc(row.created_at),
        updated_at=as_utc(row.updated_at),
    )


def _fill(row: CampaignRow, campaign: Campaign) -> None:
    row.name = campaign.name
    row.objective = campaign.objective.value
    row.starts_at = campaign.starts_at
    row.ends_at = campaign.ends_at
    row.regions = list(campaign.regions)
    row.channel_ids = list(campaign.channels)
    row.segment_id = campaign.segment_id
    row.pilot_segment_id = campaign.pilot_segment_id
    row.targets = [[t.kpi.value, t.target, t.region] for t in campaign.targets]
    row.post_ids = list(campaign.post_ids)
    row.phase = campaign.phase.value


class CampaignRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, tenant_id: str, campaign_id: str, *, for_update: bool = False) -> Campaign:
        return campaign_from_row(await self._row(tenant_id, campaign_id, for_update=for_update))

    async def _row(
        self, tenant_id: str, campaign_id: str, *, for_update: bool = False
    ) -> CampaignRow:
        query = select(CampaignRow).where(
            col(CampaignRow.tenant_id) == tenant_id, col(CampaignRow.campaign_id) == campaign_id
        )
        if for_update:
            query = query.with_for_update()
        row = (await self.session.execute(query)).scalar_one_or_none()
        if row is None:
            raise NotFound("campaign", campaign_id)
        return row

    async def find_by_request(self, tenant_id: str, request_id: str) -> Campaign | None:
        query = select(CampaignRow).where(
            col(CampaignRow.tenant_id) == tenant_id, col(CampaignRow.request_id) == request_id
        )
        row = (await self.session.execute(query)).scalar_one_or_none()
        return campaign_from_row(row) if row else None

    async def add(self, campaign: Campaign, request_id: str | None, now: datetime) -> None:
        row = CampaignRow(
            tenant_id=campaign.tenant_id,
            campaign_id=campaign.campaign_id,
            request_id=request_id or None,
            created_at=now,
            updated_at=now,
            regions=[],
            channel_ids=[],
            targets=[],
            post_ids=[],
            name="",
            objective="",
            phase="",
            starts_at=campaign.starts_at,
            ends_at=campaign.ends_at,
        )
        _fill(row, campaign)
        self.session.add(row)
        await self.session.flush()

    async def save(self, campaign: Campaign, now: datetime) -> None:
        row = await self._row(campaign.tenant_id, campaign.campaign_id)
        _fill(row, campaign)
        row.updated_at = now
        await self.session.flush()

    async def page(
        self,
        tenant_id: str,
        phase: Phase | None,
        limit: int,
        after_id: str | None,
        region: str = "",
    ) -> list[Campaign]:
        """In campaign id order, after `after_id`, `limit` of them (fewer at
        the end). Regions are a small JSON list, filtered here: reads go on
        page by page until `limit` match, so paging stays exact."""
        found: list[Campaign] = []
        cursor = after_id
        while len(found) < limit:
            query = select(CampaignRow).where(col(CampaignRow.tenant_id) == tenant_id)
            if phase is not None:
                query = query.where(col(CampaignRow.phase) == phase.value)
            if cursor:
                query = query.where(col(CampaignRow.campaign_id) > cursor)
            query = query.order_by(col(CampaignRow.campaign_id)).limit(limit)
            batch = [campaign_from_row(r) for r in (await self.session.execute(query)).scalars()]
            found += [c for c in batch if not region or region in c.regions]
            if len(batch) < limit:
                break
            cursor = batch[-1].campaign_id
        return found[:limit]

    async def overlapping(self, tenant_id: str, since: datetime, until: datetime) -> list[Campaign]:
        query = (
            select(CampaignRow)
            .where(
                col(CampaignRow.tenant_id) == tenant_id,
                col(CampaignRow.starts_at) < until,
                col(CampaignRow.ends_at) > since,
            )
            .order_by(col(CampaignRow.campaign_id))
        )
        return [campaign_from_row(r) for r in (await self.session.execute(query)).scalars()]

    async def by_ids(self, tenant_id: str, campaign_ids: Sequence[str]) -> list[Campaign]:
        if not campaign_ids:
            return []
        query = (
            select(CampaignRow)
            .where(
                col(CampaignRow.tenant_id) == tenant_id,
                col(CampaignRow.campaign_id).in_(list(campaign_ids)),
            )
            .order_by(col(CampaignRow.campaign_id))
        )
        return [campaign_from_row(r) for r in (await self.session.execute(query)).scalars()]
