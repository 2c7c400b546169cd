"""Segments (saved audience rules) and the audience preview. Decode -> one
TargetingService call -> encode (targeting's policy: comms managers; a
preview of the region needs a grant covering it, else channels they
manage). A rule that does not parse is 400 naming `body.rule` (line and
column in the reason).

POST /v1/segments                  save a new segment (201)
GET  /v1/segments                  the tenant's segments (cursor)
GET  /v1/segments/{segment_id}     one (?version=; latest by default)
PUT  /v1/segments/{segment_id}     rename or change the rule (a new version)
POST /v1/segments/validate         check a rule (writes nothing)
POST /v1/audience-preview          who a targeting would reach (writes nothing)
"""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import replace
from typing import Annotated, Any, TypeVar

import grpc
from chorus.content.v1 import content_service_pb2 as content_pb
from chorus.targeting.v1 import targeting_service_pb2 as pb
from fastapi import Path, Query, Request
from pydantic import BaseModel, Field

from gateway_service.domain.cursor import DEFAULT_LIMIT
from gateway_service.domain.problems import FieldError, ProblemError
from gateway_service.entrypoints.deps import Caller, RequestId
from gateway_service.entrypoints.http_directory import Targeting
from gateway_service.entrypoints.pagination import Cursor, Limit, Page
from gateway_service.entrypoints.posts_json import Strict
from gateway_service.entrypoints.posts_json import Targeting as PostTargeting
from gateway_service.entrypoints.problems import grpc_problem
from gateway_service.entrypoints.routing import not_a_mutation, router
from gateway_service.entrypoints.slices import sliced
from gateway_service.entrypoints.targeting_json import AudiencePreview, Segment

api = router("/v1", ["segments"])
SegmentId = Annotated[str, Path(min_length=1, max_length=64, description="The segment's id")]
Rule = Field(min_length=1, max_length=10_000, description='A rule, e.g. country in ("FR")')
T = TypeVar("T")


class SegmentIn(Strict):
    name: str = Field(min_length=1, max_length=200)
    rule: str = Rule


class RuleIn(Strict):
    rule: str = Rule


class RuleCheck(BaseModel):
    attributes: list[str]  # the attributes the rule reads


class PreviewIn(Strict):
    targeting: PostTargeting = Field(default_factory=PostTargeting)
    segment: str = Field(default="", max_length=10_000)  # a rule, or
    segment_id: str = Field(default="", max_length=64)  # a saved segment (latest version)
    channel_ids: list[Annotated[str, Field(max_length=64)]] = Field(
        default_factory=list, max_length=100
    )


async def _rule_named(call: Awaitable[T]) -> T:
    """Targeting names a rule error `segment`; these routes call it `rule`."""
    try:
        return await call
    except grpc.aio.AioRpcError as error:
        problem = grpc_problem(error)
        if problem.status != 400:
            raise
        renamed = tuple(
            FieldError("body.rule", e.reason) if e.field == "body.segment" else e
            for e in problem.errors
        )
        raise ProblemError(replace(problem, errors=renamed)) from None


@api.post("/segments", status_code=201, summary="Save a new segment")
async def create(
    body: SegmentIn, caller: Caller, stub: Targeting, request_id: RequestId
) -> Segment:
    save = pb.SaveSegmentRequest(
        request_id=request_id, tenant_id=caller.principal.tenant_id, name=body.name, rule=body.rule
    )
    return Segment.of(await _rule_named(stub.SaveSegment(save)))


@api.get("/segments", summary="The tenant's segments")
async def list_segments(
    request: Request,
    caller: Caller,
    stub: Targeting,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Page[Segment]:
    answer = await stub.ListSegments(pb.ListSegmentsRequest(tenant_id=caller.principal.tenant_id))
    return sliced(request, caller, [Segment.of(s) for s in answer.segments], limit, cursor)


@api.get("/segments/{segment_id}", summary="A segment (its latest version, or ?version=)")
async def get_segment(
    segment_id: SegmentId,
    caller: Caller,
    stub: Targeting,
    version: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Segment:
    answer = await stub.GetSegment(
        pb.GetSegmentRequest(
            tenant_id=caller.principal.tenant_id, segment_id=segment_id, version=version
        )
    )
    return Segment.of(answer)


@api.put("/segments/{segment_id}", summary="Change a segment (a new version)")
async def update(
    segment_id: SegmentId, body: SegmentIn, caller: Caller, stub: Targeting, request_id: RequestId
) -> Segment:
    save = pb.SaveSegmentRequest(
        request_id=request_id,
        tenant_id=caller.principal.tenant_id,
        segment_id=segment_id,
        name=body.name,
        rule=body.rule,
    )
    return Segment.of(await _rule_named(stub.SaveSegment(save)))


@api.post("/segments/validate", summary="Check a rule (writes nothing)")
@not_a_mutation
async def validate(body: RuleIn, caller: Caller, stub: Targeting) -> RuleCheck:
    answer = await _rule_named(stub.ValidateSegment(pb.ValidateSegmentRequest(rule=body.rule)))
    return RuleCheck(attributes=list(answer.attributes))


@api.post("/audience-preview", summary="Who a targeting would reach (writes nothing)")
@not_a_mutation
async def preview(body: PreviewIn, caller: Caller, stub: Targeting) -> AudiencePreview:
    fields: dict[str, Any] = body.targeting.model_dump()
    answer = await stub.PreviewAudience(
        pb.PreviewAudienceRequest(
            tenant_id=caller.principal.tenant_id,
            targeting=content_pb.Targeting(**fields),
            segment=body.segment,
            segment_id=body.segment_id,
            channel_ids=body.channel_ids,
        )
    )
    return AudiencePreview.of(answer)
