"""Domain <-> protobuf mapping (gRPC responses and emitted events)."""

from __future__ import annotations

from datetime import datetime

from chorus.metrics.v1 import metrics_events_pb2 as events
from chorus.metrics.v1 import metrics_service_pb2 as pb
from chorus_core.prototime import to_timestamp

from metrics_service.domain.campaigns import CampaignStats, Tally
from metrics_service.domain.links import TrackedLink
from metrics_service.domain.stats import Stats


def link_clicked(link: TrackedLink, click_id: str, clicked_at: datetime) -> events.LinkClicked:
    return events.LinkClicked(
        tenant_id=link.tenant_id,
        code=link.code,
        share_id=link.share_id,
        post_id=link.post_id,
        employee_id=link.employee_id,  # the sharer (opaque id): who earns the click points
        country=link.country,
        clicked_at=to_timestamp(clicked_at),
        click_id=click_id,
    )


def by_country_to_pb(stats: Stats) -> dict[str, pb.CountryStats]:
    return {
        c: pb.CountryStats(shares=n.shares, clicks=n.clicks) for c, n in stats.by_country.items()
    }


def _counts(tally: Tally) -> pb.CampaignCounts:
    return pb.CampaignCounts(
        shares=tally.shares, clicks=tally.clicks, active_ambassadors=tally.active_ambassadors
    )


def campaign_stats_to_pb(stats: CampaignStats, region: str) -> pb.GetCampaignStatsResponse:
    return pb.GetCampaignStatsResponse(
        shares=stats.total.shares,
        clicks=stats.total.clicks,
        active_ambassadors=stats.total.active_ambassadors,
        by_country={c: _counts(t) for c, t in stats.by_country.items()},
        posts=[pb.CampaignPostStats(post_id=p, counts=_counts(t)) for p, t in stats.by_post],
        not_measured=list(stats.not_measured),
        region=region,
    )
