"""Full-text search over posts: FTS5 on SQLite, tsvector on PostgreSQL.
Same words indexed, same AND-of-words semantics (see domain/search.py)."""

from __future__ import annotations

from sqlalchemy import String, cast, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from content_service.adapters.post_rows import post_from_row
from content_service.adapters.tables import PostRow
from content_service.domain.posts import Post
from content_service.domain.search import SearchFilters


class SqlPostSearch:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def search(
        self, tenant_id: str, filters: SearchFilters, limit: int, after_id: str
    ) -> list[Post]:
        return await search_posts(self.session, tenant_id, filters, limit, after_id)


async def search_posts(
    session: AsyncSession, tenant_id: str, filters: SearchFilters, limit: int, after_id: str
) -> list[Post]:
    query = select(PostRow).where(col(PostRow.tenant_id) == tenant_id)
    if filters.query_words:
        if session.bind.dialect.name == "sqlite":
            # Each word quoted: FTS5 reads it as a literal token (no operators).
            match = " ".join(f'"{w}"' for w in filters.query_words)
            matching = text(
                "SELECT post_id FROM content_posts_fts"
                " WHERE tenant_id = :tenant AND content_posts_fts MATCH :match"
            ).bindparams(tenant=tenant_id, match=match)
            query = query.where(col(PostRow.post_id).in_(matching.columns(post_id=String)))
        else:
            tsquery = " & ".join(filters.query_words)
            query = query.where(
                func.to_tsvector("simple", func.coalesce(col(PostRow.search_text), "")).op("@@")(
                    func.to_tsquery("simple", tsquery)
                )
            )
    if filters.status is not None:
        query = query.where(col(PostRow.status) == filters.status.value)
    if filters.kind is not None:
        query = query.where(col(PostRow.kind) == filters.kind.value)
    if filters.campaign:
        query = query.where(col(PostRow.campaign) == filters.campaign)
    if filters.language:
        query = query.where(col(PostRow.source_language) == filters.language)
    if filters.channel:
        # JSON list membership, portable: the serialised list contains "channel".
        query = query.where(cast(col(PostRow.channels), String).contains(f'"{filters.channel}"'))
    if filters.created_after:
        query = query.where(col(PostRow.created_at) >= filters.created_after)
    if filters.created_before:
        query = query.where(col(PostRow.created_at) < filters.created_before)
    if after_id:
        query = query.where(col(PostRow.post_id) > after_id)
    query = query.order_by(col(PostRow.post_id)).limit(limit)
    return [post_from_row(r) for r in (await session.execute(query)).scalars()]
