"""A deployment's own per-application windows (CHORUS_PUBLISHING_APP_LIMITS):
parsed, validated with the variable named, and replacing only the app
windows of the networks named."""

from __future__ import annotations

import pytest
from chorus_core.settings import ConfigError
from publishing_service.domain.network_limits import (
    LIMITS,
    Window,
    parse_app_limits,
    with_app_limits,
)
from publishing_service.settings import PublishingSettings

KEY = {"CHORUS_PUBLISHING_ENCRYPTION_KEY": "A" * 43}
VARIABLE = "CHORUS_PUBLISHING_APP_LIMITS"


def test_windows_per_network_replace_only_the_app_windows_named() -> None:
    app = parse_app_limits("bluesky=30000/300, x=300/900+50000/86400")
    assert app == {
        "bluesky": (Window(30000, 300),),
        "x": (Window(300, 900), Window(50000, 86400)),
    }
    limits = with_app_limits(LIMITS, app)
    assert limits["bluesky"].app == (Window(30000, 300),)
    assert limits["bluesky"].account == LIMITS["bluesky"].account
    assert limits["bluesky"].post_cost == LIMITS["bluesky"].post_cost
    assert limits["mastodon"] == LIMITS["mastodon"]


def test_the_seeds_stay_when_the_variable_is_unset() -> None:
    assert parse_app_limits(PublishingSettings.from_env(KEY).publishing_app_limits) == {}
    configured = PublishingSettings.from_env({**KEY, VARIABLE: "linkedin=100000/86400"})
    assert parse_app_limits(configured.publishing_app_limits) == {
        "linkedin": (Window(100000, 86400),)
    }


@pytest.mark.parametrize(
    "value",
    [
        "myspace=10/60",
        "bluesky",
        "bluesky=10",
        "bluesky=0/60",
        "bluesky=ten/60",
        "bluesky=1/1,bluesky=2/2",
    ],
)
def test_a_bad_app_limit_stops_the_service_naming_the_variable(value: str) -> None:
    with pytest.raises(ConfigError) as raised:
        PublishingSettings.from_env({**KEY, VARIABLE: value})
    assert VARIABLE in str(raised.value)
