"""GamificationService over gRPC: decode -> use case -> encode. Nothing else."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TypeVar

import grpc
from chorus.gamification.v1 import gamification_service_pb2 as pb
from chorus.gamification.v1 import gamification_service_pb2_grpc as pb_grpc
from chorus_grpc import ServiceBinding
from chorus_identity.context import current_principal
from opentelemetry import trace

from gamification_service.adapters.messages import profile_to_pb, standing_to_pb
from gamification_service.app.ports import LeaderboardUnavailable
from gamification_service.app.use_cases import GamificationUseCases

T = TypeVar("T")


async def _needs_redis(call: Awaitable[T], context: grpc.aio.ServicerContext) -> T:
    # Redis down is a transient outage (retry later), not an internal bug; so
    # is a connection the database driver could not open (a bare OSError).
    try:
        return await call
    except (LeaderboardUnavailable, OSError):
        await context.abort(
            grpc.StatusCode.UNAVAILABLE, "leaderboard store unavailable; retry later"
        )
        raise  # abort raises; this line only satisfies the type checker


def _tag(requested: str) -> None:
    # The tenant the call acts in: the named one (tenant_for refuses any
    # other than the caller's), else the caller's own.
    tenant = requested or current_principal().tenant_id
    trace.get_current_span().set_attribute("chorus.tenant_id", tenant)


class GamificationServicer(pb_grpc.GamificationServiceServicer):
    def __init__(self, use_cases: GamificationUseCases) -> None:
        self.uc = use_cases

    async def GetLeaderboard(
        self, request: pb.GetLeaderboardRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetLeaderboardResponse:
        _tag(request.tenant_id)
        standings = await _needs_redis(
            self.uc.leaderboard_top(current_principal(), request.tenant_id, request.limit), context
        )
        return pb.GetLeaderboardResponse(entries=[standing_to_pb(s) for s in standings])

    async def GetProfile(
        self, request: pb.GetProfileRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetProfileResponse:
        _tag(request.tenant_id)
        return profile_to_pb(
            await self.uc.profile(current_principal(), request.tenant_id, request.employee_id)
        )

    async def RebuildLeaderboard(
        self, request: pb.RebuildLeaderboardRequest, context: grpc.aio.ServicerContext
    ) -> pb.RebuildLeaderboardResponse:
        _tag(request.tenant_id)
        employees = await _needs_redis(
            self.uc.rebuild(current_principal(), request.tenant_id, request.request_id), context
        )
        return pb.RebuildLeaderboardResponse(employees=employees)


def binding(use_cases: GamificationUseCases) -> ServiceBinding:
    return ServiceBinding(
        servicer=GamificationServicer(use_cases),
        add=pb_grpc.add_GamificationServiceServicer_to_server,
        name=pb.DESCRIPTOR.services_by_name["GamificationService"].full_name,
    )
