"""Identity endpoints: the public key set services and clients verify
Chorus tokens with, the CLI's token exchange, and the caller's own view.

GET  /.well-known/jwks.json  the gateway's public signing keys (open)
POST /v1/auth/token          IdP bearer token in -> a Chorus token for gRPC
GET  /v1/me                  tenant, roles with scopes, employee link
"""

from __future__ import annotations

from typing import Any

from chorus_identity.principal import Grant, Role
from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict

from gateway_service.entrypoints.deps import Caller, Gateway
from gateway_service.entrypoints.routing import not_a_mutation, router

keys = APIRouter(tags=["identity"])
api = router("/v1", ["identity"])


class TokenResponse(BaseModel):
    model_config = ConfigDict(extra="forbid")
    access_token: str
    token_type: str = "Bearer"
    expires_in: int


class GrantJson(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: Role
    regions: list[str] = []
    channels: list[str] = []
    steps: list[str] = []

    @classmethod
    def of(cls, grant: Grant) -> GrantJson:
        return cls(
            role=grant.role.value,
            regions=sorted(grant.regions),
            channels=sorted(grant.channels),
            steps=sorted(grant.steps),
        )

    def grant(self) -> Grant:
        return Grant.of(self.role, self.regions, self.channels, self.steps)


class Me(BaseModel):
    subject: str
    tenant_id: str
    roles: list[GrantJson]
    employee_id: str  # "" until the account is linked to a directory entry


@keys.get("/.well-known/jwks.json", summary="The gateway's public signing keys")
async def jwks(gw: Gateway) -> dict[str, Any]:
    return dict(gw.jwks)


@api.post("/auth/token", summary="Exchange an IdP token for a Chorus token (for gRPC)")
@not_a_mutation
async def token(caller: Caller) -> TokenResponse:
    return TokenResponse(access_token=caller.token, expires_in=caller.expires_in())


@api.get("/me", summary="The caller: tenant, roles with scopes, employee link")
async def me(caller: Caller) -> Me:
    p = caller.principal
    return Me(
        subject=p.subject,
        tenant_id=p.tenant_id,
        roles=[GrantJson.of(g) for g in p.grants],
        employee_id=p.employee_id,
    )
