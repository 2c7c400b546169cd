"""The review of a post in its approval chain: approve a step, request
changes, reject. A person decides as a reviewer of the step awaited, never
on their own post and never twice in one round (app/policy.py); the UGC
moderation decides through the same transitions with its own check
(app/ugc.py). Each decision is one transaction of ContentUseCases.mutate."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from chorus_core.clock import utcnow
from chorus_core.errors import FailedPrecondition
from chorus_db.ports import Transaction
from chorus_identity.policy import actor_id
from chorus_identity.principal import Principal

from content_service.app import events, policy
from content_service.app.events import PostEvent
from content_service.app.use_cases import ContentUseCases
from content_service.domain.campaigns import Delivery
from content_service.domain.charter import blocking
from content_service.domain.posts import DEFAULT_CHAIN, Post, PostStatus

# May the decider decide on this post, awaiting this step? (raises if not)
Check = Callable[[Post, str], None]
Outcome = tuple[Post, list[PostEvent], str, str]


def awaited_step(post: Post, chain: tuple[str, ...]) -> str:
    """The step a post in review awaits (the last one once all are done)."""
    steps = chain or DEFAULT_CHAIN
    return steps[min(post.review_step, len(steps) - 1)]


class ReviewUseCases:
    def __init__(self, posts: ContentUseCases) -> None:
        self.posts = posts
        self.stores = posts.stores
        self.charters = posts.charters

    async def _chain(self, transaction: Transaction, post: Post) -> tuple[str, ...]:
        return await self.stores.chains(transaction).steps(post.tenant_id, post.kind.value)

    async def _delivery(self, transaction: Transaction, post: Post) -> Delivery | None:
        """A campaign's post is delivered as its campaign says now (held
        while the campaign is a draft)."""
        if not post.campaign_id:
            return None
        campaign = await self.stores.campaigns(transaction).get(post.tenant_id, post.campaign_id)
        return campaign.delivery()

    async def approve_post(
        self,
        actor: Principal,
        tenant_id: str,
        post_id: str,
        step: str = "",
        comment: str = "",
        request_id: str = "",
    ) -> Post:
        def check(post: Post, awaited: str) -> None:
            policy.reviews_step(actor, awaited)
            policy.four_eyes(actor, post)

        tenant_id = policy.reviewer(actor, tenant_id)
        return await self.approve_as(
            tenant_id, post_id, actor_id(actor), check, step, comment, request_id
        )

    async def approve_as(
        self,
        tenant_id: str,
        post_id: str,
        approver_id: str,
        check: Check,
        step: str = "",
        comment: str = "",
        request_id: str = "",
        action: str = "",
    ) -> Post:
        """One approval by `approver_id`, once `check` allows it for the step
        awaited (the caller's role check is done); `action`: its audit action
        when not post.approve."""

        async def change(transaction: Transaction, before: Post) -> Outcome:
            if before.status is PostStatus.APPROVED and before.approver_id == approver_id:
                return before, [], approver_id, ""  # a retried approval is a no-op
            chain = await self._chain(transaction, before)
            step_name = awaited_step(before, chain)
            if before.status is PostStatus.IN_REVIEW:
                check(before, step_name)
            after = before.approve(approver_id, utcnow(), step, chain)
            found = blocking(await self.charters.check_post(transaction, before))
            if found:
                first = found[0]
                raise FailedPrecondition(
                    "post is in_review with a blocking charter violation: "
                    f"{first.rule_id} {first.message} in {first.field} "
                    f"[{first.start}:{first.end}] ({len(found)} blocking in total)"
                )
            emitted: list[PostEvent] = [
                events.PostApproved(after, chain, await self._delivery(transaction, after))
                if after.status is PostStatus.APPROVED
                else events.PostStepApproved(after, step_name, chain[after.review_step])
            ]
            if comment:
                await self.posts.comment_in(transaction, after, approver_id, comment)
            return after, emitted, approver_id, step_name

        return await self.posts.mutate(
            tenant_id, post_id, request_id, "approve_step", change, action=action
        )

    async def request_changes(
        self, actor: Principal, tenant_id: str, post_id: str, comment: str, request_id: str = ""
    ) -> Post:
        tenant_id = policy.reviewer(actor, tenant_id)
        reviewer_id = actor_id(actor)

        async def change(transaction: Transaction, before: Post) -> Outcome:
            await self._may_decide(transaction, actor, before)
            after = before.request_changes(reviewer_id, comment, utcnow())
            await self.posts.comment_in(transaction, after, reviewer_id, comment)
            return after, [events.PostChangesRequested(after, comment)], reviewer_id, comment

        return await self.posts.mutate(tenant_id, post_id, request_id, "request_changes", change)

    async def reject_post(
        self, actor: Principal, tenant_id: str, post_id: str, reason: str, request_id: str = ""
    ) -> Post:
        tenant_id = policy.reviewer(actor, tenant_id)

        async def check(transaction: Transaction, post: Post) -> None:
            await self._may_decide(transaction, actor, post)

        return await self.reject_as(tenant_id, post_id, actor_id(actor), check, reason, request_id)

    async def reject_as(
        self,
        tenant_id: str,
        post_id: str,
        reviewer_id: str,
        check: Callable[[Transaction, Post], Awaitable[None]],
        reason: str,
        request_id: str = "",
        action: str = "",
    ) -> Post:
        async def change(transaction: Transaction, before: Post) -> Outcome:
            await check(transaction, before)
            after = before.reject(reviewer_id, reason, utcnow())
            return after, [events.PostRejected(after, reason)], reviewer_id, reason

        return await self.posts.mutate(
            tenant_id, post_id, request_id, "reject", change, action=action
        )

    async def _may_decide(self, transaction: Transaction, actor: Principal, post: Post) -> None:
        """Request changes or reject: a reviewer of the step awaited, not the
        author. (An approver of an earlier step may still stop the post.)"""
        if post.status is not PostStatus.IN_REVIEW:
            return  # the domain refuses the transition, naming the state
        policy.reviews_step(actor, awaited_step(post, await self._chain(transaction, post)))
        policy.not_author(actor, post)
