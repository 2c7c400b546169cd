"""The gateway's HTTP app, composed in one place: `build_app(deps, routers)`.

Routers are plain APIRouters (made with entrypoints.routing.router(), so
they follow the conventions) handed in as a list: adding a resource is
adding its router to `ROUTERS` in main.py (see services/gateway/README.md).
From the outside in: request metrics, CORS, body limits, then the routes
with their problem+json error handlers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from chorus_runtime.http import RouteTemplates
from fastapi import APIRouter, FastAPI
from fastapi.openapi.utils import get_openapi
from starlette.middleware.cors import CORSMiddleware

from gateway_service.entrypoints import problems
from gateway_service.entrypoints.deps import IDEMPOTENCY_KEY, GatewayDeps
from gateway_service.entrypoints.middleware import BodyLimit, RequestMetrics
from gateway_service.entrypoints.problems import ProblemModel

TITLE = "Chorus API"
VERSION = "1"
DESCRIPTION = """Chorus over HTTP/JSON. Every `/v1` call needs `Authorization: Bearer
<token>` (the identity provider's access token); the tenant and the caller come from
it, never from the body, the query or the path. Errors are `application/problem+json`
(RFC 9457) naming the field. Mutating calls need an `Idempotency-Key`; edits of a post
need `If-Match` with its `ETag`. Lists are paged with an opaque `cursor` (`next`)."""


def build_app(deps: GatewayDeps, routers: Sequence[APIRouter]) -> FastAPI:
    app = FastAPI(
        title=TITLE,
        version=VERSION,
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
    )
    app.state.gateway = deps
    problems.install(app)
    for router in routers:
        app.include_router(router)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    app.add_middleware(BodyLimit, default=deps.max_body_bytes, by_prefix=deps.body_limits)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=deps.cors_origins,
        allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        allow_headers=["Authorization", "Content-Type", IDEMPOTENCY_KEY, "If-Match"],
        expose_headers=["ETag", "Location", "Retry-After", "Idempotent-Replayed"],
        max_age=600,
    )
    app.add_middleware(RequestMetrics, routes=RouteTemplates(route_templates(routers)))
    return app


def route_templates(routers: Sequence[APIRouter]) -> list[str]:
    """Every route's path template, literal ones first ("/v1/posts/search"
    before "/v1/posts/{post_id}"): span names and metric labels, never ids."""
    paths = {"/openapi.json"}
    for router in routers:
        paths |= {p for r in router.routes if isinstance(p := getattr(r, "path", None), str)}
    return sorted(paths, key=lambda p: (p.count("{"), p))


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document (OpenAPI 3.1) plus the Problem schema the error
    responses point at; problem responses are problem+json only."""
    if app.openapi_schema:
        return app.openapi_schema
    document = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    problem = ProblemModel.model_json_schema(ref_template="#/components/schemas/{model}")
    # The models Problem nests, under the names its $refs use (their class
    # names, as FastAPI names every model): a ref to nothing breaks clients.
    schemas.update(problem.pop("$defs", {}))
    schemas["Problem"] = problem
    app.openapi_schema = document
    return document
