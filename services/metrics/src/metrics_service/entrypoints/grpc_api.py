"""MetricsService over gRPC: decode -> use case -> encode. Nothing else."""

from __future__ import annotations

import grpc
from chorus.metrics.v1 import metrics_service_pb2 as pb
from chorus.metrics.v1 import metrics_service_pb2_grpc as pb_grpc
from chorus_core.errors import DomainError
from chorus_core.prototime import from_timestamp
from chorus_grpc import ServiceBinding
from chorus_grpc.errors import status_code_for
from chorus_identity.context import current_principal
from chorus_telemetry.propagation import TraceCarrier
from opentelemetry import trace

from metrics_service.adapters.messages import by_country_to_pb, campaign_stats_to_pb
from metrics_service.app.use_cases import MetricsUseCases, NewTrackedLink

# W3C allows traceparent 55 characters and tracestate 512.
MAX_TRACE_HEADER = 512


class MetricsServicer(pb_grpc.MetricsServiceServicer):
    def __init__(self, use_cases: MetricsUseCases) -> None:
        self.uc = use_cases

    async def CreateTrackedLink(
        self, request: pb.CreateTrackedLinkRequest, context: grpc.aio.ServicerContext
    ) -> pb.CreateTrackedLinkResponse:
        link = await self.uc.create_tracked_link(current_principal(), _new_link(request))
        return pb.CreateTrackedLinkResponse(code=link.code, short_url=self.uc.short_url(link.code))

    async def CreateTrackedLinks(
        self, request: pb.CreateTrackedLinksRequest, context: grpc.aio.ServicerContext
    ) -> pb.CreateTrackedLinksResponse:
        outcomes = await self.uc.create_tracked_links(
            current_principal(), [_new_link(one) for one in request.links]
        )
        return pb.CreateTrackedLinksResponse(
            results=[
                pb.TrackedLinkResult(
                    error=pb.TrackedLinkError(
                        status=status_code_for(outcome).name,
                        field=getattr(outcome, "field", ""),
                        message=str(outcome),
                    )
                )
                if isinstance(outcome, DomainError)
                else pb.TrackedLinkResult(
                    code=outcome.code, short_url=self.uc.short_url(outcome.code)
                )
                for outcome in outcomes
            ]
        )

    async def GetPostStats(
        self, request: pb.GetPostStatsRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetPostStatsResponse:
        span = trace.get_current_span()
        span.set_attribute("chorus.post_id", request.post_id)
        stats = await self.uc.post_stats(current_principal(), request.tenant_id, request.post_id)
        return pb.GetPostStatsResponse(
            post_id=request.post_id,
            shares=stats.total.shares,
            clicks=stats.total.clicks,
            by_country=by_country_to_pb(stats),
        )

    async def GetTenantStats(
        self, request: pb.GetTenantStatsRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetTenantStatsResponse:
        stats = await self.uc.tenant_stats(current_principal(), request.tenant_id)
        return pb.GetTenantStatsResponse(
            shares=stats.total.shares, clicks=stats.total.clicks, by_country=by_country_to_pb(stats)
        )

    async def GetCampaignStats(
        self, request: pb.GetCampaignStatsRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetCampaignStatsResponse:
        stats = await self.uc.campaign_stats(
            current_principal(),
            request.tenant_id,
            list(request.post_ids),
            from_timestamp(request.since) if request.HasField("since") else None,
            from_timestamp(request.until) if request.HasField("until") else None,
        )
        return campaign_stats_to_pb(stats, self.uc.region)


def binding(use_cases: MetricsUseCases) -> ServiceBinding:
    return ServiceBinding(
        servicer=MetricsServicer(use_cases),
        add=pb_grpc.add_MetricsServiceServicer_to_server,
        name=pb.DESCRIPTOR.services_by_name["MetricsService"].full_name,
    )


def _new_link(request: pb.CreateTrackedLinkRequest) -> NewTrackedLink:
    return NewTrackedLink(
        tenant_id=request.tenant_id,
        share_id=request.share_id,
        post_id=request.post_id,
        employee_id=request.employee_id,
        country=request.country,
        network=request.network,
        target_url=request.target_url,
        campaign=request.campaign,
        request_id=request.request_id,
        # Validated where it is used (a malformed one restores no context).
        trace=TraceCarrier(
            request.traceparent[:MAX_TRACE_HEADER] or None,
            request.tracestate[:MAX_TRACE_HEADER] or None,
        ),
    )
