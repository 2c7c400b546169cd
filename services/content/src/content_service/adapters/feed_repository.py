"""Feed subscriptions, the items already imported and the tenant's allow-list
of feed hosts, in the content database (tenant-scoped)."""

from __future__ import annotations

from datetime import datetime

from chorus_core.clock import as_utc
from chorus_core.errors import NotFound
from chorus_db import exclusive
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from content_service.adapters.feed_tables import FeedHostsRow, FeedItemRow, FeedRow
from content_service.app.records import Feed


class FeedRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, tenant_id: str, feed_id: str) -> Feed | None:
        row = await self._row(tenant_id, feed_id)
        return _feed(row) if row is not None else None

    async def _row(self, tenant_id: str, feed_id: str) -> FeedRow | None:
        row = await self.session.get(FeedRow, feed_id)
        return row if row is not None and row.tenant_id == tenant_id else None

    async def add(self, feed: Feed) -> None:
        self.session.add(
            FeedRow(
                feed_id=feed.feed_id,
                tenant_id=feed.tenant_id,
                url=feed.url,
                campaign=feed.campaign,
                source_language=feed.source_language,
                author_id=feed.author_id,
            )
        )

    async def of_tenant(self, tenant_id: str) -> list[Feed]:
        query = (
            select(FeedRow)
            .where(col(FeedRow.tenant_id) == tenant_id)
            .order_by(col(FeedRow.feed_id))
        )
        return [_feed(r) for r in (await self.session.execute(query)).scalars()]

    async def every(self) -> list[tuple[str, str]]:
        rows = (await self.session.execute(select(FeedRow))).scalars()
        return [(r.tenant_id, r.feed_id) for r in rows]

    async def allowed_hosts(self, tenant_id: str) -> frozenset[str]:
        row = await self.session.get(FeedHostsRow, tenant_id)
        return frozenset(row.hosts if row else ())

    async def set_allowed_hosts(self, tenant_id: str, hosts: list[str]) -> None:
        # Two first saves at once would both create the row.
        await exclusive(self.session, f"content.feed_allowed_hosts/{tenant_id}")
        row = await self.session.get(FeedHostsRow, tenant_id) or FeedHostsRow(
            tenant_id=tenant_id, hosts=[]
        )
        row.hosts = list(hosts)
        self.session.add(row)

    async def imported(self, tenant_id: str, feed_id: str, item_key: str) -> bool:
        return await self.session.get(FeedItemRow, (tenant_id, feed_id, item_key)) is not None

    async def add_item(self, tenant_id: str, feed_id: str, item_key: str, post_id: str) -> None:
        self.session.add(
            FeedItemRow(tenant_id=tenant_id, feed_id=feed_id, item_key=item_key, post_id=post_id)
        )

    async def polled(
        self, tenant_id: str, feed_id: str, at: datetime, error: str, imported: int
    ) -> None:
        row = await self._row(tenant_id, feed_id)
        if row is None:
            raise NotFound("feed", feed_id)
        row.last_polled_at = at
        row.last_error = error
        row.items_imported += imported
        self.session.add(row)


def _feed(row: FeedRow) -> Feed:
    return Feed(
        feed_id=row.feed_id,
        tenant_id=row.tenant_id,
        url=row.url,
        campaign=row.campaign,
        source_language=row.source_language,
        author_id=row.author_id,
        last_polled_at=as_utc(row.last_polled_at) if row.last_polled_at else None,
        last_error=row.last_error or "",
        items_imported=row.items_imported,
    )
