"""The app's ShareEvents port on the outbox: each event in the session behind
the caller's Transaction, so it commits with the share rows."""

from __future__ import annotations

from chorus_db.ports import Transaction
from chorus_db.sessions import session_of
from chorus_messaging import Outbox
from chorus_messaging.topics import SHARES_SCHEDULED

from scheduling_service.adapters.messages import share_cancelled, share_due, share_scheduled
from scheduling_service.app.ports import Cancellation, DueShare
from scheduling_service.domain.shares import Share


class OutboxShareEvents:
    """Keyed by share id: every event of a share on one partition, in order."""

    def __init__(self, outbox: Outbox) -> None:
        self.outbox = outbox

    def scheduled(self, transaction: Transaction, share: Share) -> None:
        self.outbox.add(
            session_of(transaction),
            topic=SHARES_SCHEDULED,
            key=share.share_id,
            tenant_id=share.tenant_id,
            event=share_scheduled(share),
        )

    def due(self, transaction: Transaction, due: DueShare) -> None:
        self.outbox.add(
            session_of(transaction),
            topic=SHARES_SCHEDULED,
            key=due.share.share_id,
            tenant_id=due.share.tenant_id,
            event=share_due(due.share, due.translation),
        )

    def cancelled(self, transaction: Transaction, cancellation: Cancellation) -> None:
        self.outbox.add(
            session_of(transaction),
            topic=SHARES_SCHEDULED,
            key=cancellation.share_id,
            subject=cancellation.share_id,
            tenant_id=cancellation.tenant_id,
            event=share_cancelled(cancellation),
        )
