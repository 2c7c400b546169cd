"""Events in component tests: the context a handler gets from the consumer,
and the events a producer wrote to its outbox, decoded.

A handler is called as the consumer calls it (`handler(event, ctx)`), with
the context the consumer would build; what a use case emits is read back from
the outbox rows the relay would publish."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from chorus_core.clock import utcnow
from chorus_core.ids import new_id
from chorus_db import Database
from chorus_messaging import Batch, Delivery, Envelope, EventContext, OutboxMessage
from chorus_messaging.consumer import claim
from google.protobuf.message import Message
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

M = TypeVar("M", bound=Message)


def event_context(
    db: Database,
    event: Message | type[Message],
    tenant_id: str,
    ce_id: str | None = None,
    *,
    consumer: str = "test:consumer",
    source: str = "chorus/test@local",
    subject: str = "",
) -> EventContext:
    """The context for `event` (or any event of that type) delivered to
    `consumer` (the inbox key): a new ce_id each call, unless one is given to
    simulate a redelivery."""
    envelope = Envelope(
        ce_id=ce_id or new_id(),
        ce_type=event.DESCRIPTOR.full_name,
        ce_source=source,
        ce_time=utcnow(),
        ce_subject=subject,
        tenant_id=tenant_id,
    )
    return EventContext(envelope=envelope, consumer=consumer, db=db)


def _tenant_of(event: Message) -> str:
    tenant_id = getattr(event, "tenant_id", "")
    assert isinstance(tenant_id, str) and tenant_id, "batch_of takes events with a tenant_id"
    return tenant_id


def batch_of(
    db: Database, events: Sequence[Message], *, consumer: str = "test:consumer"
) -> Batch[Any]:
    """`events` as a poll brings them to a Batched handler (its `handle`):
    each with its own ce_id and its body's tenant, the batch's transaction
    writing their inbox rows as the consumer's does."""
    deliveries = [
        Delivery(event, event_context(db, event, _tenant_of(event)).envelope) for event in events
    ]

    @asynccontextmanager
    async def transaction(ce_ids: list[str]) -> AsyncIterator[AsyncSession]:
        async with db.transaction() as session:
            await claim(session, consumer, ce_ids)
            yield session

    return Batch(deliveries, transaction)


async def outbox_rows(
    db: Database, ce_type: str | None = None, *, topic: str | None = None
) -> list[OutboxMessage]:
    """The outbox rows written so far, in publish order; only those of one
    event type (full protobuf name) or one topic when given."""
    query = select(OutboxMessage).order_by(col(OutboxMessage.seq))
    if ce_type is not None:
        query = query.where(col(OutboxMessage.ce_type) == ce_type)
    if topic is not None:
        query = query.where(col(OutboxMessage.topic) == topic)
    async with db.session() as session:
        return list((await session.execute(query)).scalars())


async def outbox_events(db: Database, event_type: type[M], *, topic: str | None = None) -> list[M]:
    """The events of `event_type` written to the outbox, decoded, in order."""
    rows = await outbox_rows(db, event_type.DESCRIPTOR.full_name, topic=topic)
    return [event_type.FromString(row.payload) for row in rows]
