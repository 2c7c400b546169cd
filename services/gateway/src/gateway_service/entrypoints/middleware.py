"""ASGI layers around the routes: request body limits and Prometheus
request metrics. (Spans come from chorus_runtime.http.RequestSpans, which
the HTTP server wraps around the whole app; CORS is Starlette's.)"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping

from chorus_runtime.http import ASGIApp, Message, Receive, RouteTemplates, Scope, Send
from chorus_telemetry.metrics import registry
from fastapi import HTTPException
from prometheus_client import Counter, Histogram

from gateway_service.domain.problems import PROBLEM_JSON, Problem

_TOO_LARGE = "the request body is larger than this endpoint accepts"


def _too_large(limit: int) -> Problem:
    return Problem(413, "too-large", "Request body too large", f"{_TOO_LARGE} ({limit} bytes)")


class BodyLimit:
    """413 for a body over the limit: at once when Content-Length says so,
    otherwise as soon as the bytes received pass it (chunked uploads), so an
    oversized body is never read whole into memory."""

    def __init__(self, app: ASGIApp, default: int, by_prefix: Mapping[str, int]) -> None:
        self.app = app
        self.default = default
        # Longest prefix first.
        self.by_prefix = sorted(by_prefix.items(), key=lambda item: -len(item[0]))

    def limit(self, path: str) -> int:
        return next((n for p, n in self.by_prefix if path.startswith(p)), self.default)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit(scope["path"])
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _send_problem(send, _too_large(limit), scope["path"])
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    # FastAPI passes its own HTTPException through body parsing.
                    raise HTTPException(413, f"{_TOO_LARGE} ({limit} bytes)")
            return message

        await self.app(scope, counted, send)


async def _send_problem(send: Send, problem: Problem, instance: str) -> None:
    body = json.dumps(problem.body(instance)).encode()
    await send(
        {
            "type": "http.response.start",
            "status": problem.status,
            "headers": [
                (b"content-type", PROBLEM_JSON.encode()),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


_REQUESTS = Counter(
    "chorus_gateway_http_requests",
    "HTTP requests answered by the gateway",
    ["method", "route", "status"],
    registry=registry(),
)
_DURATION = Histogram(
    "chorus_gateway_http_request_duration_seconds",
    "Time to answer an HTTP request",
    ["method", "route"],
    registry=registry(),
)


class RequestMetrics:
    """Requests and latency per route template (never a raw path: ids)."""

    def __init__(self, app: ASGIApp, routes: RouteTemplates) -> None:
        self.app = app
        self.routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        route = self.routes.match(scope["path"]) or "unmatched"
        method = scope["method"]
        status = 500

        async def observed(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, observed)
        finally:
            _REQUESTS.labels(method, route, str(status)).inc()
            _DURATION.labels(method, route).observe(time.perf_counter() - started)
