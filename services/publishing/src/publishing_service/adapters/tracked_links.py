"""Tracked short links from the metrics service, over gRPC (with a deadline)."""

from __future__ import annotations

import grpc
from chorus.metrics.v1 import metrics_service_pb2 as metrics_pb
from chorus.metrics.v1 import metrics_service_pb2_grpc as metrics_grpc
from chorus_grpc import insecure_channel
from chorus_identity.sources import TokenSource

from publishing_service.app.ports import LinkRejected, LinkRequest, TrackedLink

# Failures that say "not now" rather than "never": the consumer retries them.
TRANSIENT = {
    grpc.StatusCode.UNAVAILABLE,
    grpc.StatusCode.DEADLINE_EXCEEDED,
    grpc.StatusCode.RESOURCE_EXHAUSTED,
    grpc.StatusCode.ABORTED,
    grpc.StatusCode.INTERNAL,
    grpc.StatusCode.UNKNOWN,
    grpc.StatusCode.CANCELLED,
}


class LinkServiceUnavailable(Exception):
    """Metrics did not answer (in time): retryable."""


class GrpcTrackedLinks:
    def __init__(
        self, target: str, credentials: TokenSource, deadline_seconds: float = 5.0
    ) -> None:
        # Publishing's own identity: metrics lets it create links for shares.
        self.channel = insecure_channel(
            target, deadline_seconds=deadline_seconds, credentials=credentials
        )
        self.stub = metrics_grpc.MetricsServiceStub(self.channel)

    async def create(self, request: LinkRequest) -> TrackedLink:
        try:
            response = await self.stub.CreateTrackedLink(
                metrics_pb.CreateTrackedLinkRequest(
                    # The share id as request id: metrics hands back the same
                    # link for a redelivered share instead of minting another.
                    request_id=request.share_id,
                    tenant_id=request.tenant_id,
                    share_id=request.share_id,
                    post_id=request.post_id,
                    employee_id=request.employee_id,
                    country=request.country,
                    network=request.network,
                    target_url=request.target_url,
                    campaign=request.post_id,
                )
            )
        except grpc.aio.AioRpcError as error:
            if error.code() in TRANSIENT:
                raise LinkServiceUnavailable(
                    f"metrics CreateTrackedLink: {error.code().name}"
                ) from None
            raise LinkRejected(
                f"metrics refused the tracked link: {error.code().name} {error.details()}"
            ) from None
        return TrackedLink(code=response.code, short_url=response.short_url)

    async def close(self) -> None:
        await self.channel.close()
