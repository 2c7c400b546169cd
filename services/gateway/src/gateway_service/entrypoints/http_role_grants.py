"""A tenant's Chorus role grants (app/role_grants.py: tenant admins only).

GET    /v1/role-grants/{subject}  the subject's grants
PUT    /v1/role-grants/{subject}  replace them
DELETE /v1/role-grants/{subject}  remove them
"""

from __future__ import annotations

from fastapi import Path, Response
from pydantic import BaseModel, ConfigDict, Field

from gateway_service.entrypoints.deps import Caller, Gateway, RequestId
from gateway_service.entrypoints.http_auth import GrantJson
from gateway_service.entrypoints.routing import router

api = router("/v1/role-grants", ["roles"])
Subject = Path(min_length=1, max_length=255, description="The IdP's subject id of the person")


class RoleGrantsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    grants: list[GrantJson] = Field(max_length=20)


class RoleGrantsOut(BaseModel):
    subject: str
    grants: list[GrantJson]


@api.get("/{subject}", summary="A person's Chorus role grants")
async def get_grants(caller: Caller, gw: Gateway, subject: str = Subject) -> RoleGrantsOut:
    grants = await gw.role_grants.get(caller.principal, subject)
    return RoleGrantsOut(subject=subject, grants=[GrantJson.of(g) for g in grants])


@api.put("/{subject}", summary="Replace a person's Chorus role grants")
async def put_grants(
    body: RoleGrantsIn,
    caller: Caller,
    gw: Gateway,
    request_id: RequestId,
    subject: str = Subject,
) -> RoleGrantsOut:
    grants = await gw.role_grants.put(
        caller.principal, subject, [g.grant() for g in body.grants], request_id
    )
    return RoleGrantsOut(subject=subject, grants=[GrantJson.of(g) for g in grants])


@api.delete("/{subject}", status_code=204, summary="Remove a person's Chorus role grants")
async def delete_grants(
    caller: Caller, gw: Gateway, request_id: RequestId, subject: str = Subject
) -> Response:
    await gw.role_grants.delete(caller.principal, subject, request_id)
    return Response(status_code=204)
