"""Publishing's settings, from the environment, checked at start-up: no
encryption key, no start."""

from __future__ import annotations

from typing import Annotated, ClassVar

from chorus_core.settings import (
    DEFAULT_BLUESKY_PDS_URL,
    DEFAULT_REDIS_URL,
    HostPort,
    HttpUrl,
    Port,
    RedisUrl,
    ServiceSettings,
)
from pydantic import AfterValidator, BeforeValidator, Field, SecretBytes

from publishing_service.adapters.secrets import KEY_HELP, decode_key
from publishing_service.domain.accounts import (
    DEFAULT_TOKEN_WARNING_DAYS,
    MAX_TOKEN_WARNING_DAYS,
    MIN_TOKEN_WARNING_DAYS,
)
from publishing_service.domain.network_limits import parse_app_limits


def _app_limits(value: str) -> str:
    parse_app_limits(value)
    return value


DEFAULT_IN_FLIGHT = 64
MAX_IN_FLIGHT = 256


class PublishingSettings(ServiceSettings):
    service: ClassVar[str] = "publishing"
    grpc_port: Port = 7005
    bluesky_pds_url: HttpUrl = DEFAULT_BLUESKY_PDS_URL
    # SecretBytes: never shown by repr or in an error message.
    publishing_encryption_key: Annotated[SecretBytes, BeforeValidator(decode_key)] = Field(
        description=KEY_HELP
    )
    metrics_addr: HostPort = "127.0.0.1:7007"
    # Content's media drive: the images of the shares it posts.
    content_addr: HostPort = "127.0.0.1:7001"
    # The network budgets every replica shares (adapters/redis_budget.py).
    redis_url: RedisUrl = Field(DEFAULT_REDIS_URL, repr=False)  # may carry a password
    # How many days before a token stops working the employee is warned
    # (TokenExpiring; app/token_warnings.py).
    # Shares handled at once per replica (the consumer's batch): publishing
    # mostly waits on networks, so one slow answer must not hold up the
    # shares behind it, and a batch's reads and outcomes are a few
    # statements whatever its size (entrypoints/kafka_handlers.py).
    publishing_in_flight: Annotated[int, Field(ge=1, le=MAX_IN_FLIGHT)] = DEFAULT_IN_FLIGHT
    # Per-application windows of this deployment, replacing the documented
    # seeds ("bluesky=30000/300"; domain/network_limits.parse_app_limits):
    # a PDS of one's own, X's paid tier. Empty: the seeds. Checked here, so a
    # bad value stops the start naming the variable.
    publishing_app_limits: Annotated[str, AfterValidator(_app_limits)] = ""
    publishing_token_warning_days: Annotated[
        int, Field(ge=MIN_TOKEN_WARNING_DAYS, le=MAX_TOKEN_WARNING_DAYS)
    ] = DEFAULT_TOKEN_WARNING_DAYS
