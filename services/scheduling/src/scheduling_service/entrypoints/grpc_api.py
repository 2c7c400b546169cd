"""SchedulingService over gRPC: decode -> use case -> encode. Nothing else."""

from __future__ import annotations

import grpc
from chorus.scheduling.v1 import scheduling_service_pb2 as pb
from chorus.scheduling.v1 import scheduling_service_pb2_grpc as pb_grpc
from chorus_core.prototime import from_timestamp
from chorus_grpc import ServiceBinding
from chorus_identity.context import current_principal

from scheduling_service.adapters.messages import (
    MODE_FROM_PB,
    STATUS_FROM_PB,
    share_to_pb,
    waiting_to_pb,
)
from scheduling_service.app.engagement import Engagement
from scheduling_service.app.insights import ShareInsights
from scheduling_service.app.use_cases import ScheduleRequest, SchedulingUseCases
from scheduling_service.app.waiting import WaitingShares
from scheduling_service.domain.best_hours import MIN_CLICKS, HourEstimate
from scheduling_service.domain.volume import DayVolume


def _day_to_pb(day: DayVolume) -> pb.DayVolume:
    return pb.DayVolume(
        post_id=day.post_id,
        region=day.region,
        day=day.day,
        scheduled=day.scheduled,
        due=day.due,
    )


def _hours_to_pb(found: HourEstimate) -> pb.GetBestHoursResponse:
    return pb.GetBestHoursResponse(
        region=found.region,
        network=found.network,
        shares=list(found.shares),
        best=found.best(3),
        clicks=found.clicks,
        enough_data=found.enough_data,
        prior_only=found.prior_only,
        basis=found.basis,
        min_clicks=MIN_CLICKS,
    )


class SchedulingServicer(pb_grpc.SchedulingServiceServicer):
    def __init__(
        self,
        use_cases: SchedulingUseCases,
        waiting: WaitingShares,
        insights: ShareInsights,
        engagement: Engagement,
    ) -> None:
        self.uc = use_cases
        self.waiting = waiting
        self.insights = insights
        self.engagement = engagement

    async def ScheduleShare(
        self, request: pb.ScheduleShareRequest, context: grpc.aio.ServicerContext
    ) -> pb.ScheduleShareResponse:
        share = await self.uc.schedule_share(
            current_principal(),
            ScheduleRequest(
                tenant_id=request.tenant_id,
                post_id=request.post_id,
                employee_id=request.employee_id,
                mode=MODE_FROM_PB.get(request.mode),
                at=from_timestamp(request.at),
                network=request.network,
                request_id=request.request_id,
                variant=request.variant if request.HasField("variant") else None,
                text=request.text if request.HasField("text") else None,
            ),
        )
        return pb.ScheduleShareResponse(share=share_to_pb(share))

    async def CancelShare(
        self, request: pb.CancelShareRequest, context: grpc.aio.ServicerContext
    ) -> pb.CancelShareResponse:
        share = await self.uc.cancel_share(
            current_principal(), request.tenant_id, request.share_id, request.request_id
        )
        return pb.CancelShareResponse(share=share_to_pb(share))

    async def GetShare(
        self, request: pb.GetShareRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetShareResponse:
        return pb.GetShareResponse(
            share=share_to_pb(
                await self.uc.get_share(current_principal(), request.tenant_id, request.share_id)
            )
        )

    async def ListShares(
        self, request: pb.ListSharesRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListSharesResponse:
        shares, token = await self.uc.list_shares(
            current_principal(),
            request.tenant_id,
            post_id=request.post_id,
            employee_id=request.employee_id,
            status=STATUS_FROM_PB.get(request.status),
            page_size=request.page_size,
            page_token=request.page_token,
        )
        return pb.ListSharesResponse(shares=[share_to_pb(s) for s in shares], next_page_token=token)

    async def ListWaitingShares(
        self, request: pb.ListWaitingSharesRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListWaitingSharesResponse:
        groups = await self.waiting.list(
            current_principal(), request.tenant_id, request.post_id, request.max_ids
        )
        return pb.ListWaitingSharesResponse(groups=[waiting_to_pb(g) for g in groups])

    async def GetShareVolume(
        self, request: pb.GetShareVolumeRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetShareVolumeResponse:
        days = await self.insights.share_volume(
            current_principal(),
            request.tenant_id,
            list(request.post_ids),
            from_timestamp(request.since),
            from_timestamp(request.until),
            request.region,
        )
        return pb.GetShareVolumeResponse(
            days=[_day_to_pb(d) for d in days], region_name=self.insights.region
        )

    async def GetBestHours(
        self, request: pb.GetBestHoursRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetBestHoursResponse:
        found = await self.engagement.best_hours(
            current_principal(), request.tenant_id, request.region, request.network
        )
        return _hours_to_pb(found)


def binding(
    use_cases: SchedulingUseCases,
    waiting: WaitingShares,
    insights: ShareInsights | None = None,
    engagement: Engagement | None = None,
) -> ServiceBinding:
    """`insights` and `engagement` default: on the use cases' database
    (`insights` for the default region, for tests that do not look at the
    region); main.py names them."""
    insights = insights or ShareInsights(use_cases.db, use_cases.stores)
    engagement = engagement or Engagement(use_cases.db, use_cases.stores)
    return ServiceBinding(
        servicer=SchedulingServicer(use_cases, waiting, insights, engagement),
        add=pb_grpc.add_SchedulingServiceServicer_to_server,
        name=pb.DESCRIPTOR.services_by_name["SchedulingService"].full_name,
    )
