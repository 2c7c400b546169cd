"""Posts and charters in the service's own database (tenant-scoped)."""

from __future__ import annotations

from chorus_core.clock import as_utc
from chorus_core.errors import NotFound
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from content_service.adapters.tables import ApprovalAuditRow, CharterRow, PostRow
from content_service.domain.charter import Charter
from content_service.domain.posts import Post, PostStatus, Targeting


def _to_domain(row: PostRow) -> Post:
    return Post(
        post_id=row.post_id,
        tenant_id=row.tenant_id,
        version=row.version,
        title=row.title,
        body=row.body,
        link=row.link,
        source_language=row.source_language,
        network_texts=dict(row.network_texts),
        targeting=Targeting(tuple(row.countries), tuple(row.departments)),
        status=PostStatus(row.status),
        author_id=row.author_id,
        approver_id=row.approver_id,
        created_at=as_utc(row.created_at),
        updated_at=as_utc(row.updated_at),
    )


class PostRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, tenant_id: str, post_id: str, *, for_update: bool = False) -> Post:
        query = select(PostRow).where(PostRow.tenant_id == tenant_id, PostRow.post_id == post_id)
        if for_update:
            query = query.with_for_update()
        row = (await self.session.execute(query)).scalar_one_or_none()
        if row is None:
            raise NotFound("post", post_id)
        return _to_domain(row)

    async def find_by_request(self, tenant_id: str, request_id: str) -> Post | None:
        query = select(PostRow).where(PostRow.tenant_id == tenant_id, PostRow.request_id == request_id)
        row = (await self.session.execute(query)).scalar_one_or_none()
        return _to_domain(row) if row else None

    async def add(self, post: Post, request_id: str | None) -> None:
        self.session.add(
            PostRow(
                post_id=post.post_id,
                tenant_id=post.tenant_id,
                request_id=request_id or None,
                version=post.version,
                title=post.title,
                body=post.body,
                link=post.link,
                source_language=post.source_language,
                network_texts=post.network_texts,
                countries=list(post.targeting.countries),
                departments=list(post.targeting.departments),
                status=post.status.value,
                author_id=post.author_id,
                approver_id=post.approver_id,
                created_at=post.created_at,
                updated_at=post.updated_at,
            )
        )

    async def save_transition(self, before: Post, after: Post, actor_id: str) -> None:
        row = await self.session.get(PostRow, after.post_id)
        assert row is not None and row.tenant_id == after.tenant_id
        row.status = after.status.value
        row.approver_id = after.approver_id
        row.updated_at = after.updated_at
        self.session.add(
            ApprovalAuditRow(
                tenant_id=after.tenant_id,
                post_id=after.post_id,
                version=after.version,
                actor_id=actor_id,
                from_status=before.status.value,
                to_status=after.status.value,
                at=after.updated_at,
            )
        )

    async def list(
        self, tenant_id: str, status: PostStatus | None, limit: int, after_id: str | None
    ) -> list[Post]:
        query = select(PostRow).where(PostRow.tenant_id == tenant_id)
        if status is not None:
            query = query.where(PostRow.status == status.value)
        if after_id:
            query = query.where(PostRow.post_id > after_id)
        query = query.order_by(PostRow.post_id).limit(limit)  # type: ignore[arg-type]
        return [_to_domain(r) for r in (await self.session.execute(query)).scalars()]


class CharterRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, tenant_id: str) -> Charter:
        row = await self.session.get(CharterRow, tenant_id)
        if row is None:
            return Charter()
        return Charter(tuple(row.blocked_phrases), dict(row.max_length), row.version)

    async def save(self, tenant_id: str, charter: Charter) -> Charter:
        row = await self.session.get(CharterRow, tenant_id)
        version = (row.version if row else 0) + 1
        if row is None:
            row = CharterRow(tenant_id=tenant_id, version=version, blocked_phrases=[], max_length={})
        row.version = version
        row.blocked_phrases = list(charter.blocked_phrases)
        row.max_length = dict(charter.max_length)
        self.session.add(row)
        return Charter(charter.blocked_phrases, dict(charter.max_length), version)
