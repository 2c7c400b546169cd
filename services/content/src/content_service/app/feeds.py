"""Curated content: RSS/Atom subscriptions whose new items become draft
posts (kind curated) for the comms team to review."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from chorus_core.clock import utcnow
from chorus_core.errors import DomainError, InvalidArgument, NotFound, PermissionDenied
from chorus_core.ids import new_id, stable_id
from chorus_core.validation import language_code, require
from chorus_core.validation import tenant_id as valid_tenant
from chorus_runtime.periodic import TickLoop
from sqlalchemy import select
from sqlmodel import col

from content_service.adapters.feed_fetcher import FeedFetchError, fetch_feed
from content_service.adapters.feed_tables import FeedHostsRow, FeedItemRow, FeedRow
from content_service.app.use_cases import ContentUseCases
from content_service.domain.feeds import check_feed_url, parse_feed
from content_service.domain.posts import PostContent, PostKind, new_post

log = logging.getLogger(__name__)
Fetcher = Callable[[str, frozenset[str]], Awaitable[bytes]]
MAX_TITLE = 300
MAX_BODY = 5000


class FeedUseCases:
    def __init__(self, posts: ContentUseCases, fetcher: Fetcher = fetch_feed) -> None:
        self.posts = posts
        self.db = posts.db
        self.fetcher = fetcher

    async def subscribe(
        self,
        tenant_id: str,
        url: str,
        campaign: str,
        source_language: str,
        author_id: str,
        request_id: str = "",
    ) -> FeedRow:
        valid_tenant(tenant_id)
        require("author_id", author_id)
        language_code("source_language", source_language or "en")
        check_feed_url(url)
        feed_id = stable_id("feed", tenant_id, request_id) if request_id else new_id()
        async with self.db.transaction() as session:
            existing = await session.get(FeedRow, feed_id)
            if existing is not None and existing.tenant_id == tenant_id:
                return existing
            row = FeedRow(
                feed_id=feed_id,
                tenant_id=tenant_id,
                url=url.strip(),
                campaign=campaign.strip(),
                source_language=source_language or "en",
                author_id=author_id,
            )
            session.add(row)
        return row

    async def feeds(self, tenant_id: str) -> list[FeedRow]:
        valid_tenant(tenant_id)
        async with self.db.session() as session:
            query = (
                select(FeedRow)
                .where(col(FeedRow.tenant_id) == tenant_id)
                .order_by(col(FeedRow.feed_id))
            )
            return list((await session.execute(query)).scalars())

    async def set_allowed_hosts(self, tenant_id: str, hosts: list[str]) -> list[str]:
        valid_tenant(tenant_id)
        cleaned = sorted({h.strip().lower().rstrip(".") for h in hosts if h.strip()})
        for host in cleaned:
            if "/" in host or " " in host:
                raise InvalidArgument("hosts", f"{host!r} is not a host name")
        async with self.db.transaction() as session:
            row = await session.get(FeedHostsRow, tenant_id) or FeedHostsRow(
                tenant_id=tenant_id, hosts=[]
            )
            row.hosts = cleaned
            session.add(row)
        return cleaned

    async def poll(self, tenant_id: str, feed_id: str) -> list[str]:
        """Fetch one feed now; returns the ids of the drafts created."""
        valid_tenant(tenant_id)
        async with self.db.session() as session:
            feed = await session.get(FeedRow, feed_id)
            if feed is None or feed.tenant_id != tenant_id:
                raise NotFound("feed", feed_id)
            hosts_row = await session.get(FeedHostsRow, tenant_id)
        allowed = frozenset(hosts_row.hosts if hosts_row else ())
        refused: PermissionDenied | None = None
        try:
            items = parse_feed(await self.fetcher(feed.url, allowed))
            error = ""
        except (FeedFetchError, InvalidArgument) as failure:
            items, error = [], str(failure)
        except PermissionDenied as failure:
            items, error, refused = [], failure.message, failure
        created: list[str] = []
        async with self.db.transaction() as session:
            row = await session.get(FeedRow, feed_id)
            assert row is not None
            for item in items:
                if await session.get(FeedItemRow, (tenant_id, feed_id, item.key)) is not None:
                    continue
                content = PostContent(
                    title=item.title[:MAX_TITLE],
                    body=(item.summary or item.title)[:MAX_BODY],
                    link=item.link if item.link.startswith(("https://", "http://")) else "",
                    source_language=row.source_language,
                    kind=PostKind.CURATED,
                    campaign=row.campaign,
                )
                post_id = stable_id("feed-item", tenant_id, feed_id, item.key)
                await self.posts.add_in(
                    session, new_post(post_id, tenant_id, row.author_id, content, utcnow())
                )
                session.add(
                    FeedItemRow(
                        tenant_id=tenant_id, feed_id=feed_id, item_key=item.key, post_id=post_id
                    )
                )
                created.append(post_id)
            row.last_polled_at = utcnow()
            row.last_error = error
            row.items_imported += len(created)
            session.add(row)
        if error:
            log.warning(
                "feed poll failed", extra={"chorus": {"feed_id": feed_id, "error": error[:200]}}
            )
        if refused is not None:
            raise refused  # recorded on the feed, and the caller is told why
        return created

    async def poll_all(self) -> int:
        """Every feed of every tenant (the background poller)."""
        async with self.db.session() as session:
            feeds = [
                (f.tenant_id, f.feed_id) for f in (await session.execute(select(FeedRow))).scalars()
            ]
        total = 0
        for tenant_id, feed_id in feeds:
            try:
                total += len(await self.poll(tenant_id, feed_id))
            except DomainError:
                continue  # recorded on that feed; the others go on
        return total


class FeedPolling(TickLoop):
    """The background poller: every feed of every tenant, every tick."""

    tick_done_message = "feed items imported"

    def __init__(self, feeds: FeedUseCases, *, tick_seconds: float) -> None:
        self.feeds = feeds
        self.tick_seconds = tick_seconds
        self._stopping = asyncio.Event()

    async def tick(self, now: datetime) -> int:
        return await self.feeds.poll_all()
