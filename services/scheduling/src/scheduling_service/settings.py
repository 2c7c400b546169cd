"""Scheduling's settings, from the environment, checked at start-up."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, ClassVar

from chorus_core.settings import HostPort, Port, ServiceSettings
from pydantic import Field

from scheduling_service.domain.slots import Spread

_SPREAD = Spread()


class SchedulingSettings(ServiceSettings):
    service: ClassVar[str] = "scheduling"
    grpc_port: Port = 7004
    # A share fires at most one tick late: more than a minute is not "at the minute".
    scheduling_tick_seconds: Annotated[float, Field(gt=0, le=60)] = 1.0
    # The planner's spread (domain.slots.Spread): colleagues of one region and
    # network on one post at least this far apart, and no minute holding more
    # than this share of the post's shares (CHORUS_SCHEDULING_MIN_GAP_SECONDS,
    # CHORUS_SCHEDULING_MAX_MINUTE_SHARE).
    scheduling_min_gap_seconds: Annotated[float, Field(ge=0, le=3600)] = (
        _SPREAD.min_gap.total_seconds()
    )
    scheduling_max_minute_share: Annotated[float, Field(gt=0, le=1)] = _SPREAD.max_minute_share
    # The fraction of a campaign's shares whose journey after planning is
    # traced (CHORUS_SCHEDULING_TRACED_SHARES): all by default; a deployment
    # sending campaigns of 100,000 shares records a sample of them
    # (chorus_telemetry.propagation.sampled_for).
    scheduling_traced_shares: Annotated[float, Field(ge=0, le=1)] = 1.0
    # Content's gRPC server: its charter checks an employee's own text (CHORUS_CONTENT_ADDR).
    content_addr: HostPort = "127.0.0.1:7001"

    def spread(self) -> Spread:
        return Spread(
            min_gap=timedelta(seconds=self.scheduling_min_gap_seconds),
            max_minute_share=self.scheduling_max_minute_share,
        )
