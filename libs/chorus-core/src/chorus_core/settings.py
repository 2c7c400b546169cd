"""Configuration from the environment only, validated at start-up.

Every service has one typed settings class (`<svc>_service.settings`), a
subclass of `ServiceSettings`, built once by `from_env()` in its main.py. A
missing or malformed variable stops the service at once with a message that
names the variable: a misconfigured pod should crash-loop visibly, not limp
along with defaults nobody chose.

One naming rule, so a variable and its field are found from each other: a
field `x_y` is read from `CHORUS_X_Y`, except the three fields every service
has on its own port or database (`grpc_port`, `database_url`,
`metrics_port`), read from `CHORUS_<SERVICE>_GRPC_PORT` and so on. Each
default is defined once, here or in the service's class; README.md and
services/README.md document them and a unit test keeps both in step.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Annotated, Any, ClassVar, Self
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field, ValidationError, model_validator
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, EnvSettingsSource, SettingsConfigDict
from pydantic_settings.sources import PydanticBaseSettingsSource


class ConfigError(SystemExit):
    def __init__(self, message: str) -> None:
        super().__init__(f"configuration error: {message}")


# The local defaults of what several processes share (the stack and the CLI
# read them from here too). deploy/local/lib.sh starts the infrastructure on
# these ports.
DEFAULT_REGION = "eu-west"
DEFAULT_ENVIRONMENT = "local"
DEFAULT_KAFKA_BOOTSTRAP = "127.0.0.1:9092"
DEFAULT_DATA_DIR = "var/data"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6390/0"
DEFAULT_APERTIUM_URL = "http://127.0.0.1:2737"
DEFAULT_BLUESKY_PDS_URL = "http://127.0.0.1:2583"
# Identity: the local Keycloak realm, and the key set of the tokens the
# gateway mints (written by `chorus stack` / deploy/local on first start).
DEFAULT_OIDC_ISSUER = "http://127.0.0.1:8180/realms/chorus"
DEFAULT_AUDIENCE = "chorus"
DEFAULT_INTERNAL_ISSUER = "chorus"
DEFAULT_IDENTITY_DIR = "var/identity"

_REGION = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
_TOPIC_PREFIX = re.compile(r"[a-z0-9][a-z0-9_-]*\.")
_DATABASE_SCHEMES = ("sqlite", "sqlite+aiosqlite", "postgresql", "postgres", "postgresql+asyncpg")

# The validators below never repeat a string setting's value unless it is
# harmless (a region, a prefix): URLs may carry passwords.


def region_name(value: str) -> str:
    if not _REGION.fullmatch(value):
        raise ValueError(
            f"must be like 'eu-west' (lowercase letters, digits, dashes), got {value!r}"
        )
    return value


def _topic_prefix(value: str) -> str:
    if value and not _TOPIC_PREFIX.fullmatch(value):
        raise ValueError(f"must look like 'staging.' (lowercase, ending in a dot), got {value!r}")
    return value


def _host_port(value: str) -> str:
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) <= 65535:
        raise ValueError(f"must be host:port, got {value!r}")
    return value


def _host_ports(value: str) -> str:
    for part in value.split(","):
        _host_port(part.strip())
    return value


def _http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"must be an http(s) URL with a host, got scheme {parts.scheme!r}")
    if parts.query or parts.fragment:
        raise ValueError("must be a base URL, without query or fragment")
    return value.rstrip("/")


def _redis_url(value: str) -> str:
    scheme = urlsplit(value).scheme
    if scheme not in ("redis", "rediss", "unix"):
        raise ValueError(f"must be a redis://, rediss:// or unix:// URL, got scheme {scheme!r}")
    return value


def _database_url(value: str) -> str:
    scheme = value.split("://", 1)[0] if "://" in value else ""
    if scheme not in _DATABASE_SCHEMES:
        raise ValueError(f"must be a sqlite:/// or postgresql:// URL, got scheme {scheme!r}")
    return value


Port = Annotated[int, Field(ge=0, le=65535)]  # 0: an ephemeral port (tests), or "off"
Region = Annotated[str, AfterValidator(region_name)]
TopicPrefix = Annotated[str, AfterValidator(_topic_prefix)]
HostPort = Annotated[str, AfterValidator(_host_port)]
HttpUrl = Annotated[str, AfterValidator(_http_url)]
RedisUrl = Annotated[str, AfterValidator(_redis_url)]
DatabaseUrl = Annotated[str, AfterValidator(_database_url)]
PositiveSeconds = Annotated[float, Field(gt=0)]


class _ChorusEnvironment(EnvSettingsSource):
    """Reads each field from its variable (see `ServiceSettings.env_name`) in
    the given mapping; an empty value counts as unset."""

    def __init__(self, settings_cls: type[ServiceSettings], environ: Mapping[str, str]) -> None:
        self._environ = environ
        self._names = settings_cls
        super().__init__(settings_cls, case_sensitive=True, env_ignore_empty=True)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return {k: v for k, v in self._environ.items() if k.startswith("CHORUS_") and v != ""}

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return self.env_vars.get(self._names.env_name(field_name)), field_name, False


class ServiceSettings(BaseSettings):
    """What every Chorus service needs; each service's subclass sets `service`,
    its default `grpc_port` and adds its own variables."""

    model_config = SettingsConfigDict(frozen=True, extra="forbid")

    service: ClassVar[str]  # "content", "targeting", ...
    #: fields read from CHORUS_<SERVICE>_<FIELD> instead of CHORUS_<FIELD>
    per_service_fields: ClassVar[frozenset[str]] = frozenset(
        {"grpc_port", "database_url", "metrics_port", "oidc_client_id", "oidc_client_secret"}
    )

    region: Region = DEFAULT_REGION  # the deployment, e.g. "eu-west" (cloud.region)
    environment: str = DEFAULT_ENVIRONMENT  # deployment.environment.name
    grpc_port: Port
    kafka_bootstrap: Annotated[str, AfterValidator(_host_ports)] = DEFAULT_KAFKA_BOOTSTRAP
    data_dir: str = DEFAULT_DATA_DIR  # where the default SQLite databases live
    # Default: SQLite, sqlite:///<data_dir>/<service>.db (set in _default_database).
    database_url: DatabaseUrl = Field("", repr=False)
    metrics_port: Port = 0  # Prometheus scrape port; 0 = off
    # Namespace prepended to every Kafka topic: lets several deployments (a
    # test stack next to a dev stack, staging next to prod) share one cluster
    # without consuming each other's events. Empty in a normal deployment.
    kafka_topic_prefix: TopicPrefix = ""
    # Identity (chorus_identity.config): callers are verified against the
    # OIDC provider (service-to-service tokens, client credentials) and the
    # gateway's own short-lived tokens (people). Claim names are the
    # provider's; the defaults match deploy/keycloak/chorus-realm.json.
    oidc_issuer: HttpUrl = DEFAULT_OIDC_ISSUER
    oidc_audience: str = DEFAULT_AUDIENCE
    oidc_jwks_url: str = ""  # empty: found by OIDC discovery from the issuer
    oidc_tenant_claim: str = "tenant"
    oidc_roles_claim: str = "roles"
    # The scopes of the roles: regions and channels of a comms manager, the
    # approval steps of a reviewer.
    oidc_regions_claim: str = "chorus_regions"
    oidc_channels_claim: str = "chorus_channels"
    oidc_steps_claim: str = "chorus_steps"
    oidc_service_claim: str = "chorus_service"
    # This service's own client (client credentials) at the provider.
    oidc_client_id: str = ""  # empty: chorus-<service>
    oidc_client_secret: str = Field("", repr=False)
    internal_issuer: str = DEFAULT_INTERNAL_ISSUER
    # The gateway's public key set: a file path or an http(s) URL.
    internal_jwks: str = f"{DEFAULT_IDENTITY_DIR}/jwks.json"

    @classmethod
    def env_name(cls, field: str) -> str:
        if field in cls.per_service_fields:
            return f"CHORUS_{cls.service.upper()}_{field.upper()}"
        return f"CHORUS_{field.upper()}"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Self:
        """The settings from `environ` (default: the process environment);
        raises ConfigError naming every variable that is wrong."""
        try:
            return cls(**_ChorusEnvironment(cls, os.environ if environ is None else environ)())
        except ValidationError as error:
            raise ConfigError(cls._describe(error)) from None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # from_env() reads the environment (by our naming rule) and passes it
        # in; keyword arguments (tests) are validated the same way.
        return (init_settings,)

    @model_validator(mode="before")
    @classmethod
    def _default_database(cls, values: Any) -> Any:
        if isinstance(values, dict) and not values.get("database_url"):
            data_dir = values.get("data_dir") or DEFAULT_DATA_DIR
            values = {**values, "database_url": f"sqlite:///{data_dir}/{cls.service}.db"}
        return values

    @classmethod
    def _describe(cls, error: ValidationError) -> str:
        problems = []
        for item in error.errors(include_url=False):
            field = str(item["loc"][0]) if item["loc"] else ""
            info = cls.model_fields.get(field)
            name = cls.env_name(field) if info else field
            if item["type"] == "missing":
                hint = f" ({info.description})" if info and info.description else ""
                problems.append(f"{name} is required{hint}")
                continue
            message = str(item["msg"]).removeprefix("Value error, ")
            # Numbers are safe to repeat; strings may be secrets (see above).
            if info is not None and info.annotation in (int, float, bool):
                message += f", got {item['input']!r}"
            problems.append(f"{name}: {message}")
        return "; ".join(problems)

    @property
    def topic_prefix(self) -> str:
        return self.kafka_topic_prefix

    @property
    def source(self) -> str:
        """CloudEvents source of the events this service emits."""
        return f"chorus/{self.service}@{self.region}"

    @property
    def consumer_group(self) -> str:
        return f"chorus.{self.service}"

    @property
    def client_id(self) -> str:
        return self.oidc_client_id or f"chorus-{self.service}"
