"""The expiry job: a live post whose expires_at has passed becomes expired
(PostExpired through the outbox: it leaves employees' feeds, scheduling
cancels its pending shares). Durable: the state is the row, so a job that
was down catches up on its next tick, and a post expires exactly once."""

from __future__ import annotations

import logging
from datetime import datetime

from chorus_db.ports import UnitOfWork
from chorus_runtime.periodic import TickLoop

from content_service.app import events
from content_service.app.ports import PostEvents, Stores
from content_service.domain.posts import PostStatus

log = logging.getLogger(__name__)
SYSTEM_ACTOR = "system:expiry"


class ExpiryJob(TickLoop):
    tick_done_message = "posts expired"

    def __init__(
        self,
        uow: UnitOfWork,
        stores: Stores,
        events: PostEvents,
        *,
        tick_seconds: float = 30.0,
        batch_size: int = 200,
    ) -> None:
        self.uow = uow
        self.stores = stores
        self.events = events
        self.batch_size = batch_size
        super().__init__(tick_seconds)

    async def tick(self, now: datetime) -> int:
        expired = 0
        while True:
            async with self.uow.transaction() as transaction:
                posts = self.stores.posts(transaction)
                batch = await posts.expiring(now, self.batch_size)
                for post in batch:
                    current = await posts.get(post.tenant_id, post.post_id, for_update=True)
                    if current.status not in (PostStatus.APPROVED, PostStatus.IN_REVIEW):
                        continue  # another replica got there first
                    after = current.expire(now)
                    await posts.save(after)
                    await posts.audit(
                        after, current.status, SYSTEM_ACTOR, reason="expires_at passed"
                    )
                    self.events.emit(transaction, events.PostExpired(after, now))
                    expired += 1
            if len(batch) < self.batch_size:
                return expired
