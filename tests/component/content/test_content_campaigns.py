"""Campaigns over content's real gRPC server, with targeting's real gRPC
server behind it (a campaign's channels are checked there, with the
caller's own token): creation and its bad input (INVALID_ARGUMENT naming the
field, nothing saved), posts joining a campaign, the pilot and the widening
(CampaignAudienceChanged with the phase's segment, once per change), and a
draft campaign's posts held on approval."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import grpc
import pytest
from chorus.content.v1 import content_events_pb2 as events
from chorus.content.v1 import content_service_pb2 as pb
from chorus.content.v1 import content_service_pb2_grpc as pb_grpc
from chorus.targeting.v1 import targeting_service_pb2 as targeting_pb
from chorus.targeting.v1 import targeting_service_pb2_grpc as targeting_grpc
from chorus_core.ids import new_id
from chorus_core.prototime import to_timestamp
from chorus_db import Database, migrate
from chorus_grpc import GrpcServer, insecure_channel
from chorus_identity.principal import Principal
from chorus_messaging import Outbox
from chorus_testing.events import outbox_events
from chorus_testing.fixtures import DatabaseFactory
from chorus_testing.identity import IDENTITY, admin
from content_service import composition
from content_service.adapters.media_store import LocalDiskStore
from content_service.adapters.migrations import SCHEMA
from content_service.entrypoints import grpc_api
from google.protobuf.message import Message
from targeting_service import composition as targeting_composition
from targeting_service.adapters.migrations import SCHEMA as TARGETING_SCHEMA
from targeting_service.entrypoints import grpc_api as targeting_api

from tests.component.content.principals import comms, reviewer

TENANT = "acme"
START = datetime(2027, 3, 1, tzinfo=UTC)
FULL, PILOT = new_id(), new_id()  # targeting's segment ids (content checks their form)


@dataclass
class Stack:
    db: Database
    comms: pb_grpc.ContentServiceStub
    reviewer: pb_grpc.ContentServiceStub
    careers: str  # a channel of the tenant, made in targeting
    channels: list[grpc.aio.Channel]

    async def campaign_events(self) -> list[events.CampaignAudienceChanged]:
        return await outbox_events(self.db, events.CampaignAudienceChanged)

    async def approved(self) -> list[events.PostApproved]:
        return await outbox_events(self.db, events.PostApproved)


@pytest.fixture
async def stack(any_database: DatabaseFactory, tmp_path: Path) -> AsyncIterator[Stack]:
    targeting_db = Database(f"sqlite:///{tmp_path}/targeting.sqlite")
    await migrate(targeting_db, TARGETING_SCHEMA)
    targeting = targeting_composition.build(targeting_db, "eu-west", Outbox("chorus/targeting@t"))
    targeting_server = GrpcServer(
        0, [targeting_api.binding(targeting.use_cases)], verifier=IDENTITY.verifier
    )
    await targeting_server.start()
    targeting_address = f"127.0.0.1:{targeting_server.port}"

    db = await any_database()
    await migrate(db, SCHEMA)
    content = composition.build(
        db,
        Outbox("chorus/content@test"),
        LocalDiskStore(tmp_path / "media"),
        targeting_addr=targeting_address,
    )
    server = GrpcServer(0, [grpc_api.binding(content.services)], verifier=IDENTITY.verifier)
    await server.start()
    address = f"127.0.0.1:{server.port}"
    channels: list[grpc.aio.Channel] = []

    def channel(target: str, principal: Principal) -> grpc.aio.Channel:
        made = insecure_channel(target, 30, credentials=IDENTITY.credentials(principal))
        channels.append(made)
        return made

    directory = targeting_grpc.TargetingServiceStub(channel(targeting_address, admin(TENANT)))
    careers = await directory.CreateChannel(
        targeting_pb.CreateChannelRequest(name="Careers", regions=["eu-west"])
    )
    yield Stack(
        db,
        pb_grpc.ContentServiceStub(channel(address, comms(TENANT))),
        pb_grpc.ContentServiceStub(channel(address, reviewer(TENANT))),
        careers.channel_id,
        channels,
    )
    for made in channels:
        await made.close()
    await content.close()
    await server.stop(0)
    await targeting_server.stop(0)
    await targeting_db.dispose()


def new_campaign(**fields: object) -> pb.CreateCampaignRequest:
    request = pb.CreateCampaignRequest(
        name="Spring hiring",
        objective=pb.CAMPAIGN_OBJECTIVE_RECRUITMENT,
        starts_at=to_timestamp(START),
        ends_at=to_timestamp(START + timedelta(days=30)),
        regions=["eu-west"],
        segment_id=FULL,
        pilot_segment_id=PILOT,
        targets=[
            pb.KpiTarget(kpi=pb.KPI_SHARES, target=500),
            pb.KpiTarget(kpi=pb.KPI_CLICKS, target=40, region="eu-west"),
        ],
    )
    for name, value in fields.items():
        if isinstance(value, Message):
            getattr(request, name).CopyFrom(value)
        elif isinstance(value, list):
            field = getattr(request, name)
            del field[:]
            field.extend(value)
        else:
            setattr(request, name, value)
    return request


async def approve_post(stack: Stack, campaign_id: str) -> pb.Post:
    post = (
        await stack.comms.CreatePost(
            pb.CreatePostRequest(
                title="We are hiring",
                body="Come and build clean energy with us",
                source_language="en",
                campaign_id=campaign_id,
            )
        )
    ).post
    await stack.comms.SubmitPost(pb.SubmitPostRequest(post_id=post.post_id))
    return (await stack.reviewer.ApprovePost(pb.ApprovePostRequest(post_id=post.post_id))).post


async def test_a_campaign_is_created_with_its_channels_checked_in_targeting(stack: Stack) -> None:
    created = await stack.comms.CreateCampaign(
        new_campaign(channel_ids=[stack.careers], request_id="spring-1")
    )
    assert created.phase == pb.CAMPAIGN_PHASE_DRAFT
    assert list(created.channel_ids) == [stack.careers]
    assert [(t.kpi, t.target, t.region) for t in created.targets] == [
        (pb.KPI_SHARES, 500, ""),
        (pb.KPI_CLICKS, 40, "eu-west"),
    ]
    again = await stack.comms.CreateCampaign(
        new_campaign(channel_ids=[stack.careers], request_id="spring-1")
    )
    assert again == created  # a retried create is the first one
    read = await stack.reviewer.GetCampaign(pb.GetCampaignRequest(campaign_id=created.campaign_id))
    assert read == created
    listed = await stack.comms.ListCampaigns(pb.ListCampaignsRequest(region="eu-west"))
    assert [c.campaign_id for c in listed.campaigns] == [created.campaign_id]
    elsewhere = await stack.comms.ListCampaigns(pb.ListCampaignsRequest(region="us-east"))
    assert list(elsewhere.campaigns) == []


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"ends_at": to_timestamp(START - timedelta(days=1))}, "ends_at"),
        ({"regions": ["mars-north"]}, "regions[0]"),
        ({"regions": []}, "regions"),
        ({"objective": pb.CAMPAIGN_OBJECTIVE_UNSPECIFIED}, "objective"),
        ({"name": " "}, "name"),
        ({"segment_id": "Sales"}, "segment_id"),
        ({"pilot_segment_id": FULL}, "pilot_segment_id"),
        (
            {"targets": [pb.KpiTarget(kpi=pb.KPI_SHARES, target=10, region="us-east")]},
            "targets[0].region",
        ),
        ({"targets": [pb.KpiTarget(kpi=pb.KPI_SHARES, target=0)]}, "targets[0].target"),
        ({"targets": [pb.KpiTarget(target=5)]}, "targets[0].kpi"),
    ],
)
async def test_bad_input_names_the_field_and_saves_nothing(
    stack: Stack, fields: dict[str, object], field: str
) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await stack.comms.CreateCampaign(new_campaign(**fields))
    assert refused.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert str(refused.value.details()).startswith(f"{field}:"), refused.value.details()
    assert list((await stack.comms.ListCampaigns(pb.ListCampaignsRequest())).campaigns) == []


async def test_a_channel_targeting_does_not_know_is_refused(stack: Stack) -> None:
    unknown = new_id()
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await stack.comms.CreateCampaign(new_campaign(channel_ids=[stack.careers, unknown]))
    assert refused.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert str(refused.value.details()).startswith("channels[1]:")
    assert list((await stack.comms.ListCampaigns(pb.ListCampaignsRequest())).campaigns) == []


async def test_a_campaign_post_may_not_bring_its_own_segment(stack: Stack) -> None:
    campaign = await stack.comms.CreateCampaign(new_campaign())
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await stack.comms.CreatePost(
            pb.CreatePostRequest(
                title="T",
                body="B",
                source_language="en",
                campaign_id=campaign.campaign_id,
                targeting=pb.Targeting(segment_id=new_id()),
            )
        )
    assert str(refused.value.details()).startswith("targeting.segment_id:")
    with pytest.raises(grpc.aio.AioRpcError) as unknown:
        await stack.comms.CreatePost(
            pb.CreatePostRequest(title="T", body="B", source_language="en", campaign_id=new_id())
        )
    assert unknown.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert str(unknown.value.details()).startswith("campaign_id:")
    read = await stack.comms.GetCampaign(pb.GetCampaignRequest(campaign_id=campaign.campaign_id))
    assert list(read.post_ids) == []


async def test_pilot_then_widen_change_the_audience_of_the_approved_posts(stack: Stack) -> None:
    campaign = await stack.comms.CreateCampaign(new_campaign(channel_ids=[stack.careers]))
    early = await approve_post(stack, campaign.campaign_id)
    assert early.campaign_id == campaign.campaign_id
    # A draft campaign's post is approved but held: no audience yet.
    (held,) = await stack.approved()
    assert held.post.targeting.held
    assert held.post.targeting.segment_id == FULL  # unused while held
    assert list(held.post.targeting.regions) == ["eu-west"]
    assert list(held.post.targeting.channel_ids) == [stack.careers]

    action = pb.CampaignActionRequest(campaign_id=campaign.campaign_id)
    piloted = await stack.comms.StartPilot(action)
    assert piloted.phase == pb.CAMPAIGN_PHASE_PILOT
    assert await stack.comms.StartPilot(action) == piloted  # a retry changes nothing
    (pilot,) = await stack.campaign_events()
    assert pilot.phase == pb.CAMPAIGN_PHASE_PILOT
    assert [(p.post_id, p.targeting.segment_id, p.targeting.held) for p in pilot.posts] == [
        (early.post_id, PILOT, False)
    ]

    during = await approve_post(stack, campaign.campaign_id)  # approved during the pilot
    (latest,) = [e for e in await stack.approved() if e.post.post_id == during.post_id]
    assert (latest.post.targeting.segment_id, latest.post.targeting.held) == (PILOT, False)

    widened = await stack.comms.WidenCampaign(action)
    assert widened.phase == pb.CAMPAIGN_PHASE_LIVE
    pilot, live = await stack.campaign_events()
    assert live.phase == pb.CAMPAIGN_PHASE_LIVE
    assert sorted((p.post_id, p.targeting.segment_id) for p in live.posts) == sorted(
        [(early.post_id, FULL), (during.post_id, FULL)]
    )
    assert await stack.comms.WidenCampaign(action) == widened
    assert len(await stack.campaign_events()) == 2

    ended = await stack.comms.EndCampaign(action)
    assert ended.phase == pb.CAMPAIGN_PHASE_ENDED
    with pytest.raises(grpc.aio.AioRpcError) as closed:
        await stack.comms.CreatePost(
            pb.CreatePostRequest(
                title="T", body="B", source_language="en", campaign_id=campaign.campaign_id
            )
        )
    assert closed.value.code() is grpc.StatusCode.FAILED_PRECONDITION
    with pytest.raises(grpc.aio.AioRpcError) as late:
        await stack.comms.StartPilot(action)
    assert late.value.code() is grpc.StatusCode.FAILED_PRECONDITION


async def test_widening_without_a_pilot_and_a_pilot_without_a_segment(stack: Stack) -> None:
    campaign = await stack.comms.CreateCampaign(new_campaign(pilot_segment_id=""))
    action = pb.CampaignActionRequest(campaign_id=campaign.campaign_id)
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await stack.comms.StartPilot(action)
    assert refused.value.code() is grpc.StatusCode.FAILED_PRECONDITION
    post = await approve_post(stack, campaign.campaign_id)
    assert (await stack.comms.WidenCampaign(action)).phase == pb.CAMPAIGN_PHASE_LIVE
    (live,) = await stack.campaign_events()
    assert [(p.post_id, p.targeting.segment_id) for p in live.posts] == [(post.post_id, FULL)]


async def test_goals_of_a_campaign_without_posts_are_not_measured(stack: Stack) -> None:
    campaign = await stack.comms.CreateCampaign(new_campaign())
    goals = await stack.comms.GetCampaignGoals(
        pb.GetCampaignGoalsRequest(campaign_id=campaign.campaign_id)
    )
    assert [(g.kpi, g.measured, g.status) for g in goals.lines] == [
        (pb.KPI_SHARES, False, pb.GOAL_STATUS_NOT_MEASURED),
        (pb.KPI_CLICKS, False, pb.GOAL_STATUS_NOT_MEASURED),
    ]
    assert all(g.note == "the campaign has no post yet" for g in goals.lines)
