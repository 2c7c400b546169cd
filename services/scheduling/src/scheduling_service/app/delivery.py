"""What publishing says of a due share, kept on it so the employee (GetShare,
ListShares) and the comms team see it: "deferred until T, because …" while
a budget holds it back (ShareDeferred), nothing once it is out
(SharePublished). Applied in the event's transaction; a share this
deployment does not hold (another region's, or erased since) is skipped."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from chorus_db.ports import Transaction

from scheduling_service.app.ports import Stores

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeliveryNews:
    tenant_id: str
    share_id: str
    deferred_until: datetime | None  # None: published, no longer deferred
    reason: str = ""


class Delivery:
    def __init__(self, stores: Stores) -> None:
        self.stores = stores

    async def apply(self, transaction: Transaction, news: DeliveryNews) -> None:
        found = await self.stores.shares(transaction).note_deferral(
            news.tenant_id, news.share_id, news.deferred_until, news.reason
        )
        if not found:
            log.info(
                "publishing news for a share not held here",
                extra={"chorus": {"share_id": news.share_id}},
            )
