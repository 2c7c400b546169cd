"""Consuming events: decode, deduplicate, handle, retry a little, then DLQ.

* poison (missing CloudEvents headers, undecodable protobuf, a body naming
  another tenant than the ce_tenantid header) and domain errors go to the DLQ
  at once: retrying cannot fix them;
* anything else is retried with backoff a bounded number of times, then DLQ;
* a DLQ message carries the original bytes and headers plus error headers;
* the offset is committed only after the message is handled or dead-lettered,
  so a crash at any point means redelivery, and the inbox makes that a no-op.

A handler runs as the service itself (chorus_identity.context: the principal
is `service:<name>`), never as the person who caused the event: consumers do
not authorize, the call that wrote the event did. The event's actor
(ce_actor) stays the context's actor, so the events the handler writes carry
it on (causation: a share published because an employee scheduled it names
that employee).

Many in flight (in_flight > 1, where the work is mostly waiting: publishing's
network calls): the consumer takes up to that many records per poll and
handles them at once, each under its own span (a child of its producer's, as
with one at a time), records of one key one after the other in offset
order (a share's ShareDue before its ShareCancelled). The batch's offsets
are committed when every record of it is handled or dead-lettered; if the
process dies first, the whole batch is redelivered and the inbox makes the
ones already handled no-ops. A record whose handler is still retrying holds
back the next poll, never the other records of its batch.

Batched handlers (Batched, where one transaction per event is what costs:
a campaign's ShareDue and SharePublished): of a polled batch, the records of
such a type whose key has no other record in the batch are handled
together (a Batch), in ONE transaction that writes all their inbox rows (one
statement) and the handler's effects, each record still under its own
process span and actor (Delivery.scope). Records already in the inbox are
left out before it starts. A record the handler cannot do with the others
(Batch.leave: publishing's network failures) is handled alone after the
batch. If anything else fails (a poison body, a concurrent duplicate, a
database error, the handler's own error), the transaction rolls back and
each record is handled alone, with its own retries and DLQ, exactly as a
one-at-a-time record: one bad event never takes its batch down, and none is
applied twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping, Sequence
from contextlib import (
    AbstractAsyncContextManager,
    AbstractContextManager,
    asynccontextmanager,
    contextmanager,
    nullcontext,
)
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, Generic, TypeAlias, TypeVar

from chorus_core.clock import utcnow
from chorus_core.errors import DomainError, PermanentError
from chorus_core.scope import Scope
from chorus_db import Database, conflict_insert, is_unique_violation, table_of
from chorus_identity.context import acting_as
from chorus_identity.principal import service as service_principal
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from google.protobuf.message import DecodeError, Message
from opentelemetry import propagate, trace
from opentelemetry.trace import Span, SpanKind, TracerProvider
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from chorus_messaging.envelope import Envelope, EnvelopeError, check_tenant, decode_headers
from chorus_messaging.spans import event_attributes, recorded_under
from chorus_messaging.tables import InboxRecord
from chorus_messaging.topics import dlq_topic

if TYPE_CHECKING:
    from aiokafka import ConsumerRecord

log = logging.getLogger(__name__)


class AlreadyProcessed(Exception):
    """The inbox already holds this (consumer, ce_id): a redelivery."""


@dataclass
class EventContext:
    envelope: Envelope
    consumer: str
    db: Database

    @property
    def tenant_id(self) -> str:
        """The event's tenant: the ce_tenantid header, which the consumer has
        checked the body against (see envelope.check_tenant)."""
        return self.envelope.tenant_id

    @property
    def actor(self) -> str:
        """Who caused the event (Principal.ref from ce_actor); empty when the
        producer did not say."""
        return self.envelope.actor

    async def processed(self) -> bool:
        """Whether the inbox holds this event already (a redelivery): for a
        handler that must not even start again (a network call), since
        transaction() says so only at its end."""
        async with self.db.session() as session:
            return await session.get(InboxRecord, (self.consumer, self.envelope.ce_id)) is not None

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """The handler's unit of work: its effects and the inbox row commit
        together. Use it once per event, for the effects that must not repeat."""
        async with self.db.transaction() as session:
            session.add(
                InboxRecord(
                    consumer=self.consumer, ce_id=self.envelope.ce_id, processed_at=utcnow()
                )
            )
            try:
                await session.flush()
            except IntegrityError as error:
                if is_unique_violation(error):
                    raise AlreadyProcessed(self.envelope.ce_id) from None
                raise
            yield session


Handler = Callable[[Any, EventContext], Awaitable[None]]
# A polled record and its decoded headers (decoded once per record).
Polled: TypeAlias = "tuple[ConsumerRecord, dict[str, str]]"

E = TypeVar("E", bound=Message)


@dataclass(frozen=True)
class Delivery(Generic[E]):
    """One event of those a Batched handler takes at once."""

    event: E
    envelope: Envelope
    # What is done for this event alone runs inside it: under the event's
    # process span (so what it writes to the outbox continues its trace)
    # and its actor (so those events name who caused them).
    scope: Scope = nullcontext

    @property
    def tenant_id(self) -> str:
        return self.envelope.tenant_id


@dataclass
class Batch(Generic[E]):
    """The events a Batched handler takes at once, in offset order within a
    partition. `transaction()` opens THE transaction: it holds the inbox
    rows of every delivery not left, and its effects commit with them; open
    it once, after any leave() (not at all when every delivery was left)."""

    deliveries: Sequence[Delivery[E]]
    _open: Callable[[list[str]], AbstractAsyncContextManager[AsyncSession]]
    left: dict[str, Exception] = field(default_factory=dict)  # by ce_id

    def leave(self, delivery: Delivery[E], error: Exception) -> None:
        """Not done with the others: handled alone after the batch, with its
        own retries and DLQ (`error`: what happened to it here)."""
        self.left[delivery.envelope.ce_id] = error

    def transaction(self) -> AbstractAsyncContextManager[AsyncSession]:
        return self._open(
            [d.envelope.ce_id for d in self.deliveries if d.envelope.ce_id not in self.left]
        )


async def claim(session: AsyncSession, consumer: str, ce_ids: Sequence[str]) -> None:
    """The inbox rows of a batch, in one statement; one already there (a
    replica that took these records over meanwhile) fails the batch."""
    if not ce_ids:
        return
    table = table_of(InboxRecord)
    now = utcnow()
    # Executed with a list of rows (one statement, "insertmanyvalues"): its
    # SQL is compiled once and cached, whatever the batch's size.
    claimed = (
        await session.execute(
            conflict_insert(session, table).on_conflict_do_nothing().returning(table.c.ce_id),
            [{"consumer": consumer, "ce_id": i, "processed_at": now} for i in ce_ids],
        )
    ).scalars()
    if len(set(claimed)) < len(set(ce_ids)):
        raise AlreadyProcessed("some of the batch")


BatchHandle = Callable[[Batch[Any]], Awaitable[None]]


class Batched:
    """A handler that takes many events of its type at once (see the module
    docstring): `handle(batch)` applies them all in batch.transaction()
    (chorus_db.sessions.after_commit for what must follow its commit).
    Called as a Handler, it takes one event alone, in ctx.transaction: the
    one-at-a-time consumer, and the fallback when a batch fails; one left
    there raises its error (retried, then dead-lettered)."""

    def __init__(self, handle: BatchHandle) -> None:
        self.handle = handle

    async def __call__(self, event: Message, ctx: EventContext) -> None:
        if await ctx.processed():
            raise AlreadyProcessed(ctx.envelope.ce_id)
        # Alone, the consumer has opened the record's span and actor already.
        batch = Batch([Delivery(event, ctx.envelope)], lambda _: ctx.transaction())
        await self.handle(batch)
        for error in batch.left.values():
            raise error


def handling(service: str, envelope: Envelope) -> AbstractContextManager[None]:
    """The identity a handler of `service` runs with: the service itself as
    the principal, the event's actor as the actor (see the module docstring).
    Test harnesses that call handlers directly use it too."""
    return acting_as(service_principal(service), actor=envelope.actor)


@dataclass
class RetryPolicy:
    attempts: int = 5
    first_backoff: float = 0.2
    max_backoff: float = 5.0

    def backoff(self, attempt: int) -> float:
        return min(self.first_backoff * (2 ** (attempt - 1)), self.max_backoff)


@dataclass
class EventConsumer:
    """Routes one topic's events, by ce_type, to this service's handlers."""

    service: str
    topic: str
    db: Database
    broker: KafkaBroker
    handlers: Mapping[type[Message], Handler]
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    topic_prefix: str = ""  # deployment namespace, see ServiceSettings.topic_prefix
    # Records handled at once (see the module docstring); 1: one at a time.
    in_flight: int = 1
    # The per-record spans of a batch; the broker's own provider in tests.
    tracer_provider: TracerProvider | None = None

    def __post_init__(self) -> None:
        self._by_type = {cls.DESCRIPTOR.full_name: (cls, h) for cls, h in self.handlers.items()}
        # The inbox key uses the logical topic: the namespace is where the
        # events travel, not part of what they are.
        self.consumer_name = f"{self.service}:{self.topic}"
        self.dlq = self.topic_prefix + dlq_topic(self.topic, self.service)
        self._tracer = trace.get_tracer(__name__, tracer_provider=self.tracer_provider)

    def register(self) -> None:
        # Offsets are committed after handling (ACK); an exception escaping
        # here (only when even the DLQ is unreachable) seeks back (NACK) so
        # the message is not lost.
        if self.in_flight < 1:
            raise ValueError(f"{self.topic}: in_flight must be at least 1")
        topic = self.topic_prefix + self.topic
        group_id = f"{self.topic_prefix}chorus.{self.service}"
        if self.in_flight == 1:
            self.broker.subscriber(
                topic,
                group_id=group_id,
                auto_offset_reset="earliest",
                ack_policy=AckPolicy.NACK_ON_ERROR,
            )(self.on_message)
            return
        self.broker.subscriber(
            topic,
            group_id=group_id,
            auto_offset_reset="earliest",
            ack_policy=AckPolicy.NACK_ON_ERROR,
            batch=True,
            max_records=self.in_flight,
            # A poll returns what is there after at most 100 ms: a lone
            # share is not kept waiting for company.
            batch_timeout_ms=100,
        )(self.on_batch)

    async def on_message(self, body: bytes, msg: KafkaMessage) -> None:
        raw = msg.raw_message
        assert not isinstance(raw, tuple)  # a tuple only for batch subscribers
        # The process span already carries the chorus.* event attributes
        # (chorus_messaging.spans, set by the broker's telemetry middleware).
        await self.consume(raw)

    async def on_batch(self, bodies: list[bytes], msg: KafkaMessage) -> None:
        raw = msg.raw_message
        records = list(raw) if isinstance(raw, tuple) else [raw]
        in_order: defaultdict[tuple[int, bytes | None], list[Polled]] = defaultdict(list)
        for record in records:
            headers = decode_headers(record.headers)
            # Another consumer's event on a shared topic (SharesScheduled next
            # to ShareDue) is skipped here, as consume() would skip it: no
            # span, and it does not make its key's next record wait alone.
            if not self._not_ours(headers):
                in_order[(record.partition, record.key)].append((record, headers))
        one_by_one: list[list[Polled]] = []
        together: defaultdict[str, list[Polled]] = defaultdict(list)
        for same_key in in_order.values():
            # A key with several records keeps them in order, one by one.
            ce_type = self._batched_type(same_key[0][1]) if len(same_key) == 1 else None
            if ce_type is None:
                one_by_one.append(same_key)
            else:
                together[ce_type].append(same_key[0])
        outcomes = await asyncio.gather(
            *(self._one_after_another(same_key) for same_key in one_by_one),
            *(self._together(ce_type, batch) for ce_type, batch in together.items()),
            return_exceptions=True,
        )
        # Only an unreachable DLQ escapes consume(): the batch is sought back
        # (NACK) and redelivered, its handled records being inbox no-ops.
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome

    async def _one_after_another(self, records: list[Polled]) -> None:
        for record, headers in records:
            span = self._process_span(record, headers)
            with trace.use_span(span, end_on_exit=True):
                await self.consume(record)

    def _not_ours(self, headers: dict[str, str]) -> bool:
        """A well-formed event of a type with no handler here; a malformed
        one is not skipped (consume() dead-letters it)."""
        if headers.get("ce_type", "") in self._by_type:
            return False
        try:
            Envelope.from_headers(headers)
        except EnvelopeError:
            return False
        return True

    def _process_span(
        self, record: ConsumerRecord, headers: dict[str, str], event: Message | None = None
    ) -> Span:
        """A record's own span, in its producer's trace, as a single
        record's process span is (the batch's span only links to them)."""
        parent = propagate.extract(headers)
        return self._tracer.start_span(
            f"{record.topic} process",
            context=parent,
            kind=SpanKind.CONSUMER,
            attributes={
                "messaging.system": "kafka",
                "messaging.destination.name": record.topic,
                "messaging.kafka.destination.partition": record.partition,
                "messaging.kafka.message.offset": record.offset,
                **event_attributes(headers, record.value, event),
            }
            if recorded_under(parent)
            else None,
        )

    def _batched_type(self, headers: dict[str, str]) -> str | None:
        """The record's ce_type when its handler is Batched."""
        ce_type = headers.get("ce_type", "")
        route = self._by_type.get(ce_type)
        return ce_type if route is not None and isinstance(route[1], Batched) else None

    async def _together(self, ce_type: str, polled: list[Polled]) -> None:
        """Records of one Batched type, one transaction (module docstring)."""
        cls, handler = self._by_type[ce_type]
        assert isinstance(handler, Batched)
        deliveries: list[Delivery[Any]] = []
        record_of: dict[str, Polled] = {}  # by ce_id
        spans: list[Span] = []
        alone: list[Polled] = []
        for record, headers in polled:
            try:
                envelope = Envelope.from_headers(headers)
                event = cls.FromString(record.value or b"")
                check_tenant(envelope, event)
            except (EnvelopeError, DecodeError):
                alone.append((record, headers))  # dead-lettered there, as ever
                continue
            span = self._process_span(record, headers, event)
            spans.append(span)
            deliveries.append(Delivery(event, envelope, partial(self._scope, span, envelope)))
            record_of.setdefault(envelope.ce_id, (record, headers))
        try:
            fresh = await self._not_processed(deliveries)
            if fresh:
                batch = Batch(fresh, self._batch_transaction)
                await handler.handle(batch)
                alone += [record_of[ce_id] for ce_id in batch.left]
        except Exception as error:
            log.warning(
                "batch failed; its events are handled one by one",
                extra={"chorus": {"events": len(polled), "error": type(error).__name__}},
            )
            for span in spans:
                span.set_attribute("chorus.batch_failed", True)
            alone = polled
        finally:
            for span in spans:
                span.end()
        for polled_alone in alone:
            await self._one_after_another([polled_alone])

    @asynccontextmanager
    async def _batch_transaction(self, ce_ids: list[str]) -> AsyncIterator[AsyncSession]:
        async with self.db.transaction() as session:
            await claim(session, self.consumer_name, ce_ids)
            yield session

    @contextmanager
    def _scope(self, span: Span, envelope: Envelope) -> Iterator[None]:
        with trace.use_span(span, end_on_exit=False), handling(self.service, envelope):
            yield

    async def _not_processed(self, deliveries: list[Delivery[Any]]) -> list[Delivery[Any]]:
        """Those not in the inbox yet (a redelivered batch is mostly done)."""
        if not deliveries:
            return []
        ce_ids = [d.envelope.ce_id for d in deliveries]
        async with self.db.session() as session:
            done = set(
                (
                    await session.execute(
                        select(col(InboxRecord.ce_id)).where(
                            col(InboxRecord.consumer) == self.consumer_name,
                            col(InboxRecord.ce_id).in_(ce_ids),
                        )
                    )
                ).scalars()
            )
        for ce_id in done:
            log.info("duplicate event ignored", extra={"chorus": {"ce_id": ce_id}})
        fresh: dict[str, Delivery[Any]] = {}
        for d in deliveries:
            if d.envelope.ce_id not in done:
                fresh.setdefault(d.envelope.ce_id, d)  # one event sent twice: once
        return list(fresh.values())

    async def consume(self, raw: ConsumerRecord) -> None:
        """One record: decode, route, handle with retries or dead-letter."""
        headers = decode_headers(raw.headers)
        value: bytes = raw.value or b""
        try:
            envelope = Envelope.from_headers(headers)
        except EnvelopeError as error:
            await self.dead_letter(raw, error, attempts=0)
            return
        route = self._by_type.get(envelope.ce_type)
        if route is None:
            return  # another consumer's event type on a shared topic: not ours
        cls, handler = route
        try:
            event = cls.FromString(value)
            check_tenant(envelope, event)
        except (DecodeError, EnvelopeError) as error:
            await self.dead_letter(raw, error, attempts=0)
            return
        await self._handle_with_retry(raw, event, handler, envelope)

    async def _handle_with_retry(
        self, raw: ConsumerRecord, event: Message, handler: Handler, envelope: Envelope
    ) -> None:
        ctx = EventContext(envelope=envelope, consumer=self.consumer_name, db=self.db)
        with handling(self.service, envelope):
            await self._attempts(raw, event, handler, ctx)

    async def _attempts(
        self, raw: ConsumerRecord, event: Message, handler: Handler, ctx: EventContext
    ) -> None:
        envelope = ctx.envelope
        attempt = 0
        while True:
            attempt += 1
            try:
                await handler(event, ctx)
                return
            except AlreadyProcessed:
                log.info("duplicate event ignored", extra={"chorus": {"ce_id": envelope.ce_id}})
                return
            except (DomainError, PermanentError) as error:
                await self.dead_letter(raw, error, attempts=attempt)
                return
            except Exception as error:
                if attempt >= self.retry.attempts:
                    await self.dead_letter(raw, error, attempts=attempt)
                    return
                log.warning(
                    "event handling failed; will retry",
                    extra={
                        "chorus": {
                            "ce_id": envelope.ce_id,
                            "attempt": attempt,
                            "error": type(error).__name__,
                        }
                    },
                )
                await asyncio.sleep(self.retry.backoff(attempt))

    async def dead_letter(self, raw: ConsumerRecord, error: BaseException, attempts: int) -> None:
        headers = {k: v for k, v in decode_headers(raw.headers).items()}
        headers.update(
            {
                "chorus_dlq_reason": type(error).__name__,
                "chorus_dlq_error": str(error)[:500].encode("ascii", "replace").decode("ascii"),
                "chorus_dlq_consumer": f"chorus.{self.service}",
                "chorus_dlq_attempts": str(attempts),
                "chorus_dlq_original_topic": raw.topic,
                "chorus_dlq_original_partition": str(raw.partition),
                "chorus_dlq_original_offset": str(raw.offset),
            }
        )
        await self.broker.publish(raw.value or b"", topic=self.dlq, key=raw.key, headers=headers)
        trace.get_current_span().set_attribute("chorus.dead_lettered", True)
        log.error(
            "event dead-lettered",
            extra={
                "chorus": {"dlq": self.dlq, "reason": type(error).__name__, "offset": raw.offset}
            },
        )
