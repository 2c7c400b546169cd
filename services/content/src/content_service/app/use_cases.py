"""Content use cases: each one transaction, events through the outbox."""

from __future__ import annotations

from dataclasses import dataclass

from chorus.content.v1 import content_events_pb2 as events
from chorus_core.clock import utcnow
from chorus_core.errors import FailedPrecondition, InvalidArgument
from chorus_core.ids import new_id, stable_id
from chorus_core.validation import tenant_id as valid_tenant
from chorus_db import Database
from chorus_messaging import Outbox
from chorus_messaging.topics import POSTS
from opentelemetry import trace

from content_service.adapters.messages import post_to_pb, timestamp
from content_service.adapters.repository import CharterRepository, PostRepository
from content_service.domain import charter as charter_rules
from content_service.domain.charter import Charter, Violation
from content_service.domain.posts import Post, PostStatus, Targeting, validate_new_post


@dataclass(frozen=True)
class NewPost:
    tenant_id: str
    author_id: str
    title: str
    body: str
    link: str
    source_language: str
    network_texts: dict[str, str]
    targeting: Targeting
    request_id: str = ""


def texts_of(title: str, body: str, network_texts: dict[str, str]) -> dict[str, str]:
    texts = {"title": title, "body": body}
    texts.update({f"network_texts.{n}": t for n, t in network_texts.items()})
    return texts


class ContentUseCases:
    def __init__(self, db: Database, outbox: Outbox) -> None:
        self.db = db
        self.outbox = outbox

    async def create_post(self, new: NewPost) -> Post:
        valid_tenant(new.tenant_id)
        validate_new_post(
            title=new.title,
            body=new.body,
            link=new.link,
            source_language=new.source_language,
            network_texts=new.network_texts,
            targeting=new.targeting,
            author_id=new.author_id,
        )
        async with self.db.transaction() as session:
            posts = PostRepository(session)
            if new.request_id:
                # A retried CreatePost (same request_id) returns the first result.
                existing = await posts.find_by_request(new.tenant_id, new.request_id)
                if existing:
                    return existing
            now = utcnow()
            post = Post(
                post_id=stable_id("post", new.tenant_id, new.request_id) if new.request_id else new_id(),
                tenant_id=new.tenant_id,
                version=1,
                title=new.title.strip(),
                body=new.body,
                link=new.link,
                source_language=new.source_language,
                network_texts=dict(new.network_texts),
                targeting=new.targeting,
                status=PostStatus.DRAFT,
                author_id=new.author_id,
                approver_id="",
                created_at=now,
                updated_at=now,
            )
            await posts.add(post, new.request_id)
        trace.get_current_span().set_attribute("chorus.post_id", post.post_id)
        return post

    async def submit_post(self, tenant_id: str, post_id: str, actor_id: str) -> Post:
        valid_tenant(tenant_id)
        async with self.db.transaction() as session:
            posts = PostRepository(session)
            before = await posts.get(tenant_id, post_id, for_update=True)
            if before.status is PostStatus.IN_REVIEW:
                return before  # a retried submit is a no-op
            after = before.submit(actor_id, utcnow())
            await posts.save_transition(before, after, actor_id)
            self.outbox.add(
                session,
                topic=POSTS,
                key=post_id,
                tenant_id=tenant_id,
                event=events.PostSubmitted(
                    tenant_id=tenant_id, post_id=post_id, version=after.version, submitted_at=timestamp(after.updated_at)
                ),
            )
        return after

    async def approve_post(self, tenant_id: str, post_id: str, approver_id: str) -> Post:
        valid_tenant(tenant_id)
        async with self.db.transaction() as session:
            posts = PostRepository(session)
            before = await posts.get(tenant_id, post_id, for_update=True)
            if before.status is PostStatus.APPROVED and before.approver_id == approver_id:
                return before  # a retried approval is a no-op
            charter = await CharterRepository(session).get(tenant_id)
            blocking = charter_rules.blocking(
                charter_rules.check(charter, texts_of(before.title, before.body, before.network_texts))
            )
            after = before.approve(approver_id, utcnow())
            if blocking:
                first = blocking[0]
                raise FailedPrecondition(
                    f"charter violation blocks approval: {first.message} in {first.field} "
                    f"[{first.start}:{first.end}] ({len(blocking)} blocking in total)"
                )
            await posts.save_transition(before, after, approver_id)
            self.outbox.add(
                session,
                topic=POSTS,
                key=post_id,
                tenant_id=tenant_id,
                event=events.PostApproved(
                    tenant_id=tenant_id, post=post_to_pb(after), approved_at=timestamp(after.updated_at)
                ),
            )
        trace.get_current_span().set_attribute("chorus.post_id", post_id)
        return after

    async def get_post(self, tenant_id: str, post_id: str) -> Post:
        valid_tenant(tenant_id)
        async with self.db.session() as session:
            return await PostRepository(session).get(tenant_id, post_id)

    async def list_posts(
        self, tenant_id: str, status: PostStatus | None, page_size: int, page_token: str
    ) -> tuple[list[Post], str]:
        valid_tenant(tenant_id)
        if page_size < 0 or page_size > 500:
            raise InvalidArgument("page_size", "must be between 0 and 500")
        limit = page_size or 50
        async with self.db.session() as session:
            page = await PostRepository(session).list(tenant_id, status, limit, page_token or None)
        return page, (page[-1].post_id if len(page) == limit else "")

    async def check_compliance(
        self, tenant_id: str, title: str, body: str, network_texts: dict[str, str]
    ) -> list[Violation]:
        valid_tenant(tenant_id)
        async with self.db.session() as session:
            charter = await CharterRepository(session).get(tenant_id)
        return charter_rules.check(charter, texts_of(title, body, network_texts))

    async def set_charter(self, tenant_id: str, charter: Charter) -> Charter:
        valid_tenant(tenant_id)
        for network, limit in charter.max_length.items():
            if limit <= 0:
                raise InvalidArgument(f"charter.max_length.{network}", "must be positive")
        async with self.db.transaction() as session:
            return await CharterRepository(session).save(tenant_id, charter)

    async def get_charter(self, tenant_id: str) -> Charter:
        valid_tenant(tenant_id)
        async with self.db.session() as session:
            return await CharterRepository(session).get(tenant_id)
