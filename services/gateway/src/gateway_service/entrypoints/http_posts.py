"""Posts: create, read (with ETag), list and search (cursor pages), edit
(If-Match). Decode -> one ContentService call -> encode; content decides
who may (its app/policy.py), the gateway only says who is asking.

POST /v1/posts                  create (201, Location, ETag)
GET  /v1/posts                  list (?status=)
GET  /v1/posts/search           full-text search with filters
GET  /v1/posts/{post_id}        one post (ETag)
PUT  /v1/posts/{post_id}        replace its content (If-Match; a new version)
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import grpc
from chorus.content.v1 import content_service_pb2 as pb
from chorus.content.v1 import content_service_pb2_grpc as pb_grpc
from chorus_core.prototime import to_timestamp
from fastapi import Depends, Path, Query, Request
from fastapi.responses import JSONResponse

from gateway_service.domain.cursor import DEFAULT_LIMIT
from gateway_service.entrypoints.deps import Caller, RequestId, gateway
from gateway_service.entrypoints.etags import IfMatch, etag, expected_version, stale
from gateway_service.entrypoints.pagination import Cursor, Limit, Page, page, page_token
from gateway_service.entrypoints.posts_json import (
    Post,
    PostIn,
    PostKind,
    PostStatus,
    kind_to_pb,
    status_to_pb,
)
from gateway_service.entrypoints.problems import problem_responses
from gateway_service.entrypoints.routing import router

api = router("/v1/posts", ["posts"])
PostId = Annotated[str, Path(min_length=1, max_length=100, description="The post's id")]


def content(request: Request) -> pb_grpc.ContentServiceStub:
    return gateway(request).channels.stub(pb_grpc.ContentServiceStub, "content")


Content = Annotated[pb_grpc.ContentServiceStub, Depends(content)]


def post_response(post: pb.Post, status_code: int = 200, location: bool = False) -> JSONResponse:
    """A post with its ETag (and Location when just created)."""
    headers = {"ETag": etag(post.version)}
    if location:
        headers["Location"] = f"/v1/posts/{post.post_id}"
    return JSONResponse(
        Post.of(post).model_dump(mode="json"), status_code=status_code, headers=headers
    )


POST_HEADERS = {"ETag": {"description": "The post's version", "schema": {"type": "string"}}}


@api.post(
    "",
    status_code=201,
    response_model=Post,
    summary="Create a post (a draft)",
    responses={201: {"headers": POST_HEADERS}},
)
async def create_post(
    body: PostIn, caller: Caller, stub: Content, request_id: RequestId
) -> JSONResponse:
    request = pb.CreatePostRequest(
        request_id=request_id, tenant_id=caller.principal.tenant_id, **body.fields()
    )
    answer = await stub.CreatePost(request)
    return post_response(answer.post, 201, location=True)


@api.get("", summary="List posts")
async def list_posts(
    request: Request,
    caller: Caller,
    stub: Content,
    status: PostStatus | None = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Page[Post]:
    answer = await stub.ListPosts(
        pb.ListPostsRequest(
            tenant_id=caller.principal.tenant_id,
            status=status_to_pb(status),
            page_size=limit,
            page_token=page_token(request, caller, cursor),
        )
    )
    return page(request, caller, [Post.of(p) for p in answer.posts], answer.next_page_token)


@api.get("/search", summary="Search posts (all words; case and accents ignored)")
async def search_posts(
    request: Request,
    caller: Caller,
    stub: Content,
    q: Annotated[str, Query(max_length=500)] = "",
    status: PostStatus | None = None,
    kind: PostKind | None = None,
    channel: Annotated[str, Query(max_length=100)] = "",
    campaign: Annotated[str, Query(max_length=200)] = "",
    language: Annotated[str, Query(max_length=35)] = "",
    created_after: datetime | None = None,
    created_before: datetime | None = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Page[Post]:
    search = pb.SearchPostsRequest(
        tenant_id=caller.principal.tenant_id,
        query=q,
        status=status_to_pb(status),
        kind=kind_to_pb(kind),
        channel=channel,
        campaign=campaign,
        language=language,
        page_size=limit,
        page_token=page_token(request, caller, cursor),
    )
    if created_after is not None:
        search.created_after.CopyFrom(to_timestamp(created_after))
    if created_before is not None:
        search.created_before.CopyFrom(to_timestamp(created_before))
    answer = await stub.SearchPosts(search)
    return page(request, caller, [Post.of(p) for p in answer.posts], answer.next_page_token)


@api.get(
    "/{post_id}",
    response_model=Post,
    summary="A post",
    responses={200: {"headers": POST_HEADERS}},
)
async def get_post(post_id: PostId, caller: Caller, stub: Content) -> JSONResponse:
    answer = await stub.GetPost(
        pb.GetPostRequest(tenant_id=caller.principal.tenant_id, post_id=post_id)
    )
    return post_response(answer.post)


@api.put(
    "/{post_id}",
    response_model=Post,
    summary="Edit a post (its full content; a new version)",
    responses={200: {"headers": POST_HEADERS}, **problem_responses(412, 428)},
)
async def update_post(
    post_id: PostId,
    body: PostIn,
    caller: Caller,
    stub: Content,
    request_id: RequestId,
    if_match: IfMatch = None,
) -> JSONResponse:
    version = expected_version(if_match)
    update = pb.UpdatePostRequest(
        request_id=request_id,
        tenant_id=caller.principal.tenant_id,
        post_id=post_id,
        expected_version=version,
        content=pb.PostContent(**body.fields()),
    )
    try:
        answer = await stub.UpdatePost(update)
    except grpc.aio.AioRpcError as error:
        # Content refuses a stale expected_version as FAILED_PRECONDITION
        # naming the version; other preconditions (an archived post) stay 409.
        if error.code() == grpc.StatusCode.FAILED_PRECONDITION and "version" in (
            error.details() or ""
        ):
            raise stale() from None
        raise
    return post_response(answer.post)
