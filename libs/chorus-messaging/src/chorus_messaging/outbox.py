"""Writing events: always through the outbox, inside the business transaction.

There is no way for a service to publish an event directly: either the change
and its event commit together, or neither does. The relay does the sending.

The rows a transaction adds are kept on its session and written in one
statement when it commits (just before its flush), not built as ORM objects
one by one: a campaign's batches write hundreds at a time, and an ORM
object costs several times the row. A transaction that rolls back drops
them with the rest of its work.
"""

from __future__ import annotations

import asyncio

from chorus_core.clock import utcnow
from chorus_core.ids import new_id
from chorus_db import table_of
from chorus_identity.context import current_actor_ref
from chorus_telemetry.propagation import capture
from google.protobuf.message import Message
from sqlalchemy import event as orm_events
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from chorus_messaging.tables import OutboxMessage

_PENDING = "chorus_outbox_pending"  # Session.info: the rows to write at commit
_INSERT = insert(table_of(OutboxMessage))


class Outbox:
    def __init__(self, source: str) -> None:
        self.source = source  # chorus/<service>@<region>
        # Who an event written outside any call or event handler (a timer, a
        # poll) is attributed to: the service itself.
        self.service_ref = f"service:{source.removeprefix('chorus/').partition('@')[0]}"
        self._written = asyncio.Event()  # wakes the relay early

    def add(
        self,
        session: AsyncSession,
        *,
        topic: str,
        key: str,
        event: Message,
        tenant_id: str,
        subject: str | None = None,
    ) -> str:
        """Adds the event to the session's transaction; returns its ce_id."""
        trace = capture()
        ce_id = new_id()
        session.info.setdefault(_PENDING, []).append(
            {
                "ce_id": ce_id,
                "tenant_id": tenant_id,
                "topic": topic,
                "key": key,
                "ce_type": event.DESCRIPTOR.full_name,
                "ce_subject": subject if subject is not None else key,
                "ce_time": utcnow(),
                "payload": event.SerializeToString(),
                "traceparent": trace.traceparent,
                "tracestate": trace.tracestate,
                "baggage": trace.baggage,
                "actor": current_actor_ref(self.service_ref),
                "published_at": None,
            }
        )
        # Waking before commit is harmless: the relay only sees committed rows,
        # and polls again shortly anyway.
        self.wake()
        return ce_id

    def wake(self) -> None:
        """End a relay's wait_for_writes now (a row was added, or it stops)."""
        self._written.set()

    async def wait_for_writes(self, timeout: float) -> None:
        try:
            await asyncio.wait_for(self._written.wait(), timeout)
        except TimeoutError:
            pass
        self._written.clear()


@orm_events.listens_for(Session, "before_commit")
def _write_pending(session: Session) -> None:
    # Runs inside the commit (in the async session's greenlet), so the rows
    # commit with the transaction's other writes, in the order they were added.
    rows = session.info.pop(_PENDING, None)
    if rows:
        session.execute(_INSERT, rows)


@orm_events.listens_for(Session, "after_rollback")
def _drop_pending(session: Session) -> None:
    session.info.pop(_PENDING, None)
