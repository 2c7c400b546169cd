"""The EmployeeEvents and AudienceEvents ports on the outbox: each event in
the session behind the caller's Transaction, so it commits with the change
it tells of."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from chorus.targeting.v1 import targeting_events_pb2 as events
from chorus_core.prototime import to_timestamp
from chorus_db.ports import Transaction
from chorus_db.sessions import session_of
from chorus_messaging import Outbox
from chorus_messaging.topics import AUDIENCE, EMPLOYEES

from targeting_service.adapters.messages import batch_event, summary_event
from targeting_service.domain.audience import AudienceCounts, Delivery, Member, batch_id


class OutboxEmployeeEvents:
    """Keyed by the opaque employee id: one person's events stay in order."""

    def __init__(self, outbox: Outbox) -> None:
        self.outbox = outbox

    def opted_out(
        self, transaction: Transaction, tenant_id: str, employee_id: str, at: datetime
    ) -> None:
        event = events.EmployeeOptedOut(
            tenant_id=tenant_id, employee_id=employee_id, opted_out_at=to_timestamp(at)
        )
        self._add(transaction, tenant_id, employee_id, event)

    def opted_in(
        self, transaction: Transaction, tenant_id: str, employee_id: str, at: datetime
    ) -> None:
        """Participation given (back): scheduling and publishing lift their
        hold on new shares for the person."""
        event = events.EmployeeOptedIn(
            tenant_id=tenant_id, employee_id=employee_id, opted_in_at=to_timestamp(at)
        )
        self._add(transaction, tenant_id, employee_id, event)

    def erased(
        self,
        transaction: Transaction,
        tenant_id: str,
        employee_id: str,
        at: datetime,
        subjects: Sequence[str] = (),
    ) -> None:
        event = events.EmployeeErased(
            tenant_id=tenant_id,
            employee_id=employee_id,
            erased_at=to_timestamp(at),
            subjects=list(subjects),
        )
        self._add(transaction, tenant_id, employee_id, event)

    def _add(
        self,
        transaction: Transaction,
        tenant_id: str,
        employee_id: str,
        event: events.EmployeeOptedOut | events.EmployeeOptedIn | events.EmployeeErased,
    ) -> None:
        self.outbox.add(
            session_of(transaction),
            topic=EMPLOYEES,
            key=employee_id,
            tenant_id=tenant_id,
            event=event,
        )


class OutboxAudienceEvents:
    """A batch is keyed by its own id (batches spread over partitions), the
    summary by the post id; both carry the post id as their subject."""

    def __init__(self, outbox: Outbox) -> None:
        self.outbox = outbox

    def batch(
        self,
        transaction: Transaction,
        tenant_id: str,
        post_id: str,
        version: int,
        index: int,
        batches: int,
        members: Sequence[Member],
        delivery: Delivery,
    ) -> None:
        self.outbox.add(
            session_of(transaction),
            topic=AUDIENCE,
            key=batch_id(tenant_id, post_id, version, index, delivery.round),
            subject=post_id,
            tenant_id=tenant_id,
            event=batch_event(tenant_id, post_id, version, index, batches, list(members), delivery),
        )

    def summary(
        self,
        transaction: Transaction,
        tenant_id: str,
        post_id: str,
        version: int,
        source_language: str,
        counts: AudienceCounts,
        segment_id: str,
        segment_version: int,
    ) -> None:
        self.outbox.add(
            session_of(transaction),
            topic=AUDIENCE,
            key=post_id,
            tenant_id=tenant_id,
            event=summary_event(
                tenant_id, post_id, version, source_language, counts, segment_id, segment_version
            ),
        )
