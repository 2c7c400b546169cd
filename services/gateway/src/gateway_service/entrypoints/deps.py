"""What the routers get from the app: the gateway's parts (GatewayDeps, on
app.state) and the caller of the request (Caller), as FastAPI dependencies.

A router endpoint takes `caller: Caller` and runs under
`acting_as(caller.principal, caller.token)` for its whole body, so every
gRPC call it makes on `gw.channels` carries the Chorus token minted for
this caller (ForwardedToken). `Gateway` is the parts; `RequestId` is the
services' request_id of a mutation, derived from its Idempotency-Key.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Annotated

from chorus_identity.context import acting_as
from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from gateway_service.adapters.channels import Channels
from gateway_service.app.audit import AuditLog
from gateway_service.app.auth import Authenticator, Session
from gateway_service.app.idempotency import Idempotency
from gateway_service.app.limits import RateLimits
from gateway_service.app.role_grants import RoleGrants
from gateway_service.app.webhooks import Webhooks
from gateway_service.domain.cursor import CursorCodec
from gateway_service.domain.problems import unauthenticated

IDEMPOTENCY_KEY = "Idempotency-Key"
# The OpenAPI security scheme every /v1 route names.
bearer_scheme = HTTPBearer(
    scheme_name="bearer",
    bearerFormat="JWT",
    description="An access token of the identity provider (OIDC), for the caller's tenant.",
    auto_error=False,
)


@dataclass
class GatewayDeps:
    auth: Authenticator
    limits: RateLimits
    idempotency: Idempotency
    role_grants: RoleGrants
    channels: Channels
    cursors: CursorCodec
    jwks: dict[str, object]
    max_body_bytes: int = 1024 * 1024
    # Path prefix -> a larger body limit (media uploads).
    body_limits: dict[str, int] = field(default_factory=dict)
    cors_origins: list[str] = field(default_factory=list)
    # What /readyz checks: each raises when its dependency is unreachable.
    ready_checks: dict[str, Callable[[], Awaitable[None]]] = field(default_factory=dict)
    # The audit log and the webhooks (composition.build always sets them).
    audit_log: AuditLog | None = None
    webhooks: Webhooks | None = None


def gateway(request: Request) -> GatewayDeps:
    deps: GatewayDeps = request.app.state.gateway
    return deps


Gateway = Annotated[GatewayDeps, Depends(gateway)]


def bearer_of(request: Request) -> str:
    value = request.headers.get("authorization", "")
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise unauthenticated("a bearer token is required (Authorization: Bearer <token>)")
    return token.strip()


async def session_of(request: Request) -> Session:
    """The request's verified caller (once per request), rate-limited."""
    found: Session | None = getattr(request.state, "session", None)
    if found is None:
        deps = gateway(request)
        found = await deps.auth.authenticate(bearer_of(request))
        await deps.limits.check(found.principal)
        request.state.session = found
    return found


async def _caller(
    request: Request,
    _credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer_scheme)],
) -> AsyncIterator[Session]:
    session = await session_of(request)
    with acting_as(session.principal, session.token):
        yield session


Caller = Annotated[Session, Depends(_caller)]


# Request ids derived from Idempotency-Keys (a fixed namespace: the same key
# of the same caller is the same request_id on every replica, forever).
_REQUEST_IDS = uuid.UUID("5f0c7a52-3b1e-4c55-9d8e-0c9a3e1f7b21")


def request_id(request: Request) -> str:
    """The services' request_id of this mutation: its Idempotency-Key (checked
    by the route before the endpoint runs), scoped to the caller. Keys are
    chosen by clients, so two people may pick the same one; the services
    dedupe by request_id within a tenant, so the id must be the caller's."""
    key = str(request.headers.get(IDEMPOTENCY_KEY, ""))
    session: Session | None = getattr(request.state, "session", None)
    if not key or session is None:
        return ""
    p = session.principal
    return str(uuid.uuid5(_REQUEST_IDS, f"{p.tenant_id}\x00{p.subject}\x00{key}"))


RequestId = Annotated[str, Depends(request_id)]
