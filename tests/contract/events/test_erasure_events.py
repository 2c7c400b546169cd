"""EmployeeErased, produced by targeting's erasure use case, handled by every
service that holds something about the person: each removes or anonymises
it, and nothing of theirs goes out afterwards; nor does what other services
still send about them once it has been heard (a SharePublished, a
LinkClicked, a tracked link) re-create anything under their id."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx
import pytest
from chorus.audit.v1 import audit_events_pb2 as audit_events
from chorus.content.v1 import content_service_pb2 as pb
from chorus.content.v1 import content_service_pb2_grpc as content_grpc
from chorus.gamification.v1 import gamification_events_pb2 as gamification_events
from chorus.metrics.v1 import metrics_events_pb2 as metrics_events
from chorus.publishing.v1 import publishing_events_pb2 as publishing_events
from chorus.scheduling.v1 import scheduling_events_pb2 as scheduling_events
from chorus.targeting.v1 import targeting_events_pb2 as targeting_events
from chorus_core.errors import NotFound
from chorus_core.ids import new_id
from chorus_grpc import insecure_channel
from chorus_identity.principal import Grant, Role
from chorus_messaging.consumer import AlreadyProcessed
from chorus_testing.identity import IDENTITY, as_service, everything
from metrics_service.app.use_cases import NewTrackedLink
from metrics_service.entrypoints.http_app import create_app
from scheduling_service.domain.shares import share_id_for
from sqlalchemy import text

if TYPE_CHECKING:
    from chorus_testing.contracts import World

    from tests.contract.conftest import MetricsWorld, Platform
    from tests.contract.events.conftest import Campaign

pytestmark = pytest.mark.infra  # Redis (the leaderboard)
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"
# What may keep the opaque id after the erasure: the event history (ids in
# events already received or sent) and the erasure hold itself.
KEPT = {"chorus_inbox", "chorus_outbox", "chorus_employee_holds"}


async def tables_naming(world: World, employee_id: str) -> list[str]:
    """The service's tables (event history and holds aside) with a row that
    names the employee, in any column."""
    found = []
    async with world.db.session() as session:
        query = text("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        for table in (await session.execute(query)).scalars():
            rows = await session.execute(text(f'SELECT * FROM "{table}"'))
            if table not in KEPT and any(employee_id in str(v) for row in rows for v in row):
                found.append(table)
    return found


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
    proposal = await campaign.propose(ben, "My team", "I built the new line")
    ugc_id = proposal.post.post_id
    britain = pb.Targeting(countries=["GB"])
    post_a = await campaign.approve(britain)
    [due_a] = await campaign.run(post_a)
    post_b = await campaign.approve(britain)
    await campaign.resolve(post_b)
    await campaign.plan(post_b)
    link = await metrics.use_cases.create_tracked_link(
        as_service("publishing"),
        NewTrackedLink(
            tenant_id=tenant,
            share_id=due_a.event.share_id,
            post_id=post_a,
            employee_id=ben,
            country="GB",
            network="bluesky",
            target_url=campaign.LINK,
            request_id=new_id(),
        ),
    )
    await click(metrics, link.code)
    await platform.deliver(await platform.events(metrics, metrics_events.LinkClicked), gamification)
    assert (await gamification.use_cases.profile(everything(tenant), tenant, ben)).points == 2

    assert await targeting.consent.erase(everything(tenant), tenant, ben)
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
            await scheduling.use_cases.get_share(everything(tenant), tenant, share_id)
    # publishing: the ShareDue still on its way publishes nothing, fails nothing.
    await platform.deliver([due_a], publishing)
    assert await platform.written(publishing) == []
    # gamification: his points are nobody's now.
    assert (await gamification.use_cases.profile(everything(tenant), tenant, ben)).points == 0
    board = await gamification.use_cases.leaderboard_top(everything(tenant), tenant, 10)
    assert ben not in {s.employee_id for s in board}
    # metrics: the link still redirects; a new click is attributed to nobody.
    await click(metrics, link.code)
    clicks = await platform.events(metrics, metrics_events.LinkClicked)
    assert [c.event.employee_id for c in clicks] == [ben, "erased"]


@pytest.mark.contract("chorus.targeting.v1.EmployeeErased", "gamification", "metrics")
@pytest.mark.contract("chorus.scheduling.v1.ShareDue", "publishing")
@pytest.mark.contract("chorus.publishing.v1.SharePublished", "gamification", "metrics")
@pytest.mark.contract("chorus.metrics.v1.LinkClicked", "gamification")
async def test_a_share_and_a_click_arriving_after_the_erasure_earn_and_name_nobody(
    campaign: Campaign, platform: Platform
) -> None:
    tenant, ben = campaign.tenant, campaign.employee("ben")
    targeting, publishing = await platform.targeting(), await platform.publishing()
    metrics, gamification = await platform.metrics(), await platform.gamification()
    await campaign.connect_bluesky("ben")
    britain = pb.Targeting(countries=["GB"])
    post_a, post_b = await campaign.approve(britain), await campaign.approve(britain)
    await campaign.run(post_a)
    dues = {d.event.post_id: d for d in await campaign.run(post_b)}

    # Before the erasure: ben's share of post A is published and its link
    # clicked; the SharePublished and the LinkClicked are still on their way
    # to gamification (other topics, not ordered with the employee topic).
    await platform.deliver([dues[post_a]], publishing)
    [published_a] = await platform.events(publishing, publishing_events.SharePublished)
    await click(metrics, published_a.event.link_code)
    [clicked_a] = await platform.events(metrics, metrics_events.LinkClicked)
    assert (published_a.event.employee_id, clicked_a.event.employee_id) == (ben, ben)

    assert await targeting.consent.erase(everything(tenant), tenant, ben)
    erased = await platform.events(
        targeting, targeting_events.EmployeeErased, lambda e: e.employee_id == ben
    )
    for consumer in (gamification, metrics):
        await platform.deliver(erased, consumer)

    # Publishing has not heard yet: it publishes ben's share of post B, and
    # its tracked link (from metrics, which has) names nobody.
    await platform.deliver([dues[post_b]], publishing)
    published = await platform.events(publishing, publishing_events.SharePublished)
    published_b = next(p for p in published if p.event.post_id == post_b)
    assert published_b.event.employee_id == ben
    await click(metrics, published_b.event.link_code)
    clicks = await platform.events(metrics, metrics_events.LinkClicked)
    assert [c.event.employee_id for c in clicks] == [ben, "erased"]

    # Everything late reaches gamification and metrics now.
    await platform.deliver([published_a, published_b], gamification)
    await platform.deliver([published_a, published_b], metrics)
    await platform.deliver(clicks, gamification)

    # Nothing awarded, to ben or to anyone; nothing re-created under his id.
    assert (await gamification.use_cases.profile(everything(tenant), tenant, ben)).points == 0
    assert (await gamification.use_cases.profile(everything(tenant), tenant, "erased")).points == 0
    assert await platform.events(gamification, gamification_events.PointsAwarded) == []
    assert await gamification.use_cases.leaderboard_top(everything(tenant), tenant, 10) == []
    assert await tables_naming(gamification, ben) == []
    # The shares count for their posts, as every share before an erasure does.
    for post_id in (post_a, post_b):
        stats = await metrics.use_cases.post_stats(everything(tenant), tenant, post_id)
        assert (stats.total.shares, stats.total.clicks) == (1, 1)
    assert await tables_naming(metrics, ben) == []


@pytest.mark.contract("chorus.targeting.v1.EmployeeErased", "content", "gateway")
async def test_an_erased_employees_sign_in_is_erased_where_it_acted(
    campaign: Campaign, platform: Platform
) -> None:
    """Editorial actions are recorded by sign-in subject, not employee id:
    ben reviews for legal (a role granted in the gateway), signed in once
    (the link targeting keeps), approved a post and commented on it. His
    erasure names that subject, and content and the gateway erase it too."""
    tenant, ben = campaign.tenant, campaign.employee("ben")
    content, targeting, gateway = (
        await platform.content(),
        await platform.targeting(),
        await platform.gateway(),
    )
    subject = f"sub-{new_id()}"
    linked = await targeting.accounts.link(as_service("gateway"), tenant, subject, "", "ben")
    assert linked.employee.employee_id == ben
    legal = Grant.of(Role.REVIEWER, steps=["legal"])
    await gateway.role_grants.store.put(tenant, subject, [legal])

    request = pb.CreatePostRequest(
        tenant_id=tenant, title="Plant", body=campaign.BODY, source_language="en"
    )
    post_id = (await content.stub.CreatePost(request)).post.post_id
    await content.stub.SubmitPost(pb.SubmitPostRequest(tenant_id=tenant, post_id=post_id))
    person = everything(tenant, subject, employee_id=ben)
    channel = insecure_channel(content.address, 30, IDENTITY.credentials(person))
    try:
        as_ben = content_grpc.ContentServiceStub(channel)
        await as_ben.AddComment(
            pb.AddCommentRequest(tenant_id=tenant, post_id=post_id, text="Fine by legal")
        )
        await as_ben.ApprovePost(pb.ApprovePostRequest(tenant_id=tenant, post_id=post_id))
    finally:
        await channel.close()
    assert await tables_naming(content, subject) != []  # what the erasure must reach

    assert await targeting.consent.erase(everything(tenant), tenant, ben)
    erased = await platform.events(
        targeting, targeting_events.EmployeeErased, lambda e: e.employee_id == ben
    )
    assert [list(e.event.subjects) for e in erased] == [[subject]]
    for consumer in (content, gateway):
        await platform.deliver(erased, consumer)

    # content: approver, commenter and the trail's actor are nobody now.
    post = (await content.stub.GetPost(pb.GetPostRequest(tenant_id=tenant, post_id=post_id))).post
    assert post.approver_id == "erased-employee"
    comments = await content.stub.ListComments(
        pb.ListCommentsRequest(tenant_id=tenant, post_id=post_id)
    )
    assert [(c.author_id, c.text) for c in comments.comments] == [
        ("erased-employee", "Fine by legal")
    ]
    trail = await content.stub.GetAuditTrail(
        pb.GetAuditTrailRequest(tenant_id=tenant, post_id=post_id)
    )
    assert subject not in {e.actor_id for e in trail.entries}
    assert await tables_naming(content, subject) == []
    # gateway: the sign-in holds no role any more; the revocation is audited.
    assert await gateway.role_grants.store.grants(tenant, subject) == ()
    assert await tables_naming(gateway, subject) == []
    revoked = [
        e.event
        for e in await platform.events(gateway, audit_events.AuditRecorded)
        if e.event.action == "role.revoke"
    ]
    assert [(r.target_type, r.target_id) for r in revoked] == [("subject", subject)]
    # A redelivery is refused by each inbox: nothing is erased or audited twice.
    for consumer in (content, gateway):
        with pytest.raises(AlreadyProcessed):
            await platform.deliver(erased, consumer)
