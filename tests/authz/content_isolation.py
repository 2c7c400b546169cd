"""Tenant isolation cases of content's authorization matrix
(tests/authz/test_content_authz.py): every RPC aimed by tenant B at tenant
A's seeded objects (content_world.World.seed)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Literal

from chorus.content.v1 import content_service_pb2 as pb
from google.protobuf.timestamp_pb2 import Timestamp

from tests.authz.content_cases import NEW, calendar_of
from tests.authz.content_world import Prepared, Stub, World, download, pdf, upload_parts

# Tenant isolation: each RPC aimed at tenant A's objects, with the tenant
# field naming A ("named": refused outright) or empty ("own": the caller's
# tenant, where A's objects do not exist; a collection RPC answers B's own).
Kind = Literal["object", "collection"]
Attack = Callable[[World, str], Prepared]


def post_of(index: int, call: Callable[[Stub, str, str], Awaitable[Any]]) -> Attack:
    """world.posts: 0 draft, 1 in review, 2 approved, 3 UGC proposal."""
    return lambda w, t: lambda s: call(s, t, w.posts[index])


def media_of(call: Callable[[Stub, str, str], Awaitable[Any]]) -> Attack:
    return lambda w, t: lambda s: call(s, t, w.media_id)


def campaign_of(call: Callable[[Stub, str, str], Awaitable[Any]]) -> Attack:
    return lambda w, t: lambda s: call(s, t, w.campaign_id)


def own(call: Callable[[Stub, str], Awaitable[Any]]) -> Attack:
    return lambda w, t: lambda s: call(s, t)


ISOLATION: dict[str, tuple[Kind, Attack]] = {
    "CreatePost": (
        "collection",
        own(
            lambda s, t: s.CreatePost(
                pb.CreatePostRequest(tenant_id=t, title="B", body="B", source_language="en")
            )
        ),
    ),
    "UpdatePost": (
        "object",
        post_of(
            0,
            lambda s, t, p: s.UpdatePost(pb.UpdatePostRequest(tenant_id=t, post_id=p, content=NEW)),
        ),
    ),
    "SubmitPost": (
        "object",
        post_of(0, lambda s, t, p: s.SubmitPost(pb.SubmitPostRequest(tenant_id=t, post_id=p))),
    ),
    "ArchivePost": (
        "object",
        post_of(0, lambda s, t, p: s.ArchivePost(pb.ArchivePostRequest(tenant_id=t, post_id=p))),
    ),
    "ApprovePost": (
        "object",
        post_of(1, lambda s, t, p: s.ApprovePost(pb.ApprovePostRequest(tenant_id=t, post_id=p))),
    ),
    "RequestChanges": (
        "object",
        post_of(
            1,
            lambda s, t, p: s.RequestChanges(
                pb.RequestChangesRequest(tenant_id=t, post_id=p, comment="B")
            ),
        ),
    ),
    "RejectPost": (
        "object",
        post_of(
            1,
            lambda s, t, p: s.RejectPost(pb.RejectPostRequest(tenant_id=t, post_id=p, reason="B")),
        ),
    ),
    "GetPost": (
        "object",
        post_of(2, lambda s, t, p: s.GetPost(pb.GetPostRequest(tenant_id=t, post_id=p))),
    ),
    "GetPostVersion": (
        "object",
        post_of(
            2,
            lambda s, t, p: s.GetPostVersion(
                pb.GetPostVersionRequest(tenant_id=t, post_id=p, version=1)
            ),
        ),
    ),
    "ListPostVersions": (
        "object",
        post_of(
            0,
            lambda s, t, p: s.ListPostVersions(pb.ListPostVersionsRequest(tenant_id=t, post_id=p)),
        ),
    ),
    "ListPosts": ("collection", own(lambda s, t: s.ListPosts(pb.ListPostsRequest(tenant_id=t)))),
    "SearchPosts": (
        "collection",
        own(lambda s, t: s.SearchPosts(pb.SearchPostsRequest(tenant_id=t, query="alpha"))),
    ),
    "AddComment": (
        "object",
        post_of(
            1,
            lambda s, t, p: s.AddComment(pb.AddCommentRequest(tenant_id=t, post_id=p, text="B")),
        ),
    ),
    "ListComments": (
        "object",
        post_of(1, lambda s, t, p: s.ListComments(pb.ListCommentsRequest(tenant_id=t, post_id=p))),
    ),
    "GetAuditTrail": (
        "object",
        post_of(
            1, lambda s, t, p: s.GetAuditTrail(pb.GetAuditTrailRequest(tenant_id=t, post_id=p))
        ),
    ),
    "ExportAuditTrail": (
        "collection",
        own(lambda s, t: s.ExportAuditTrail(pb.ExportAuditTrailRequest(tenant_id=t))),
    ),
    "CheckCompliance": (
        "collection",
        own(
            lambda s, t: s.CheckCompliance(
                pb.CheckComplianceRequest(tenant_id=t, body="zebra crossing")
            )
        ),
    ),
    "SetCharter": (
        "collection",
        own(
            lambda s, t: s.SetCharter(
                pb.SetCharterRequest(tenant_id=t, charter=pb.Charter(blocked_phrases=["b"]))
            )
        ),
    ),
    "GetCharter": ("collection", own(lambda s, t: s.GetCharter(pb.GetCharterRequest(tenant_id=t)))),
    "SetApprovalChain": (
        "collection",
        own(
            lambda s, t: s.SetApprovalChain(
                pb.SetApprovalChainRequest(
                    tenant_id=t, chain=pb.ApprovalChain(kind=pb.POST_KIND_JOB_OFFER, steps=["b"])
                )
            )
        ),
    ),
    "GetApprovalChains": (
        "collection",
        own(lambda s, t: s.GetApprovalChains(pb.GetApprovalChainsRequest(tenant_id=t))),
    ),
    "ListHeldTranslations": (
        "collection",
        own(lambda s, t: s.ListHeldTranslations(pb.ListHeldTranslationsRequest(tenant_id=t))),
    ),
    "ProposePost": (
        "collection",
        own(lambda s, t: s.ProposePost(pb.ProposePostRequest(tenant_id=t, title="B", body="B"))),
    ),
    "ListModerationQueue": (
        "collection",
        own(lambda s, t: s.ListModerationQueue(pb.ListModerationQueueRequest(tenant_id=t))),
    ),
    "ModerateProposal": (
        "object",
        post_of(
            3,
            lambda s, t, p: s.ModerateProposal(
                pb.ModerateProposalRequest(tenant_id=t, post_id=p, approve=True)
            ),
        ),
    ),
    "SubscribeFeed": (
        "collection",
        own(
            lambda s, t: s.SubscribeFeed(
                pb.SubscribeFeedRequest(tenant_id=t, url="https://b.example/feed.xml")
            )
        ),
    ),
    "ListFeeds": ("collection", own(lambda s, t: s.ListFeeds(pb.ListFeedsRequest(tenant_id=t)))),
    "PollFeed": (
        "object",
        lambda w, t: lambda s: s.PollFeed(pb.PollFeedRequest(tenant_id=t, feed_id=w.feed_id)),
    ),
    "SetFeedAllowedHosts": (
        "collection",
        own(
            lambda s, t: s.SetFeedAllowedHosts(
                pb.SetFeedAllowedHostsRequest(tenant_id=t, hosts=["10.0.0.1"])
            )
        ),
    ),
    "UploadMedia": (
        "collection",
        own(lambda s, t: s.UploadMedia(upload_parts(t, pdf(), "b.pdf"))),
    ),
    "TagMedia": (
        "object",
        media_of(
            lambda s, t, m: s.TagMedia(pb.TagMediaRequest(tenant_id=t, media_id=m, tags=["b"]))
        ),
    ),
    "GetMedia": (
        "object",
        media_of(lambda s, t, m: s.GetMedia(pb.GetMediaRequest(tenant_id=t, media_id=m))),
    ),
    "ListMedia": ("collection", own(lambda s, t: s.ListMedia(pb.ListMediaRequest(tenant_id=t)))),
    "DownloadMedia": (
        "object",
        media_of(lambda s, t, m: download(s, pb.DownloadMediaRequest(tenant_id=t, media_id=m))),
    ),
    "CreateCampaign": (
        "collection",
        own(
            lambda s, t: s.CreateCampaign(
                pb.CreateCampaignRequest(
                    tenant_id=t,
                    name="B",
                    objective=pb.CAMPAIGN_OBJECTIVE_VISIBILITY,
                    starts_at=Timestamp(seconds=1_900_000_000),
                    ends_at=Timestamp(seconds=1_900_086_400),
                    regions=["eu-west"],
                )
            )
        ),
    ),
    "GetCampaign": (
        "object",
        campaign_of(
            lambda s, t, c: s.GetCampaign(pb.GetCampaignRequest(tenant_id=t, campaign_id=c))
        ),
    ),
    "ListCampaigns": (
        "collection",
        own(lambda s, t: s.ListCampaigns(pb.ListCampaignsRequest(tenant_id=t))),
    ),
    "StartPilot": (
        "object",
        campaign_of(
            lambda s, t, c: s.StartPilot(pb.CampaignActionRequest(tenant_id=t, campaign_id=c))
        ),
    ),
    "WidenCampaign": (
        "object",
        campaign_of(
            lambda s, t, c: s.WidenCampaign(pb.CampaignActionRequest(tenant_id=t, campaign_id=c))
        ),
    ),
    "EndCampaign": (
        "object",
        campaign_of(
            lambda s, t, c: s.EndCampaign(pb.CampaignActionRequest(tenant_id=t, campaign_id=c))
        ),
    ),
    "GetCampaignGoals": (
        "object",
        campaign_of(
            lambda s, t, c: s.GetCampaignGoals(
                pb.GetCampaignGoalsRequest(tenant_id=t, campaign_id=c)
            )
        ),
    ),
    # Tenant B's own calendar over the days tenant A's posts are planned in.
    "GetCalendar": ("collection", own(lambda s, t: s.GetCalendar(calendar_of(t)))),
    "ExportCalendar": ("collection", own(lambda s, t: s.ExportCalendar(calendar_of(t)))),
}
