"""Employee-generated content: an employee proposes a post, it waits in the
moderation queue with its charter check and detected language, a moderator
approves or rejects it with a reason, and the author is told (UgcModerated).
Who may: app/policy.py (an employee as themself; a moderator, not on their
own proposal). (The erasure of an employee's proposals: app/erasure.py.)"""

from __future__ import annotations

from chorus_core.clock import utcnow
from chorus_core.errors import FailedPrecondition, InvalidArgument
from chorus_core.ids import new_id, stable_id
from chorus_core.validation import tenant_id as valid_tenant
from chorus_db.ports import Transaction
from chorus_identity.policy import actor_id
from chorus_identity.principal import Principal

from content_service.app import events, policy
from content_service.app.ports import LanguageDetector
from content_service.app.queries import page_limit
from content_service.app.reviews import ReviewUseCases
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
    def __init__(
        self, posts: ContentUseCases, reviews: ReviewUseCases, detect_language: LanguageDetector
    ) -> None:
        self.posts = posts
        self.reviews = reviews
        self.uow = posts.uow
        self.stores = posts.stores
        self.detect_language = detect_language

    async def propose(
        self,
        actor: Principal,
        tenant_id: str,
        employee_id: str,
        title: str,
        body: str,
        link: str,
        network_texts: dict[str, str],
        request_id: str = "",
    ) -> tuple[Post, str, list[Violation]]:
        tenant_id, employee_id = policy.proposer(actor, tenant_id, employee_id)
        valid_tenant(tenant_id)
        language = self.detect_language(f"{title}\n{body}")
        content = PostContent(
            title=title,
            body=body,
            link=link,
            network_texts=dict(network_texts),
            source_language=language,
            kind=PostKind.UGC,
        )
        validate_content(content, employee_id)
        async with self.uow.transaction() as transaction:
            posts = self.stores.posts(transaction)
            proposals = self.stores.proposals(transaction)
            if request_id and (existing := await posts.find_by_request(tenant_id, request_id)):
                proposal = await proposals.get(tenant_id, existing.post_id)
                return existing, proposal.detected_language, list(proposal.violations)
            now = utcnow()
            post_id = stable_id("ugc", tenant_id, request_id) if request_id else new_id()
            # Straight into review: the moderation queue is the review of UGC.
            post = new_post(post_id, tenant_id, employee_id, content, now, PostStatus.IN_REVIEW)
            await self.posts.add_in(transaction, post, request_id)
            violations = await self.posts.charters.check_post(
                transaction, post, language if language != "und" else ""
            )
            await proposals.add(tenant_id, post_id, language, violations, now)
            self.posts.events.emit(transaction, events.UgcProposed(post, language, now))
        return post, language, violations

    async def queue(
        self, actor: Principal, tenant_id: str, page_size: int, page_token: str
    ) -> tuple[list[tuple[Post, str, list[Violation]]], str]:
        tenant_id = policy.moderator(actor, tenant_id)
        valid_tenant(tenant_id)
        limit = page_limit(page_size)
        async with self.uow.session() as session:
            pending = await self.stores.proposals(session).pending(tenant_id, limit, page_token)
            posts = self.stores.posts(session)
            items = [
                (await posts.get(tenant_id, p.post_id), p.detected_language, list(p.violations))
                for p in pending
            ]
        return items, (pending[-1].post_id if len(pending) == limit else "")

    async def moderate(
        self,
        actor: Principal,
        tenant_id: str,
        post_id: str,
        approve: bool,
        reason: str,
        request_id: str = "",
    ) -> Post:
        tenant_id = policy.moderator(actor, tenant_id)
        valid_tenant(tenant_id)
        moderator_id = actor_id(actor)
        if not approve and not reason.strip():
            raise InvalidArgument("reason", "a rejection needs a reason for the author")
        async with self.uow.session() as session:
            post = await self.stores.posts(session).get(tenant_id, post_id)
        if post.kind is not PostKind.UGC:
            raise FailedPrecondition(f"post is a {post.kind.value} post, not a proposal")
        policy.moderates(actor, post)

        def may_approve(proposal: Post, step: str) -> None:
            policy.moderates(actor, proposal)

        async def may_reject(transaction: Transaction, proposal: Post) -> None:
            policy.moderates(actor, proposal)

        # The decision's audit entry is the transition's (ugc.moderate: status
        # in_review -> approved or rejected), never the reason's text.
        if approve:
            after = await self.reviews.approve_as(
                tenant_id,
                post_id,
                moderator_id,
                may_approve,
                comment=reason,
                request_id=request_id,
                action="ugc.moderate",
            )
        else:
            after = await self.reviews.reject_as(
                tenant_id,
                post_id,
                moderator_id,
                may_reject,
                reason,
                request_id=request_id,
                action="ugc.moderate",
            )
        decision = "approved" if approve else "rejected"
        async with self.uow.transaction() as transaction:
            proposals = self.stores.proposals(transaction)
            proposal = await proposals.get(tenant_id, post_id)
            if proposal.decision != decision:  # a retried moderation tells the author once
                await proposals.decide(tenant_id, post_id, decision, reason)
                self.posts.events.emit(
                    transaction, events.UgcModerated(after, approve, reason, utcnow())
                )
        return after
