"""Gamification: the tenant's leaderboard, profiles (points and ledger),
the rebuild of the board. Decode -> one GamificationService call -> encode
(gamification's policy: anyone of the tenant reads the board; an employee
their own profile, the comms team anyone's; tenant admins rebuild).

GET  /v1/leaderboard                        the board (cursor)
POST /v1/leaderboard/rebuild                rebuild it from the ledger (tenant admins)
GET  /v1/me/profile                         your points and ledger
GET  /v1/employees/{employee_id}/profile    an employee's (comms managers)
"""

from __future__ import annotations

from typing import Annotated

from chorus.gamification.v1 import gamification_service_pb2 as pb
from chorus.gamification.v1 import gamification_service_pb2_grpc as pb_grpc
from fastapi import Depends, Request
from pydantic import BaseModel

from gateway_service.domain.cursor import DEFAULT_LIMIT
from gateway_service.entrypoints.deps import Caller, RequestId, gateway
from gateway_service.entrypoints.http_employees import EmployeeId
from gateway_service.entrypoints.pagination import Cursor, Limit, Page, page
from gateway_service.entrypoints.routing import router
from gateway_service.entrypoints.slices import offset_of

api = router("/v1", ["gamification"])
# GetLeaderboard answers the top `limit`; deeper than this is not paged.
MAX_RANK = 10_000


def gamification(request: Request) -> pb_grpc.GamificationServiceStub:
    return gateway(request).channels.stub(pb_grpc.GamificationServiceStub, "gamification")


Gamification = Annotated[pb_grpc.GamificationServiceStub, Depends(gamification)]


class Entry(BaseModel):
    rank: int
    employee_id: str
    points: int


class LedgerEntry(BaseModel):
    reason: str
    points: int
    source_id: str


class Profile(BaseModel):
    employee_id: str
    points: int
    entries: list[LedgerEntry]

    @classmethod
    def of(cls, p: pb.GetProfileResponse) -> Profile:
        return cls(
            employee_id=p.employee_id,
            points=p.points,
            entries=[
                LedgerEntry(reason=e.reason, points=e.points, source_id=e.source_id)
                for e in p.entries
            ],
        )


class Rebuilt(BaseModel):
    employees: int


@api.get("/leaderboard", summary="The tenant's leaderboard")
async def leaderboard(
    request: Request,
    caller: Caller,
    stub: Gamification,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Page[Entry]:
    # The RPC answers the top N: a page is the slice after the cursor's
    # offset, one more asked for to know whether another page follows.
    start = offset_of(request, caller, cursor)
    wanted = min(start + limit + 1, MAX_RANK)
    answer = await stub.GetLeaderboard(
        pb.GetLeaderboardRequest(tenant_id=caller.principal.tenant_id, limit=wanted)
    )
    entries = [
        Entry(rank=e.rank, employee_id=e.employee_id, points=e.points) for e in answer.entries
    ]
    end = start + limit
    following = str(end) if len(entries) > end and end < MAX_RANK else ""
    return page(request, caller, entries[start:end], following)


@api.post("/leaderboard/rebuild", summary="Rebuild the board from the ledger (tenant admins)")
async def rebuild(caller: Caller, stub: Gamification, request_id: RequestId) -> Rebuilt:
    answer = await stub.RebuildLeaderboard(
        pb.RebuildLeaderboardRequest(request_id=request_id, tenant_id=caller.principal.tenant_id)
    )
    return Rebuilt(employees=answer.employees)


async def _profile(stub: Gamification, tenant: str, employee_id: str) -> Profile:
    answer = await stub.GetProfile(pb.GetProfileRequest(tenant_id=tenant, employee_id=employee_id))
    return Profile.of(answer)


@api.get("/me/profile", summary="Your points and how you earned them")
async def my_profile(caller: Caller, stub: Gamification) -> Profile:
    return await _profile(stub, caller.principal.tenant_id, "")  # empty: the caller's own


@api.get("/employees/{employee_id}/profile", summary="An employee's points (comms managers)")
async def profile(employee_id: EmployeeId, caller: Caller, stub: Gamification) -> Profile:
    return await _profile(stub, caller.principal.tenant_id, employee_id)
