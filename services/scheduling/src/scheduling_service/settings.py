"""Scheduling's settings, from the environment, checked at start-up."""

from __future__ import annotations

from typing import Annotated, ClassVar

from chorus_core.settings import Port, ServiceSettings
from pydantic import Field


class SchedulingSettings(ServiceSettings):
    service: ClassVar[str] = "scheduling"
    grpc_port: Port = 7004
    # A share fires at most one tick late: more than a minute is not "at the minute".
    scheduling_tick_seconds: Annotated[float, Field(gt=0, le=60)] = 1.0
