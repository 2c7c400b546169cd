"""The PointsEvents port on the outbox: PointsAwarded in the session behind
the caller's Transaction, so it commits with the ledger row."""

from __future__ import annotations

from chorus_db.ports import Transaction
from chorus_db.sessions import session_of
from chorus_messaging import Outbox
from chorus_messaging.topics import POINTS

from gamification_service.adapters.messages import points_awarded
from gamification_service.domain.points import Award


class OutboxPointsEvents:
    """Keyed by employee id: an employee's awards stay in order on one partition."""

    def __init__(self, outbox: Outbox) -> None:
        self.outbox = outbox

    def awarded(self, transaction: Transaction, award: Award, total: int) -> None:
        self.outbox.add(
            session_of(transaction),
            topic=POINTS,
            key=award.employee_id,
            tenant_id=award.tenant_id,
            event=points_awarded(award, total),
        )
