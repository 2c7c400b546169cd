"""Post use cases: each one transaction, events through the outbox, every
transition in the audit trail, every mutating call idempotent by request_id."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from chorus_core.clock import utcnow
from chorus_core.errors import FailedPrecondition, InvalidArgument
from chorus_core.ids import new_id, stable_id
from chorus_core.validation import require
from chorus_core.validation import tenant_id as valid_tenant
from chorus_db.ports import Transaction, UnitOfWork
from opentelemetry import trace

from content_service.app import events
from content_service.app.charters import CharterService
from content_service.app.events import PostEvent
from content_service.app.ports import PostEvents, Stores
from content_service.app.records import Comment
from content_service.domain.charter import blocking
from content_service.domain.posts import (
    Post,
    PostContent,
    PostStatus,
    new_post,
    validate_content,
)

# A transition of one post, in _mutate's transaction: the post after it, the
# events it emits, who made it and why.
Change = Callable[[Transaction, Post], Awaitable[tuple[Post, list[PostEvent], str, str]]]


@dataclass(frozen=True)
class NewPost:
    """A post to create: who writes it, for which tenant, and what it says."""

    tenant_id: str
    author_id: str
    content: PostContent
    request_id: str = ""


class ContentUseCases:
    def __init__(
        self, uow: UnitOfWork, stores: Stores, events: PostEvents, charters: CharterService
    ) -> None:
        self.uow = uow
        self.stores = stores
        self.events = events
        self.charters = charters

    async def create_post(self, new: NewPost, status: PostStatus = PostStatus.DRAFT) -> Post:
        valid_tenant(new.tenant_id)
        content = new.content
        validate_content(content, new.author_id)
        async with self.uow.transaction() as transaction:
            posts = self.stores.posts(transaction)
            if new.request_id:
                # A retried CreatePost (same request_id) returns the first result.
                existing = await posts.find_by_request(new.tenant_id, new.request_id)
                if existing:
                    return existing
            post_id = (
                stable_id("post", new.tenant_id, new.request_id) if new.request_id else new_id()
            )
            post = new_post(post_id, new.tenant_id, new.author_id, content, utcnow(), status)
            await self.add_in(transaction, post, new.request_id)
        trace.get_current_span().set_attribute("chorus.post_id", post.post_id)
        return post

    async def add_in(self, transaction: Transaction, post: Post, request_id: str = "") -> None:
        """A new post inside the caller's transaction (also used by UGC and feeds)."""
        await self.stores.posts(transaction).add(post, request_id or None)
        self.events.emit(transaction, events.PostCreated(post))

    async def _mutate(
        self, tenant_id: str, post_id: str, request_id: str, operation: str, change: Change
    ) -> Post:
        valid_tenant(tenant_id)
        require("post_id", post_id)
        async with self.uow.transaction() as transaction:
            posts = self.stores.posts(transaction)
            requests = self.stores.requests(transaction)
            if await requests.seen(tenant_id, request_id):
                return await posts.get(tenant_id, post_id)  # a retry: the change is already applied
            before = await posts.get(tenant_id, post_id, for_update=True)
            after, emitted, actor, reason = await change(transaction, before)
            await posts.save(after, new_version=after.version != before.version)
            if after.status is not before.status or operation in ("approve_step", "comment"):
                step = reason if operation == "approve_step" else ""
                await posts.audit(
                    after, before.status, actor, reason="" if step else reason, step=step
                )
            for event in emitted:
                self.events.emit(transaction, event)
            await requests.record(tenant_id, request_id, operation, post_id, utcnow())
        trace.get_current_span().set_attribute("chorus.post_id", post_id)
        return after

    async def update_post(
        self,
        tenant_id: str,
        post_id: str,
        actor_id: str,
        content: PostContent,
        expected_version: int = 0,
        request_id: str = "",
    ) -> Post:
        require("actor_id", actor_id)

        async def change(
            transaction: Transaction, before: Post
        ) -> tuple[Post, list[PostEvent], str, str]:
            if expected_version and before.version != expected_version:
                raise FailedPrecondition(
                    f"post is at version {before.version}, not {expected_version}; reload it"
                )
            validate_content(content, before.author_id)
            after = before.edit(content, utcnow())
            return after, [events.PostUpdated(after)], actor_id, "edited"

        return await self._mutate(tenant_id, post_id, request_id, "update", change)

    async def submit_post(
        self, tenant_id: str, post_id: str, actor_id: str, request_id: str = ""
    ) -> Post:
        async def change(
            transaction: Transaction, before: Post
        ) -> tuple[Post, list[PostEvent], str, str]:
            if before.status is PostStatus.IN_REVIEW:
                return before, [], actor_id, ""  # a retried submit is a no-op
            after = before.submit(actor_id, utcnow())
            return after, [events.PostSubmitted(after)], actor_id, ""

        return await self._mutate(tenant_id, post_id, request_id, "submit", change)

    async def approve_post(
        self,
        tenant_id: str,
        post_id: str,
        approver_id: str,
        step: str = "",
        comment: str = "",
        request_id: str = "",
    ) -> Post:
        async def change(
            transaction: Transaction, before: Post
        ) -> tuple[Post, list[PostEvent], str, str]:
            if before.status is PostStatus.APPROVED and before.approver_id == approver_id:
                return before, [], approver_id, ""  # a retried approval is a no-op
            chain = await self.stores.chains(transaction).steps(tenant_id, before.kind.value)
            after = before.approve(approver_id, utcnow(), step, chain)
            found = blocking(await self.charters.check_post(transaction, before))
            if found:
                first = found[0]
                raise FailedPrecondition(
                    "post is in_review with a blocking charter violation: "
                    f"{first.rule_id} {first.message} in {first.field} "
                    f"[{first.start}:{first.end}] ({len(found)} blocking in total)"
                )
            step_name = (chain or ("review",))[before.review_step]
            emitted: list[PostEvent] = [
                events.PostApproved(after, chain)
                if after.status is PostStatus.APPROVED
                else events.PostStepApproved(after, step_name, chain[after.review_step])
            ]
            if comment:
                await self._comment(transaction, after, approver_id, comment)
            return after, emitted, approver_id, step_name

        return await self._mutate(tenant_id, post_id, request_id, "approve_step", change)

    async def request_changes(
        self, tenant_id: str, post_id: str, reviewer_id: str, comment: str, request_id: str = ""
    ) -> Post:
        async def change(
            transaction: Transaction, before: Post
        ) -> tuple[Post, list[PostEvent], str, str]:
            after = before.request_changes(reviewer_id, comment, utcnow())
            await self._comment(transaction, after, reviewer_id, comment)
            return after, [events.PostChangesRequested(after, comment)], reviewer_id, comment

        return await self._mutate(tenant_id, post_id, request_id, "request_changes", change)

    async def reject_post(
        self, tenant_id: str, post_id: str, reviewer_id: str, reason: str, request_id: str = ""
    ) -> Post:
        async def change(
            transaction: Transaction, before: Post
        ) -> tuple[Post, list[PostEvent], str, str]:
            after = before.reject(reviewer_id, reason, utcnow())
            return after, [events.PostRejected(after, reason)], reviewer_id, reason

        return await self._mutate(tenant_id, post_id, request_id, "reject", change)

    async def archive_post(
        self, tenant_id: str, post_id: str, actor_id: str, request_id: str = ""
    ) -> Post:
        async def change(
            transaction: Transaction, before: Post
        ) -> tuple[Post, list[PostEvent], str, str]:
            if before.status is PostStatus.ARCHIVED:
                return before, [], actor_id, ""
            after = before.archive(actor_id, utcnow())
            return after, [events.PostArchived(after)], actor_id, ""

        return await self._mutate(tenant_id, post_id, request_id, "archive", change)

    async def _comment(
        self, transaction: Transaction, post: Post, author_id: str, text: str
    ) -> None:
        await self.stores.posts(transaction).add_comment(
            Comment(
                comment_id=new_id(),
                tenant_id=post.tenant_id,
                post_id=post.post_id,
                version=post.version,
                author_id=author_id,
                text=text,
                at=utcnow(),
            )
        )

    async def set_approval_chain(
        self, tenant_id: str, kind: str, steps: tuple[str, ...]
    ) -> tuple[str, ...]:
        valid_tenant(tenant_id)
        cleaned = tuple(s.strip() for s in steps)
        if any(not s for s in cleaned) or len(set(cleaned)) != len(cleaned) or len(cleaned) > 10:
            raise InvalidArgument("chain.steps", "steps must be 0..10 distinct non-empty names")
        async with self.uow.transaction() as transaction:
            await self.stores.chains(transaction).save(tenant_id, kind, cleaned)
        return cleaned

    async def approval_chains(self, tenant_id: str) -> dict[str, tuple[str, ...]]:
        valid_tenant(tenant_id)
        async with self.uow.session() as session:
            return await self.stores.chains(session).all(tenant_id)

    async def chain_for(self, post: Post) -> tuple[str, ...]:
        async with self.uow.session() as session:
            return await self.stores.chains(session).steps(post.tenant_id, post.kind.value)
