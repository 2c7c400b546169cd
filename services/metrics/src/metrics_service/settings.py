"""Metrics' settings, from the environment, checked at start-up."""

from __future__ import annotations

from typing import ClassVar

from chorus_core.settings import HttpUrl, Port, ServiceSettings


class MetricsSettings(ServiceSettings):
    service: ClassVar[str] = "metrics"
    grpc_port: Port = 7007
    metrics_http_port: Port = 7080  # the public click redirect, GET /l/{code}
    # Base of the short links handed to publishing (what visitors click).
    metrics_public_url: HttpUrl = "http://127.0.0.1:7080"
