"""Targeting's settings, from the environment, checked at start-up."""

from __future__ import annotations

from typing import ClassVar

from chorus_core.settings import Port, ServiceSettings
from pydantic import Field


class TargetingSettings(ServiceSettings):
    service: ClassVar[str] = "targeting"
    grpc_port: Port = 7002
    # SCIM 2.0 over HTTP at /scim/v2. The stack runner sets the port to 7090 +
    # its port offset, so parallel stacks do not collide; 0 picks an
    # ephemeral port (logged).
    targeting_scim_host: str = Field("127.0.0.1", min_length=1)
    targeting_scim_port: Port = 7090
