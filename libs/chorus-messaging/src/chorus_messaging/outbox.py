"""Writing events: always through the outbox, inside the business transaction.

There is no way for a service to publish an event directly: either the change
and its event commit together, or neither does. The relay does the sending.
"""

from __future__ import annotations

import asyncio

from chorus_core.clock import utcnow
from chorus_core.ids import new_id
from chorus_identity.context import current_actor_ref
from chorus_telemetry.propagation import capture
from google.protobuf.message import Message
from sqlalchemy.ext.asyncio import AsyncSession

from chorus_messaging.tables import OutboxMessage


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
    ) -> OutboxMessage:
        trace = capture()
        row = OutboxMessage(
            ce_id=new_id(),
            tenant_id=tenant_id,
            topic=topic,
            key=key,
            ce_type=event.DESCRIPTOR.full_name,
            ce_subject=subject if subject is not None else key,
            ce_time=utcnow(),
            payload=event.SerializeToString(),
            traceparent=trace.traceparent,
            tracestate=trace.tracestate,
            baggage=trace.baggage,
            actor=current_actor_ref(self.service_ref),
        )
        session.add(row)
        # Waking before commit is harmless: the relay only sees committed rows,
        # and polls again shortly anyway.
        self.wake()
        return row

    def wake(self) -> None:
        """End a relay's wait_for_writes now (a row was added, or it stops)."""
        self._written.set()

    async def wait_for_writes(self, timeout: float) -> None:
        try:
            await asyncio.wait_for(self._written.wait(), timeout)
        except TimeoutError:
            pass
        self._written.clear()
