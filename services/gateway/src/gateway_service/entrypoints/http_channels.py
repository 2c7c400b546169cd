"""Channels and the caller's subscriptions. Decode -> one TargetingService
call -> encode (targeting's policy: comms managers create channels in the
regions they cover and change the managers of channels they manage;
everyone of the tenant lists them and subscribes or unsubscribes themself).

POST   /v1/channels                             create (201)
GET    /v1/channels                             the tenant's channels (cursor)
PUT    /v1/channels/{channel_id}/managers       replace its managers
PUT    /v1/channels/{channel_id}/subscription   subscribe yourself
DELETE /v1/channels/{channel_id}/subscription   unsubscribe yourself (not a mandatory one)
"""

from __future__ import annotations

from typing import Annotated, Any

from chorus.targeting.v1 import targeting_service_pb2 as pb
from fastapi import Path, Request
from fastapi.responses import JSONResponse
from pydantic import Field

from gateway_service.domain.cursor import DEFAULT_LIMIT
from gateway_service.entrypoints.deps import Caller, RequestId
from gateway_service.entrypoints.http_directory import Targeting
from gateway_service.entrypoints.pagination import Cursor, Limit, Page
from gateway_service.entrypoints.posts_json import Strict
from gateway_service.entrypoints.routing import router
from gateway_service.entrypoints.slices import sliced
from gateway_service.entrypoints.targeting_json import Channel

api = router("/v1/channels", ["channels"])
ChannelId = Annotated[str, Path(min_length=1, max_length=100, description="The channel's id")]
Ids: Any = Field(default_factory=list, max_length=100)


class ChannelIn(Strict):
    name: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=2000)
    regions: list[Annotated[str, Field(min_length=1, max_length=50)]] = Ids
    mandatory: bool = False
    manager_ids: list[Annotated[str, Field(min_length=1, max_length=100)]] = Ids


class Managers(Strict):
    manager_ids: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field(max_length=100)


@api.post("", status_code=201, response_model=Channel, summary="Create a channel")
async def create(
    body: ChannelIn, caller: Caller, stub: Targeting, request_id: RequestId
) -> JSONResponse:
    answer = await stub.CreateChannel(
        pb.CreateChannelRequest(
            request_id=request_id, tenant_id=caller.principal.tenant_id, **body.model_dump()
        )
    )
    return JSONResponse(
        Channel.of(answer).model_dump(),
        status_code=201,
        headers={"Location": f"/v1/channels/{answer.channel_id}"},
    )


@api.get("", summary="The tenant's channels")
async def list_channels(
    request: Request,
    caller: Caller,
    stub: Targeting,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Page[Channel]:
    answer = await stub.ListChannels(pb.ListChannelsRequest(tenant_id=caller.principal.tenant_id))
    return sliced(request, caller, [Channel.of(c) for c in answer.channels], limit, cursor)


@api.put("/{channel_id}/managers", summary="Replace a channel's managers")
async def set_managers(
    channel_id: ChannelId, body: Managers, caller: Caller, stub: Targeting, request_id: RequestId
) -> Channel:
    answer = await stub.SetChannelManagers(
        pb.SetChannelManagersRequest(
            request_id=request_id,
            tenant_id=caller.principal.tenant_id,
            channel_id=channel_id,
            manager_ids=body.manager_ids,
        )
    )
    return Channel.of(answer)


def _subscription(request_id: str, caller: Caller, channel_id: str) -> pb.SubscriptionRequest:
    # employee_id empty: the caller's own linked entry (targeting checks it).
    return pb.SubscriptionRequest(
        request_id=request_id, tenant_id=caller.principal.tenant_id, channel_id=channel_id
    )


@api.put("/{channel_id}/subscription", summary="Subscribe yourself to a channel")
async def subscribe(
    channel_id: ChannelId, caller: Caller, stub: Targeting, request_id: RequestId
) -> Channel:
    return Channel.of(await stub.Subscribe(_subscription(request_id, caller, channel_id)))


@api.delete("/{channel_id}/subscription", summary="Unsubscribe yourself from a channel")
async def unsubscribe(
    channel_id: ChannelId, caller: Caller, stub: Targeting, request_id: RequestId
) -> Channel:
    return Channel.of(await stub.Unsubscribe(_subscription(request_id, caller, channel_id)))
