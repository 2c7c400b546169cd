"""Configuration from the environment only, validated at start-up.

A service that is missing a variable, or has a malformed one, stops at once
with a message that names the variable: a misconfigured pod should crash-loop
visibly, not limp along with defaults nobody chose."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


class ConfigError(SystemExit):
    def __init__(self, message: str) -> None:
        super().__init__(f"configuration error: {message}")


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None or value == "":
        raise ConfigError(f"{name} is required")
    return value


def env_int(name: str, default: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        if default is None:
            raise ConfigError(f"{name} is required")
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be an integer, got {raw!r}") from None


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, got {raw!r}") from None


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be true or false, got {raw!r}")


@dataclass(frozen=True)
class ServiceSettings:
    """What every Chorus service needs; services extend it with their own."""

    service: str  # "content", "targeting", ...
    region: str  # CHORUS_REGION, e.g. "eu-west"
    environment: str  # deployment.environment.name
    grpc_port: int
    kafka_bootstrap: str
    database_url: str
    metrics_port: int  # Prometheus scrape port; 0 = off
    # Namespace prepended to every Kafka topic: lets several deployments (a
    # test stack next to a dev stack, staging next to prod) share one cluster
    # without consuming each other's events. Empty in a normal deployment.
    topic_prefix: str = ""

    @property
    def source(self) -> str:
        """CloudEvents source of the events this service emits."""
        return f"chorus/{self.service}@{self.region}"

    @property
    def consumer_group(self) -> str:
        return f"chorus.{self.service}"

    @classmethod
    def from_env(cls, service: str, default_grpc_port: int) -> ServiceSettings:
        region = env_str("CHORUS_REGION", "local")
        if not region.replace("-", "").isalnum():
            raise ConfigError(f"CHORUS_REGION must be like 'eu-west', got {region!r}")
        data_dir = os.environ.get("CHORUS_DATA_DIR", "var/data")
        return cls(
            service=service,
            region=region,
            environment=env_str("CHORUS_ENVIRONMENT", "development"),
            grpc_port=env_int(f"CHORUS_{service.upper()}_GRPC_PORT", default_grpc_port),
            kafka_bootstrap=env_str("CHORUS_KAFKA_BOOTSTRAP", "127.0.0.1:9092"),
            database_url=env_str(
                f"CHORUS_{service.upper()}_DATABASE_URL",
                f"sqlite:///{data_dir}/{service}.db",
            ),
            metrics_port=env_int(f"CHORUS_{service.upper()}_METRICS_PORT", 0),
            topic_prefix=topic_prefix(os.environ.get("CHORUS_KAFKA_TOPIC_PREFIX", "")),
        )


def topic_prefix(value: str) -> str:
    if value and not re.fullmatch(r"[a-z0-9][a-z0-9_-]*\.", value):
        raise ConfigError(
            f"CHORUS_KAFKA_TOPIC_PREFIX must look like 'staging.' (lowercase, ending in a dot), got {value!r}"
        )
    return value
