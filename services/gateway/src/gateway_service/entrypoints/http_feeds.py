"""Curated content: RSS/Atom subscriptions whose new items become drafts
under the subscriber, and the hosts a tenant allows feeds from although
they resolve to private addresses. Decode -> one ContentService call ->
encode (content's policy: comms managers subscribe and poll, tenant admins
set the allow-list).

POST /v1/feeds                  subscribe (201)
GET  /v1/feeds                  the tenant's feeds (cursor)
POST /v1/feeds/{feed_id}/poll   fetch now; the drafts it created
PUT  /v1/feed-allowed-hosts     replace the allow-list
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from chorus.content.v1 import content_service_pb2 as pb
from chorus_core.prototime import from_timestamp
from fastapi import Path, Request
from pydantic import BaseModel, Field

from gateway_service.domain.cursor import DEFAULT_LIMIT
from gateway_service.entrypoints.deps import Caller, RequestId
from gateway_service.entrypoints.http_posts import Content
from gateway_service.entrypoints.pagination import Cursor, Limit, Page
from gateway_service.entrypoints.posts_json import Strict
from gateway_service.entrypoints.routing import router
from gateway_service.entrypoints.slices import sliced

api = router("/v1", ["feeds"])
FeedId = Annotated[str, Path(min_length=1, max_length=100, description="The feed's id")]


class FeedIn(Strict):
    url: str = Field(min_length=1, max_length=2000)
    campaign: str = Field(default="", max_length=200)
    source_language: str = Field(default="", max_length=35)


class Feed(BaseModel):
    feed_id: str
    url: str
    campaign: str
    source_language: str
    last_polled_at: datetime | None
    last_error: str
    items_imported: int

    @classmethod
    def of(cls, f: pb.Feed) -> Feed:
        return cls(
            feed_id=f.feed_id,
            url=f.url,
            campaign=f.campaign,
            source_language=f.source_language,
            last_polled_at=from_timestamp(
                f.last_polled_at if f.HasField("last_polled_at") else None
            ),
            last_error=f.last_error,
            items_imported=f.items_imported,
        )


class Polled(BaseModel):
    created_post_ids: list[str]


class Hosts(Strict):
    hosts: list[Annotated[str, Field(min_length=1, max_length=253)]] = Field(max_length=100)


@api.post("/feeds", status_code=201, summary="Subscribe to a feed (its items become drafts)")
async def subscribe(body: FeedIn, caller: Caller, stub: Content, request_id: RequestId) -> Feed:
    answer = await stub.SubscribeFeed(
        pb.SubscribeFeedRequest(
            request_id=request_id, tenant_id=caller.principal.tenant_id, **body.model_dump()
        )
    )
    return Feed.of(answer.feed)


@api.get("/feeds", summary="The tenant's feeds")
async def list_feeds(
    request: Request,
    caller: Caller,
    stub: Content,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Page[Feed]:
    answer = await stub.ListFeeds(pb.ListFeedsRequest(tenant_id=caller.principal.tenant_id))
    return sliced(request, caller, [Feed.of(f) for f in answer.feeds], limit, cursor)


@api.post("/feeds/{feed_id}/poll", summary="Fetch a feed now")
async def poll(feed_id: FeedId, caller: Caller, stub: Content) -> Polled:
    # PollFeed has no request_id: a retry under the same Idempotency-Key is
    # answered by the gateway; a new poll only imports items not seen yet.
    answer = await stub.PollFeed(
        pb.PollFeedRequest(tenant_id=caller.principal.tenant_id, feed_id=feed_id)
    )
    return Polled(created_post_ids=list(answer.created_post_ids))


@api.put("/feed-allowed-hosts", summary="Hosts feeds may come from although private (admins)")
async def allow_hosts(body: Hosts, caller: Caller, stub: Content, request_id: RequestId) -> Hosts:
    answer = await stub.SetFeedAllowedHosts(
        pb.SetFeedAllowedHostsRequest(
            request_id=request_id, tenant_id=caller.principal.tenant_id, hosts=body.hosts
        )
    )
    return Hosts(hosts=list(answer.hosts))
