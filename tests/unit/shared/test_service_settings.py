"""Every service's settings class: defaults, the naming rule, and start-up
failures that name the variable (a misconfigured service must not start)."""

from __future__ import annotations

import base64
import os

import pytest
from chorus_core.settings import ConfigError, ServiceSettings
from content_service.settings import ContentSettings
from gamification_service.settings import GamificationSettings
from metrics_service.settings import MetricsSettings
from publishing_service.settings import PublishingSettings
from scheduling_service.settings import SchedulingSettings
from targeting_service.settings import TargetingSettings
from translation_service.settings import TranslationSettings

KEY = base64.urlsafe_b64encode(os.urandom(32)).decode()
# What each class needs to start at all (publishing has no default key).
REQUIRED: dict[type[ServiceSettings], dict[str, str]] = {
    ContentSettings: {},
    TargetingSettings: {},
    TranslationSettings: {},
    SchedulingSettings: {},
    PublishingSettings: {"CHORUS_PUBLISHING_ENCRYPTION_KEY": KEY},
    GamificationSettings: {},
    MetricsSettings: {},
}
ALL = list(REQUIRED)


def failure(cls: type[ServiceSettings], **env: str) -> str:
    with pytest.raises(ConfigError) as raised:
        cls.from_env({**REQUIRED[cls], **env})
    assert isinstance(raised.value, SystemExit)  # the process stops, loudly
    return str(raised.value)


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.service)
def test_defaults_start_and_name_the_service(cls: type[ServiceSettings]) -> None:
    settings = cls.from_env(REQUIRED[cls])
    assert settings.region == "eu-west"
    assert settings.source == f"chorus/{cls.service}@eu-west"
    assert settings.consumer_group == f"chorus.{cls.service}"
    assert settings.database_url == f"sqlite:///var/data/{cls.service}.db"
    assert settings.topic_prefix == ""


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.service)
def test_common_variables_are_read_by_their_names(cls: type[ServiceSettings]) -> None:
    svc = cls.service.upper()
    settings = cls.from_env(
        {
            **REQUIRED[cls],
            "CHORUS_REGION": "us-east-1",
            "CHORUS_ENVIRONMENT": "staging",
            f"CHORUS_{svc}_GRPC_PORT": "17001",
            "CHORUS_KAFKA_BOOTSTRAP": "kafka-1:9092,kafka-2:9092",
            "CHORUS_DATA_DIR": "/srv/chorus",
            f"CHORUS_{svc}_METRICS_PORT": "9464",
            "CHORUS_KAFKA_TOPIC_PREFIX": "staging.",
            "CHORUS_OTHER_GRPC_PORT": "not read",  # another service's variable
        }
    )
    assert (settings.region, settings.environment, settings.grpc_port) == (
        "us-east-1",
        "staging",
        17001,
    )
    assert settings.kafka_bootstrap == "kafka-1:9092,kafka-2:9092"
    assert settings.database_url == f"sqlite:////srv/chorus/{cls.service}.db"  # absolute
    assert (settings.metrics_port, settings.topic_prefix) == (9464, "staging.")
    url = "postgresql://chorus:pw@db:5432/chorus"
    assert cls.from_env({**REQUIRED[cls], f"CHORUS_{svc}_DATABASE_URL": url}).database_url == url


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.service)
@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("CHORUS_<SVC>_GRPC_PORT", "70000", "less than or equal to 65535, got '70000'"),
        ("CHORUS_<SVC>_GRPC_PORT", "seven", "valid integer"),
        ("CHORUS_<SVC>_METRICS_PORT", "-1", "greater than or equal to 0"),
        ("CHORUS_<SVC>_DATABASE_URL", "mysql://u:secret@h/db", "got scheme 'mysql'"),
        ("CHORUS_REGION", "EU West", "must be like 'eu-west'"),
        ("CHORUS_KAFKA_TOPIC_PREFIX", "staging", "ending in a dot"),
        ("CHORUS_KAFKA_BOOTSTRAP", "kafka-1", "must be host:port"),
    ],
)
def test_a_bad_common_variable_stops_the_service_naming_it(
    cls: type[ServiceSettings], variable: str, value: str, expected: str
) -> None:
    name = variable.replace("<SVC>", cls.service.upper())
    message = failure(cls, **{name: value})
    assert message.startswith(f"configuration error: {name}: ")
    assert expected in message
    assert "secret" not in message  # a URL's password is never repeated


@pytest.mark.parametrize(
    ("cls", "variable", "value", "expected"),
    [
        (ContentSettings, "CHORUS_CONTENT_MEDIA_MAX_BYTES", "0", "greater than 0"),
        (ContentSettings, "CHORUS_CONTENT_EXPIRY_TICK_SECONDS", "-5", "greater than 0"),
        (ContentSettings, "CHORUS_CONTENT_FEED_POLL_SECONDS", "soon", "valid number"),
        (TargetingSettings, "CHORUS_TARGETING_SCIM_PORT", "65536", "less than or equal"),
        (TranslationSettings, "CHORUS_APERTIUM_URL", "ftp://mt.example", "http(s) URL"),
        (TranslationSettings, "CHORUS_APERTIUM_URL", "http://mt.example/?q=1", "without query"),
        (TranslationSettings, "CHORUS_APERTIUM_TIMEOUT_SECONDS", "0", "greater than 0"),
        (TranslationSettings, "CHORUS_REDIS_URL", "http://:secret@r:6379", "redis://"),
        (TranslationSettings, "CHORUS_CONTENT_ADDR", "content", "host:port"),
        (TranslationSettings, "CHORUS_TRANSLATION_CACHE_TTL_SECONDS", "-1", "greater than 0"),
        (SchedulingSettings, "CHORUS_SCHEDULING_TICK_SECONDS", "61", "less than or equal to 60"),
        (SchedulingSettings, "CHORUS_SCHEDULING_TICK_SECONDS", "0", "greater than 0"),
        (PublishingSettings, "CHORUS_BLUESKY_PDS_URL", "bsky.test", "http(s) URL"),
        (PublishingSettings, "CHORUS_METRICS_ADDR", "metrics:port", "host:port"),
        (GamificationSettings, "CHORUS_REDIS_URL", "localhost:6390", "redis://"),
        (MetricsSettings, "CHORUS_METRICS_HTTP_PORT", "80000", "less than or equal"),
        (MetricsSettings, "CHORUS_METRICS_PUBLIC_URL", "https://go.example/#x", "without query"),
        (MetricsSettings, "CHORUS_METRICS_PUBLIC_URL", "go.example", "http(s) URL"),
    ],
)
def test_a_bad_service_variable_stops_the_service_naming_it(
    cls: type[ServiceSettings], variable: str, value: str, expected: str
) -> None:
    message = failure(cls, **{variable: value})
    assert message.startswith(f"configuration error: {variable}: ")
    assert expected in message
    assert "secret" not in message


def test_every_wrong_variable_is_named_at_once() -> None:
    message = failure(
        SchedulingSettings,
        CHORUS_SCHEDULING_TICK_SECONDS="90",
        CHORUS_REGION="?",
        CHORUS_SCHEDULING_GRPC_PORT="x",
    )
    for name in ("CHORUS_SCHEDULING_TICK_SECONDS", "CHORUS_REGION", "CHORUS_SCHEDULING_GRPC_PORT"):
        assert name in message


def test_service_variables_are_read_and_urls_lose_a_trailing_slash() -> None:
    translation = TranslationSettings.from_env(
        {
            "CHORUS_APERTIUM_URL": "https://mt.example/apy/",
            "CHORUS_REDIS_URL": "rediss://:pw@cache:6380/2",
            "CHORUS_CONTENT_ADDR": "content:7001",
            "CHORUS_TRANSLATION_CACHE_TTL_SECONDS": "60",
            "CHORUS_APERTIUM_TIMEOUT_SECONDS": "2.5",
        }
    )
    assert translation.apertium_url == "https://mt.example/apy"
    assert translation.redis_url == "rediss://:pw@cache:6380/2"
    assert "pw" not in repr(translation)  # a password in a URL is not printed
    assert (translation.translation_cache_ttl_seconds, translation.apertium_timeout_seconds) == (
        60,
        2.5,
    )
    scheduling = SchedulingSettings.from_env({"CHORUS_SCHEDULING_TICK_SECONDS": "60"})
    assert scheduling.scheduling_tick_seconds == 60.0
    targeting = TargetingSettings.from_env({"CHORUS_TARGETING_SCIM_PORT": "0"})
    assert targeting.targeting_scim_port == 0  # an ephemeral port


def test_an_empty_variable_counts_as_unset() -> None:
    settings = ContentSettings.from_env({"CHORUS_REGION": "", "CHORUS_KAFKA_TOPIC_PREFIX": ""})
    assert (settings.region, settings.topic_prefix) == ("eu-west", "")


def test_settings_are_frozen_and_refuse_unknown_fields() -> None:
    settings = ContentSettings.from_env({})
    with pytest.raises(ValueError):
        setattr(settings, "region", "us-east")  # noqa: B010 - assigning is the point
    with pytest.raises(ValueError):
        ContentSettings.model_validate({"regoin": "eu-west"})  # a typo
