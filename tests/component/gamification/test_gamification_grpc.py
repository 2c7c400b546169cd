"""GamificationService over real gRPC (health, error mapping, Redis outage)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import grpc
import pytest
from chorus.gamification.v1 import gamification_service_pb2 as pb
from chorus.gamification.v1 import gamification_service_pb2_grpc as pb_grpc
from chorus_grpc import GrpcServer, insecure_channel
from chorus_testing.identity import IDENTITY, everything
from gamification_service.app.use_cases import GamificationUseCases
from gamification_service.entrypoints import grpc_api
from grpc_health.v1 import health_pb2, health_pb2_grpc


async def serve(
    use_cases: GamificationUseCases, tenant: str
) -> tuple[GrpcServer, grpc.aio.Channel]:
    server = GrpcServer(0, [grpc_api.binding(use_cases)], verifier=IDENTITY.verifier)
    await server.start()
    return server, insecure_channel(
        f"127.0.0.1:{server.port}", credentials=IDENTITY.credentials(everything(tenant))
    )


@pytest.fixture
async def channel(use_cases, tenant) -> AsyncIterator[grpc.aio.Channel]:
    server, channel = await serve(use_cases, tenant)
    yield channel
    await channel.close()
    await server.stop(0)


async def test_leaderboard_profile_and_rebuild_over_grpc(
    channel, on_share, kit, tenant, gam_db
) -> None:
    for employee in ("emp-b", "emp-a"):
        event = kit.share_published(tenant, employee, f"share-{employee}")
        await on_share(event, kit.context(gam_db, event, tenant))
    stub = pb_grpc.GamificationServiceStub(channel)

    board = await stub.GetLeaderboard(pb.GetLeaderboardRequest(tenant_id=tenant, limit=10))
    assert [(e.rank, e.employee_id, e.points) for e in board.entries] == [
        (1, "emp-a", 10),
        (1, "emp-b", 10),
    ]
    profile = await stub.GetProfile(pb.GetProfileRequest(tenant_id=tenant, employee_id="emp-a"))
    assert (profile.employee_id, profile.points, [e.source_id for e in profile.entries]) == (
        "emp-a",
        10,
        ["share-emp-a"],
    )
    rebuilt = await stub.RebuildLeaderboard(
        pb.RebuildLeaderboardRequest(request_id="r1", tenant_id=tenant)
    )
    assert rebuilt.employees == 2
    health = health_pb2_grpc.HealthStub(channel)
    reply = await health.Check(
        health_pb2.HealthCheckRequest(service="chorus.gamification.v1.GamificationService")
    )
    assert reply.status == health_pb2.HealthCheckResponse.SERVING


@pytest.mark.parametrize(
    ("request_", "detail"),
    [
        (pb.GetLeaderboardRequest(limit=-1), "limit"),
    ],
)
async def test_bad_leaderboard_requests_are_invalid_argument(channel, request_, detail) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as raised:
        await pb_grpc.GamificationServiceStub(channel).GetLeaderboard(request_)
    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert detail in (raised.value.details() or "")


async def test_profile_without_an_employee_is_invalid_argument(channel, tenant) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as raised:
        await pb_grpc.GamificationServiceStub(channel).GetProfile(
            pb.GetProfileRequest(tenant_id=tenant)
        )
    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "employee_id" in (raised.value.details() or "")


async def test_redis_down_is_unavailable_not_internal(use_cases_redis_down, tenant) -> None:
    server, channel = await serve(use_cases_redis_down, tenant)
    try:
        stub = pb_grpc.GamificationServiceStub(channel)
        for call in (
            stub.GetLeaderboard(pb.GetLeaderboardRequest(tenant_id=tenant, limit=3)),
            stub.RebuildLeaderboard(pb.RebuildLeaderboardRequest(request_id="r", tenant_id=tenant)),
        ):
            with pytest.raises(grpc.aio.AioRpcError) as raised:
                await call
            assert raised.value.code() == grpc.StatusCode.UNAVAILABLE
        # The profile comes from the database and still answers.
        profile = await stub.GetProfile(pb.GetProfileRequest(tenant_id=tenant, employee_id="emp-1"))
        assert profile.points == 0
    finally:
        await channel.close()
        await server.stop(0)
