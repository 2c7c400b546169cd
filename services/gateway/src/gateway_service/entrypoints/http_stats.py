"""Metrics: shares and clicks of a post and of the tenant, by country.
Decode -> one MetricsService call -> encode (metrics' policy: comms
managers and tenant admins).

GET /v1/posts/{post_id}/stats   a post's
GET /v1/stats                   the tenant's
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

from chorus.metrics.v1 import metrics_service_pb2 as pb
from chorus.metrics.v1 import metrics_service_pb2_grpc as pb_grpc
from fastapi import Depends, Request
from pydantic import BaseModel

from gateway_service.entrypoints.deps import Caller, gateway
from gateway_service.entrypoints.http_posts import PostId
from gateway_service.entrypoints.routing import router

api = router("/v1", ["stats"])


def metrics(request: Request) -> pb_grpc.MetricsServiceStub:
    return gateway(request).channels.stub(pb_grpc.MetricsServiceStub, "metrics")


Metrics = Annotated[pb_grpc.MetricsServiceStub, Depends(metrics)]


class CountryStats(BaseModel):
    shares: int
    clicks: int


class Stats(BaseModel):
    shares: int
    clicks: int
    by_country: dict[str, CountryStats]


class PostStats(Stats):
    post_id: str


def _countries(found: Mapping[str, pb.CountryStats]) -> dict[str, CountryStats]:
    return {k: CountryStats(shares=v.shares, clicks=v.clicks) for k, v in found.items()}


@api.get("/posts/{post_id}/stats", summary="A post's shares and clicks")
async def post_stats(post_id: PostId, caller: Caller, stub: Metrics) -> PostStats:
    answer = await stub.GetPostStats(
        pb.GetPostStatsRequest(tenant_id=caller.principal.tenant_id, post_id=post_id)
    )
    return PostStats(
        post_id=answer.post_id or post_id,
        shares=answer.shares,
        clicks=answer.clicks,
        by_country=_countries(answer.by_country),
    )


@api.get("/stats", summary="The tenant's shares and clicks")
async def tenant_stats(caller: Caller, stub: Metrics) -> Stats:
    answer = await stub.GetTenantStats(
        pb.GetTenantStatsRequest(tenant_id=caller.principal.tenant_id)
    )
    return Stats(
        shares=answer.shares, clicks=answer.clicks, by_country=_countries(answer.by_country)
    )
