"""Kafka entry points: ShareDue -> Publisher, a poll's at once (unless
withdrawn: see app/withdrawal.py), ShareCancelled -> its record; the employee topic through
chorus_messaging.privacy (holds, and the erasure of accounts). SharesScheduled
shares the share topic; no handler is registered for it, so the consumer
skips it."""

from __future__ import annotations

import logging

from chorus.scheduling.v1 import scheduling_events_pb2 as scheduling
from chorus_core.prototime import from_timestamp
from chorus_messaging import Batch, Batched, EventContext, Subscription
from chorus_messaging.consumer import Handler, RetryPolicy
from chorus_messaging.privacy import employee_privacy_subscription
from chorus_messaging.topics import SHARES_SCHEDULED

from publishing_service.app.ports import DueShare
from publishing_service.app.publish import Publisher
from publishing_service.app.withdrawal import Withdrawals

log = logging.getLogger(__name__)

# What is still retried here is this service's own footing (its database,
# metrics' tracked links): a held lease, a network that does not answer and a
# spent budget are handed to the sweeper without waiting (app/publish.py).
# 0.5+1+2+4+8 s over 6 attempts, then the DLQ; the ledger keeps the ShareDue
# of a share that was leased, so the sweeper still sends it.
SHARE_DUE_RETRY = RetryPolicy(attempts=6, first_backoff=0.5, max_backoff=8.0)


def due_share(event: scheduling.ShareDue) -> DueShare:
    return DueShare(
        tenant_id=event.tenant_id,
        share_id=event.share_id,
        post_id=event.post_id,
        employee_id=event.employee_id,
        network=event.network or "bluesky",
        language=event.language,
        country=event.country,
        text=event.text,
        link=event.link,
        fallback_language=event.fallback_language,
        expires_at=from_timestamp(event.expires_at),  # unset: never expires
        variant=event.variant if event.HasField("variant") else None,
        edited=event.edited,
        media_ids=tuple(event.media_ids),
        title=event.title,
        description=event.description,
    )


def share_due_handler(publisher: Publisher) -> Batched:
    """The ShareDue of a poll together (chorus_messaging.Batched): their
    leases, accounts and outcomes in a few statements, their network calls
    at once. A share withdrawn since it was due (cancelled, its employee
    opted out or erased) goes nowhere; one left undone by an error a retry
    may fix is handled alone after the others (its lease given back)."""

    async def on_shares_due(batch: Batch[scheduling.ShareDue]) -> None:
        await publisher.publish_all(
            [(due_share(d.event), d.scope) for d in batch.deliveries],
            batch.transaction,
            undone=lambda i, error: batch.leave(batch.deliveries[i], error),
        )

    return Batched(on_shares_due)


def share_cancelled_handler(withdrawals: Withdrawals) -> Handler:
    async def on_share_cancelled(event: scheduling.ShareCancelled, ctx: EventContext) -> None:
        async with ctx.transaction() as transaction:
            await withdrawals.record_cancelled(
                transaction, ctx.tenant_id, event.share_id, event.reason
            )

    return on_share_cancelled


def subscriptions(
    publisher: Publisher, withdrawals: Withdrawals, *, in_flight: int = 1
) -> list[Subscription]:
    """`in_flight`: shares handled at once (settings.publishing_in_flight);
    a share's ShareDue and ShareCancelled share its key, so they are still
    handled in order."""
    return [
        Subscription(
            SHARES_SCHEDULED,
            {
                scheduling.ShareDue: share_due_handler(publisher),
                scheduling.ShareCancelled: share_cancelled_handler(withdrawals),
            },
            retry=SHARE_DUE_RETRY,
            in_flight=in_flight,
        ),
        employee_privacy_subscription(on_erased=withdrawals.erase_employee),
    ]
