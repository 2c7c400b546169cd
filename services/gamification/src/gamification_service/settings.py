"""Gamification's settings, from the environment, checked at start-up."""

from __future__ import annotations

from typing import ClassVar

from chorus_core.settings import DEFAULT_REDIS_URL, Port, RedisUrl, ServiceSettings
from pydantic import Field


class GamificationSettings(ServiceSettings):
    service: ClassVar[str] = "gamification"
    grpc_port: Port = 7006
    redis_url: RedisUrl = Field(DEFAULT_REDIS_URL, repr=False)  # may carry a password
