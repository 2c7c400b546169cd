"""SCIM 2.0 over HTTP at /scim/v2 (RFC 7643/7644), served by scim2-server's
ASGI application on DatabaseScimStorage, with uvicorn inside the service's
own event loop (a ServiceRuntime background task).

Authentication: `Authorization: Bearer <token>`, one token per tenant
(IssueScimToken, which only the tenant's admin may call over gRPC: the token
is the identity provider's SCIM client credential); the token's hash picks
the tenant, which the storage reads from a context variable for the duration
of the request. Errors (401, 404,
409, 412, 400 invalidFilter, ...) are SCIM error documents, from scim2-server.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from chorus_runtime.http import HttpServer
from opentelemetry.trace import Tracer
from scim2_models import ScimProvider, UnauthorizedException
from scim2_server.applications.asgi import ASGIApplication
from scim2_server.requests import ScimRequest
from scim2_server.service import ScimService
from scim2_server.testserver.application import BEARER_TOKEN_SCHEME
from scim2_server.utils import load_default_provider

from targeting_service.adapters.scim_storage import DatabaseScimStorage, current_tenant

log = logging.getLogger(__name__)
ROOT = "/scim"
TenantForToken = Callable[[str], Awaitable[str | None]]


def scim_provider() -> ScimProvider:
    """Users (with the enterprise extension: department, manager) and Groups."""
    provider = load_default_provider()
    config = provider.config
    # load_default_provider always sets a ServiceProviderConfig.
    assert config is not None
    config.authentication_schemes = [*(config.authentication_schemes or []), BEARER_TOKEN_SCHEME]
    return provider


class TenantScimApplication(ASGIApplication):
    def __init__(
        self, storage: DatabaseScimStorage, provider: ScimProvider, tenant_for_token: TenantForToken
    ) -> None:
        super().__init__(storage, provider, ScimService(provider))
        self.tenant_for_token = tenant_for_token

    async def dispatch_request(self, request: ScimRequest) -> Any:
        scheme, _, token = (request.header("Authorization") or "").partition(" ")
        tenant = (
            await self.tenant_for_token(token.strip())
            if scheme.lower() == "bearer" and token
            else None
        )
        if tenant is None and self.needs_auth(request):
            raise UnauthorizedException
        reset = current_tenant.set(tenant or "")
        try:
            return await self.handler.handle(request)
        finally:
            current_tenant.reset(reset)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            if not scope["path"].startswith(f"{ROOT}/"):
                await send({"type": "http.response.start", "status": 404, "headers": []})
                await send({"type": "http.response.body", "body": b""})
                return
            scope = {**scope, "root_path": ROOT}
        await super().__call__(scope, receive, send)


# RFC 7644 §3.2 endpoints under ROOT, for span names: a path's ids (user and
# group ids, schema URNs) never reach a span. Literal segments first.
_V2 = f"{ROOT}/v2"
ROUTES = [
    f"{_V2}/ServiceProviderConfig",
    f"{_V2}/ResourceTypes",
    f"{_V2}/ResourceTypes/{{id}}",
    f"{_V2}/Schemas",
    f"{_V2}/Schemas/{{id}}",
    f"{_V2}/Bulk",
    f"{_V2}/Me",
    f"{_V2}/.search",
    f"{_V2}/{{resource_type}}",
    f"{_V2}/{{resource_type}}/.search",
    f"{_V2}/{{resource_type}}/{{id}}",
]


class ScimHttpServer(HttpServer):
    """The shared in-runtime uvicorn server (with its request spans), bound
    to CHORUS_TARGETING_SCIM_PORT."""

    def __init__(self, app: Any, host: str, port: int, tracer: Tracer | None = None) -> None:
        super().__init__(
            app, host, port, port_setting="CHORUS_TARGETING_SCIM_PORT", routes=ROUTES, tracer=tracer
        )
