"""The Stores and ClickEvents ports on the service's database: the
repositories and the outbox, each on the session behind the caller's
Transaction."""

from __future__ import annotations

from datetime import datetime

from chorus_db.ports import Transaction
from chorus_db.sessions import session_of
from chorus_messaging import Outbox
from chorus_messaging.topics import CLICKS

from metrics_service.adapters.messages import link_clicked
from metrics_service.adapters.repository import (
    ClickRepository,
    HoldRepository,
    LinkRepository,
    StatsRepository,
)
from metrics_service.domain.links import TrackedLink


class SqlStores:
    def links(self, transaction: Transaction) -> LinkRepository:
        return LinkRepository(session_of(transaction))

    def clicks(self, transaction: Transaction) -> ClickRepository:
        return ClickRepository(session_of(transaction))

    def stats(self, transaction: Transaction) -> StatsRepository:
        return StatsRepository(session_of(transaction))

    def holds(self, transaction: Transaction) -> HoldRepository:
        return HoldRepository(session_of(transaction))


class OutboxClickEvents:
    """Keyed by link code: every click on one link on one partition, in order."""

    def __init__(self, outbox: Outbox) -> None:
        self.outbox = outbox

    def clicked(
        self, transaction: Transaction, link: TrackedLink, click_id: str, clicked_at: datetime
    ) -> None:
        self.outbox.add(
            session_of(transaction),
            topic=CLICKS,
            key=link.code,
            tenant_id=link.tenant_id,
            event=link_clicked(link, click_id, clicked_at),
        )
