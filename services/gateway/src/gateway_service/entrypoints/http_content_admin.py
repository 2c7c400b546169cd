"""Content's review setup and records: approval chains per kind of post,
translations held for breaking the charter in their language, and the
approval audit trail as CSV. Decode -> one ContentService call -> encode
(content's policy: tenant admins set chains; staff read).

GET /v1/approval-chains          every kind's chain
PUT /v1/approval-chains/{kind}   set one kind's steps
GET /v1/held-translations        held translations (?post_id=; cursor)
GET /v1/content-audit.csv        the approval trail as CSV (?post_id= for one post)
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from chorus.content.v1 import content_service_pb2 as pb
from chorus_core.prototime import from_timestamp
from fastapi import Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from gateway_service.domain.cursor import DEFAULT_LIMIT
from gateway_service.entrypoints.deps import Caller, RequestId
from gateway_service.entrypoints.http_charter import Violation
from gateway_service.entrypoints.http_posts import Content
from gateway_service.entrypoints.http_ugc import violations_of
from gateway_service.entrypoints.pagination import Cursor, Limit, Page
from gateway_service.entrypoints.posts_json import Items, PostKind, Strict, kind_to_pb
from gateway_service.entrypoints.routing import router
from gateway_service.entrypoints.slices import sliced

api = router("/v1", ["review setup"])
PostFilter = Annotated[str, Query(max_length=100, description="One post's; empty = every post")]


class ApprovalChain(BaseModel):
    kind: PostKind | None
    steps: list[str]

    @classmethod
    def of(cls, c: pb.ApprovalChain) -> ApprovalChain:
        name = pb.PostKind.Name(c.kind).removeprefix("POST_KIND_")
        kind = PostKind[name] if name in PostKind.__members__ else None
        return cls(kind=kind, steps=list(c.steps))


class Steps(Strict):
    steps: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field(max_length=20)


class HeldTranslation(BaseModel):
    post_id: str
    post_version: int
    language: str
    violations: list[Violation]
    held_at: datetime | None

    @classmethod
    def of(cls, h: pb.HeldTranslation) -> HeldTranslation:
        return cls(
            post_id=h.post_id,
            post_version=h.post_version,
            language=h.language,
            violations=violations_of(h.violations),
            held_at=from_timestamp(h.held_at),
        )


@api.get("/approval-chains", summary="The approval chain of each kind of post")
async def chains(caller: Caller, stub: Content) -> Items[ApprovalChain]:
    answer = await stub.GetApprovalChains(
        pb.GetApprovalChainsRequest(tenant_id=caller.principal.tenant_id)
    )
    return Items[ApprovalChain](items=[ApprovalChain.of(c) for c in answer.chains])


@api.put("/approval-chains/{kind}", summary="Set the approval steps of a kind (tenant admins)")
async def set_chain(
    kind: Annotated[PostKind, Path(description="The kind of post")],
    body: Steps,
    caller: Caller,
    stub: Content,
    request_id: RequestId,
) -> ApprovalChain:
    answer = await stub.SetApprovalChain(
        pb.SetApprovalChainRequest(
            request_id=request_id,
            tenant_id=caller.principal.tenant_id,
            chain=pb.ApprovalChain(kind=kind_to_pb(kind), steps=body.steps),
        )
    )
    return ApprovalChain.of(answer.chain)


@api.get("/held-translations", summary="Translations held for breaking the charter")
async def held(
    request: Request,
    caller: Caller,
    stub: Content,
    post_id: PostFilter = "",
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Page[HeldTranslation]:
    answer = await stub.ListHeldTranslations(
        pb.ListHeldTranslationsRequest(tenant_id=caller.principal.tenant_id, post_id=post_id)
    )
    return sliced(request, caller, [HeldTranslation.of(h) for h in answer.held], limit, cursor)


@api.get(
    "/content-audit.csv",
    summary="The approval audit trail as CSV",
    response_class=Response,
    responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}}},
)
async def export(caller: Caller, stub: Content, post_id: PostFilter = "") -> Response:
    answer = await stub.ExportAuditTrail(
        pb.ExportAuditTrailRequest(tenant_id=caller.principal.tenant_id, post_id=post_id)
    )
    return Response(
        answer.csv,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="content-audit.csv"'},
    )
