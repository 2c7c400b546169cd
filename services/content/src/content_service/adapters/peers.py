"""The services content asks on a caller's behalf, over gRPC with the
caller's own token (ForwardedToken): targeting's channels (a campaign's
channels must exist) and metrics' actuals (a campaign's goals). Each answers
what the caller may see, so content never widens anyone's view."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import grpc
from chorus.metrics.v1 import metrics_service_pb2 as metrics_pb
from chorus.metrics.v1 import metrics_service_pb2_grpc as metrics_grpc
from chorus.targeting.v1 import targeting_service_pb2 as targeting_pb
from chorus.targeting.v1 import targeting_service_pb2_grpc as targeting_grpc
from chorus_core.prototime import to_timestamp
from chorus_grpc import insecure_channel
from chorus_grpc.errors import peer_error
from chorus_identity.sources import ForwardedToken, TokenSource

from content_service.app.ports import CampaignActuals
from content_service.domain.campaigns import Kpi

DEADLINE_SECONDS = 10.0


class GrpcChannelDirectory:
    def __init__(self, target: str, credentials: TokenSource | None = None) -> None:
        self.channel = insecure_channel(target, DEADLINE_SECONDS, credentials or ForwardedToken())
        self.stub = targeting_grpc.TargetingServiceStub(self.channel)

    async def channel_ids(self, tenant_id: str) -> set[str]:
        try:
            reply = await self.stub.ListChannels(
                targeting_pb.ListChannelsRequest(tenant_id=tenant_id)
            )
        except grpc.aio.AioRpcError as error:
            raise peer_error(error, "targeting") from None
        return {c.channel_id for c in reply.channels}

    async def close(self) -> None:
        await self.channel.close()


class GrpcCampaignMetrics:
    def __init__(self, target: str, credentials: TokenSource | None = None) -> None:
        self.channel = insecure_channel(target, DEADLINE_SECONDS, credentials or ForwardedToken())
        self.stub = metrics_grpc.MetricsServiceStub(self.channel)

    async def actuals(
        self, tenant_id: str, post_ids: Sequence[str], since: datetime, until: datetime
    ) -> CampaignActuals:
        try:
            reply = await self.stub.GetCampaignStats(
                metrics_pb.GetCampaignStatsRequest(
                    tenant_id=tenant_id,
                    post_ids=list(post_ids),
                    since=to_timestamp(since),
                    until=to_timestamp(until),
                )
            )
        except grpc.aio.AioRpcError as error:
            raise peer_error(error, "metrics") from None
        # A KPI name this content does not know (a newer metrics) is ignored:
        # no target can name it.
        known = {k.value: k for k in Kpi}
        return CampaignActuals(
            region=reply.region,
            values={
                Kpi.SHARES: float(reply.shares),
                Kpi.CLICKS: float(reply.clicks),
                Kpi.ACTIVE_AMBASSADORS: float(reply.active_ambassadors),
            },
            not_measured=frozenset(known[n] for n in reply.not_measured if n in known),
        )

    async def close(self) -> None:
        await self.channel.close()
