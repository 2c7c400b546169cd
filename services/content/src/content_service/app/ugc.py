"""Employee-generated content: an employee proposes a post, it waits in the
moderation queue with its charter check and detected language, a moderator
approves or rejects it with a reason, and the author is told (UgcModerated).
Also: the erasure of an employee anonymises every reference content holds."""

from __future__ import annotations

from chorus.content.v1 import content_events_pb2 as events
from chorus_core.clock import utcnow
from chorus_core.errors import FailedPrecondition, InvalidArgument
from chorus_core.ids import new_id, stable_id
from chorus_core.prototime import to_timestamp
from chorus_core.validation import require
from chorus_core.validation import tenant_id as valid_tenant
from sqlalchemy.ext.asyncio import AsyncSession

from content_service.adapters.charters import ProposalRepository
from content_service.adapters.language import detect_language
from content_service.adapters.repository import PostRepository
from content_service.app.erasure import erase_employee
from content_service.app.queries import page_limit
from content_service.app.use_cases import ContentUseCases
from content_service.domain.charter import Violation
from content_service.domain.posts import (
    Post,
    PostContent,
    PostKind,
    PostStatus,
    new_post,
    validate_content,
)


class UgcUseCases:
    def __init__(self, posts: ContentUseCases) -> None:
        self.posts = posts
        self.db = posts.db

    async def propose(
        self,
        tenant_id: str,
        employee_id: str,
        title: str,
        body: str,
        link: str,
        network_texts: dict[str, str],
        request_id: str = "",
    ) -> tuple[Post, str, list[Violation]]:
        valid_tenant(tenant_id)
        require("employee_id", employee_id)
        language = detect_language(f"{title}\n{body}")
        content = PostContent(
            title=title,
            body=body,
            link=link,
            network_texts=dict(network_texts),
            source_language=language,
            kind=PostKind.UGC,
        )
        validate_content(content, employee_id)
        async with self.db.transaction() as session:
            posts = PostRepository(session)
            if request_id and (existing := await posts.find_by_request(tenant_id, request_id)):
                proposal = await ProposalRepository(session).get(tenant_id, existing.post_id)
                return (
                    existing,
                    proposal.detected_language,
                    ProposalRepository(session).violations(proposal),
                )
            now = utcnow()
            post_id = stable_id("ugc", tenant_id, request_id) if request_id else new_id()
            # Straight into review: the moderation queue is the review of UGC.
            post = new_post(post_id, tenant_id, employee_id, content, now, PostStatus.IN_REVIEW)
            await self.posts.add_in(session, post, request_id)
            violations = await self.posts.charters.check_post(
                session, post, language if language != "und" else ""
            )
            await ProposalRepository(session).add(tenant_id, post_id, language, violations, now)
            self.posts.emit(
                session,
                post,
                events.UgcProposed(
                    tenant_id=tenant_id,
                    post_id=post_id,
                    author_id=employee_id,
                    detected_language=language,
                    proposed_at=to_timestamp(now),
                ),
            )
        return post, language, violations

    async def queue(
        self, tenant_id: str, page_size: int, page_token: str
    ) -> tuple[list[tuple[Post, str, list[Violation]]], str]:
        valid_tenant(tenant_id)
        limit = page_limit(page_size)
        async with self.db.session() as session:
            proposals = ProposalRepository(session)
            rows = await proposals.pending(tenant_id, limit, page_token)
            posts = PostRepository(session)
            items = [
                (
                    await posts.get(tenant_id, r.post_id),
                    r.detected_language,
                    proposals.violations(r),
                )
                for r in rows
            ]
        return items, (rows[-1].post_id if len(rows) == limit else "")

    async def moderate(
        self,
        tenant_id: str,
        post_id: str,
        moderator_id: str,
        approve: bool,
        reason: str,
        request_id: str = "",
    ) -> Post:
        valid_tenant(tenant_id)
        require("moderator_id", moderator_id)
        if not approve and not reason.strip():
            raise InvalidArgument("reason", "a rejection needs a reason for the author")
        async with self.db.session() as session:
            post = await PostRepository(session).get(tenant_id, post_id)
        if post.kind is not PostKind.UGC:
            raise FailedPrecondition(f"post is a {post.kind.value} post, not a proposal")
        if approve:
            after = await self.posts.approve_post(
                tenant_id, post_id, moderator_id, comment=reason, request_id=request_id
            )
        else:
            after = await self.posts.reject_post(
                tenant_id, post_id, moderator_id, reason, request_id=request_id
            )
        decision = "approved" if approve else "rejected"
        async with self.db.transaction() as session:
            proposal = await ProposalRepository(session).get(tenant_id, post_id)
            if proposal.decision != decision:  # a retried moderation tells the author once
                proposal.decision = decision
                proposal.reason = reason
                session.add(proposal)
                self.posts.emit(
                    session,
                    after,
                    events.UgcModerated(
                        tenant_id=tenant_id,
                        post_id=post_id,
                        author_id=after.author_id,
                        approved=approve,
                        reason=reason,
                        moderated_at=to_timestamp(utcnow()),
                    ),
                )
        return after

    @staticmethod
    async def erase_employee(session: AsyncSession, tenant_id: str, employee_id: str) -> None:
        """Every reference content keeps to the employee (see app/erasure.py
        for what is erased, what is kept and why)."""
        await erase_employee(session, tenant_id, employee_id)
