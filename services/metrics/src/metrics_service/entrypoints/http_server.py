"""The click endpoint's HTTP server: the shared in-runtime uvicorn server
(chorus_runtime.http), bound to CHORUS_METRICS_HTTP_PORT."""

from __future__ import annotations

from chorus_runtime.http import HttpServer as _RuntimeHttpServer
from starlette.types import ASGIApp


class HttpServer(_RuntimeHttpServer):
    def __init__(self, app: ASGIApp, host: str, port: int, graceful_seconds: float = 5.0) -> None:
        super().__init__(
            app,
            host,
            port,
            port_setting="CHORUS_METRICS_HTTP_PORT",
            graceful_seconds=int(graceful_seconds),
        )
