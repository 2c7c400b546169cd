"""Campaigns (content's domain/campaigns.py): validation naming the field,
the pilot and its widening, goals against actuals with "not measured"."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from chorus_core.errors import FailedPrecondition, InvalidArgument
from content_service.domain.campaigns import (
    GoalStatus,
    Kpi,
    Objective,
    Phase,
    goals_against_actuals,
    new_campaign,
    widened_audience,
)

REGIONS = {"eu-west", "us-east", "ap-southeast"}
CHANNELS = {"ch-news", "ch-jobs"}


def campaign(**changes: Any) -> Any:
    fields: dict[str, Any] = {
        "campaign_id": "c1",
        "tenant_id": "acme",
        "name": " Spring hiring ",
        "objective": "recruitment",
        "starts_at": datetime(2026, 3, 1, tzinfo=UTC),
        "ends_at": datetime(2026, 4, 1, tzinfo=UTC),
        "regions": ["eu-west", "us-east", "eu-west"],
        "channels": ["ch-jobs"],
        "segment_id": "seg-all",
        "pilot_segment_id": "seg-pilot",
        "targets": [("shares", 500, ""), ("clicks", 200, "eu-west"), ("reach", 10_000, "us-east")],
        "known_regions": REGIONS,
        "known_channels": CHANNELS,
    }
    fields.update(changes)
    return new_campaign(**fields)


def test_a_valid_campaign() -> None:
    c = campaign()
    assert (c.name, c.objective, c.phase) == ("Spring hiring", Objective.RECRUITMENT, Phase.DRAFT)
    assert c.regions == ("eu-west", "us-east")  # a region named twice counts once
    assert [(t.kpi, t.target, t.region) for t in c.targets] == [
        (Kpi.SHARES, 500.0, ""),
        (Kpi.CLICKS, 200.0, "eu-west"),
        (Kpi.REACH, 10_000.0, "us-east"),
    ]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "  "}, "name"),
        ({"ends_at": datetime(2026, 2, 1, tzinfo=UTC)}, "ends_at"),
        ({"ends_at": datetime(2026, 3, 1, tzinfo=UTC)}, "ends_at"),
        ({"regions": []}, "regions"),
        ({"regions": ["eu-west", "mars"]}, "regions[1]"),
        ({"channels": ["ch-nope"]}, "channels[0]"),
        ({"objective": "fame"}, "objective"),
        ({"targets": [("likes", 1, "")]}, "targets[0].kpi"),
        ({"targets": [("shares", 0, "")]}, "targets[0].target"),
        ({"targets": [("shares", 5, "ap-southeast")]}, "targets[0].region"),
        ({"targets": [("shares", 5, ""), ("shares", 6, "")]}, "targets[1]"),
        ({"pilot_segment_id": "seg-all"}, "pilot_segment_id"),
    ],
)
def test_bad_input_names_the_field(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidArgument) as refused:
        campaign(**changes)
    assert refused.value.field == field


def test_pilot_then_widen_serves_nobody_twice() -> None:
    c = campaign()
    pilot = c.start_pilot()
    assert pilot.phase is Phase.PILOT and pilot.audience_segment == "seg-pilot"
    live = pilot.widen()
    assert live.phase is Phase.LIVE and live.audience_segment == "seg-all"
    full = ["e1", "e2", "e3", "e4", "e5"]
    assert widened_audience(full, {"e2", "e4", "e9"}) == ["e1", "e3", "e5"]
    with pytest.raises(FailedPrecondition):
        live.start_pilot()
    with pytest.raises(FailedPrecondition):
        live.end().widen()
    assert live.end().end().phase is Phase.ENDED
    with pytest.raises(FailedPrecondition, match="no pilot segment"):
        campaign(pilot_segment_id="").start_pilot()
    assert campaign(pilot_segment_id="").widen().phase is Phase.LIVE  # straight to everyone


def test_goals_against_actuals_never_show_an_unmeasured_kpi_as_zero() -> None:
    c = campaign()
    lines = goals_against_actuals(
        c, {(Kpi.SHARES, ""): 620.0, (Kpi.CLICKS, "eu-west"): 0.0, (Kpi.REACH, "us-east"): None}
    )
    assert [(line.kpi, line.actual, line.status) for line in lines] == [
        (Kpi.SHARES, 620.0, GoalStatus.MET),
        (Kpi.CLICKS, 0.0, GoalStatus.BEHIND),  # measured: zero clicks is a real zero
        (Kpi.REACH, None, GoalStatus.NOT_MEASURED),
    ]
    assert lines[0].progress == pytest.approx(1.24) and lines[2].progress is None
    missing = goals_against_actuals(c, {})
    assert {line.status for line in missing} == {GoalStatus.NOT_MEASURED}
