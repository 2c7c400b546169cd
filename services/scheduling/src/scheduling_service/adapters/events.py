"""The app's ShareEvents port on the outbox: each event in the session behind
the caller's Transaction, so it commits with the share rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from chorus_db.ports import Transaction
from chorus_db.sessions import session_of
from chorus_messaging import Outbox
from chorus_messaging.topics import SHARES_SCHEDULED

from scheduling_service.adapters.messages import share_cancelled, share_due, shares_scheduled
from scheduling_service.app.ports import Cancellation, DueShare
from scheduling_service.domain.shares import Share

# Shares per SharesScheduled: an audience batch's (targeting's batches hold
# at most 1,000), well under the broker's record size.
ANNOUNCED_AT_ONCE = 1000


class OutboxShareEvents:
    """Keyed by share id: every event of a share on one partition, in order.
    SharesScheduled, which speaks of many and which nothing orders against,
    is keyed by its post."""

    def __init__(self, outbox: Outbox) -> None:
        self.outbox = outbox

    def scheduled(self, transaction: Transaction, shares: Sequence[Share]) -> None:
        by_post: dict[tuple[str, str], list[Share]] = defaultdict(list)
        for share in shares:
            by_post[(share.tenant_id, share.post_id)].append(share)
        for (tenant_id, post_id), of_post in by_post.items():
            for start in range(0, len(of_post), ANNOUNCED_AT_ONCE):
                self.outbox.add(
                    session_of(transaction),
                    topic=SHARES_SCHEDULED,
                    key=post_id,
                    tenant_id=tenant_id,
                    event=shares_scheduled(of_post[start : start + ANNOUNCED_AT_ONCE]),
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
