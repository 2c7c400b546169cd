"""A post's workflow and history: submit, approve, request changes, reject,
archive; versions, comments and the approval audit trail. Decode -> one
ContentService call -> encode (content's policy decides who may).

POST /v1/posts/{post_id}/submit | approve | request-changes | reject | archive
GET  /v1/posts/{post_id}/versions            every version
GET  /v1/posts/{post_id}/versions/{version}  one version
GET  /v1/posts/{post_id}/comments            comments; POST adds one
GET  /v1/posts/{post_id}/audit               the approval audit trail
"""

from __future__ import annotations

from typing import Annotated, Any

from chorus.content.v1 import content_service_pb2 as pb
from fastapi import Path
from fastapi.responses import JSONResponse

from gateway_service.entrypoints.deps import Caller, RequestId
from gateway_service.entrypoints.http_posts import POST_HEADERS, Content, PostId, post_response
from gateway_service.entrypoints.posts_json import (
    Approval,
    AuditEntry,
    ChangesRequested,
    Comment,
    CommentIn,
    Items,
    Post,
    Rejection,
)
from gateway_service.entrypoints.routing import router

api = router("/v1/posts/{post_id}", ["post reviews"])
Version = Annotated[int, Path(ge=1, le=1_000_000, description="A version number")]
_POST: dict[str, Any] = {"response_model": Post, "responses": {200: {"headers": POST_HEADERS}}}


@api.post("/submit", summary="Submit a draft for review", **_POST)
async def submit(
    post_id: PostId, caller: Caller, stub: Content, request_id: RequestId
) -> JSONResponse:
    tenant = caller.principal.tenant_id
    answer = await stub.SubmitPost(
        pb.SubmitPostRequest(request_id=request_id, tenant_id=tenant, post_id=post_id)
    )
    return post_response(answer.post)


@api.post("/approve", summary="Approve the step awaited (reviewers of that step)", **_POST)
async def approve(
    post_id: PostId, body: Approval, caller: Caller, stub: Content, request_id: RequestId
) -> JSONResponse:
    answer = await stub.ApprovePost(
        pb.ApprovePostRequest(
            request_id=request_id,
            tenant_id=caller.principal.tenant_id,
            post_id=post_id,
            step=body.step,
            comment=body.comment,
        )
    )
    return post_response(answer.post)


@api.post("/request-changes", summary="Send a post back to its author", **_POST)
async def request_changes(
    post_id: PostId, body: ChangesRequested, caller: Caller, stub: Content, request_id: RequestId
) -> JSONResponse:
    answer = await stub.RequestChanges(
        pb.RequestChangesRequest(
            request_id=request_id,
            tenant_id=caller.principal.tenant_id,
            post_id=post_id,
            comment=body.comment,
        )
    )
    return post_response(answer.post)


@api.post("/reject", summary="Reject a post", **_POST)
async def reject(
    post_id: PostId, body: Rejection, caller: Caller, stub: Content, request_id: RequestId
) -> JSONResponse:
    answer = await stub.RejectPost(
        pb.RejectPostRequest(
            request_id=request_id,
            tenant_id=caller.principal.tenant_id,
            post_id=post_id,
            reason=body.reason,
        )
    )
    return post_response(answer.post)


@api.post("/archive", summary="Archive a post", **_POST)
async def archive(
    post_id: PostId, caller: Caller, stub: Content, request_id: RequestId
) -> JSONResponse:
    tenant = caller.principal.tenant_id
    answer = await stub.ArchivePost(
        pb.ArchivePostRequest(request_id=request_id, tenant_id=tenant, post_id=post_id)
    )
    return post_response(answer.post)


@api.get("/versions", summary="Every version of a post")
async def versions(post_id: PostId, caller: Caller, stub: Content) -> Items[Post]:
    answer = await stub.ListPostVersions(
        pb.ListPostVersionsRequest(tenant_id=caller.principal.tenant_id, post_id=post_id)
    )
    return Items[Post](items=[Post.of(p) for p in answer.versions])


@api.get("/versions/{version}", summary="One version of a post", **_POST)
async def version(post_id: PostId, version: Version, caller: Caller, stub: Content) -> JSONResponse:
    answer = await stub.GetPostVersion(
        pb.GetPostVersionRequest(
            tenant_id=caller.principal.tenant_id, post_id=post_id, version=version
        )
    )
    return post_response(answer.post)


@api.get("/comments", summary="A post's comments")
async def comments(post_id: PostId, caller: Caller, stub: Content) -> Items[Comment]:
    answer = await stub.ListComments(
        pb.ListCommentsRequest(tenant_id=caller.principal.tenant_id, post_id=post_id)
    )
    return Items[Comment](items=[Comment.of(c) for c in answer.comments])


@api.post("/comments", status_code=201, summary="Comment on a post")
async def add_comment(
    post_id: PostId, body: CommentIn, caller: Caller, stub: Content, request_id: RequestId
) -> Comment:
    answer = await stub.AddComment(
        pb.AddCommentRequest(
            request_id=request_id,
            tenant_id=caller.principal.tenant_id,
            post_id=post_id,
            text=body.text,
        )
    )
    return Comment.of(answer.comment)


@api.get("/audit", summary="The approval audit trail of a post")
async def audit(post_id: PostId, caller: Caller, stub: Content) -> Items[AuditEntry]:
    answer = await stub.GetAuditTrail(
        pb.GetAuditTrailRequest(tenant_id=caller.principal.tenant_id, post_id=post_id)
    )
    return Items[AuditEntry](items=[AuditEntry.of(e) for e in answer.entries])
