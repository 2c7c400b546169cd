"""One server span per HTTP request, without personal data.

We do not use opentelemetry-instrumentation-asgi: it records the client's IP
address and User-Agent as span attributes, and for a public click endpoint
those are the visitor's personal data (DESIGN: no personal data in spans).
This middleware records the method, the route template, the status and the
chorus.* ids the handler adds. It also ignores an incoming `traceparent`: the
redirect is public, so its trace ids are ours to start, not a stranger's; the
LinkClicked event carries this trace on to gamification.
"""

from __future__ import annotations

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.trace import SpanKind, Status, StatusCode
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_TRACER_NAME = "chorus.metrics.http"


def route_of(path: str) -> str:
    """Low-cardinality span name part: the route template, never the raw path."""
    if path.startswith("/l/"):
        return "/l/{code}"
    if path == "/healthz":
        return "/healthz"
    return "unmatched"


class RequestSpans:
    def __init__(self, app: ASGIApp, tracer: trace.Tracer | None = None) -> None:
        self.app = app
        self.tracer = tracer or trace.get_tracer(_TRACER_NAME)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        route = route_of(scope["path"])
        attributes = {
            "http.request.method": method,
            "http.route": route,
            "url.scheme": scope["scheme"],
        }
        # An empty Context: a new trace, whatever the caller sent.
        with self.tracer.start_as_current_span(
            f"{method} {route}", context=Context(), kind=SpanKind.SERVER, attributes=attributes
        ) as span:

            async def traced_send(message: Message) -> None:
                if message["type"] == "http.response.start":
                    status = int(message["status"])
                    span.set_attribute("http.response.status_code", status)
                    if status >= 500:
                        span.set_status(Status(StatusCode.ERROR))
                await send(message)

            await self.app(scope, receive, traced_send)
