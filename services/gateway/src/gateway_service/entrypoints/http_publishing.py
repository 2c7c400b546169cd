"""Publishing: the caller connects and disconnects their own social
account; a share's publication status; a post's published list. Decode ->
one PublishingService call -> encode (publishing's policy: only the
employee connects or disconnects their account; the comms team reads every
record, an employee their own).

POST   /v1/me/accounts                    connect your account (201)
DELETE /v1/me/accounts/{network}          disconnect it (204; 404 when none was)
GET    /v1/shares/{share_id}/publication  a share's publish status
GET    /v1/posts/{post_id}/published      a post's publish records (cursor)

The account's secret (an app password or token) is in the request body
only: it is never logged, never in a span or a problem (validation errors
name fields, never values), never answered, and the Idempotency-Key
fingerprint keeps only a hash of the body.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from chorus.publishing.v1 import publishing_service_pb2 as pb
from chorus.publishing.v1 import publishing_service_pb2_grpc as pb_grpc
from chorus_core.errors import NotFound
from chorus_core.prototime import from_timestamp
from fastapi import Depends, Path, Request, Response
from pydantic import BaseModel, Field, SecretStr

from gateway_service.domain.cursor import DEFAULT_LIMIT
from gateway_service.entrypoints.deps import Caller, RequestId, gateway
from gateway_service.entrypoints.http_posts import PostId
from gateway_service.entrypoints.http_shares import ShareId
from gateway_service.entrypoints.pagination import Cursor, Limit, Page, page, page_token
from gateway_service.entrypoints.posts_json import Strict
from gateway_service.entrypoints.routing import router

api = router("/v1", ["publishing"])


def publishing(request: Request) -> pb_grpc.PublishingServiceStub:
    return gateway(request).channels.stub(pb_grpc.PublishingServiceStub, "publishing")


Publishing = Annotated[pb_grpc.PublishingServiceStub, Depends(publishing)]
Network = Annotated[
    str, Path(min_length=1, max_length=50, description="The social network (bluesky)")
]


class AccountIn(Strict):
    network: str = Field(default="bluesky", min_length=1, max_length=50)
    handle: str = Field(min_length=1, max_length=300)
    # SecretStr: a repr, a log line or a validation error never shows it.
    secret: SecretStr = Field(min_length=1, max_length=4000)


class Account(BaseModel):
    account_id: str
    network: str


class PublishRecord(BaseModel):
    share_id: str
    post_id: str
    employee_id: str
    network: str
    status: str  # leased | published | failed
    post_uri: str
    failure_reason: str
    published_at: datetime | None
    # What went out (published only): the text as posted, the variant it
    # came from (null: the post's own text), whether the employee edited it.
    text: str
    variant: int | None
    edited: bool

    @classmethod
    def of(cls, r: pb.PublishRecord) -> PublishRecord:
        return cls(
            share_id=r.share_id,
            post_id=r.post_id,
            employee_id=r.employee_id,
            network=r.network,
            status=pb.PublishStatus.Name(r.status).removeprefix("PUBLISH_STATUS_").lower(),
            post_uri=r.post_uri,
            failure_reason=r.failure_reason,
            published_at=from_timestamp(r.published_at if r.HasField("published_at") else None),
            text=r.text,
            variant=r.variant if r.HasField("variant") else None,
            edited=r.edited,
        )


@api.post("/me/accounts", status_code=201, summary="Connect your social account")
async def connect(
    body: AccountIn, caller: Caller, stub: Publishing, request_id: RequestId
) -> Account:
    # employee_id empty: the caller's own linked entry (publishing checks it).
    answer = await stub.ConnectAccount(
        pb.ConnectAccountRequest(
            request_id=request_id,
            tenant_id=caller.principal.tenant_id,
            network=body.network,
            handle=body.handle,
            secret=body.secret.get_secret_value(),
        )
    )
    return Account(account_id=answer.account_id, network=answer.network)


@api.delete("/me/accounts/{network}", status_code=204, summary="Disconnect your social account")
async def disconnect(
    network: Network, caller: Caller, stub: Publishing, request_id: RequestId
) -> Response:
    answer = await stub.DisconnectAccount(
        pb.DisconnectAccountRequest(
            request_id=request_id, tenant_id=caller.principal.tenant_id, network=network
        )
    )
    if not answer.disconnected:
        # As a webhook's DELETE: the thing to delete is not there. A retry
        # under the same Idempotency-Key still gets the first 204 back.
        raise NotFound("account", network)
    return Response(status_code=204)


@api.get("/shares/{share_id}/publication", summary="A share's publish status")
async def status(share_id: ShareId, caller: Caller, stub: Publishing) -> PublishRecord:
    answer = await stub.GetPublishStatus(
        pb.GetPublishStatusRequest(tenant_id=caller.principal.tenant_id, share_id=share_id)
    )
    return PublishRecord.of(answer.record)


@api.get("/posts/{post_id}/published", summary="A post's publish records")
async def published(
    post_id: PostId,
    request: Request,
    caller: Caller,
    stub: Publishing,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Page[PublishRecord]:
    answer = await stub.ListPublished(
        pb.ListPublishedRequest(
            tenant_id=caller.principal.tenant_id,
            post_id=post_id,
            page_size=limit,
            page_token=page_token(request, caller, cursor),
        )
    )
    items = [PublishRecord.of(r) for r in answer.records]
    return page(request, caller, items, answer.next_page_token)
