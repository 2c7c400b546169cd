"""An ASGI app served by uvicorn inside a service's own event loop, as one of
ServiceRuntime.run's background tasks (metrics' click redirect, targeting's
SCIM endpoint).

  * the socket is bound and listening before the runtime starts: a taken port
    stops the service at once with a message naming the setting (uvicorn
    would sys.exit mid-run), and a client connecting before uvicorn is up
    waits in the backlog instead of being refused;
  * uvicorn's own signal handling is off: the runtime owns SIGTERM and stops
    us by cancelling our task, which becomes uvicorn's graceful shutdown;
  * no access log: it would write visitors' IP addresses.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Iterator
from typing import Any

import uvicorn
from chorus_core.settings import ConfigError


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield  # the runtime owns SIGTERM


class HttpServer:
    def __init__(
        self, app: Any, host: str, port: int, *, port_setting: str, graceful_seconds: int = 5
    ) -> None:
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            self.socket.bind((host, port))
        except OSError as error:
            self.socket.close()
            raise ConfigError(
                f"{port_setting}: cannot listen on {host}:{port} ({error.strerror})"
            ) from None
        self.socket.listen(128)
        self.socket.set_inheritable(True)
        self.port: int = self.socket.getsockname()[1]
        config = uvicorn.Config(
            app,
            lifespan="off",
            access_log=False,
            log_config=None,
            server_header=False,
            timeout_graceful_shutdown=graceful_seconds,
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
