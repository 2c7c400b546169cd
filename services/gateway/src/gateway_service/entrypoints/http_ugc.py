"""Employee-generated content: an employee proposes a post as themself,
moderators work through the queue and decide. Decode -> one ContentService
call -> encode (content's policy: the proposer is the caller's own directory
entry; moderators moderate, never their own proposal).

POST /v1/proposals                     propose a post (201)
GET  /v1/moderation-queue              proposals awaiting a moderator (cursor)
POST /v1/proposals/{post_id}/moderate  approve or reject a proposal
"""

from __future__ import annotations

from collections.abc import Iterable

from chorus.content.v1 import content_service_pb2 as pb
from fastapi import Request
from pydantic import BaseModel, Field

from gateway_service.domain.cursor import DEFAULT_LIMIT
from gateway_service.entrypoints.deps import Caller, RequestId
from gateway_service.entrypoints.http_charter import Severity, Violation
from gateway_service.entrypoints.http_posts import Content, PostId
from gateway_service.entrypoints.pagination import Cursor, Limit, Page, page, page_token
from gateway_service.entrypoints.posts_json import Post, Strict
from gateway_service.entrypoints.routing import router

api = router("/v1", ["ugc"])


class ProposalIn(Strict):
    title: str = Field(min_length=1, max_length=1000)
    body: str = Field(default="", max_length=100_000)
    link: str = Field(default="", max_length=4000)
    network_texts: dict[str, str] = Field(default_factory=dict, max_length=20)


class Proposal(BaseModel):
    post: Post
    detected_language: str
    violations: list[Violation]

    @classmethod
    def of(cls, p: pb.Proposal) -> Proposal:
        return cls(
            post=Post.of(p.post),
            detected_language=p.detected_language,
            violations=violations_of(p.violations),
        )


def violations_of(found: Iterable[pb.Violation]) -> list[Violation]:
    return [
        Violation(
            rule_id=v.rule_id,
            severity=Severity.WARN if v.severity == pb.SEVERITY_WARN else Severity.BLOCK,
            message=v.message,
            field=v.field,
            start=v.start,
            end=v.end,
            suggestion=v.suggestion,
        )
        for v in found
    ]


class Moderation(Strict):
    approve: bool
    reason: str = Field(default="", max_length=10_000)  # required to reject (content says so)


@api.post("/proposals", status_code=201, summary="Propose a post (as yourself, an employee)")
async def propose(
    body: ProposalIn, caller: Caller, stub: Content, request_id: RequestId
) -> Proposal:
    answer = await stub.ProposePost(
        pb.ProposePostRequest(
            request_id=request_id, tenant_id=caller.principal.tenant_id, **body.model_dump()
        )
    )
    return Proposal.of(answer.proposal)


@api.get("/moderation-queue", summary="Proposals awaiting a moderator")
async def queue(
    request: Request,
    caller: Caller,
    stub: Content,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Page[Proposal]:
    answer = await stub.ListModerationQueue(
        pb.ListModerationQueueRequest(
            tenant_id=caller.principal.tenant_id,
            page_size=limit,
            page_token=page_token(request, caller, cursor),
        )
    )
    items = [Proposal.of(p) for p in answer.proposals]
    return page(request, caller, items, answer.next_page_token)


@api.post("/proposals/{post_id}/moderate", summary="Approve or reject a proposal (moderators)")
async def moderate(
    post_id: PostId, body: Moderation, caller: Caller, stub: Content, request_id: RequestId
) -> Post:
    answer = await stub.ModerateProposal(
        pb.ModerateProposalRequest(
            request_id=request_id,
            tenant_id=caller.principal.tenant_id,
            post_id=post_id,
            approve=body.approve,
            reason=body.reason,
        )
    )
    return Post.of(answer.post)
