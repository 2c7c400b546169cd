"""EmployeeErased, produced by targeting's erasure use case, handled by every
service that holds something about the person: each removes or anonymises
it, and nothing of theirs goes out afterwards."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx
import pytest
from chorus.content.v1 import content_service_pb2 as pb
from chorus.metrics.v1 import metrics_events_pb2 as metrics_events
from chorus.scheduling.v1 import scheduling_events_pb2 as scheduling_events
from chorus.targeting.v1 import targeting_events_pb2 as targeting_events
from chorus_core.errors import NotFound
from chorus_core.ids import new_id
from metrics_service.app.use_cases import NewTrackedLink
from metrics_service.entrypoints.http_app import create_app
from scheduling_service.domain.shares import share_id_for

if TYPE_CHECKING:
    from tests.contract.conftest import MetricsWorld, Platform
    from tests.contract.events.conftest import Campaign

pytestmark = pytest.mark.infra  # Redis (the leaderboard)
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"


async def click(metrics: MetricsWorld, code: str) -> None:
    transport = httpx.ASGITransport(app=create_app(metrics.use_cases))
    async with httpx.AsyncClient(transport=transport, base_url="http://go.chorus.test") as web:
        response = await web.get(f"/l/{code}", headers={"user-agent": BROWSER})
    assert response.status_code == 302


@pytest.mark.contract(
    "chorus.targeting.v1.EmployeeErased",
    "content",
    "scheduling",
    "publishing",
    "gamification",
    "metrics",
)
async def test_an_erased_employee_leaves_no_trace_and_nothing_of_theirs_goes_out(
    campaign: Campaign, platform: Platform
) -> None:
    tenant, ben = campaign.tenant, campaign.employee("ben")
    content, targeting = await platform.content(), await platform.targeting()
    scheduling, publishing = await platform.scheduling(), await platform.publishing()
    metrics, gamification = await platform.metrics(), await platform.gamification()

    # What the services hold about ben: his own proposal (content), a share
    # due and one scheduled (scheduling), a due share on its way (publishing),
    # a tracked link and a click on it (metrics), the click's points.
    proposal = await content.stub.ProposePost(
        pb.ProposePostRequest(
            tenant_id=tenant, employee_id=ben, title="My team", body="I built the new line"
        )
    )
    ugc_id = proposal.proposal.post.post_id
    britain = pb.Targeting(countries=["GB"])
    post_a = await campaign.approve(britain)
    [due_a] = await campaign.run(post_a)
    post_b = await campaign.approve(britain)
    await campaign.resolve(post_b)
    await campaign.plan(post_b)
    link = await metrics.use_cases.create_tracked_link(
        NewTrackedLink(
            tenant_id=tenant,
            share_id=due_a.event.share_id,
            post_id=post_a,
            employee_id=ben,
            country="GB",
            network="bluesky",
            target_url=campaign.LINK,
            request_id=new_id(),
        )
    )
    await click(metrics, link.code)
    await platform.deliver(await platform.events(metrics, metrics_events.LinkClicked), gamification)
    assert (await gamification.use_cases.profile(tenant, ben)).points == 2

    assert await targeting.consent.erase(tenant, ben)
    erased = await platform.events(
        targeting, targeting_events.EmployeeErased, lambda e: e.employee_id == ben
    )
    for consumer in (content, scheduling, publishing, gamification, metrics):
        await platform.deliver(erased, consumer)

    # content: his unapproved proposal loses its author and its text.
    post = (await content.stub.GetPost(pb.GetPostRequest(tenant_id=tenant, post_id=ugc_id))).post
    assert (post.author_id, post.title, post.body) == ("erased-employee", "[erased]", "")
    # scheduling: his open share is cancelled (and says so), every share of his is gone.
    [cancelled] = await platform.events(scheduling, scheduling_events.ShareCancelled)
    share_b = share_id_for(tenant, post_b, ben, "bluesky")
    assert (cancelled.event.share_id, cancelled.event.reason) == (share_b, "erased")
    for share_id in (share_b, due_a.event.share_id):
        with pytest.raises(NotFound):
            await scheduling.use_cases.get_share(tenant, share_id)
    # publishing: the ShareDue still on its way publishes nothing, fails nothing.
    await platform.deliver([due_a], publishing)
    assert await platform.written(publishing) == []
    # gamification: his points are nobody's now.
    assert (await gamification.use_cases.profile(tenant, ben)).points == 0
    board = await gamification.use_cases.leaderboard_top(tenant, 10)
    assert ben not in {s.employee_id for s in board}
    # metrics: the link still redirects; a new click is attributed to nobody.
    await click(metrics, link.code)
    clicks = await platform.events(metrics, metrics_events.LinkClicked)
    assert [c.event.employee_id for c in clicks] == [ben, "erased"]
