"""Campaigns <-> protobuf (chorus.content.v1): one table per enum; a unit
test checks each covers every value of both sides."""

from __future__ import annotations

from chorus.content.v1 import content_service_pb2 as pb
from chorus_core.prototime import to_timestamp

from content_service.domain.campaigns import (
    Campaign,
    GoalLine,
    GoalStatus,
    Kpi,
    Objective,
    Phase,
)

OBJECTIVE_TO_PB = {
    Objective.VISIBILITY: pb.CAMPAIGN_OBJECTIVE_VISIBILITY,
    Objective.RECRUITMENT: pb.CAMPAIGN_OBJECTIVE_RECRUITMENT,
    Objective.LEAD_GENERATION: pb.CAMPAIGN_OBJECTIVE_LEAD_GENERATION,
    Objective.EMPLOYER_BRAND: pb.CAMPAIGN_OBJECTIVE_EMPLOYER_BRAND,
    Objective.INTERNAL: pb.CAMPAIGN_OBJECTIVE_INTERNAL,
}
OBJECTIVE_FROM_PB = {v: k for k, v in OBJECTIVE_TO_PB.items()}
PHASE_TO_PB = {
    Phase.DRAFT: pb.CAMPAIGN_PHASE_DRAFT,
    Phase.PILOT: pb.CAMPAIGN_PHASE_PILOT,
    Phase.LIVE: pb.CAMPAIGN_PHASE_LIVE,
    Phase.ENDED: pb.CAMPAIGN_PHASE_ENDED,
}
PHASE_FROM_PB = {v: k for k, v in PHASE_TO_PB.items()}
KPI_TO_PB = {
    Kpi.SHARES: pb.KPI_SHARES,
    Kpi.ACTIVE_AMBASSADORS: pb.KPI_ACTIVE_AMBASSADORS,
    Kpi.CLICKS: pb.KPI_CLICKS,
    Kpi.REACH: pb.KPI_REACH,
    Kpi.EARNED_MEDIA_VALUE: pb.KPI_EARNED_MEDIA_VALUE,
}
KPI_FROM_PB = {v: k for k, v in KPI_TO_PB.items()}
GOAL_TO_PB = {
    GoalStatus.MET: pb.GOAL_STATUS_MET,
    GoalStatus.BEHIND: pb.GOAL_STATUS_BEHIND,
    GoalStatus.NOT_MEASURED: pb.GOAL_STATUS_NOT_MEASURED,
}


def objective_value(objective: pb.CampaignObjective) -> str:
    """The domain's name for a wire value; "" for UNSPECIFIED or unknown, which
    the domain refuses naming the field."""
    found = OBJECTIVE_FROM_PB.get(objective)
    return found.value if found else ""


def kpi_value(kpi: pb.Kpi) -> str:
    found = KPI_FROM_PB.get(kpi)
    return found.value if found else ""


def campaign_to_pb(campaign: Campaign) -> pb.Campaign:
    return pb.Campaign(
        campaign_id=campaign.campaign_id,
        tenant_id=campaign.tenant_id,
        name=campaign.name,
        objective=OBJECTIVE_TO_PB[campaign.objective],
        starts_at=to_timestamp(campaign.starts_at),
        ends_at=to_timestamp(campaign.ends_at),
        regions=campaign.regions,
        channel_ids=campaign.channels,
        segment_id=campaign.segment_id,
        pilot_segment_id=campaign.pilot_segment_id,
        targets=[
            pb.KpiTarget(kpi=KPI_TO_PB[t.kpi], target=t.target, region=t.region)
            for t in campaign.targets
        ],
        post_ids=campaign.post_ids,
        phase=PHASE_TO_PB[campaign.phase],
        created_at=to_timestamp(campaign.created_at) if campaign.created_at else None,
        updated_at=to_timestamp(campaign.updated_at) if campaign.updated_at else None,
    )


def goal_line_to_pb(line: GoalLine, note: str = "") -> pb.GoalLine:
    return pb.GoalLine(
        kpi=KPI_TO_PB[line.kpi],
        region=line.region,
        target=line.target,
        actual=line.actual or 0.0,
        measured=line.actual is not None,
        status=GOAL_TO_PB[line.status],
        note=note,
    )
