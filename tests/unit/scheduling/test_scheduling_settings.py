"""The planner's spread from the environment: the domain's defaults, the
variables read by name, bad values refused naming the variable."""

from __future__ import annotations

from datetime import timedelta

import pytest
from chorus_core.settings import ConfigError
from scheduling_service.domain.slots import Spread
from scheduling_service.settings import SchedulingSettings


def test_the_spread_defaults_to_the_domains() -> None:
    assert SchedulingSettings.from_env({}).spread() == Spread()


def test_the_spread_is_read_from_its_variables() -> None:
    settings = SchedulingSettings.from_env(
        {"CHORUS_SCHEDULING_MIN_GAP_SECONDS": "30", "CHORUS_SCHEDULING_MAX_MINUTE_SHARE": "0.1"}
    )
    assert settings.spread() == Spread(min_gap=timedelta(seconds=30), max_minute_share=0.1)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("CHORUS_SCHEDULING_MIN_GAP_SECONDS", "-1"),
        ("CHORUS_SCHEDULING_MIN_GAP_SECONDS", "soon"),
        ("CHORUS_SCHEDULING_MAX_MINUTE_SHARE", "0"),
        ("CHORUS_SCHEDULING_MAX_MINUTE_SHARE", "1.5"),
    ],
)
def test_a_bad_spread_stops_the_service_naming_the_variable(variable: str, value: str) -> None:
    with pytest.raises(ConfigError) as raised:
        SchedulingSettings.from_env({variable: value})
    assert variable in str(raised.value)
