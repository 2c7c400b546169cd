"""ContentService over gRPC: decode -> use case -> encode. Nothing else."""

from __future__ import annotations

import grpc
from chorus.content.v1 import content_service_pb2 as pb
from chorus.content.v1 import content_service_pb2_grpc as pb_grpc
from chorus_grpc import ServiceBinding

from content_service.adapters.messages import (
    STATUS_FROM_PB,
    charter_to_pb,
    post_to_pb,
    targeting_from_pb,
    violation_to_pb,
)
from content_service.app.use_cases import ContentUseCases, NewPost
from content_service.domain.charter import Charter


class ContentServicer(pb_grpc.ContentServiceServicer):
    def __init__(self, use_cases: ContentUseCases) -> None:
        self.uc = use_cases

    async def CreatePost(self, request: pb.CreatePostRequest, context: grpc.aio.ServicerContext) -> pb.CreatePostResponse:
        post = await self.uc.create_post(
            NewPost(
                tenant_id=request.tenant_id,
                author_id=request.author_id,
                title=request.title,
                body=request.body,
                link=request.link,
                source_language=request.source_language,
                network_texts=dict(request.network_texts),
                targeting=targeting_from_pb(request.targeting),
                request_id=request.request_id,
            )
        )
        return pb.CreatePostResponse(post=post_to_pb(post))

    async def SubmitPost(self, request: pb.SubmitPostRequest, context: grpc.aio.ServicerContext) -> pb.SubmitPostResponse:
        post = await self.uc.submit_post(request.tenant_id, request.post_id, request.actor_id)
        return pb.SubmitPostResponse(post=post_to_pb(post))

    async def ApprovePost(self, request: pb.ApprovePostRequest, context: grpc.aio.ServicerContext) -> pb.ApprovePostResponse:
        post = await self.uc.approve_post(request.tenant_id, request.post_id, request.approver_id)
        return pb.ApprovePostResponse(post=post_to_pb(post))

    async def GetPost(self, request: pb.GetPostRequest, context: grpc.aio.ServicerContext) -> pb.GetPostResponse:
        return pb.GetPostResponse(post=post_to_pb(await self.uc.get_post(request.tenant_id, request.post_id)))

    async def ListPosts(self, request: pb.ListPostsRequest, context: grpc.aio.ServicerContext) -> pb.ListPostsResponse:
        posts, token = await self.uc.list_posts(
            request.tenant_id, STATUS_FROM_PB.get(request.status), request.page_size, request.page_token
        )
        return pb.ListPostsResponse(posts=[post_to_pb(p) for p in posts], next_page_token=token)

    async def CheckCompliance(
        self, request: pb.CheckComplianceRequest, context: grpc.aio.ServicerContext
    ) -> pb.CheckComplianceResponse:
        violations = await self.uc.check_compliance(
            request.tenant_id, request.title, request.body, dict(request.network_texts)
        )
        return pb.CheckComplianceResponse(violations=[violation_to_pb(v) for v in violations])

    async def SetCharter(self, request: pb.SetCharterRequest, context: grpc.aio.ServicerContext) -> pb.SetCharterResponse:
        charter = Charter(tuple(request.charter.blocked_phrases), dict(request.charter.max_length))
        return pb.SetCharterResponse(charter=charter_to_pb(await self.uc.set_charter(request.tenant_id, charter)))

    async def GetCharter(self, request: pb.GetCharterRequest, context: grpc.aio.ServicerContext) -> pb.GetCharterResponse:
        return pb.GetCharterResponse(charter=charter_to_pb(await self.uc.get_charter(request.tenant_id)))


def binding(use_cases: ContentUseCases) -> ServiceBinding:
    return ServiceBinding(
        servicer=ContentServicer(use_cases),
        add=pb_grpc.add_ContentServiceServicer_to_server,
        name=pb.DESCRIPTOR.services_by_name["ContentService"].full_name,
    )
