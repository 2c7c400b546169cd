"""Runs the click endpoint with uvicorn inside the service's own event loop,
as one of ServiceRuntime.run's background tasks.

  * the socket is bound before the runtime starts, so a taken port stops the
    service at once with a clear message (uvicorn would sys.exit mid-run);
  * uvicorn's own signal handling is off: the runtime owns SIGTERM, and stops
    us by cancelling our task, which we turn into uvicorn's graceful shutdown
    (in-flight redirects finish, then the socket closes);
  * no access log: it would write visitors' IP addresses.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import Iterator

import uvicorn
from chorus_core.settings import ConfigError
from starlette.types import ASGIApp

log = logging.getLogger(__name__)


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def bind(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        raise ConfigError(f"CHORUS_METRICS_HTTP_PORT: cannot listen on {host}:{port} ({error.strerror})") from None
    sock.set_inheritable(True)
    return sock


class HttpServer:
    def __init__(self, app: ASGIApp, host: str, port: int, graceful_seconds: float = 5.0) -> None:
        self.socket = bind(host, port)
        self.port: int = self.socket.getsockname()[1]
        config = uvicorn.Config(
            app,
            lifespan="off",
            access_log=False,
            log_config=None,
            server_header=False,
            timeout_graceful_shutdown=int(graceful_seconds),
        )
        self.server = _Server(config)

    async def serve(self) -> None:
        task = asyncio.create_task(self.server.serve(sockets=[self.socket]))
        try:
            await asyncio.shield(task)
        except asyncio.CancelledError:
            self.server.should_exit = True
            await task
            raise
