"""The gRPC calls content makes for a campaign, through content's real client
adapters (adapters/peers.py) against the real servers, with a comms
manager's token as content forwards it:

  * content -> targeting: ListChannels (a campaign's channels must exist);
  * content -> metrics: GetCampaignStats (a campaign's goals against actuals),
    after publishing's real SharePublished was counted;
  * content -> scheduling: GetShareVolume (the editorial calendar), on the
    shares scheduling's real intake and timer made."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, timedelta
from typing import TYPE_CHECKING

import pytest
from chorus.content.v1 import content_service_pb2 as pb
from chorus.publishing.v1 import publishing_events_pb2 as publishing_events
from chorus.targeting.v1 import targeting_service_pb2 as targeting_pb
from chorus.targeting.v1 import targeting_service_pb2_grpc as targeting_grpc
from chorus_core.clock import utcnow
from chorus_core.errors import PermissionDenied
from chorus_grpc import insecure_channel
from chorus_testing.identity import IDENTITY, everything
from content_service.adapters.peers import (
    GrpcCampaignMetrics,
    GrpcChannelDirectory,
    GrpcShareVolumes,
)
from content_service.domain.campaigns import Kpi

from tests.contract.conftest import REGION

if TYPE_CHECKING:
    from tests.contract.conftest import Platform
    from tests.contract.events.conftest import Campaign

pytestmark = pytest.mark.infra  # the Bluesky PDS (the share is really posted)


async def test_a_campaigns_channels_actuals_and_share_volumes(
    campaign: Campaign, platform: Platform
) -> None:
    tenant = campaign.tenant
    comms = IDENTITY.credentials(everything(tenant, "comms-1"))

    # Targeting: a channel created there is one content can name.
    targeting = await platform.targeting()
    channel = insecure_channel(targeting.address, 10, comms)
    try:
        created = await targeting_grpc.TargetingServiceStub(channel).CreateChannel(
            targeting_pb.CreateChannelRequest(
                request_id="careers", tenant_id=tenant, name="Careers", regions=[REGION]
            )
        )
    finally:
        await channel.close()
    directory = GrpcChannelDirectory(targeting.address, comms)
    try:
        assert await directory.channel_ids(tenant) == {created.channel_id}
        with pytest.raises(PermissionDenied):  # the token's tenant only
            await directory.channel_ids(f"{tenant}-other")
    finally:
        await directory.close()

    # Two shares (ana and ben auto-share into their next good slots; carla
    # and dan get suggestions), ben's published and counted by metrics.
    await campaign.connect_bluesky("ben")
    post_id = await campaign.approve(pb.Targeting(countries=["GB"]))
    due = await campaign.run(post_id)
    [bens] = [d for d in due if d.event.employee_id == campaign.employee("ben")]
    publishing, metrics = await platform.publishing(), await platform.metrics()
    await platform.deliver([bens], publishing)
    [published] = await platform.events(publishing, publishing_events.SharePublished)
    await platform.deliver([published], metrics)

    now = utcnow()
    actuals = GrpcCampaignMetrics(metrics.address, comms)
    try:
        found = await actuals.actuals(tenant, [post_id], now - timedelta(days=1), now)
    finally:
        await actuals.close()
    assert found.region == REGION
    assert (
        found.values[Kpi.SHARES],
        found.values[Kpi.ACTIVE_AMBASSADORS],
        found.values[Kpi.CLICKS],
    ) == (1.0, 1.0, 0.0)
    assert found.not_measured == {Kpi.REACH, Kpi.EARNED_MEDIA_VALUE}

    # Scheduling's volumes: every due share on the UTC day of its due time.
    scheduling = await platform.scheduling()
    shares, _ = await scheduling.use_cases.list_shares(everything(tenant), tenant, post_id=post_id)
    expected = Counter(s.due_at.astimezone(UTC).date() for s in shares if s.due_at is not None)
    assert sum(expected.values()) == len(due) >= 1
    volumes = GrpcShareVolumes(scheduling.address, comms)
    try:
        answer = await volumes.volumes(
            tenant, [post_id], now.date() - timedelta(days=1), now.date() + timedelta(days=70), ""
        )
    finally:
        await volumes.close()
    assert answer.region == REGION
    assert {d.day: d.due for d in answer.days} == dict(expected)
    assert {(d.post_id, d.region, d.scheduled) for d in answer.days} == {(post_id, REGION, 0)}
