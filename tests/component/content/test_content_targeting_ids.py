"""A post's saved segment and channels, by id, through ContentService over a
real gRPC server and database (SQLite and PostgreSQL): refused when not ids
(INVALID_ARGUMENT naming the field, nothing written), stored with every
version, shown by GetPost, and carried in the PostApproved outbox row that
targeting consumes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

import grpc
import pytest
from chorus.content.v1 import content_events_pb2 as events
from chorus.content.v1 import content_service_pb2 as pb
from chorus.content.v1 import content_service_pb2_grpc as pb_grpc
from chorus_core.ids import new_id
from chorus_grpc import GrpcServer, insecure_channel
from chorus_testing.identity import IDENTITY
from content_service.entrypoints import grpc_api
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from tests.component.content.principals import comms, reviewer

if TYPE_CHECKING:
    from tests.component.content.conftest import ContentKit, ContentKitFactory

SEGMENT, CAREERS, NEWS = new_id(), new_id(), new_id()
Served = tuple["ContentKit", pb_grpc.ContentServiceStub, pb_grpc.ContentServiceStub]


@pytest.fixture
async def served(
    content_kit: ContentKitFactory,
) -> AsyncIterator[Served]:
    kit = await content_kit()
    server = GrpcServer(0, [grpc_api.binding(kit.services)], verifier=IDENTITY.verifier)
    await server.start()
    # alice of acme writes (a comms manager of every channel), bob reviews.
    target = f"127.0.0.1:{server.port}"
    alice = insecure_channel(target, 30, credentials=IDENTITY.credentials(comms("acme")))
    bob = insecure_channel(target, 30, credentials=IDENTITY.credentials(reviewer("acme")))
    yield kit, pb_grpc.ContentServiceStub(alice), pb_grpc.ContentServiceStub(bob)
    await alice.close()
    await bob.close()
    await server.stop(0)


def bad_field(error: grpc.aio.AioRpcError) -> str:
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    status = rpc_status.from_call(error)
    assert status is not None
    detail = error_details_pb2.BadRequest()
    status.details[0].Unpack(detail)
    return str(detail.field_violations[0].field)


async def test_segment_and_channels_go_from_the_request_to_post_approved(
    served: Served,
) -> None:
    kit, stub, reviewer_stub = served
    targeting = pb.Targeting(countries=["ES"], segment_id=SEGMENT, channel_ids=[CAREERS])
    created = (
        await stub.CreatePost(
            pb.CreatePostRequest(
                request_id="r1",
                tenant_id="acme",
                title="We are hiring",
                body="Join the Seville team",
                source_language="en",
                targeting=targeting,
            )
        )
    ).post
    shown = (await stub.GetPost(pb.GetPostRequest(tenant_id="acme", post_id=created.post_id))).post
    assert shown.targeting == targeting

    # An edit changes the channels; the first version keeps what it had.
    content = pb.PostContent(
        title="We are hiring", body="Join the Seville team", source_language="en"
    )
    content.targeting.CopyFrom(targeting)
    content.targeting.channel_ids[:] = [CAREERS, NEWS]
    await stub.UpdatePost(
        pb.UpdatePostRequest(
            request_id="r2",
            tenant_id="acme",
            post_id=created.post_id,
            content=content,
        )
    )
    first = await stub.GetPostVersion(
        pb.GetPostVersionRequest(tenant_id="acme", post_id=created.post_id, version=1)
    )
    assert list(first.post.targeting.channel_ids) == [CAREERS]
    await stub.SubmitPost(pb.SubmitPostRequest(tenant_id="acme", post_id=created.post_id))
    approved_post = await reviewer_stub.ApprovePost(
        pb.ApprovePostRequest(tenant_id="acme", post_id=created.post_id)
    )
    assert (approved_post.post.author_id, approved_post.post.approver_id) == ("alice", "bob")

    [approved] = await kit.events(events.PostApproved)
    assert isinstance(approved, events.PostApproved)
    assert approved.post.version == 2
    assert approved.post.targeting.segment_id == SEGMENT
    assert list(approved.post.targeting.channel_ids) == [CAREERS, NEWS]
    assert list(approved.post.targeting.countries) == ["ES"]


@pytest.mark.parametrize(
    ("targeting", "field"),
    [
        (pb.Targeting(segment_id="Sales"), "targeting.segment_id"),
        (pb.Targeting(channel_ids=[CAREERS, "careers-es"]), "targeting.channel_ids[1]"),
    ],
)
async def test_what_is_not_an_id_is_refused_naming_the_field(
    served: Served, targeting: pb.Targeting, field: str
) -> None:
    kit, stub, _ = served
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await stub.CreatePost(
            pb.CreatePostRequest(
                tenant_id="acme",
                title="T",
                body="B",
                source_language="en",
                targeting=targeting,
            )
        )
    assert bad_field(refused.value) == field
    assert await kit.events(events.PostCreated) == []

    post = (
        await stub.CreatePost(
            pb.CreatePostRequest(tenant_id="acme", title="T", body="B", source_language="en")
        )
    ).post
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await stub.UpdatePost(
            pb.UpdatePostRequest(
                tenant_id="acme",
                post_id=post.post_id,
                content=pb.PostContent(
                    title="T", body="B", source_language="en", targeting=targeting
                ),
            )
        )
    assert bad_field(refused.value) == field
    shown = (await stub.GetPost(pb.GetPostRequest(tenant_id="acme", post_id=post.post_id))).post
    assert shown.version == 1 and shown.targeting == pb.Targeting()
