"""The directory's people, and the caller's own entry and choices. Decode
-> one TargetingService call -> encode (targeting's policy: comms managers
read the directory, an employee their own entry and only they record their
consent; tenant admins erase).

GET    /v1/employees                 the directory (?opted_in_only=; cursor)
GET    /v1/employees/{employee_id}   one entry
DELETE /v1/employees/{employee_id}   erase a person (tenant admins)
GET    /v1/me/employee               the caller's own entry
PUT    /v1/me/consent                the caller's consent, participation, auto-share
PUT    /v1/me/participation          the caller's opt-in or opt-out only
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from chorus.targeting.v1 import targeting_service_pb2 as pb
from chorus_core.prototime import to_timestamp
from fastapi import Path, Request
from pydantic import BaseModel, Field

from gateway_service.domain.cursor import DEFAULT_LIMIT
from gateway_service.entrypoints.deps import Caller, RequestId
from gateway_service.entrypoints.http_directory import Targeting
from gateway_service.entrypoints.pagination import Cursor, Limit, Page, page, page_token
from gateway_service.entrypoints.posts_json import Strict
from gateway_service.entrypoints.routing import router
from gateway_service.entrypoints.targeting_json import Employee

api = router("/v1", ["employees"])
EmployeeId = Annotated[str, Path(min_length=1, max_length=100, description="A directory id")]
Source = Field(default="app", max_length=20, description="Where the choice was made")


class ConsentIn(Strict):
    opted_in: bool  # take part: receive share suggestions
    consent: bool  # consent to be represented (posts in your name)
    auto_share: bool = False  # needs both above
    source: str = Source
    decided_at: datetime | None = None  # when you chose; empty = now


class ParticipationIn(Strict):
    opted_in: bool
    source: str = Source


class Erased(BaseModel):
    erased: bool  # false: erased before


@api.get("/employees", summary="The directory")
async def list_employees(
    request: Request,
    caller: Caller,
    stub: Targeting,
    opted_in_only: bool = False,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Page[Employee]:
    answer = await stub.ListEmployees(
        pb.ListEmployeesRequest(
            tenant_id=caller.principal.tenant_id,
            opted_in_only=opted_in_only,
            page_size=limit,
            page_token=page_token(request, caller, cursor),
        )
    )
    items = [Employee.of(e) for e in answer.employees]
    return page(request, caller, items, answer.next_page_token)


async def _employee(stub: Targeting, tenant: str, employee_id: str) -> Employee:
    answer = await stub.GetEmployee(
        pb.GetEmployeeRequest(tenant_id=tenant, employee_id=employee_id)
    )
    return Employee.of(answer.employee)


@api.get("/employees/{employee_id}", summary="A directory entry")
async def get_employee(employee_id: EmployeeId, caller: Caller, stub: Targeting) -> Employee:
    return await _employee(stub, caller.principal.tenant_id, employee_id)


@api.delete("/employees/{employee_id}", summary="Erase a person (tenant admins)")
async def erase(
    employee_id: EmployeeId, caller: Caller, stub: Targeting, request_id: RequestId
) -> Erased:
    answer = await stub.EraseEmployee(
        pb.EraseEmployeeRequest(
            request_id=request_id, tenant_id=caller.principal.tenant_id, employee_id=employee_id
        )
    )
    return Erased(erased=answer.erased)


@api.get("/me/employee", summary="Your own directory entry")
async def my_entry(caller: Caller, stub: Targeting) -> Employee:
    # employee_id empty: targeting answers the caller's own linked entry.
    return await _employee(stub, caller.principal.tenant_id, "")


@api.put("/me/consent", summary="Record your consent, participation and auto-share")
async def record_consent(
    body: ConsentIn, caller: Caller, stub: Targeting, request_id: RequestId
) -> Employee:
    consent = pb.RecordConsentRequest(
        request_id=request_id,
        tenant_id=caller.principal.tenant_id,
        opted_in=body.opted_in,
        consent=body.consent,
        auto_share=body.auto_share,
        source=body.source,
    )
    if body.decided_at is not None:
        consent.decided_at.CopyFrom(to_timestamp(body.decided_at))
    return Employee.of(await stub.RecordConsent(consent))


@api.put("/me/participation", summary="Opt in or out (consent and auto-share kept)")
async def set_participation(
    body: ParticipationIn, caller: Caller, stub: Targeting, request_id: RequestId
) -> Employee:
    answer = await stub.SetParticipation(
        pb.SetParticipationRequest(
            request_id=request_id,
            tenant_id=caller.principal.tenant_id,
            opted_in=body.opted_in,
            source=body.source,
        )
    )
    return Employee.of(answer)
