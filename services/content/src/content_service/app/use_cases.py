"""Post use cases: each one transaction, events through the outbox, every
transition in the audit trail, every mutating call idempotent by request_id."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from chorus.content.v1 import content_events_pb2 as events
from chorus_core.clock import utcnow
from chorus_core.errors import FailedPrecondition, InvalidArgument
from chorus_core.ids import new_id, stable_id
from chorus_core.prototime import to_timestamp
from chorus_core.validation import require
from chorus_core.validation import tenant_id as valid_tenant
from chorus_db import Database
from chorus_messaging import Outbox
from chorus_messaging.topics import POSTS
from google.protobuf.message import Message
from opentelemetry import trace
from sqlalchemy.ext.asyncio import AsyncSession

from content_service.adapters.charters import ChainRepository, RequestRepository
from content_service.adapters.messages import KIND_TO_PB, STATUS_TO_PB, post_to_pb
from content_service.adapters.repository import PostRepository
from content_service.app.charters import CharterService
from content_service.app.records import Comment
from content_service.domain.charter import blocking
from content_service.domain.posts import (
    Post,
    PostContent,
    PostStatus,
    new_post,
    validate_content,
)

Change = Callable[[AsyncSession, Post], Awaitable[tuple[Post, list[Message], str, str]]]


@dataclass(frozen=True)
class NewPost:
    """A post to create: who writes it, for which tenant, and what it says."""

    tenant_id: str
    author_id: str
    content: PostContent
    request_id: str = ""


class ContentUseCases:
    def __init__(self, db: Database, outbox: Outbox, charters: CharterService) -> None:
        self.db = db
        self.outbox = outbox
        self.charters = charters

    def emit(self, session: AsyncSession, post: Post, event: Message) -> None:
        self.outbox.add(
            session, topic=POSTS, key=post.post_id, tenant_id=post.tenant_id, event=event
        )

    async def create_post(self, new: NewPost, status: PostStatus = PostStatus.DRAFT) -> Post:
        valid_tenant(new.tenant_id)
        content = new.content
        validate_content(content, new.author_id)
        async with self.db.transaction() as session:
            posts = PostRepository(session)
            if new.request_id:
                # A retried CreatePost (same request_id) returns the first result.
                existing = await posts.find_by_request(new.tenant_id, new.request_id)
                if existing:
                    return existing
            post_id = (
                stable_id("post", new.tenant_id, new.request_id) if new.request_id else new_id()
            )
            post = new_post(post_id, new.tenant_id, new.author_id, content, utcnow(), status)
            await self.add_in(session, post, new.request_id)
        trace.get_current_span().set_attribute("chorus.post_id", post.post_id)
        return post

    async def add_in(self, session: AsyncSession, post: Post, request_id: str = "") -> None:
        """A new post inside the caller's transaction (also used by UGC and feeds)."""
        await PostRepository(session).add(post, request_id or None)
        self.emit(
            session,
            post,
            events.PostCreated(
                tenant_id=post.tenant_id,
                post_id=post.post_id,
                version=post.version,
                kind=KIND_TO_PB[post.kind],
                created_at=to_timestamp(post.created_at),
            ),
        )

    async def _mutate(
        self, tenant_id: str, post_id: str, request_id: str, operation: str, change: Change
    ) -> Post:
        valid_tenant(tenant_id)
        require("post_id", post_id)
        async with self.db.transaction() as session:
            posts = PostRepository(session)
            requests = RequestRepository(session)
            if await requests.seen(tenant_id, request_id):
                return await posts.get(tenant_id, post_id)  # a retry: the change is already applied
            before = await posts.get(tenant_id, post_id, for_update=True)
            after, emitted, actor, reason = await change(session, before)
            await posts.save(after, new_version=after.version != before.version)
            if after.status is not before.status or operation in ("approve_step", "comment"):
                step = reason if operation == "approve_step" else ""
                await posts.audit(
                    after, before.status, actor, reason="" if step else reason, step=step
                )
            for event in emitted:
                self.emit(session, after, event)
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
            session: AsyncSession, before: Post
        ) -> tuple[Post, list[Message], str, str]:
            if expected_version and before.version != expected_version:
                raise FailedPrecondition(
                    f"post is at version {before.version}, not {expected_version}; reload it"
                )
            validate_content(content, before.author_id)
            after = before.edit(content, utcnow())
            event = events.PostUpdated(
                tenant_id=tenant_id,
                post_id=post_id,
                version=after.version,
                status=STATUS_TO_PB[after.status],
                updated_at=to_timestamp(after.updated_at),
            )
            return after, [event], actor_id, "edited"

        return await self._mutate(tenant_id, post_id, request_id, "update", change)

    async def submit_post(
        self, tenant_id: str, post_id: str, actor_id: str, request_id: str = ""
    ) -> Post:
        async def change(
            session: AsyncSession, before: Post
        ) -> tuple[Post, list[Message], str, str]:
            if before.status is PostStatus.IN_REVIEW:
                return before, [], actor_id, ""  # a retried submit is a no-op
            after = before.submit(actor_id, utcnow())
            event = events.PostSubmitted(
                tenant_id=tenant_id,
                post_id=post_id,
                version=after.version,
                submitted_at=to_timestamp(after.updated_at),
            )
            return after, [event], actor_id, ""

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
            session: AsyncSession, before: Post
        ) -> tuple[Post, list[Message], str, str]:
            if before.status is PostStatus.APPROVED and before.approver_id == approver_id:
                return before, [], approver_id, ""  # a retried approval is a no-op
            chain = await ChainRepository(session).steps(tenant_id, before.kind.value)
            after = before.approve(approver_id, utcnow(), step, chain)
            found = blocking(await self.charters.check_post(session, before))
            if found:
                first = found[0]
                raise FailedPrecondition(
                    f"post is in_review with a blocking charter violation: {first.rule_id} {first.message} in "
                    f"{first.field} [{first.start}:{first.end}] ({len(found)} blocking in total)"
                )
            step_name = (chain or ("review",))[before.review_step]
            if after.status is PostStatus.APPROVED:
                emitted: list[Message] = [
                    events.PostApproved(
                        tenant_id=tenant_id,
                        post=post_to_pb(after, chain),
                        approved_at=to_timestamp(after.updated_at),
                    )
                ]
            else:
                emitted = [
                    events.PostStepApproved(
                        tenant_id=tenant_id,
                        post_id=post_id,
                        version=after.version,
                        step=step_name,
                        next_step=chain[after.review_step],
                        approved_at=to_timestamp(after.updated_at),
                    )
                ]
            if comment:
                await self._comment(session, after, approver_id, comment)
            return after, emitted, approver_id, step_name

        return await self._mutate(tenant_id, post_id, request_id, "approve_step", change)

    async def request_changes(
        self, tenant_id: str, post_id: str, reviewer_id: str, comment: str, request_id: str = ""
    ) -> Post:
        async def change(
            session: AsyncSession, before: Post
        ) -> tuple[Post, list[Message], str, str]:
            after = before.request_changes(reviewer_id, comment, utcnow())
            await self._comment(session, after, reviewer_id, comment)
            event = events.PostChangesRequested(
                tenant_id=tenant_id,
                post_id=post_id,
                version=after.version,
                comment=comment,
                requested_at=to_timestamp(after.updated_at),
            )
            return after, [event], reviewer_id, comment

        return await self._mutate(tenant_id, post_id, request_id, "request_changes", change)

    async def reject_post(
        self, tenant_id: str, post_id: str, reviewer_id: str, reason: str, request_id: str = ""
    ) -> Post:
        async def change(
            session: AsyncSession, before: Post
        ) -> tuple[Post, list[Message], str, str]:
            after = before.reject(reviewer_id, reason, utcnow())
            event = events.PostRejected(
                tenant_id=tenant_id,
                post_id=post_id,
                version=after.version,
                reason=reason,
                rejected_at=to_timestamp(after.updated_at),
            )
            return after, [event], reviewer_id, reason

        return await self._mutate(tenant_id, post_id, request_id, "reject", change)

    async def archive_post(
        self, tenant_id: str, post_id: str, actor_id: str, request_id: str = ""
    ) -> Post:
        async def change(
            session: AsyncSession, before: Post
        ) -> tuple[Post, list[Message], str, str]:
            if before.status is PostStatus.ARCHIVED:
                return before, [], actor_id, ""
            after = before.archive(actor_id, utcnow())
            event = events.PostArchived(
                tenant_id=tenant_id,
                post_id=post_id,
                version=after.version,
                archived_at=to_timestamp(after.updated_at),
            )
            return after, [event], actor_id, ""

        return await self._mutate(tenant_id, post_id, request_id, "archive", change)

    async def _comment(self, session: AsyncSession, post: Post, author_id: str, text: str) -> None:
        await PostRepository(session).add_comment(
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
        async with self.db.transaction() as session:
            await ChainRepository(session).save(tenant_id, kind, cleaned)
        return cleaned

    async def approval_chains(self, tenant_id: str) -> dict[str, tuple[str, ...]]:
        valid_tenant(tenant_id)
        async with self.db.session() as session:
            return await ChainRepository(session).all(tenant_id)

    async def chain_for(self, post: Post) -> tuple[str, ...]:
        async with self.db.session() as session:
            return await ChainRepository(session).steps(post.tenant_id, post.kind.value)
