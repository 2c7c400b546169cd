"""What publishing says of a due share, kept on it so the employee (GetShare,
ListShares) and the comms team see it: "deferred until T, because …" while
a budget holds it back (ShareDeferred), "waiting since T for a reconnection,
because …" while its account's token is refused (ShareHeld), nothing once it
is out (SharePublished, ShareFailed). Each replaces the one before (a share's
events come in order: keyed by its id). Applied in the event's transaction;
a share this deployment does not hold (another region's, or erased since) is
skipped. A campaign's SharePublished come by the thousand: `out` takes a
batch of them in one statement."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from chorus_db.ports import Transaction

from scheduling_service.app.ports import DeliveryNews, Stores

__all__ = ["Delivery", "DeliveryNews"]

log = logging.getLogger(__name__)


class Delivery:
    def __init__(self, stores: Stores) -> None:
        self.stores = stores

    async def apply(self, transaction: Transaction, news: DeliveryNews) -> None:
        found = await self.stores.shares(transaction).note_delivery(news)
        if not found:
            log.info(
                "publishing news for a share not held here",
                extra={"chorus": {"share_id": news.share_id}},
            )

    async def out(self, transaction: Transaction, tenant_id: str, share_ids: Sequence[str]) -> None:
        """These shares are out (published): nothing is noted on them any more."""
        await self.stores.shares(transaction).clear_notes(tenant_id, share_ids)
