"""content.GetPost over gRPC (the ContentReader port)."""

from __future__ import annotations

import grpc
from chorus.content.v1 import content_service_pb2 as content_pb
from chorus.content.v1 import content_service_pb2_grpc as content_grpc
from chorus_grpc import insecure_channel

from translation_service.adapters.messages import post_from_pb
from translation_service.app.ports import PostNotFound
from translation_service.domain.translations import PostTexts


class GrpcContentReader:
    def __init__(self, address: str, deadline_seconds: float = 5.0) -> None:
        self.channel = insecure_channel(address, deadline_seconds=deadline_seconds)
        self.stub = content_grpc.ContentServiceStub(self.channel)
        self.deadline_seconds = deadline_seconds

    async def get_post(self, tenant_id: str, post_id: str) -> PostTexts:
        try:
            response = await self.stub.GetPost(
                content_pb.GetPostRequest(tenant_id=tenant_id, post_id=post_id),
                timeout=self.deadline_seconds,
            )
        except grpc.aio.AioRpcError as error:
            if error.code() == grpc.StatusCode.NOT_FOUND:
                raise PostNotFound(post_id) from None
            raise  # UNAVAILABLE, DEADLINE_EXCEEDED, ...: the consumer retries
        return post_from_pb(response.post)

    async def close(self) -> None:
        await self.channel.close()
