"""Publishing's token warning window from the environment: the default, the
variable read by name, bad values refused at start-up naming the variable."""

from __future__ import annotations

import pytest
from chorus_core.settings import ConfigError
from publishing_service.settings import PublishingSettings

KEY = {"CHORUS_PUBLISHING_ENCRYPTION_KEY": "A" * 43}
VARIABLE = "CHORUS_PUBLISHING_TOKEN_WARNING_DAYS"


def test_the_warning_comes_seven_days_ahead_by_default() -> None:
    assert PublishingSettings.from_env(KEY).publishing_token_warning_days == 7


def test_the_warning_window_is_read_from_its_variable() -> None:
    settings = PublishingSettings.from_env({**KEY, VARIABLE: "14"})
    assert settings.publishing_token_warning_days == 14


@pytest.mark.parametrize("value", ["0", "-3", "91", "soon", "1.5"])
def test_a_bad_warning_window_stops_the_service_naming_the_variable(value: str) -> None:
    with pytest.raises(ConfigError) as raised:
        PublishingSettings.from_env({**KEY, VARIABLE: value})
    assert VARIABLE in str(raised.value)


IN_FLIGHT = "CHORUS_PUBLISHING_IN_FLIGHT"


def test_shares_in_flight_per_replica_default_and_from_their_variable() -> None:
    assert PublishingSettings.from_env(KEY).publishing_in_flight == 64
    assert PublishingSettings.from_env({**KEY, IN_FLIGHT: "48"}).publishing_in_flight == 48


@pytest.mark.parametrize("value", ["0", "257", "many"])
def test_a_bad_in_flight_limit_stops_the_service_naming_the_variable(value: str) -> None:
    with pytest.raises(ConfigError) as raised:
        PublishingSettings.from_env({**KEY, IN_FLIGHT: value})
    assert IN_FLIGHT in str(raised.value)
