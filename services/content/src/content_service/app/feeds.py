"""Curated content: RSS/Atom subscriptions whose new items become draft
posts (kind curated) for the comms team to review. A comms manager
subscribes (the drafts go under their name) and polls; the tenant admin sets
the hosts allowed to resolve to private addresses (app/policy.py). Both
changes are in the tenant's audit log (a feed by its host only: a feed URL
may carry a key in its query)."""

from __future__ import annotations

import logging
from datetime import datetime
from urllib.parse import urlsplit

from chorus_core.clock import utcnow
from chorus_core.errors import DomainError, InvalidArgument, NotFound, PermissionDenied
from chorus_core.ids import new_id, stable_id
from chorus_core.validation import language_code
from chorus_core.validation import tenant_id as valid_tenant
from chorus_identity.policy import actor_id
from chorus_identity.principal import Principal
from chorus_runtime.periodic import TickLoop

from content_service.app import policy
from content_service.app.ports import FeedFetcher, FeedFetchError
from content_service.app.records import Feed
from content_service.app.use_cases import ContentUseCases
from content_service.domain.feeds import check_feed_url, parse_feed
from content_service.domain.posts import PostContent, PostKind, new_post

log = logging.getLogger(__name__)
MAX_TITLE = 300
MAX_BODY = 5000


class FeedUseCases:
    def __init__(self, posts: ContentUseCases, fetcher: FeedFetcher) -> None:
        self.posts = posts
        self.uow = posts.uow
        self.stores = posts.stores
        self.fetcher = fetcher

    async def subscribe(
        self,
        actor: Principal,
        tenant_id: str,
        url: str,
        campaign: str,
        source_language: str,
        request_id: str = "",
    ) -> Feed:
        tenant_id = policy.comms(actor, tenant_id)
        valid_tenant(tenant_id)
        author_id = actor_id(actor)
        language_code("source_language", source_language or "en")
        check_feed_url(url)
        feed_id = stable_id("feed", tenant_id, request_id) if request_id else new_id()
        async with self.uow.transaction() as transaction:
            feeds = self.stores.feeds(transaction)
            existing = await feeds.get(tenant_id, feed_id)
            if existing is not None:
                return existing  # a retried subscribe (same request_id)
            feed = Feed(
                feed_id=feed_id,
                tenant_id=tenant_id,
                url=url.strip(),
                campaign=campaign.strip(),
                source_language=source_language or "en",
                author_id=author_id,
            )
            await feeds.add(feed)
            self.posts.audit.record(
                transaction,
                tenant_id=tenant_id,
                action="feed.subscribe",
                target_type="feed",
                target_id=feed_id,
                before=None,
                after={
                    "host": urlsplit(feed.url).hostname or "",
                    "source_language": feed.source_language,
                    "campaign": bool(feed.campaign),
                },
                request_id=request_id,
            )
        return feed

    async def feeds(self, actor: Principal, tenant_id: str) -> list[Feed]:
        tenant_id = policy.staff(actor, tenant_id)
        valid_tenant(tenant_id)
        async with self.uow.session() as session:
            return await self.stores.feeds(session).of_tenant(tenant_id)

    async def set_allowed_hosts(
        self, actor: Principal, tenant_id: str, hosts: list[str], request_id: str = ""
    ) -> list[str]:
        tenant_id = policy.admin(actor, tenant_id)
        valid_tenant(tenant_id)
        cleaned = sorted({h.strip().lower().rstrip(".") for h in hosts if h.strip()})
        for host in cleaned:
            if "/" in host or " " in host:
                raise InvalidArgument("hosts", f"{host!r} is not a host name")
        async with self.uow.transaction() as transaction:
            feeds = self.stores.feeds(transaction)
            before = await feeds.allowed_hosts(tenant_id)
            await feeds.set_allowed_hosts(tenant_id, cleaned)
            self.posts.audit.record(
                transaction,
                tenant_id=tenant_id,
                action="feed_allow_list.set",
                target_type="feed_allow_list",
                target_id=tenant_id,
                before={"hosts": sorted(before)},
                after={"hosts": cleaned},
                request_id=request_id,
            )
        return cleaned

    async def poll(self, actor: Principal, tenant_id: str, feed_id: str) -> list[str]:
        """Fetch one feed now; returns the ids of the drafts created."""
        return await self.poll_one(policy.comms(actor, tenant_id), feed_id)

    async def poll_one(self, tenant_id: str, feed_id: str) -> list[str]:
        """One feed, by the service itself (the background poller) or for a caller allowed."""
        valid_tenant(tenant_id)
        async with self.uow.session() as session:
            feeds = self.stores.feeds(session)
            feed = await feeds.get(tenant_id, feed_id)
            if feed is None:
                raise NotFound("feed", feed_id)
            allowed = await feeds.allowed_hosts(tenant_id)
        refused: PermissionDenied | None = None
        try:
            items = parse_feed(await self.fetcher(feed.url, allowed))
            error = ""
        except (FeedFetchError, InvalidArgument) as failure:
            items, error = [], str(failure)
        except PermissionDenied as failure:
            items, error, refused = [], failure.message, failure
        created: list[str] = []
        async with self.uow.transaction() as transaction:
            feeds = self.stores.feeds(transaction)
            for item in items:
                if await feeds.imported(tenant_id, feed_id, item.key):
                    continue
                content = PostContent(
                    title=item.title[:MAX_TITLE],
                    body=(item.summary or item.title)[:MAX_BODY],
                    link=item.link if item.link.startswith(("https://", "http://")) else "",
                    source_language=feed.source_language,
                    kind=PostKind.CURATED,
                    campaign=feed.campaign,
                )
                post_id = stable_id("feed-item", tenant_id, feed_id, item.key)
                await self.posts.add_in(
                    transaction, new_post(post_id, tenant_id, feed.author_id, content, utcnow())
                )
                await feeds.add_item(tenant_id, feed_id, item.key, post_id)
                created.append(post_id)
            await feeds.polled(tenant_id, feed_id, utcnow(), error, len(created))
        if error:
            log.warning(
                "feed poll failed", extra={"chorus": {"feed_id": feed_id, "error": error[:200]}}
            )
        if refused is not None:
            raise refused  # recorded on the feed, and the caller is told why
        return created

    async def poll_all(self) -> int:
        """Every feed of every tenant (the background poller)."""
        async with self.uow.session() as session:
            feeds = await self.stores.feeds(session).every()
        total = 0
        for tenant_id, feed_id in feeds:
            try:
                total += len(await self.poll_one(tenant_id, feed_id))
            except DomainError:
                continue  # recorded on that feed; the others go on
        return total


class FeedPolling(TickLoop):
    """The background poller: every feed of every tenant, every tick."""

    tick_done_message = "feed items imported"

    def __init__(self, feeds: FeedUseCases, *, tick_seconds: float) -> None:
        self.feeds = feeds
        super().__init__(tick_seconds)

    async def tick(self, now: datetime) -> int:
        return await self.feeds.poll_all()
