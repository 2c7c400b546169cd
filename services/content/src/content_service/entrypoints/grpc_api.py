"""ContentService over gRPC: decode -> use case -> encode. Nothing else.
Posts, workflow and charter here; UGC, feeds and media in grpc_extras.
Every use case gets the verified caller (current_principal) and decides."""

from __future__ import annotations

import grpc
from chorus.content.v1 import content_service_pb2 as pb
from chorus.content.v1 import content_service_pb2_grpc as pb_grpc
from chorus_core.prototime import from_timestamp, to_timestamp
from chorus_grpc import ServiceBinding
from chorus_identity.context import current_principal

from content_service.adapters.messages import (
    KIND_FROM_PB,
    KIND_TO_PB,
    STATUS_FROM_PB,
    charter_from_pb,
    charter_to_pb,
    content_from_pb,
    post_to_pb,
    variants_from_pb,
    violation_to_pb,
)
from content_service.app.records import Comment
from content_service.app.use_cases import NewPost
from content_service.domain.posts import Post, PostKind
from content_service.domain.search import SearchFilters, query_words
from content_service.entrypoints.grpc_calendar import CalendarServicer
from content_service.entrypoints.grpc_campaigns import CampaignServicer
from content_service.entrypoints.grpc_extras import ExtrasServicer, Services

Ctx = grpc.aio.ServicerContext


class ContentServicer(
    ExtrasServicer, CampaignServicer, CalendarServicer, pb_grpc.ContentServiceServicer
):
    def __init__(self, services: Services) -> None:
        super().__init__(services)
        self.campaigns = services.campaigns
        self.calendar = services.calendar
        self.uc = services.posts
        self.reviews = services.reviews
        self.q = services.queries
        self.charters = services.posts.charters

    async def _pb(self, post: Post) -> pb.Post:
        return post_to_pb(post, await self.uc.chain_for(post))

    async def CreatePost(
        self, request: pb.CreatePostRequest, context: Ctx
    ) -> pb.CreatePostResponse:
        new = NewPost(
            request.tenant_id,
            request_id=request.request_id,
            content=content_from_pb(request),
            campaign_id=request.campaign_id.strip(),
        )
        post = await self.uc.create_post(current_principal(), new)
        return pb.CreatePostResponse(post=await self._pb(post))

    async def UpdatePost(
        self, request: pb.UpdatePostRequest, context: Ctx
    ) -> pb.UpdatePostResponse:
        post = await self.uc.update_post(
            current_principal(),
            request.tenant_id,
            request.post_id,
            content_from_pb(request.content),
            request.expected_version,
            request.request_id,
        )
        return pb.UpdatePostResponse(post=await self._pb(post))

    async def SubmitPost(
        self, request: pb.SubmitPostRequest, context: Ctx
    ) -> pb.SubmitPostResponse:
        post = await self.uc.submit_post(
            current_principal(), request.tenant_id, request.post_id, request.request_id
        )
        return pb.SubmitPostResponse(post=await self._pb(post))

    async def ApprovePost(
        self, request: pb.ApprovePostRequest, context: Ctx
    ) -> pb.ApprovePostResponse:
        post = await self.reviews.approve_post(
            current_principal(),
            request.tenant_id,
            request.post_id,
            request.step,
            request.comment,
            request.request_id,
        )
        return pb.ApprovePostResponse(post=await self._pb(post))

    async def RequestChanges(
        self, request: pb.RequestChangesRequest, context: Ctx
    ) -> pb.RequestChangesResponse:
        post = await self.reviews.request_changes(
            current_principal(),
            request.tenant_id,
            request.post_id,
            request.comment,
            request.request_id,
        )
        return pb.RequestChangesResponse(post=await self._pb(post))

    async def RejectPost(
        self, request: pb.RejectPostRequest, context: Ctx
    ) -> pb.RejectPostResponse:
        post = await self.reviews.reject_post(
            current_principal(),
            request.tenant_id,
            request.post_id,
            request.reason,
            request.request_id,
        )
        return pb.RejectPostResponse(post=await self._pb(post))

    async def ArchivePost(
        self, request: pb.ArchivePostRequest, context: Ctx
    ) -> pb.ArchivePostResponse:
        post = await self.uc.archive_post(
            current_principal(), request.tenant_id, request.post_id, request.request_id
        )
        return pb.ArchivePostResponse(post=await self._pb(post))

    async def GetPost(self, request: pb.GetPostRequest, context: Ctx) -> pb.GetPostResponse:
        post = await self.q.get_post(current_principal(), request.tenant_id, request.post_id)
        return pb.GetPostResponse(post=await self._pb(post))

    async def GetPostVersion(
        self, request: pb.GetPostVersionRequest, context: Ctx
    ) -> pb.GetPostVersionResponse:
        post = await self.q.version(
            current_principal(), request.tenant_id, request.post_id, request.version
        )
        return pb.GetPostVersionResponse(post=post_to_pb(post))

    async def ListPostVersions(
        self, request: pb.ListPostVersionsRequest, context: Ctx
    ) -> pb.ListPostVersionsResponse:
        versions = await self.q.versions(current_principal(), request.tenant_id, request.post_id)
        return pb.ListPostVersionsResponse(versions=[post_to_pb(p) for p in versions])

    async def ListPosts(self, request: pb.ListPostsRequest, context: Ctx) -> pb.ListPostsResponse:
        posts, token = await self.q.list_posts(
            current_principal(),
            request.tenant_id,
            STATUS_FROM_PB.get(request.status),
            request.page_size,
            request.page_token,
        )
        return pb.ListPostsResponse(posts=[post_to_pb(p) for p in posts], next_page_token=token)

    async def SearchPosts(
        self, request: pb.SearchPostsRequest, context: Ctx
    ) -> pb.SearchPostsResponse:
        filters = SearchFilters(
            query_words=query_words(request.query),
            status=STATUS_FROM_PB.get(request.status),
            channel=request.channel.strip(),
            campaign=request.campaign.strip(),
            language=request.language.strip(),
            kind=KIND_FROM_PB.get(request.kind),
            created_after=from_timestamp(request.created_after),
            created_before=from_timestamp(request.created_before),
        )
        posts, token = await self.q.search(
            current_principal(), request.tenant_id, filters, request.page_size, request.page_token
        )
        return pb.SearchPostsResponse(posts=[post_to_pb(p) for p in posts], next_page_token=token)

    async def AddComment(
        self, request: pb.AddCommentRequest, context: Ctx
    ) -> pb.AddCommentResponse:
        row = await self.q.add_comment(
            current_principal(), request.tenant_id, request.post_id, request.text
        )
        return pb.AddCommentResponse(comment=_comment(row))

    async def ListComments(
        self, request: pb.ListCommentsRequest, context: Ctx
    ) -> pb.ListCommentsResponse:
        rows = await self.q.comments(current_principal(), request.tenant_id, request.post_id)
        return pb.ListCommentsResponse(comments=[_comment(r) for r in rows])

    async def GetAuditTrail(
        self, request: pb.GetAuditTrailRequest, context: Ctx
    ) -> pb.GetAuditTrailResponse:
        rows = await self.q.audit_trail(current_principal(), request.tenant_id, request.post_id)
        return pb.GetAuditTrailResponse(
            entries=[
                pb.AuditEntry(
                    post_id=r.post_id,
                    version=r.version,
                    actor_id=r.actor_id,
                    from_status=r.from_status,
                    to_status=r.to_status,
                    reason=r.reason,
                    step=r.step,
                    at=to_timestamp(r.at),
                )
                for r in rows
            ]
        )

    async def ExportAuditTrail(
        self, request: pb.ExportAuditTrailRequest, context: Ctx
    ) -> pb.ExportAuditTrailResponse:
        return pb.ExportAuditTrailResponse(
            csv=await self.q.export_audit_csv(
                current_principal(), request.tenant_id, request.post_id
            )
        )

    async def SetApprovalChain(
        self, request: pb.SetApprovalChainRequest, context: Ctx
    ) -> pb.SetApprovalChainResponse:
        kind = KIND_FROM_PB.get(request.chain.kind, PostKind.BRAND_NEWS)
        steps = await self.uc.set_approval_chain(
            current_principal(),
            request.tenant_id,
            kind.value,
            tuple(request.chain.steps),
            request.request_id,
        )
        return pb.SetApprovalChainResponse(
            chain=pb.ApprovalChain(kind=KIND_TO_PB[kind], steps=steps)
        )

    async def GetApprovalChains(
        self, request: pb.GetApprovalChainsRequest, context: Ctx
    ) -> pb.GetApprovalChainsResponse:
        chains = await self.uc.approval_chains(current_principal(), request.tenant_id)
        return pb.GetApprovalChainsResponse(
            chains=[
                pb.ApprovalChain(kind=KIND_TO_PB[PostKind(k)], steps=s)
                for k, s in sorted(chains.items())
            ]
        )

    async def CheckCompliance(
        self, request: pb.CheckComplianceRequest, context: Ctx
    ) -> pb.CheckComplianceResponse:
        violations = await self.charters.check(
            current_principal(),
            request.tenant_id,
            request.title,
            request.body,
            dict(request.network_texts),
            request.language,
            request.link,
            variants_from_pb(request.network_variants),
        )
        return pb.CheckComplianceResponse(violations=[violation_to_pb(v) for v in violations])

    async def SetCharter(
        self, request: pb.SetCharterRequest, context: Ctx
    ) -> pb.SetCharterResponse:
        charter = await self.charters.set_charter(
            current_principal(),
            request.tenant_id,
            charter_from_pb(request.charter),
            request.request_id,
        )
        return pb.SetCharterResponse(charter=charter_to_pb(charter))

    async def GetCharter(
        self, request: pb.GetCharterRequest, context: Ctx
    ) -> pb.GetCharterResponse:
        charter = await self.charters.get_charter(
            current_principal(), request.tenant_id, request.version
        )
        return pb.GetCharterResponse(charter=charter_to_pb(charter))


def _comment(comment: Comment) -> pb.Comment:
    return pb.Comment(
        comment_id=comment.comment_id,
        post_id=comment.post_id,
        version=comment.version,
        author_id=comment.author_id,
        text=comment.text,
        at=to_timestamp(comment.at),
    )


def binding(services: Services) -> ServiceBinding:
    return ServiceBinding(
        servicer=ContentServicer(services),
        add=pb_grpc.add_ContentServiceServicer_to_server,
        name=pb.DESCRIPTOR.services_by_name["ContentService"].full_name,
    )
