"""content.GetPostVersion over gRPC (the ContentReader port).

The exact version, not the latest (GetPost): a post edited after approval has
a newer version under review while the approved one is still going out."""

from __future__ import annotations

import grpc
from chorus.content.v1 import content_service_pb2 as content_pb
from chorus.content.v1 import content_service_pb2_grpc as content_grpc
from chorus_grpc import insecure_channel
from chorus_identity.sources import TokenSource

from translation_service.adapters.messages import post_from_pb
from translation_service.app.ports import PostNotFound, VersionNotYet
from translation_service.domain.translations import PostTexts


class GrpcContentReader:
    def __init__(
        self, address: str, credentials: TokenSource, deadline_seconds: float = 5.0
    ) -> None:
        # Calls carry translation's own identity: content lets services read
        # an approved version for the tenant of the event being handled.
        self.channel = insecure_channel(
            address, deadline_seconds=deadline_seconds, credentials=credentials
        )
        self.stub = content_grpc.ContentServiceStub(self.channel)
        self.deadline_seconds = deadline_seconds

    async def get_post(self, tenant_id: str, post_id: str, version: int) -> PostTexts:
        try:
            response = await self.stub.GetPostVersion(
                content_pb.GetPostVersionRequest(
                    tenant_id=tenant_id, post_id=post_id, version=version
                ),
                timeout=self.deadline_seconds,
            )
        except grpc.aio.AioRpcError as error:
            if error.code() == grpc.StatusCode.NOT_FOUND:
                raise await self._missing(tenant_id, post_id, version) from None
            raise  # UNAVAILABLE, DEADLINE_EXCEEDED, ...: the consumer retries
        return post_from_pb(response.post)

    async def _missing(self, tenant_id: str, post_id: str, version: int) -> Exception:
        """NOT_FOUND says neither what is missing nor why: the post's latest
        version tells a post content does not know (or not in this tenant)
        from a version it has not seen yet."""
        try:
            latest = await self.stub.GetPost(
                content_pb.GetPostRequest(tenant_id=tenant_id, post_id=post_id),
                timeout=self.deadline_seconds,
            )
        except grpc.aio.AioRpcError as error:
            if error.code() == grpc.StatusCode.NOT_FOUND:
                return PostNotFound(post_id)
            raise
        if latest.post.version < version:
            return VersionNotYet(latest.post.version)
        return PostNotFound(f"{post_id}@{version}")  # content moved past it without keeping it

    async def close(self) -> None:
        await self.channel.close()
