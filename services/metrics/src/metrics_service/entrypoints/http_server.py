"""The click endpoint's HTTP server: the shared in-runtime uvicorn server
(chorus_runtime.http, with its request spans), bound to CHORUS_METRICS_HTTP_PORT."""

from __future__ import annotations

from chorus_runtime.http import HttpServer as _RuntimeHttpServer
from opentelemetry.trace import Tracer
from starlette.types import ASGIApp


class HttpServer(_RuntimeHttpServer):
    def __init__(
        self,
        app: ASGIApp,
        host: str,
        port: int,
        graceful_seconds: float = 5.0,
        tracer: Tracer | None = None,
    ) -> None:
        super().__init__(
            app,
            host,
            port,
            port_setting="CHORUS_METRICS_HTTP_PORT",
            tracer=tracer,
            graceful_seconds=int(graceful_seconds),
        )
