"""chorus.content.post.v1, produced by content's use cases (through its gRPC
API and its expiry job): what targeting and scheduling do with it."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, TypeVar

import pytest
from chorus.content.v1 import content_events_pb2 as events
from chorus.content.v1 import content_service_pb2 as pb
from chorus.content.v1 import content_service_pb2_grpc as pb_grpc
from chorus.targeting.v1 import targeting_events_pb2 as targeting_events
from chorus_core.clock import utcnow
from chorus_grpc import insecure_channel
from chorus_testing.identity import IDENTITY, everything
from google.protobuf.message import Message
from scheduling_service.domain.shares import ShareStatus, share_id_for

if TYPE_CHECKING:
    from tests.contract.conftest import Platform
    from tests.contract.events.conftest import Campaign

REGION = "eu-west"
M = TypeVar("M", bound=Message)


@pytest.mark.contract("chorus.content.v1.PostCreated")
@pytest.mark.contract("chorus.content.v1.PostUpdated")
@pytest.mark.contract("chorus.content.v1.PostSubmitted")
@pytest.mark.contract("chorus.content.v1.PostChangesRequested")
@pytest.mark.contract("chorus.content.v1.PostRejected")
@pytest.mark.contract("chorus.content.v1.PostArchived")
@pytest.mark.contract("chorus.content.v1.PostStepApproved")
@pytest.mark.contract("chorus.content.v1.UgcProposed")
@pytest.mark.contract("chorus.content.v1.UgcModerated")
async def test_every_step_of_a_posts_life_is_an_event(platform: Platform) -> None:
    """No service consumes these yet: each is written, by content, when it happens."""
    content, tenant = await platform.content(), platform.tenant
    stub = content.stub
    created = await stub.CreatePost(
        pb.CreatePostRequest(tenant_id=tenant, title="T", body="Body", source_language="en")
    )
    post_id = created.post.post_id
    await stub.UpdatePost(
        pb.UpdatePostRequest(
            tenant_id=tenant,
            post_id=post_id,
            content=pb.PostContent(title="T2", body="Better body", source_language="en"),
        )
    )
    await stub.SubmitPost(pb.SubmitPostRequest(tenant_id=tenant, post_id=post_id))
    await content.reviewer.RequestChanges(
        pb.RequestChangesRequest(tenant_id=tenant, post_id=post_id, comment="Shorter")
    )
    await stub.SubmitPost(pb.SubmitPostRequest(tenant_id=tenant, post_id=post_id))
    await content.reviewer.RejectPost(
        pb.RejectPostRequest(tenant_id=tenant, post_id=post_id, reason="Off brand")
    )
    await stub.ArchivePost(pb.ArchivePostRequest(tenant_id=tenant, post_id=post_id))
    await stub.SetApprovalChain(
        pb.SetApprovalChainRequest(
            tenant_id=tenant,
            chain=pb.ApprovalChain(kind=pb.POST_KIND_JOB_OFFER, steps=["comms", "legal"]),
        )
    )
    job = await stub.CreatePost(
        pb.CreatePostRequest(
            tenant_id=tenant,
            title="Hiring",
            body="Join us",
            source_language="en",
            kind=pb.POST_KIND_JOB_OFFER,
        )
    )
    job_id = job.post.post_id
    await stub.SubmitPost(pb.SubmitPostRequest(tenant_id=tenant, post_id=job_id))
    await content.reviewer.ApprovePost(
        pb.ApprovePostRequest(tenant_id=tenant, post_id=job_id, step="comms")
    )
    # An employee proposes as themself (their token names their directory entry).
    employee = everything(tenant, "employee-sub-1", employee_id="employee-1")
    channel = insecure_channel(content.address, 30, IDENTITY.credentials(employee))
    try:
        proposal = await pb_grpc.ContentServiceStub(channel).ProposePost(
            pb.ProposePostRequest(
                tenant_id=tenant, employee_id="employee-1", title="Our team", body="We shipped it"
            )
        )
    finally:
        await channel.close()
    ugc_id = proposal.proposal.post.post_id
    await content.reviewer.ModerateProposal(
        pb.ModerateProposalRequest(
            tenant_id=tenant,
            post_id=ugc_id,
            approve=False,
            reason="Not for the brand channel",
        )
    )

    async def one(event_type: type[M], post: str) -> M:
        [found] = await platform.events(
            content, event_type, lambda e: getattr(e, "post_id", "") == post
        )
        return found.event

    assert (await one(events.PostCreated, post_id)).version == 1
    assert (await one(events.PostUpdated, post_id)).version == 2
    submitted = await platform.events(content, events.PostSubmitted, lambda e: e.post_id == post_id)
    assert len(submitted) == 2
    changes = await one(events.PostChangesRequested, post_id)
    assert changes.comment == "Shorter"
    assert (await one(events.PostRejected, post_id)).reason == "Off brand"
    assert (await one(events.PostArchived, post_id)).version == 2
    step = await one(events.PostStepApproved, job_id)
    assert (step.step, step.next_step) == ("comms", "legal")
    proposed = await one(events.UgcProposed, ugc_id)
    assert proposed.author_id == "employee-1"
    moderated = await one(events.UgcModerated, ugc_id)
    assert (moderated.approved, moderated.author_id) == (False, "employee-1")


@pytest.mark.contract("chorus.content.v1.PostApproved", "targeting")
async def test_a_post_for_a_segment_and_a_channel_reaches_exactly_their_audience(
    campaign: Campaign, platform: Platform
) -> None:
    """The comms team's first campaign: a saved segment (Sales) and a channel.
    Targeting resolves what content really sends, not a hand-built event:
    only Sales people of this region who subscribed to the channel (and
    opted in) are in the audience."""
    tenant, targeting = campaign.tenant, await platform.targeting()
    segment = await targeting.audiences.save_segment(
        everything(tenant), tenant, "segment-1", "", "Sales", 'department = "Sales"'
    )
    channel = await targeting.audiences.create_channel(
        everything(tenant), tenant, "channel-1", "Plant news", "", [REGION], False, []
    )
    for person in ("ana", "ben", "dan", "eva", "finn"):
        await targeting.audiences.subscribe(
            everything(tenant), tenant, channel.channel_id, campaign.employee(person), True
        )

    post_id = await campaign.approve(
        pb.Targeting(segment_id=segment.segment_id, channel_ids=[channel.channel_id])
    )
    batches = await campaign.resolve(post_id)
    members = {m.employee_id for b in batches for m in b.event.members}
    # Not carla (no subscription), dan (Engineering), eva (not opted in), finn (us-east).
    assert members == {campaign.employee("ana"), campaign.employee("ben")}
    [summary] = await platform.events(
        targeting, targeting_events.AudienceSummary, campaign.of(post_id)
    )
    assert (summary.event.segment_id, summary.event.segment_version, summary.event.total) == (
        segment.segment_id,
        segment.version,
        2,
    )

    # Countries and departments travel too.
    spain = await campaign.approve(pb.Targeting(countries=["ES"], departments=["Sales"]))
    batches = await campaign.resolve(spain)
    members = {m.employee_id for b in batches for m in b.event.members}
    assert members == {campaign.employee("ana"), campaign.employee("carla")}


@pytest.mark.contract("chorus.content.v1.PostExpired", "scheduling")
async def test_an_expired_post_cancels_its_shares_not_yet_due(
    campaign: Campaign, platform: Platform
) -> None:
    content, scheduling = await platform.content(), await platform.scheduling()
    # A window of two weeks: the auto-shares' next good slot is inside it
    # whatever day the suite runs (an hour's window found none for Madrid
    # when it was already past midnight there, or a Spanish holiday).
    expires_at = utcnow() + timedelta(days=14)
    post_id = await campaign.approve(expires_at=expires_at)
    await campaign.resolve(post_id)
    await campaign.plan(post_id)
    share_ids = {
        person: share_id_for(campaign.tenant, post_id, campaign.employee(person), "bluesky")
        for person in ("ana", "ben", "carla", "dan")
    }
    before = {
        p: (
            await scheduling.use_cases.get_share(everything(campaign.tenant), campaign.tenant, s)
        ).status
        for p, s in share_ids.items()
    }
    assert before == {
        "ana": ShareStatus.SCHEDULED,  # auto-share, waiting for its text
        "ben": ShareStatus.SCHEDULED,
        "carla": ShareStatus.SUGGESTED,
        "dan": ShareStatus.SUGGESTED,
    }

    assert await content.expiry.tick(expires_at + timedelta(hours=1)) == 1
    await platform.deliver(
        await platform.events(content, events.PostExpired, campaign.of(post_id)), scheduling
    )
    after = {
        (
            await scheduling.use_cases.get_share(everything(campaign.tenant), campaign.tenant, s)
        ).status
        for s in share_ids.values()
    }
    assert after == {ShareStatus.CANCELLED}
