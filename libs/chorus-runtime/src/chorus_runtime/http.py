"""An ASGI app served by uvicorn inside a service's own event loop, as one of
ServiceRuntime.run's background tasks (metrics' click redirect, targeting's
SCIM endpoint).

  * the socket is bound and listening before the runtime starts: a taken port
    stops the service at once with a message naming the setting (uvicorn
    would sys.exit mid-run), and a client connecting before uvicorn is up
    waits in the backlog instead of being refused;
  * uvicorn's own signal handling is off: the runtime owns SIGTERM and stops
    us by cancelling our task, which becomes uvicorn's graceful shutdown;
  * no access log: it would write visitors' IP addresses;
  * one server span per request (RequestSpans), on every server.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import socket
from collections.abc import Awaitable, Callable, Iterator, MutableMapping, Sequence
from typing import Any

import uvicorn
from chorus_core.settings import ConfigError
from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.trace import SpanKind, Status, StatusCode

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_TRACER_NAME = "chorus.http"
# OTel HTTP semconv: any other method is recorded as "_OTHER" (bounded cardinality).
_METHODS = frozenset(
    {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT"}
)


class RouteTemplates:
    """Maps a request path to the route template it matched ("/l/{code}"),
    so span names and attributes never carry the ids a path holds (user ids
    in SCIM paths, link codes). Templates are tried in order, literal
    segments first where two could match ("/Users/.search" before
    "/Users/{id}")."""

    def __init__(self, templates: Sequence[str]) -> None:
        self._patterns = [(t, re.compile(self._regex(t))) for t in templates]

    @staticmethod
    def _regex(template: str) -> str:
        parts = re.split(r"(\{[^/{}]+\})", template)
        return "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts)

    @classmethod
    def of(cls, app: Any) -> RouteTemplates:
        """A Starlette app's own route templates."""
        return cls([r.path for r in getattr(app, "routes", ()) if isinstance(r.path, str)])

    def match(self, path: str) -> str | None:
        return next((t for t, pattern in self._patterns if pattern.fullmatch(path)), None)


class RequestSpans:
    """One server span per HTTP request, without personal data.

    Not opentelemetry-instrumentation-asgi: it records the client's IP
    address, the User-Agent and the full URL (query included) as attributes,
    and on a public click endpoint or a SCIM API those are personal data
    (DESIGN: no personal data in spans). This records the method, the route
    template, the scheme, the protocol version and the status; handlers add
    their chorus.* ids to the current span. Exceptions are not recorded as
    span events (their messages may quote request data): error.type names
    the exception class.

    An incoming `traceparent` is ignored: these servers face the outside
    (visitors, identity providers), so their trace ids are ours to start; the
    events they cause carry the trace on."""

    def __init__(
        self, app: ASGIApp, routes: RouteTemplates, tracer: trace.Tracer | None = None
    ) -> None:
        self.app = app
        self.routes = routes
        self.tracer = tracer or trace.get_tracer(_TRACER_NAME)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope["method"] if scope["method"] in _METHODS else "_OTHER"
        route = self.routes.match(scope["path"])
        attributes: dict[str, str] = {
            "http.request.method": method,
            "url.scheme": scope.get("scheme", "http"),
            "network.protocol.version": scope.get("http_version", "1.1"),
        }
        if route is not None:
            attributes["http.route"] = route
        name = f"{method} {route}" if route is not None else method
        # An empty Context: a new trace, whatever the caller sent.
        with self.tracer.start_as_current_span(
            name,
            context=Context(),
            kind=SpanKind.SERVER,
            attributes=attributes,
            record_exception=False,
            set_status_on_exception=False,
        ) as span:

            async def traced_send(message: Message) -> None:
                if message["type"] == "http.response.start":
                    status = int(message["status"])
                    span.set_attribute("http.response.status_code", status)
                    if status >= 500:
                        span.set_attribute("error.type", str(status))
                        span.set_status(Status(StatusCode.ERROR))
                await send(message)

            try:
                await self.app(scope, receive, traced_send)
            except BaseException as error:
                span.set_attribute("error.type", type(error).__qualname__)
                span.set_status(Status(StatusCode.ERROR))
                raise


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield  # the runtime owns SIGTERM


class HttpServer:
    def __init__(
        self,
        app: Any,
        host: str,
        port: int,
        *,
        port_setting: str,
        routes: Sequence[str] | None = None,
        tracer: trace.Tracer | None = None,
        graceful_seconds: int = 5,
    ) -> None:
        """`routes`: the app's route templates, for span names; a Starlette
        app's own are used when omitted."""
        templates = RouteTemplates(routes) if routes is not None else RouteTemplates.of(app)
        self.app: ASGIApp = RequestSpans(app, templates, tracer)
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
            self.app,
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
