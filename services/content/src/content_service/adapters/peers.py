"""The services content asks on a caller's behalf, over gRPC with the
caller's own token (ForwardedToken): targeting's channels (a campaign's
channels must exist), metrics' actuals (a campaign's goals) and scheduling's
share volumes (the editorial calendar). Each answers what the caller may
see, so content never widens anyone's view."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

import grpc
from chorus.metrics.v1 import metrics_service_pb2 as metrics_pb
from chorus.metrics.v1 import metrics_service_pb2_grpc as metrics_grpc
from chorus.scheduling.v1 import scheduling_service_pb2 as scheduling_pb
from chorus.scheduling.v1 import scheduling_service_pb2_grpc as scheduling_grpc
from chorus.targeting.v1 import targeting_service_pb2 as targeting_pb
from chorus.targeting.v1 import targeting_service_pb2_grpc as targeting_grpc
from chorus_core.prototime import to_timestamp
from chorus_grpc import insecure_channel
from chorus_grpc.errors import peer_error
from chorus_identity.sources import ForwardedToken, TokenSource

from content_service.app.ports import CampaignActuals, ShareVolumes
from content_service.domain.calendar import DayVolume
from content_service.domain.campaigns import Kpi

DEADLINE_SECONDS = 10.0
# GetShareVolume takes at most this many posts per call.
VOLUME_BATCH = 500


class _Peer:
    """One channel to a peer, opened on first use, whose calls carry the
    caller's token (or `credentials`) and a deadline."""

    def __init__(self, target: str, credentials: TokenSource | None = None) -> None:
        self.channel = insecure_channel(target, DEADLINE_SECONDS, credentials or ForwardedToken())

    async def close(self) -> None:
        await self.channel.close()


class GrpcChannelDirectory(_Peer):
    def __init__(self, target: str, credentials: TokenSource | None = None) -> None:
        super().__init__(target, credentials)
        self.stub = targeting_grpc.TargetingServiceStub(self.channel)

    async def channel_ids(self, tenant_id: str) -> set[str]:
        try:
            reply = await self.stub.ListChannels(
                targeting_pb.ListChannelsRequest(tenant_id=tenant_id)
            )
        except grpc.aio.AioRpcError as error:
            raise peer_error(error, "targeting") from None
        return {c.channel_id for c in reply.channels}


class GrpcCampaignMetrics(_Peer):
    def __init__(self, target: str, credentials: TokenSource | None = None) -> None:
        super().__init__(target, credentials)
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


class GrpcShareVolumes(_Peer):
    """Scheduling's GetShareVolume, in batches of VOLUME_BATCH posts; the
    inclusive UTC days become its [since, until) instants."""

    def __init__(self, target: str, credentials: TokenSource | None = None) -> None:
        super().__init__(target, credentials)
        self.stub = scheduling_grpc.SchedulingServiceStub(self.channel)

    async def volumes(
        self, tenant_id: str, post_ids: Sequence[str], since: date, until: date, region: str
    ) -> ShareVolumes:
        start = datetime.combine(since, time(), tzinfo=UTC)
        end = datetime.combine(until + timedelta(days=1), time(), tzinfo=UTC)
        wanted = list(dict.fromkeys(post_ids))
        days: list[DayVolume] = []
        answered = ""
        for first in range(0, len(wanted), VOLUME_BATCH):
            try:
                reply = await self.stub.GetShareVolume(
                    scheduling_pb.GetShareVolumeRequest(
                        tenant_id=tenant_id,
                        post_ids=wanted[first : first + VOLUME_BATCH],
                        since=to_timestamp(start),
                        until=to_timestamp(end),
                        region=region,
                    )
                )
            except grpc.aio.AioRpcError as error:
                raise peer_error(error, "scheduling") from None
            answered = reply.region_name
            days += [
                DayVolume(d.post_id, d.region, date.fromisoformat(d.day), d.scheduled, d.due)
                for d in reply.days
            ]
        return ShareVolumes(region=answered, days=days)
