"""The service's real servers: the click endpoint through a real uvicorn
socket (as main.py runs it) and MetricsService over real gRPC."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import grpc
import httpx
import pytest
from chorus.metrics.v1 import metrics_service_pb2 as pb
from chorus.metrics.v1 import metrics_service_pb2_grpc as pb_grpc
from chorus_grpc import GrpcServer, insecure_channel
from chorus_testing.identity import IDENTITY, as_service, everything
from google.rpc import error_details_pb2
from grpc_status import rpc_status
from metrics_service.adapters.tables import ClickRow
from metrics_service.entrypoints import grpc_api
from metrics_service.entrypoints.http_app import create_app
from metrics_service.entrypoints.http_server import HttpServer

PUBLISHING = as_service("publishing")  # the only caller metrics makes links for


async def wait_until_serving(base_url: str) -> None:
    async with httpx.AsyncClient(base_url=base_url) as client:
        for _ in range(200):
            try:
                if (await client.get("/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.05)
    pytest.fail(f"{base_url} did not start serving")


async def test_redirect_through_a_real_uvicorn_socket_and_graceful_stop(
    use_cases, kit, tenant, metrics_db
) -> None:
    server = HttpServer(create_app(use_cases), "127.0.0.1", 0)
    base = f"http://127.0.0.1:{server.port}"
    task = asyncio.create_task(server.serve())
    try:
        await wait_until_serving(base)
        link = await use_cases.create_tracked_link(PUBLISHING, kit.new_link(tenant, "share-u"))
        async with httpx.AsyncClient(base_url=base) as client:
            response = await client.get(f"/l/{link.code}")
            assert response.status_code == 302
            assert "utm_medium=employee_advocacy" in response.headers["location"]
            assert (await client.get("/l/ZZZZZZZZ")).status_code == 404
            assert (await client.post(f"/l/{link.code}")).status_code == 405
        assert await kit.count(metrics_db, ClickRow) == 1
    finally:
        task.cancel()  # what ServiceRuntime.run does on SIGTERM
        with pytest.raises(asyncio.CancelledError):
            await task
    assert server.server.started and server.socket.fileno() == -1
    with pytest.raises(httpx.ConnectError):
        async with httpx.AsyncClient(base_url=base) as client:
            await client.get("/healthz")


@pytest.fixture
async def stubs(
    use_cases, tenant
) -> AsyncIterator[tuple[pb_grpc.MetricsServiceStub, pb_grpc.MetricsServiceStub]]:
    """(as publishing, which makes links; as the tenant's comms team, which reads stats)."""
    server = GrpcServer(0, [grpc_api.binding(use_cases)], verifier=IDENTITY.verifier)
    await server.start()
    target = f"127.0.0.1:{server.port}"
    channels = [
        insecure_channel(target, credentials=IDENTITY.credentials(principal))
        for principal in (PUBLISHING, everything(tenant))
    ]
    try:
        yield pb_grpc.MetricsServiceStub(channels[0]), pb_grpc.MetricsServiceStub(channels[1])
    finally:
        for channel in channels:
            await channel.close()
        await server.stop(0)


@pytest.fixture
def stub(stubs) -> pb_grpc.MetricsServiceStub:
    return stubs[0]


@pytest.fixture
def reader(stubs) -> pb_grpc.MetricsServiceStub:
    return stubs[1]


async def test_grpc_create_link_is_idempotent_and_stats_answer(stub, reader, tenant) -> None:
    request = pb.CreateTrackedLinkRequest(
        request_id="r1",
        tenant_id=tenant,
        share_id="s1",
        post_id="p1",
        employee_id="e1",
        country="FR",
        network="bluesky",
        target_url="https://example.com/a",
    )
    first = await stub.CreateTrackedLink(request)
    again = await stub.CreateTrackedLink(request)
    assert (again.code, again.short_url) == (first.code, first.short_url)
    assert first.short_url == f"http://go.chorus.test/l/{first.code}"
    stats = await reader.GetPostStats(pb.GetPostStatsRequest(tenant_id=tenant, post_id="p1"))
    assert (stats.post_id, stats.shares, stats.clicks, dict(stats.by_country)) == ("p1", 0, 0, {})
    whole = await reader.GetTenantStats(pb.GetTenantStatsRequest(tenant_id=tenant))
    assert (whole.shares, whole.clicks) == (0, 0)


async def test_grpc_bad_target_url_is_invalid_argument_naming_the_field(stub, tenant) -> None:
    request = pb.CreateTrackedLinkRequest(
        tenant_id=tenant,
        share_id="s1",
        post_id="p1",
        employee_id="e1",
        network="x",
        target_url="javascript:alert(1)",
    )
    with pytest.raises(grpc.aio.AioRpcError) as raised:
        await stub.CreateTrackedLink(request)
    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "target_url" in (raised.value.details() or "")
    status = rpc_status.from_call(raised.value)
    assert status is not None
    violation = error_details_pb2.BadRequest()
    status.details[0].Unpack(violation)
    assert violation.field_violations[0].field == "target_url"
