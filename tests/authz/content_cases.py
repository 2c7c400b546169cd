"""The cases of content's authorization matrix (tests/authz/test_content_authz.py):
for every RPC, who may call it and a call ready to make (ROLE_CASES), and the
same RPC aimed by tenant B at tenant A's objects (ISOLATION)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from chorus.content.v1 import content_service_pb2 as pb
from google.protobuf.timestamp_pb2 import Timestamp

from tests.authz.content_world import STAFF, A, Prepared, Stub, World, download, pdf, upload_parts

Case = Callable[[World], Awaitable[Prepared]]
WRITERS = frozenset({"admin", "comms"})
DECIDERS = frozenset({"admin", "reviewer"})
ADMIN_ONLY = frozenset({"admin"})


def fixed(call: Prepared) -> Case:
    async def case(world: World) -> Prepared:
        return call

    return case


def on_post(make: str, call: Callable[[Stub, str], Awaitable[Any]]) -> Case:
    """A fresh post of tenant A ("draft", "in_review", "approved", "proposal")."""

    async def case(world: World) -> Prepared:
        post = await getattr(world, make)()
        return lambda stub: call(stub, post.post_id)

    return case


def on_media(call: Callable[[Stub, str], Awaitable[Any]]) -> Case:
    async def case(world: World) -> Prepared:
        media_id = await world.media()
        return lambda stub: call(stub, media_id)

    return case


def on_feed(call: Callable[[Stub, str], Awaitable[Any]]) -> Case:
    async def case(world: World) -> Prepared:
        return lambda stub: call(stub, world.feed_id)

    return case


def on_campaign(call: Callable[[Stub, str], Awaitable[Any]]) -> Case:
    """A fresh draft campaign of tenant A (with a pilot segment)."""

    async def case(world: World) -> Prepared:
        campaign = await world.campaign()
        return lambda stub: call(stub, campaign.campaign_id)

    return case


NEW = pb.PostContent(title="Edited", body="Edited body", source_language="en")


def calendar_of(tenant: str) -> pb.CalendarRequest:
    """The days around now: tenant A's seeded posts are planned in them."""
    today = datetime.now(UTC).date()
    return pb.CalendarRequest(
        tenant_id=tenant,
        since_day=(today - timedelta(days=7)).isoformat(),
        until_day=(today + timedelta(days=7)).isoformat(),
    )


# Every RPC: who may (role names of content_world.ROLES), and the call.
ROLE_CASES: dict[str, tuple[frozenset[str], Case]] = {
    "CreatePost": (
        WRITERS,
        fixed(
            lambda s: s.CreatePost(
                pb.CreatePostRequest(tenant_id=A, title="T", body="B", source_language="en")
            )
        ),
    ),
    "UpdatePost": (
        WRITERS,
        on_post("draft", lambda s, p: s.UpdatePost(pb.UpdatePostRequest(post_id=p, content=NEW))),
    ),
    "SubmitPost": (
        WRITERS,
        on_post("draft", lambda s, p: s.SubmitPost(pb.SubmitPostRequest(post_id=p))),
    ),
    "ArchivePost": (
        WRITERS,
        on_post("draft", lambda s, p: s.ArchivePost(pb.ArchivePostRequest(post_id=p))),
    ),
    "ApprovePost": (
        DECIDERS,
        on_post("in_review", lambda s, p: s.ApprovePost(pb.ApprovePostRequest(post_id=p))),
    ),
    "RequestChanges": (
        DECIDERS,
        on_post(
            "in_review",
            lambda s, p: s.RequestChanges(pb.RequestChangesRequest(post_id=p, comment="More")),
        ),
    ),
    "RejectPost": (
        DECIDERS,
        on_post(
            "in_review", lambda s, p: s.RejectPost(pb.RejectPostRequest(post_id=p, reason="No"))
        ),
    ),
    "GetPost": (
        STAFF | {"employee", "translation"},
        on_post("approved", lambda s, p: s.GetPost(pb.GetPostRequest(tenant_id=A, post_id=p))),
    ),
    "GetPostVersion": (
        STAFF | {"translation"},
        on_post(
            "approved",
            lambda s, p: s.GetPostVersion(
                pb.GetPostVersionRequest(tenant_id=A, post_id=p, version=1)
            ),
        ),
    ),
    "ListPostVersions": (
        STAFF,
        on_post("draft", lambda s, p: s.ListPostVersions(pb.ListPostVersionsRequest(post_id=p))),
    ),
    "ListPosts": (STAFF, fixed(lambda s: s.ListPosts(pb.ListPostsRequest(tenant_id=A)))),
    "SearchPosts": (STAFF, fixed(lambda s: s.SearchPosts(pb.SearchPostsRequest(tenant_id=A)))),
    "AddComment": (
        STAFF,
        on_post("in_review", lambda s, p: s.AddComment(pb.AddCommentRequest(post_id=p, text="!"))),
    ),
    "ListComments": (
        STAFF,
        on_post("in_review", lambda s, p: s.ListComments(pb.ListCommentsRequest(post_id=p))),
    ),
    "GetAuditTrail": (
        STAFF,
        on_post("in_review", lambda s, p: s.GetAuditTrail(pb.GetAuditTrailRequest(post_id=p))),
    ),
    "ExportAuditTrail": (
        STAFF,
        fixed(lambda s: s.ExportAuditTrail(pb.ExportAuditTrailRequest(tenant_id=A))),
    ),
    "CheckCompliance": (
        # employee: their own edited text, before sharing (through scheduling)
        frozenset({"admin", "comms", "reviewer", "employee"}),
        fixed(lambda s: s.CheckCompliance(pb.CheckComplianceRequest(tenant_id=A, body="Hello"))),
    ),
    "SetCharter": (
        ADMIN_ONLY,
        fixed(
            lambda s: s.SetCharter(
                pb.SetCharterRequest(
                    tenant_id=A, charter=pb.Charter(blocked_phrases=["zebra crossing"])
                )
            )
        ),
    ),
    "GetCharter": (STAFF, fixed(lambda s: s.GetCharter(pb.GetCharterRequest(tenant_id=A)))),
    "SetApprovalChain": (
        ADMIN_ONLY,
        fixed(
            lambda s: s.SetApprovalChain(
                pb.SetApprovalChainRequest(
                    tenant_id=A,
                    chain=pb.ApprovalChain(kind=pb.POST_KIND_CURATED, steps=["review"]),
                )
            )
        ),
    ),
    "GetApprovalChains": (
        STAFF,
        fixed(lambda s: s.GetApprovalChains(pb.GetApprovalChainsRequest(tenant_id=A))),
    ),
    "ListHeldTranslations": (
        STAFF,
        fixed(lambda s: s.ListHeldTranslations(pb.ListHeldTranslationsRequest(tenant_id=A))),
    ),
    "ProposePost": (
        frozenset({"employee"}),
        fixed(
            lambda s: s.ProposePost(
                pb.ProposePostRequest(tenant_id=A, title="Our day", body="We planted trees")
            )
        ),
    ),
    "ListModerationQueue": (
        frozenset({"admin", "moderator"}),
        fixed(lambda s: s.ListModerationQueue(pb.ListModerationQueueRequest(tenant_id=A))),
    ),
    "ModerateProposal": (
        frozenset({"admin", "moderator"}),
        on_post(
            "proposal",
            lambda s, p: s.ModerateProposal(pb.ModerateProposalRequest(post_id=p, approve=True)),
        ),
    ),
    "SubscribeFeed": (
        WRITERS,
        fixed(
            lambda s: s.SubscribeFeed(
                pb.SubscribeFeedRequest(tenant_id=A, url="https://news.example/feed.xml")
            )
        ),
    ),
    "ListFeeds": (STAFF, fixed(lambda s: s.ListFeeds(pb.ListFeedsRequest(tenant_id=A)))),
    "PollFeed": (WRITERS, on_feed(lambda s, f: s.PollFeed(pb.PollFeedRequest(feed_id=f)))),
    "SetFeedAllowedHosts": (
        ADMIN_ONLY,
        fixed(
            lambda s: s.SetFeedAllowedHosts(
                pb.SetFeedAllowedHostsRequest(tenant_id=A, hosts=["127.0.0.1"])
            )
        ),
    ),
    "UploadMedia": (WRITERS, fixed(lambda s: s.UploadMedia(upload_parts(A, pdf(), "new.pdf")))),
    "TagMedia": (
        WRITERS,
        on_media(lambda s, m: s.TagMedia(pb.TagMediaRequest(media_id=m, tags=["fresh"]))),
    ),
    "GetMedia": (STAFF, on_media(lambda s, m: s.GetMedia(pb.GetMediaRequest(media_id=m)))),
    "ListMedia": (STAFF, fixed(lambda s: s.ListMedia(pb.ListMediaRequest(tenant_id=A)))),
    "DownloadMedia": (
        STAFF | {"publishing"},
        on_media(lambda s, m: download(s, pb.DownloadMediaRequest(tenant_id=A, media_id=m))),
    ),
    "CreateCampaign": (
        WRITERS,
        fixed(
            lambda s: s.CreateCampaign(
                pb.CreateCampaignRequest(
                    tenant_id=A,
                    name="Spring",
                    objective=pb.CAMPAIGN_OBJECTIVE_VISIBILITY,
                    starts_at=Timestamp(seconds=1_900_000_000),
                    ends_at=Timestamp(seconds=1_900_086_400),
                    regions=["eu-west"],
                )
            )
        ),
    ),
    "GetCampaign": (
        STAFF,
        on_campaign(lambda s, c: s.GetCampaign(pb.GetCampaignRequest(tenant_id=A, campaign_id=c))),
    ),
    "ListCampaigns": (
        STAFF,
        fixed(lambda s: s.ListCampaigns(pb.ListCampaignsRequest(tenant_id=A))),
    ),
    "StartPilot": (
        WRITERS,
        on_campaign(lambda s, c: s.StartPilot(pb.CampaignActionRequest(campaign_id=c))),
    ),
    "WidenCampaign": (
        WRITERS,
        on_campaign(lambda s, c: s.WidenCampaign(pb.CampaignActionRequest(campaign_id=c))),
    ),
    "EndCampaign": (
        WRITERS,
        on_campaign(lambda s, c: s.EndCampaign(pb.CampaignActionRequest(campaign_id=c))),
    ),
    "GetCampaignGoals": (
        WRITERS,
        on_campaign(
            lambda s, c: s.GetCampaignGoals(pb.GetCampaignGoalsRequest(tenant_id=A, campaign_id=c))
        ),
    ),
    "GetCalendar": (WRITERS, fixed(lambda s: s.GetCalendar(calendar_of(A)))),
    "ExportCalendar": (WRITERS, fixed(lambda s: s.ExportCalendar(calendar_of(A)))),
}
