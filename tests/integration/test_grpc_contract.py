"""gRPC conventions over a real socket: domain errors arrive as the right
status codes (with the field named), every call has a deadline, and every
server answers the standard health check and server reflection."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import grpc
import pytest
from chorus.content.v1 import content_service_pb2 as pb
from chorus.content.v1 import content_service_pb2_grpc as pb_grpc
from chorus.metrics.v1 import metrics_service_pb2 as metrics_pb
from chorus.metrics.v1 import metrics_service_pb2_grpc as metrics_grpc
from chorus_db import migrate
from chorus_grpc import GrpcServer, ServiceBinding, insecure_channel
from chorus_messaging import Outbox
from chorus_testing.identity import IDENTITY, everything
from content_service import composition
from content_service.adapters.media_store import LocalDiskStore
from content_service.adapters.migrations import SCHEMA
from content_service.entrypoints.grpc_api import binding
from google.rpc import error_details_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc
from grpc_status import rpc_status

pytestmark = pytest.mark.infra


@pytest.fixture
async def content_server(any_database, tmp_path: Path) -> AsyncIterator[GrpcServer]:
    db = await any_database()
    await migrate(db, SCHEMA)
    content = composition.build(
        db, Outbox("chorus/content@test"), LocalDiskStore(tmp_path / "media")
    )
    server = GrpcServer(0, [binding(content.services)], verifier=IDENTITY.verifier)
    await server.start()
    yield server
    await server.stop(0)


async def stub_as(server: GrpcServer, subject: str) -> AsyncIterator[pb_grpc.ContentServiceStub]:
    person = IDENTITY.credentials(everything("t1", subject))
    channel = insecure_channel(f"127.0.0.1:{server.port}", credentials=person)
    yield pb_grpc.ContentServiceStub(channel)
    await channel.close()


@pytest.fixture
async def content_stub(content_server: GrpcServer) -> AsyncIterator[pb_grpc.ContentServiceStub]:
    """alice of tenant t1, who writes the posts."""
    async for stub in stub_as(content_server, "alice"):
        yield stub


@pytest.fixture
async def reviewer_stub(content_server: GrpcServer) -> AsyncIterator[pb_grpc.ContentServiceStub]:
    """bob of tenant t1: four eyes need someone other than the author."""
    async for stub in stub_as(content_server, "bob"):
        yield stub


def new_post(**overrides: Any) -> pb.CreatePostRequest:
    fields: dict[str, Any] = dict(
        tenant_id="t1",
        title="Launch",
        body="We launched #chorus",
        link="https://example.com/launch",
        source_language="en",
    )
    fields.update(overrides)
    return pb.CreatePostRequest(**fields)


async def expect_status(call, code: grpc.StatusCode) -> grpc.aio.AioRpcError:
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await call
    assert caught.value.code() == code, caught.value.details()
    return caught.value


async def test_domain_errors_map_to_status_codes(
    content_stub: pb_grpc.ContentServiceStub, reviewer_stub: pb_grpc.ContentServiceStub
) -> None:
    post = (await content_stub.CreatePost(new_post())).post
    await content_stub.SubmitPost(pb.SubmitPostRequest(tenant_id="t1", post_id=post.post_id))

    own = await expect_status(
        content_stub.ApprovePost(pb.ApprovePostRequest(tenant_id="t1", post_id=post.post_id)),
        grpc.StatusCode.PERMISSION_DENIED,
    )
    assert "author" in (own.details() or "")

    await expect_status(
        content_stub.GetPost(pb.GetPostRequest(tenant_id="t1", post_id="no-such-post")),
        grpc.StatusCode.NOT_FOUND,
    )
    # Tenancy: naming another tenant than the caller's is refused.
    await expect_status(
        content_stub.GetPost(pb.GetPostRequest(tenant_id="t2", post_id=post.post_id)),
        grpc.StatusCode.PERMISSION_DENIED,
    )

    empty = await expect_status(
        content_stub.CreatePost(new_post(body="  ")), grpc.StatusCode.INVALID_ARGUMENT
    )
    assert "body" in (empty.details() or "")
    bad_language = await expect_status(
        content_stub.CreatePost(new_post(source_language="english")),
        grpc.StatusCode.INVALID_ARGUMENT,
    )
    status = rpc_status.from_call(bad_language)
    assert status is not None
    detail = error_details_pb2.BadRequest()
    assert status.details[0].Unpack(detail)
    assert detail.field_violations[0].field == "source_language"

    # Approving twice is refused with the current state named.
    await reviewer_stub.ApprovePost(pb.ApprovePostRequest(tenant_id="t1", post_id=post.post_id))
    again = await expect_status(
        content_stub.SubmitPost(pb.SubmitPostRequest(tenant_id="t1", post_id=post.post_id)),
        grpc.StatusCode.FAILED_PRECONDITION,
    )
    assert "approved" in (again.details() or "")


async def test_create_post_with_same_request_id_creates_once(
    content_stub: pb_grpc.ContentServiceStub,
) -> None:
    first = (await content_stub.CreatePost(new_post(request_id="req-1"))).post
    second = (await content_stub.CreatePost(new_post(request_id="req-1"))).post
    assert first.post_id == second.post_id
    listed = await content_stub.ListPosts(pb.ListPostsRequest(tenant_id="t1"))
    assert [p.post_id for p in listed.posts] == [first.post_id]


class SlowMetrics(metrics_grpc.MetricsServiceServicer):
    async def GetTenantStats(self, request, context):
        await asyncio.sleep(2.0)
        return metrics_pb.GetTenantStatsResponse()


async def test_deadlines_are_enforced() -> None:
    server = GrpcServer(
        0,
        [
            ServiceBinding(
                SlowMetrics(),
                metrics_grpc.add_MetricsServiceServicer_to_server,
                metrics_pb.DESCRIPTOR.services_by_name["MetricsService"].full_name,
            )
        ],
        verifier=IDENTITY.verifier,
    )
    await server.start()
    try:
        # The channel's default deadline applies when the caller gives none...
        channel = insecure_channel(
            f"127.0.0.1:{server.port}",
            deadline_seconds=0.3,
            credentials=IDENTITY.credentials(everything()),
        )
        stub = metrics_grpc.MetricsServiceStub(channel)
        loop = asyncio.get_running_loop()
        started = loop.time()
        await expect_status(
            stub.GetTenantStats(metrics_pb.GetTenantStatsRequest(tenant_id="t")),
            grpc.StatusCode.DEADLINE_EXCEEDED,
        )
        assert loop.time() - started < 1.5
        # ...and an explicit one wins.
        await expect_status(
            stub.GetTenantStats(metrics_pb.GetTenantStatsRequest(tenant_id="t"), timeout=0.1),
            grpc.StatusCode.DEADLINE_EXCEEDED,
        )
        await channel.close()
    finally:
        await server.stop(0)


async def test_health_and_reflection(content_server: GrpcServer) -> None:
    # No token: health and reflection stay open to probes and grpcurl.
    channel = insecure_channel(f"127.0.0.1:{content_server.port}")
    health = health_pb2_grpc.HealthStub(channel)
    for service in ("", "chorus.content.v1.ContentService"):
        reply = await health.Check(health_pb2.HealthCheckRequest(service=service))
        assert reply.status == health_pb2.HealthCheckResponse.SERVING
    reflect = reflection_pb2_grpc.ServerReflectionStub(channel)

    async def requests():
        yield reflection_pb2.ServerReflectionRequest(list_services="")

    names = set()
    async for reply in reflect.ServerReflectionInfo(requests()):
        names = {s.name for s in reply.list_services_response.service}
    assert {"chorus.content.v1.ContentService", "grpc.health.v1.Health"} <= names
    await channel.close()


async def test_a_port_in_use_is_refused_not_shared() -> None:
    binding_ = ServiceBinding(
        SlowMetrics(),
        metrics_grpc.add_MetricsServiceServicer_to_server,
        metrics_pb.DESCRIPTOR.services_by_name["MetricsService"].full_name,
    )
    first = GrpcServer(0, [binding_], verifier=IDENTITY.verifier)
    await first.start()
    try:
        with pytest.raises(RuntimeError, match="bind"):
            GrpcServer(first.port, [binding_], verifier=IDENTITY.verifier)
    finally:
        await first.stop(0)
