"""Translation's settings, from the environment, checked at start-up."""

from __future__ import annotations

from typing import ClassVar

from chorus_core.settings import (
    DEFAULT_APERTIUM_URL,
    DEFAULT_REDIS_URL,
    HostPort,
    HttpUrl,
    Port,
    PositiveSeconds,
    RedisUrl,
    ServiceSettings,
)
from pydantic import Field, PositiveInt


class TranslationSettings(ServiceSettings):
    service: ClassVar[str] = "translation"
    grpc_port: Port = 7003
    apertium_url: HttpUrl = DEFAULT_APERTIUM_URL
    apertium_timeout_seconds: PositiveSeconds = 20.0
    redis_url: RedisUrl = Field(DEFAULT_REDIS_URL, repr=False)  # may carry a password
    content_addr: HostPort = "127.0.0.1:7001"
    translation_cache_ttl_seconds: PositiveInt = 7 * 24 * 3600
