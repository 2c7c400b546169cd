"""Campaigns on the wire: each enum table maps every domain value to a
distinct wire value and back (a value added on one side fails here, not as
a KeyError in a running service), and a campaign survives the encoding."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

import pytest
from chorus.content.v1 import content_service_pb2 as pb
from content_service.adapters.campaign_messages import (
    GOAL_TO_PB,
    KPI_FROM_PB,
    KPI_TO_PB,
    OBJECTIVE_FROM_PB,
    OBJECTIVE_TO_PB,
    PHASE_FROM_PB,
    PHASE_TO_PB,
    campaign_to_pb,
    goal_line_to_pb,
    kpi_value,
    objective_value,
)
from content_service.domain.campaigns import (
    Campaign,
    GoalLine,
    GoalStatus,
    Kpi,
    KpiTarget,
    Objective,
    Phase,
)
from google.protobuf.internal.enum_type_wrapper import EnumTypeWrapper


@pytest.mark.parametrize(
    ("domain", "wire", "table"),
    [
        (Objective, pb.CampaignObjective, OBJECTIVE_TO_PB),
        (Phase, pb.CampaignPhase, PHASE_TO_PB),
        (Kpi, pb.Kpi, KPI_TO_PB),
        (GoalStatus, pb.GoalStatus, GOAL_TO_PB),
    ],
)
def test_every_value_has_its_own_wire_value(
    domain: type[StrEnum], wire: EnumTypeWrapper, table: dict[StrEnum, int]
) -> None:
    assert set(table) == set(domain)
    specified = {v for n, v in wire.items() if not n.endswith("_UNSPECIFIED")}
    assert sorted(table.values()) == sorted(specified)  # each once, none left out
    for value, number in table.items():
        assert wire.Name(number).endswith(value.name)


def test_the_reverse_tables_and_unspecified() -> None:
    assert {v: k for k, v in OBJECTIVE_TO_PB.items()} == OBJECTIVE_FROM_PB
    assert {v: k for k, v in PHASE_TO_PB.items()} == PHASE_FROM_PB
    assert {v: k for k, v in KPI_TO_PB.items()} == KPI_FROM_PB
    # UNSPECIFIED is "" for the domain, which refuses it naming the field.
    assert objective_value(pb.CAMPAIGN_OBJECTIVE_UNSPECIFIED) == ""
    assert kpi_value(pb.KPI_UNSPECIFIED) == ""
    assert objective_value(pb.CAMPAIGN_OBJECTIVE_LEAD_GENERATION) == "lead_generation"


def test_a_campaign_and_a_goal_line_on_the_wire() -> None:
    start = datetime(2027, 3, 1, tzinfo=UTC)
    campaign = Campaign(
        campaign_id="c1",
        tenant_id="t1",
        name="Spring",
        objective=Objective.EMPLOYER_BRAND,
        starts_at=start,
        ends_at=start.replace(month=4),
        regions=("eu-west",),
        channels=("ch-1",),
        segment_id="s1",
        targets=(KpiTarget(Kpi.CLICKS, 40.0, "eu-west"),),
        pilot_segment_id="s2",
        post_ids=("p1",),
        phase=Phase.PILOT,
    )
    message = campaign_to_pb(campaign)
    assert (message.objective, message.phase) == (
        pb.CAMPAIGN_OBJECTIVE_EMPLOYER_BRAND,
        pb.CAMPAIGN_PHASE_PILOT,
    )
    assert [(t.kpi, t.target, t.region) for t in message.targets] == [
        (pb.KPI_CLICKS, 40.0, "eu-west")
    ]
    assert not message.HasField("created_at")  # not stored yet
    unmeasured = goal_line_to_pb(
        GoalLine(Kpi.REACH, "", 1000.0, None, GoalStatus.NOT_MEASURED), "not measured yet"
    )
    assert (unmeasured.measured, unmeasured.actual, unmeasured.note) == (
        False,
        0.0,
        "not measured yet",
    )
    met = goal_line_to_pb(GoalLine(Kpi.SHARES, "eu-west", 10.0, 12.0, GoalStatus.MET))
    assert (met.measured, met.actual, met.status) == (True, 12.0, pb.GOAL_STATUS_MET)
