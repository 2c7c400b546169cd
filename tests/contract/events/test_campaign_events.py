"""A campaign's audience: what content's campaign RPCs really emit
(PostApproved of a campaign's post, CampaignAudienceChanged on the pilot and
on widening) fed to targeting's real consumer, and targeting's batches to
scheduling's: held while a draft, the pilot segment first, then everyone,
nobody with a second share."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from chorus.content.v1 import content_events_pb2 as events
from chorus.content.v1 import content_service_pb2 as pb
from chorus.targeting.v1 import targeting_events_pb2 as targeting_events
from chorus_core.clock import utcnow
from chorus_core.prototime import to_timestamp
from chorus_testing.identity import everything
from scheduling_service.domain.shares import share_id_for

if TYPE_CHECKING:
    from tests.contract.conftest import Platform
    from tests.contract.events.conftest import Campaign

REGION = "eu-west"


@pytest.mark.contract("chorus.content.v1.CampaignAudienceChanged", "targeting")
async def test_a_campaign_reaches_its_pilot_then_everyone_else_once(
    campaign: Campaign, platform: Platform
) -> None:
    tenant = campaign.tenant
    content, targeting, scheduling = (
        await platform.content(),
        await platform.targeting(),
        await platform.scheduling(),
    )
    pilot = await targeting.audiences.save_segment(
        everything(tenant), tenant, "pilot-1", "", "Engineers", 'department = "Engineering"'
    )
    now = utcnow()
    created = await content.stub.CreateCampaign(
        pb.CreateCampaignRequest(
            tenant_id=tenant,
            name="Spring",
            objective=pb.CAMPAIGN_OBJECTIVE_RECRUITMENT,
            starts_at=to_timestamp(now),
            ends_at=to_timestamp(now + timedelta(days=30)),
            regions=[REGION],
            pilot_segment_id=pilot.segment_id,
        )
    )
    post_id = await campaign.approve(campaign_id=created.campaign_id)
    # Approved in a draft campaign: targeting resolves nobody yet.
    assert await campaign.resolve(post_id) == []

    action = pb.CampaignActionRequest(tenant_id=tenant, campaign_id=created.campaign_id)
    await content.stub.StartPilot(action)
    changed = await platform.events(
        content, events.CampaignAudienceChanged, lambda e: e.campaign_id == created.campaign_id
    )
    await platform.deliver(changed, targeting)
    piloted = await platform.events(
        targeting, targeting_events.AudienceBatchResolved, campaign.of(post_id)
    )
    assert {m.employee_id for b in piloted for m in b.event.members} == {campaign.employee("dan")}
    await platform.deliver(piloted, scheduling)

    await content.stub.WidenCampaign(action)
    widened = [
        c
        for c in await platform.events(
            content, events.CampaignAudienceChanged, lambda e: e.campaign_id == created.campaign_id
        )
        if c.event.phase == pb.CAMPAIGN_PHASE_LIVE
    ]
    await platform.deliver(widened, targeting)
    every = await platform.events(
        targeting, targeting_events.AudienceBatchResolved, campaign.of(post_id)
    )
    later = [b for b in every if b not in piloted]
    everyone = {campaign.employee(p) for p in ("ana", "ben", "carla", "dan")}
    # Not eva (not opted in) nor finn (us-east). Dan is in both rounds...
    assert {m.employee_id for b in later for m in b.event.members} == everyone
    await platform.deliver(later, scheduling)
    # ...and has one share: its id derives from (post, employee, network).
    shares = await scheduling.use_cases.list_shares(everything(tenant), tenant, post_id=post_id)
    assert sorted(s.employee_id for s in shares[0]) == sorted(everyone)
    assert share_id_for(tenant, post_id, campaign.employee("dan"), "bluesky") in {
        s.share_id for s in shares[0]
    }
