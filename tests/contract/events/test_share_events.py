"""The end of the golden path: scheduling's ShareDue published by publishing on
the real local Bluesky server (its tracked link from metrics' real gRPC
server), publishing's SharePublished counted by metrics and rewarded by
gamification, and a click on the tracked link (metrics' real HTTP redirect)
rewarded again."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import TYPE_CHECKING

import httpx
import pytest
from chorus.content.v1 import content_service_pb2 as pb
from chorus.gamification.v1 import gamification_events_pb2 as gamification_events
from chorus.metrics.v1 import metrics_events_pb2 as metrics_events
from chorus.publishing.v1 import publishing_events_pb2 as publishing_events
from chorus_core.clock import utcnow
from chorus_testing.identity import everything
from chorus_testing.infra import required_env
from metrics_service.entrypoints.http_app import create_app
from publishing_service.domain.accounts import account_id_for
from publishing_service.domain.rate_signals import RateSignal, Scope

if TYPE_CHECKING:
    from tests.contract.conftest import Platform
    from tests.contract.events.conftest import Campaign

pytestmark = pytest.mark.infra  # the Bluesky PDS and Redis (the leaderboard)
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"
# The reason a share waits names the budget, never what the post says.
BODY_WORDS = {"plant", "open", "new"}


async def pds_posts(did: str) -> list[str]:
    pds = required_env("CHORUS_BLUESKY_PDS_URL").rstrip("/")
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.get(
            f"{pds}/xrpc/com.atproto.repo.listRecords",
            params={"repo": did, "collection": "app.bsky.feed.post"},
        )
    response.raise_for_status()
    return [r["value"]["text"] for r in response.json()["records"]]


@pytest.mark.contract("chorus.scheduling.v1.ShareDue", "publishing")
@pytest.mark.contract("chorus.publishing.v1.SharePublished", "gamification", "metrics")
@pytest.mark.contract("chorus.metrics.v1.LinkClicked", "gamification")
@pytest.mark.contract("chorus.gamification.v1.PointsAwarded")
async def test_a_due_share_is_posted_counted_and_rewarded_and_so_is_its_click(
    campaign: Campaign, platform: Platform
) -> None:
    tenant, ben = campaign.tenant, campaign.employee("ben")
    did = await campaign.connect_bluesky("ben")
    post_id = await campaign.approve(pb.Targeting(countries=["GB"]))
    [due] = await campaign.run(post_id)

    publishing = await platform.publishing()
    await platform.deliver([due], publishing)
    [published] = await platform.events(publishing, publishing_events.SharePublished)
    share = published.event
    assert (share.share_id, share.employee_id, share.country, share.language) == (
        due.event.share_id,
        ben,
        "GB",
        "en",
    )
    assert share.post_uri.startswith(f"at://{did}/") and share.link_code
    short_url = f"http://go.chorus.test/l/{share.link_code}"
    assert await pds_posts(did) == [f"Our new plant is open: {short_url}"]

    metrics, gamification = await platform.metrics(), await platform.gamification()
    await platform.deliver([published], metrics)
    stats = await metrics.use_cases.post_stats(everything(tenant), tenant, post_id)
    assert (stats.total.shares, stats.by_country["GB"].shares) == (1, 1)
    await platform.deliver([published], gamification)
    assert (await gamification.use_cases.profile(everything(tenant), tenant, ben)).points == 10

    # Someone follows the link on Bluesky: a redirect, a click, points for ben.
    transport = httpx.ASGITransport(app=create_app(metrics.use_cases))
    async with httpx.AsyncClient(transport=transport, base_url="http://go.chorus.test") as web:
        response = await web.get(f"/l/{share.link_code}", headers={"user-agent": BROWSER})
    assert response.status_code == 302
    assert response.headers["location"].startswith(campaign.LINK)
    [clicked] = await platform.events(metrics, metrics_events.LinkClicked)
    assert (clicked.event.share_id, clicked.event.employee_id) == (share.share_id, ben)
    await platform.deliver([clicked], gamification)
    assert (await gamification.use_cases.profile(everything(tenant), tenant, ben)).points == 12
    board = await gamification.use_cases.leaderboard_top(everything(tenant), tenant, 10)
    assert [(s.employee_id, s.points) for s in board] == [(ben, 12)]
    awarded = await platform.events(gamification, gamification_events.PointsAwarded)
    assert [(a.event.points, a.event.total) for a in awarded] == [(10, 10), (2, 12)]


@pytest.mark.contract("chorus.publishing.v1.ShareDeferred", "scheduling")
@pytest.mark.contract("chorus.publishing.v1.SharePublished", "scheduling")
async def test_a_deferred_share_says_so_on_the_share_and_goes_out_by_itself(
    campaign: Campaign, platform: Platform
) -> None:
    """The network said "not before T" for ben's account: publishing defers
    the share (ShareDeferred) and scheduling shows "deferred until T,
    because …" on it; at T publishing's sweeper sends it, and its
    SharePublished clears the note."""
    tenant, ben = campaign.tenant, campaign.employee("ben")
    did = await campaign.connect_bluesky("ben")
    post_id = await campaign.approve(pb.Targeting(countries=["GB"]))
    [due] = await campaign.run(post_id)

    publishing, scheduling = await platform.publishing(), await platform.scheduling()
    until = utcnow() + timedelta(seconds=2)
    account = account_id_for(tenant, ben, "bluesky")
    await publishing.budget.observe("bluesky", account, [RateSignal(Scope.ACCOUNT, retry_at=until)])
    await platform.deliver([due], publishing)
    [deferred] = await platform.events(publishing, publishing_events.ShareDeferred)
    assert (deferred.event.share_id, deferred.event.employee_id) == (due.event.share_id, ben)
    assert deferred.event.reason and BODY_WORDS.isdisjoint(deferred.event.reason.split())
    await platform.deliver([deferred], scheduling)
    share = await scheduling.use_cases.get_share(everything(tenant), tenant, due.event.share_id)
    assert share.deferred_until is not None
    assert abs((share.deferred_until - until).total_seconds()) < 1.5
    assert share.deferred_reason == deferred.event.reason
    assert await pds_posts(did) == []

    await asyncio.sleep(max(0.0, (share.deferred_until - utcnow()).total_seconds()) + 0.2)
    assert await publishing.sweeper.tick(utcnow()) == 1
    [published] = await platform.events(publishing, publishing_events.SharePublished)
    assert len(await pds_posts(did)) == 1
    await platform.deliver([published], scheduling)
    share = await scheduling.use_cases.get_share(everything(tenant), tenant, due.event.share_id)
    assert (share.deferred_until, share.deferred_reason) == (None, "")
