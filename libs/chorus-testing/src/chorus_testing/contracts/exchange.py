"""Moving events from a real producer to a real consumer as the relay and the
consumer would: the outbox row, CloudEvents headers built the relay's way
and parsed the consumer's way, the handler from the consumer's own
subscriptions(), the consumer's tenant check and inbox name."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar, cast

from chorus_db import Database
from chorus_messaging import Envelope, EventContext, Outbox, Subscription
from chorus_messaging.consumer import handling
from chorus_messaging.envelope import check_tenant
from google.protobuf.message import Message

from chorus_testing.contracts.fields import ContractLedger, Reading
from chorus_testing.contracts.registry import TOPICS_FILE, Registry, event_classes, service_of
from chorus_testing.events import outbox_rows

M = TypeVar("M", bound=Message)
E = TypeVar("E", bound=Message, covariant=True)


@dataclass(frozen=True)
class Produced(Generic[E]):
    """One outbox row of a real producer, as its consumers receive it."""

    producer: str
    topic: str
    key: str
    envelope: Envelope
    payload: bytes
    message: type[E]

    @property
    def event(self) -> E:
        """A fresh decoding: what one consumer does to it, the next never sees."""
        return self.message.FromString(self.payload)

    @property
    def type(self) -> str:
        return self.envelope.ce_type


async def read_outbox(
    db: Database, source: str, registry: Registry, after_seq: int = 0
) -> tuple[list[Produced[Message]], int]:
    """The rows written after `after_seq`, in order, and the last seq read.
    Fails on a row whose type the registry does not declare on that topic for
    this producer, or whose body names another tenant than its header."""
    rows = [r for r in await outbox_rows(db) if (r.seq or 0) > after_seq]
    classes = event_classes()
    producer = service_of(source)
    produced: list[Produced[Message]] = []
    for row in rows:
        spec = registry.spec(row.ce_type)
        assert spec.topic == row.topic and spec.written_by(producer), (
            f"{producer} wrote {row.ce_type} to {row.topic}; {TOPICS_FILE.name} declares "
            f"it on {spec.topic}, produced by {spec.producer}"
        )
        sent = Envelope(  # the relay's headers (OutboxRelay.send)
            ce_id=row.ce_id,
            ce_type=row.ce_type,
            ce_source=source,
            ce_time=row.ce_time,
            ce_subject=row.ce_subject,
            tenant_id=row.tenant_id,
            actor=row.actor or "",
        )
        item: Produced[Message] = Produced(
            producer,
            row.topic,
            row.key,
            Envelope.from_headers(sent.to_headers()),
            row.payload,
            classes[row.ce_type],
        )
        body_tenant = getattr(item.event, "tenant_id", row.tenant_id)
        assert body_tenant == row.tenant_id, f"{row.ce_type}: body tenant_id != ce_tenantid"
        produced.append(item)
    return produced, max([after_seq, *(r.seq or 0 for r in rows)])


async def deliver(
    produced: Produced[Message],
    subscriptions: Sequence[Subscription],
    *,
    service: str,
    db: Database,
) -> set[str]:
    """Hands the event to `service`'s handler for its type on its topic, as
    EventConsumer does (its consumer name, its tenant check); returns the
    field paths the handler read."""
    handlers = [
        s.handlers[produced.message]
        for s in subscriptions
        if s.topic == produced.topic and produced.message in s.handlers
    ]
    assert len(handlers) == 1, (
        f"{service} has {len(handlers)} handlers for {produced.type} on {produced.topic}"
    )
    event = produced.event
    check_tenant(produced.envelope, event)
    reads: set[str] = set()
    ctx = EventContext(envelope=produced.envelope, consumer=f"{service}:{produced.topic}", db=db)
    with handling(service, produced.envelope):
        await handlers[0](Reading(event, reads), ctx)
    return reads


@dataclass
class World:
    """One service under test: its database, outbox and subscriptions (built
    as its main.py builds them), and what it has written so far."""

    service: str
    db: Database
    outbox: Outbox
    subscriptions: list[Subscription]
    produced: list[Produced[Message]] = field(default_factory=list)
    seq: int = 0


class Exchange:
    """Events between worlds, noting every example and every read in the ledger."""

    def __init__(self, registry: Registry, ledger: ContractLedger) -> None:
        self.registry = registry
        self.ledger = ledger

    async def written(self, world: World) -> list[Produced[Message]]:
        """Everything the world has written so far; rows new since the last
        look are checked against the registry and noted as examples."""
        new, world.seq = await read_outbox(world.db, world.outbox.source, self.registry, world.seq)
        self.ledger.produced(new)
        world.produced += new
        return list(world.produced)

    async def events(
        self,
        world: World,
        event_type: type[M],
        where: Callable[[M], bool] = lambda _: True,
    ) -> list[Produced[M]]:
        """Every `event_type` the world has written so far, where `where` holds."""
        mine = [cast(Produced[M], p) for p in await self.written(world) if p.message is event_type]
        return [p for p in mine if where(p.event)]

    async def deliver(self, items: Sequence[Produced[M]], consumer: World) -> None:
        """Each event to the consumer's handler, in order."""
        assert items, f"nothing to deliver to {consumer.service}"
        for item in items:
            reads = await deliver(
                item, consumer.subscriptions, service=consumer.service, db=consumer.db
            )
            self.ledger.read(item.type, consumer.service, reads)
