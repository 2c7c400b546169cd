"""The events tenants subscribe webhooks to, from their real producers to the
gateway's consumers: content's PostApproved, publishing's ShareFailed (no
connected account) and SharePublished (the real local Bluesky server), and
gamification's PointsAwarded for it. Each becomes one queued delivery with
the Standard Webhooks payload (type, timestamp, data) for the tenant's
webhook."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
from chorus.content.v1 import content_events_pb2 as content_events
from chorus.content.v1 import content_service_pb2 as pb
from chorus.gamification.v1 import gamification_events_pb2 as gamification_events
from chorus.publishing.v1 import publishing_events_pb2 as publishing_events
from chorus_testing.identity import admin

if TYPE_CHECKING:
    from tests.contract.conftest import Platform
    from tests.contract.events.conftest import Campaign

pytestmark = pytest.mark.infra  # the Bluesky PDS and Redis (the leaderboard)
BRITAIN = pb.Targeting(countries=["GB"])  # ben (auto-share) and dan


@pytest.mark.contract("chorus.content.v1.PostApproved", "gateway")
@pytest.mark.contract("chorus.publishing.v1.ShareFailed", "gateway")
@pytest.mark.contract("chorus.publishing.v1.SharePublished", "gateway")
@pytest.mark.contract("chorus.gamification.v1.PointsAwarded", "gateway")
async def test_subscribed_events_are_queued_for_the_tenants_webhook(
    campaign: Campaign, platform: Platform
) -> None:
    tenant, ben = campaign.tenant, campaign.employee("ben")
    gateway = await platform.gateway()
    boss = admin(tenant)
    await gateway.webhooks.set_allowed_hosts(boss, ["127.0.0.1"], "hosts-1")
    hook, _ = await gateway.webhooks.create(
        boss,
        "https://127.0.0.1:8443/chorus",
        ["post.approved", "share.published", "share.failed", "points.awarded"],
        "hook-1",
    )
    content, publishing = await platform.content(), await platform.publishing()
    gamification = await platform.gamification()

    # Ben has no account yet: his auto-share of the first post fails.
    first = await campaign.approve(BRITAIN)
    await platform.deliver(
        await platform.events(content, content_events.PostApproved, campaign.of(first)), gateway
    )
    [due] = await campaign.run(first)
    await platform.deliver([due], publishing)
    [failed] = await platform.events(publishing, publishing_events.ShareFailed)
    await platform.deliver([failed], gateway)

    # Connected, his share of the second post is published and rewarded.
    await campaign.connect_bluesky("ben")
    second = await campaign.approve(BRITAIN)
    due_second = [d for d in await campaign.run(second) if d.event.post_id == second]
    await platform.deliver(due_second, publishing)
    [published] = await platform.events(publishing, publishing_events.SharePublished)
    await platform.deliver([published], gateway)
    await platform.deliver([published], gamification)
    [points] = await platform.events(gamification, gamification_events.PointsAwarded)
    await platform.deliver([points], gateway)

    deliveries, _ = await gateway.webhooks.deliveries(boss, hook.webhook_id, "", 50)
    payloads = [json.loads(d.payload) for d in reversed(deliveries)]
    assert [p["type"] for p in payloads] == [
        "post.approved",
        "share.failed",
        "share.published",
        "points.awarded",
    ]
    assert {d.status.value for d in deliveries} == {"pending"}
    approved, fail, share, award = (p["data"] for p in payloads)
    assert (approved["post_id"], approved["version"]) == (first, 1)
    assert (fail["share_id"], fail["employee_id"]) == (failed.event.share_id, ben)
    assert share["post_uri"] == published.event.post_uri
    assert (award["employee_id"], award["points"]) == (ben, points.event.points)
    # Another tenant's webhook hears nothing of this tenant's events.
    assert all(d.tenant_id == tenant for d in deliveries)
