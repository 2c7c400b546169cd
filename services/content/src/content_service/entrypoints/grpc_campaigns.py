"""The campaign RPCs of ContentService: decode -> use case -> encode."""

from __future__ import annotations

import grpc
from chorus.content.v1 import content_service_pb2 as pb
from chorus.content.v1 import content_service_pb2_grpc as pb_grpc
from chorus_core.prototime import from_timestamp
from chorus_identity.context import current_principal

from content_service.adapters.campaign_messages import (
    PHASE_FROM_PB,
    campaign_to_pb,
    goal_line_to_pb,
    kpi_value,
    objective_value,
)
from content_service.app.campaigns import CampaignUseCases, NewCampaign

Ctx = grpc.aio.ServicerContext


class CampaignServicer(pb_grpc.ContentServiceServicer):
    campaigns: CampaignUseCases

    async def CreateCampaign(self, request: pb.CreateCampaignRequest, context: Ctx) -> pb.Campaign:
        new = NewCampaign(
            tenant_id=request.tenant_id,
            name=request.name,
            objective=objective_value(request.objective),
            starts_at=from_timestamp(request.starts_at),
            ends_at=from_timestamp(request.ends_at),
            regions=tuple(request.regions),
            channel_ids=tuple(c.strip() for c in request.channel_ids),
            segment_id=request.segment_id.strip(),
            pilot_segment_id=request.pilot_segment_id.strip(),
            targets=tuple((kpi_value(t.kpi), t.target, t.region) for t in request.targets),
            request_id=request.request_id,
        )
        return campaign_to_pb(await self.campaigns.create(current_principal(), new))

    async def GetCampaign(self, request: pb.GetCampaignRequest, context: Ctx) -> pb.Campaign:
        campaign = await self.campaigns.get(
            current_principal(), request.tenant_id, request.campaign_id
        )
        return campaign_to_pb(campaign)

    async def ListCampaigns(
        self, request: pb.ListCampaignsRequest, context: Ctx
    ) -> pb.ListCampaignsResponse:
        page, token = await self.campaigns.page(
            current_principal(),
            request.tenant_id,
            region=request.region.strip(),
            phase=PHASE_FROM_PB.get(request.phase),
            page_size=request.page_size,
            page_token=request.page_token,
        )
        return pb.ListCampaignsResponse(
            campaigns=[campaign_to_pb(c) for c in page], next_page_token=token
        )

    async def StartPilot(self, request: pb.CampaignActionRequest, context: Ctx) -> pb.Campaign:
        campaign = await self.campaigns.start_pilot(
            current_principal(), request.tenant_id, request.campaign_id, request.request_id
        )
        return campaign_to_pb(campaign)

    async def WidenCampaign(self, request: pb.CampaignActionRequest, context: Ctx) -> pb.Campaign:
        campaign = await self.campaigns.widen(
            current_principal(), request.tenant_id, request.campaign_id, request.request_id
        )
        return campaign_to_pb(campaign)

    async def EndCampaign(self, request: pb.CampaignActionRequest, context: Ctx) -> pb.Campaign:
        campaign = await self.campaigns.end(
            current_principal(), request.tenant_id, request.campaign_id, request.request_id
        )
        return campaign_to_pb(campaign)

    async def GetCampaignGoals(
        self, request: pb.GetCampaignGoalsRequest, context: Ctx
    ) -> pb.GetCampaignGoalsResponse:
        goals = await self.campaigns.goals(
            current_principal(), request.tenant_id, request.campaign_id
        )
        return pb.GetCampaignGoalsResponse(
            campaign_id=goals.campaign.campaign_id,
            measured_region=goals.measured_region,
            lines=[
                goal_line_to_pb(line, goals.notes.get((line.kpi, line.region), ""))
                for line in goals.lines
            ],
        )
