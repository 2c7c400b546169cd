"""Posts, their versions, audit trail and comments (tenant-scoped)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from chorus_core.errors import NotFound
from sqlalchemy import and_, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from content_service.adapters.codec import content_to_doc
from content_service.adapters.post_rows import (
    at_version,
    audit_entry_from_row,
    comment_from_row,
    fill_row,
    post_from_row,
)
from content_service.adapters.tables import ApprovalAuditRow, CommentRow, PostRow, PostVersionRow
from content_service.app.records import AuditEntry, Comment
from content_service.domain.posts import Post, PostKind, PostStatus
from content_service.domain.search import search_text


class PostRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.is_sqlite = session.bind.dialect.name == "sqlite"

    async def get(self, tenant_id: str, post_id: str, *, for_update: bool = False) -> Post:
        return post_from_row(await self._row(tenant_id, post_id, for_update=for_update))

    async def _row(self, tenant_id: str, post_id: str, *, for_update: bool = False) -> PostRow:
        query = select(PostRow).where(
            col(PostRow.tenant_id) == tenant_id, col(PostRow.post_id) == post_id
        )
        if for_update:
            query = query.with_for_update()
        row = (await self.session.execute(query)).scalar_one_or_none()
        if row is None:
            raise NotFound("post", post_id)
        return row

    async def find_by_request(self, tenant_id: str, request_id: str) -> Post | None:
        query = select(PostRow).where(
            col(PostRow.tenant_id) == tenant_id, col(PostRow.request_id) == request_id
        )
        row = (await self.session.execute(query)).scalar_one_or_none()
        return post_from_row(row) if row else None

    async def add(self, post: Post, request_id: str | None) -> None:
        row = PostRow(
            post_id=post.post_id,
            tenant_id=post.tenant_id,
            request_id=request_id or None,
            version=post.version,
            title="",
            body="",
            link="",
            source_language="",
            network_texts={},
            countries=[],
            departments=[],
            status="",
            author_id=post.author_id,
            created_at=post.created_at,
            updated_at=post.updated_at,
        )
        fill_row(row, post)
        self.session.add(row)
        await self._version(post)
        await self._index(post)

    async def save(self, post: Post, *, new_version: bool = False) -> None:
        row = await self._row(post.tenant_id, post.post_id)
        fill_row(row, post)
        if new_version:
            await self._version(post)
            await self._index(post)

    async def redact(self, post: Post) -> None:
        """Overwrite the post's text in the head, in every stored version and
        in the search index (the erasure of an unapproved UGC proposal)."""
        await self.save(post)
        doc = content_to_doc(post.content)
        versions = select(PostVersionRow).where(
            col(PostVersionRow.tenant_id) == post.tenant_id,
            col(PostVersionRow.post_id) == post.post_id,
        )
        for row in (await self.session.execute(versions)).scalars():
            row.content = dict(doc)
            self.session.add(row)
        await self._index(post)

    async def _version(self, post: Post) -> None:
        self.session.add(
            PostVersionRow(
                tenant_id=post.tenant_id,
                post_id=post.post_id,
                version=post.version,
                content=content_to_doc(post.content),
                author_id=post.author_id,
                created_at=post.updated_at,
            )
        )

    async def _index(self, post: Post) -> None:
        """SQLite keeps its FTS5 index in a separate table, maintained here in
        the same transaction; PostgreSQL indexes the column itself."""
        if not self.is_sqlite:
            return
        await self.session.execute(
            text("DELETE FROM content_posts_fts WHERE post_id = :p AND tenant_id = :t"),
            {"p": post.post_id, "t": post.tenant_id},
        )
        await self.session.execute(
            text(
                "INSERT INTO content_posts_fts (post_id, tenant_id, search_text)"
                " VALUES (:p, :t, :s)"
            ),
            {"p": post.post_id, "t": post.tenant_id, "s": search_text(post)},
        )

    async def version(self, tenant_id: str, post_id: str, version: int) -> Post:
        head = await self.get(tenant_id, post_id)
        row = await self.session.get(PostVersionRow, (tenant_id, post_id, version))
        if row is None:
            raise NotFound("post version", f"{post_id}@{version}")
        return at_version(head, row)

    async def versions(self, tenant_id: str, post_id: str) -> list[Post]:
        head = await self.get(tenant_id, post_id)
        query = (
            select(PostVersionRow)
            .where(
                col(PostVersionRow.tenant_id) == tenant_id, col(PostVersionRow.post_id) == post_id
            )
            .order_by(col(PostVersionRow.version))
        )
        return [at_version(head, r) for r in (await self.session.execute(query)).scalars()]

    async def audit(
        self, post: Post, before: PostStatus, actor_id: str, *, reason: str = "", step: str = ""
    ) -> None:
        self.session.add(
            ApprovalAuditRow(
                tenant_id=post.tenant_id,
                post_id=post.post_id,
                version=post.version,
                actor_id=actor_id,
                from_status=before.value,
                to_status=post.status.value,
                at=post.updated_at,
                reason=reason,
                step=step,
            )
        )

    async def audit_trail(self, tenant_id: str, post_id: str = "") -> list[AuditEntry]:
        query = select(ApprovalAuditRow).where(col(ApprovalAuditRow.tenant_id) == tenant_id)
        if post_id:
            query = query.where(col(ApprovalAuditRow.post_id) == post_id)
        query = query.order_by(col(ApprovalAuditRow.id))
        return [audit_entry_from_row(r) for r in (await self.session.execute(query)).scalars()]

    async def add_comment(self, comment: Comment) -> None:
        self.session.add(
            CommentRow(
                comment_id=comment.comment_id,
                tenant_id=comment.tenant_id,
                post_id=comment.post_id,
                version=comment.version,
                author_id=comment.author_id,
                text=comment.text,
                at=comment.at,
            )
        )

    async def comments(self, tenant_id: str, post_id: str) -> list[Comment]:
        query = (
            select(CommentRow)
            .where(col(CommentRow.tenant_id) == tenant_id, col(CommentRow.post_id) == post_id)
            .order_by(col(CommentRow.at), col(CommentRow.comment_id))
        )
        return [comment_from_row(r) for r in (await self.session.execute(query)).scalars()]

    async def page(
        self,
        tenant_id: str,
        status: PostStatus | None,
        limit: int,
        after_id: str | None,
        kind: PostKind | None = None,
    ) -> list[Post]:
        query = select(PostRow).where(col(PostRow.tenant_id) == tenant_id)
        if status is not None:
            query = query.where(col(PostRow.status) == status.value)
        if kind is not None:
            query = query.where(col(PostRow.kind) == kind.value)
        if after_id:
            query = query.where(col(PostRow.post_id) > after_id)
        query = query.order_by(col(PostRow.post_id)).limit(limit)
        return [post_from_row(r) for r in (await self.session.execute(query)).scalars()]

    async def expiring(self, now: datetime, limit: int) -> list[Post]:
        """Live posts whose expiry has passed -- across tenants: the expiry job
        serves them all, and every later write is scoped to the post's tenant."""
        query = (
            select(PostRow)
            .where(
                col(PostRow.status).in_([PostStatus.APPROVED.value, PostStatus.IN_REVIEW.value]),
                col(PostRow.expires_at).is_not(None),
                col(PostRow.expires_at) <= now,
            )
            .order_by(col(PostRow.expires_at))
            .limit(limit)
        )
        return [post_from_row(r) for r in (await self.session.execute(query)).scalars()]

    async def by_author(self, tenant_id: str, author_id: str) -> list[Post]:
        query = select(PostRow).where(
            col(PostRow.tenant_id) == tenant_id, col(PostRow.author_id) == author_id
        )
        return [post_from_row(r) for r in (await self.session.execute(query)).scalars()]

    async def in_window(
        self, tenant_id: str, since: datetime, until: datetime, campaign_ids: Sequence[str]
    ) -> list[Post]:
        starts_before_end = or_(
            and_(col(PostRow.valid_from).is_not(None), col(PostRow.valid_from) < until),
            and_(col(PostRow.valid_from).is_(None), col(PostRow.created_at) < until),
        )
        ends_after_start = or_(col(PostRow.expires_at).is_(None), col(PostRow.expires_at) > since)
        meets = and_(starts_before_end, ends_after_start)
        if campaign_ids:
            meets = or_(meets, col(PostRow.campaign_id).in_(list(campaign_ids)))
        query = (
            select(PostRow)
            .where(col(PostRow.tenant_id) == tenant_id, meets)
            .order_by(col(PostRow.post_id))
        )
        return [post_from_row(r) for r in (await self.session.execute(query)).scalars()]
