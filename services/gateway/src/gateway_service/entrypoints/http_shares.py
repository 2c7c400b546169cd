"""Shares: an employee schedules ("now" or "at") and cancels their own; they
read their own, the comms team the tenant's; the shares of a post waiting
for their text. Decode -> one SchedulingService call -> encode
(scheduling's policy: only the share's employee changes it).

POST /v1/shares                          schedule a share of a post (201); again to
                                         reschedule it or change its variant or text
POST /v1/shares/{share_id}/cancel        cancel it
GET  /v1/shares/{share_id}               one share
GET  /v1/shares                          the tenant's shares (comms; ?post_id=, ?status=)
GET  /v1/me/shares                       your own shares (?post_id=, ?status=)
GET  /v1/posts/{post_id}/waiting-shares  a post's open shares waiting for their text
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from chorus.scheduling.v1 import scheduling_service_pb2 as pb
from chorus.scheduling.v1 import scheduling_service_pb2_grpc as pb_grpc
from chorus_core.prototime import from_timestamp, to_timestamp
from fastapi import Depends, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, ValidationInfo, field_validator

from gateway_service.domain.cursor import DEFAULT_LIMIT
from gateway_service.domain.problems import Problem, ProblemError
from gateway_service.entrypoints.deps import Caller, RequestId, gateway
from gateway_service.entrypoints.http_posts import PostId
from gateway_service.entrypoints.pagination import Cursor, Limit, Page, page, page_token
from gateway_service.entrypoints.posts_json import Items, Strict
from gateway_service.entrypoints.routing import router

api = router("/v1", ["shares"])
ShareId = Annotated[str, Path(min_length=1, max_length=200, description="The share's id")]
PostFilter = Annotated[str, Query(max_length=100, description="One post's; empty = any")]


def scheduling(request: Request) -> pb_grpc.SchedulingServiceStub:
    return gateway(request).channels.stub(pb_grpc.SchedulingServiceStub, "scheduling")


Scheduling = Annotated[pb_grpc.SchedulingServiceStub, Depends(scheduling)]


class ShareStatus(StrEnum):
    SUGGESTED = "suggested"
    SCHEDULED = "scheduled"
    DUE = "due"
    CANCELLED = "cancelled"


def _status(value: int) -> ShareStatus | None:
    name = pb.ShareStatus.Name(value).removeprefix("SHARE_STATUS_")
    return ShareStatus[name] if name in ShareStatus.__members__ else None


def _status_pb(status: ShareStatus | None) -> str:
    return f"SHARE_STATUS_{'UNSPECIFIED' if status is None else status.name}"


class Share(BaseModel):
    share_id: str
    post_id: str
    post_version: int
    employee_id: str
    network: str
    language: str
    country: str
    status: ShareStatus | None
    due_at: datetime | None
    auto_share: bool
    # The post's text variant for the network (0-based) the employee chose;
    # once due, the one it posted. null: none chosen yet, or no variants.
    variant: int | None
    edited: bool  # the employee's own wording (edited_text) goes out
    edited_text: str  # empty: the comms team's text

    @classmethod
    def of(cls, s: pb.Share) -> Share:
        return cls(
            share_id=s.share_id,
            post_id=s.post_id,
            post_version=s.post_version,
            employee_id=s.employee_id,
            network=s.network,
            language=s.language,
            country=s.country,
            status=_status(s.status),
            due_at=from_timestamp(s.due_at if s.HasField("due_at") else None),
            auto_share=s.auto_share,
            variant=s.variant if s.HasField("variant") else None,
            edited=bool(s.edited_text),
            edited_text=s.edited_text,
        )


MODES = {
    "now": pb.SHARE_MODE_NOW,
    "at": pb.SHARE_MODE_AT,
    "next_good_slot": pb.SHARE_MODE_NEXT_GOOD_SLOT,
}


class ShareIn(Strict):
    post_id: str = Field(min_length=1, max_length=100)
    # "next_good_slot": scheduling picks it (the employee's timezone, working
    # days, sharing hours, daily cap and the post's window).
    mode: Literal["now", "at", "next_good_slot"] = "now"
    # Required when mode is "at", and only then (validated with the default,
    # so a missing one is named).
    at: datetime | None = Field(default=None, validate_default=True)
    network: str = Field(default="", max_length=50)  # empty: bluesky
    # Personalisation against the parrot effect; absent (or null) = as the
    # share has it. variant: one of the post's text variants for the network
    # (0-based; scheduling refuses one out of range, or before the text in
    # the share's language has arrived). text: your own wording, checked
    # against the charter in the share's language before anything is saved
    # (a refusal names the rule); blank = back to the comms team's text.
    # The bounds keep it an int32; the real range is the post's (scheduling's 400).
    variant: int | None = Field(default=None, ge=0, le=1000)
    # Scheduling's own bound (domain/personal.py), refused here before any call.
    text: str | None = Field(default=None, max_length=65_536)

    @field_validator("at")
    @classmethod
    def _at_with_mode(cls, at: datetime | None, info: ValidationInfo) -> datetime | None:
        if (info.data.get("mode") == "at") != (at is not None):
            raise ValueError('required with mode "at", and only then')
        return at


class Waiting(BaseModel):
    language: str
    reason: str  # translation | human_translation | charter_check | charter_held
    count: int
    share_ids: list[str]  # the first 100, in id order


@api.post("/shares", status_code=201, response_model=Share, summary="Schedule your share")
async def schedule(
    body: ShareIn, caller: Caller, stub: Scheduling, request_id: RequestId
) -> JSONResponse:
    request = pb.ScheduleShareRequest(
        request_id=request_id,
        tenant_id=caller.principal.tenant_id,
        post_id=body.post_id,
        mode=MODES[body.mode],
        network=body.network,
    )
    if body.variant is not None:
        request.variant = body.variant
    if body.text is not None:
        request.text = body.text
    if body.at is not None:
        request.at.CopyFrom(to_timestamp(body.at))
    answer = await stub.ScheduleShare(request)
    share = Share.of(answer.share)
    return JSONResponse(
        share.model_dump(mode="json"),
        status_code=201,
        headers={"Location": f"/v1/shares/{share.share_id}"},
    )


@api.post("/shares/{share_id}/cancel", summary="Cancel your share")
async def cancel(
    share_id: ShareId, caller: Caller, stub: Scheduling, request_id: RequestId
) -> Share:
    answer = await stub.CancelShare(
        pb.CancelShareRequest(
            request_id=request_id, tenant_id=caller.principal.tenant_id, share_id=share_id
        )
    )
    return Share.of(answer.share)


@api.get("/shares/{share_id}", summary="A share")
async def get_share(share_id: ShareId, caller: Caller, stub: Scheduling) -> Share:
    answer = await stub.GetShare(
        pb.GetShareRequest(tenant_id=caller.principal.tenant_id, share_id=share_id)
    )
    return Share.of(answer.share)


async def _list(
    request: Request,
    caller: Caller,
    stub: Scheduling,
    employee_id: str,
    post_id: str,
    status: ShareStatus | None,
    limit: int,
    cursor: str | None,
) -> Page[Share]:
    answer = await stub.ListShares(
        pb.ListSharesRequest(
            tenant_id=caller.principal.tenant_id,
            post_id=post_id,
            status=_status_pb(status),
            employee_id=employee_id,
            page_size=limit,
            page_token=page_token(request, caller, cursor),
        )
    )
    return page(request, caller, [Share.of(s) for s in answer.shares], answer.next_page_token)


@api.get("/shares", summary="The tenant's shares (comms managers)")
async def tenant_shares(
    request: Request,
    caller: Caller,
    stub: Scheduling,
    post_id: PostFilter = "",
    status: ShareStatus | None = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Page[Share]:
    return await _list(request, caller, stub, "", post_id, status, limit, cursor)


@api.get("/me/shares", summary="Your own shares")
async def my_shares(
    request: Request,
    caller: Caller,
    stub: Scheduling,
    post_id: PostFilter = "",
    status: ShareStatus | None = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Page[Share]:
    mine = caller.principal.employee_id
    if not mine:
        # An empty employee_id means "anyone" to ListShares: never send it here.
        raise ProblemError(
            Problem(403, "forbidden", "Forbidden", "your account is not linked to the directory")
        )
    return await _list(request, caller, stub, mine, post_id, status, limit, cursor)


@api.get("/posts/{post_id}/waiting-shares", summary="A post's shares waiting for their text")
async def waiting(post_id: PostId, caller: Caller, stub: Scheduling) -> Items[Waiting]:
    answer = await stub.ListWaitingShares(
        pb.ListWaitingSharesRequest(tenant_id=caller.principal.tenant_id, post_id=post_id)
    )
    return Items[Waiting](
        items=[
            Waiting(
                language=g.language,
                reason=pb.WaitingReason.Name(g.reason).removeprefix("WAITING_REASON_").lower(),
                count=g.count,
                share_ids=list(g.share_ids),
            )
            for g in answer.groups
        ]
    )
