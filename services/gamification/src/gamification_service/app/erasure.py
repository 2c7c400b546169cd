"""Erasure of an employee (EmployeeErased from targeting, through
chorus_messaging.privacy's subscription).

The ledger is anonymised, not deleted: the employee's rows and total move to
the shared ERASED pseudo-employee, so every tenant-wide sum stays what it was
while nothing links the points to the person. Their leaderboard entry goes.
The erasure hold stays (chorus_messaging.privacy): a share or click of theirs
arriving after it earns nothing (GamificationUseCases.award).
Opt-out changes nothing here: points already earned stay theirs.
"""

from __future__ import annotations

import logging

from gamification_service.app.ports import Leaderboard, Ledger

log = logging.getLogger(__name__)
ERASED = "erased"  # one bucket for everyone erased: no per-person trace left


async def anonymise_employee(
    ledger: Ledger, leaderboard: Leaderboard, tenant_id: str, employee_id: str
) -> int:
    """Returns the points moved to the anonymous bucket. `ledger` is open on
    the event's transaction."""
    if employee_id == ERASED:
        return 0
    moved = await ledger.anonymise(tenant_id, employee_id, ERASED)
    # Inside the transaction on purpose: if Redis is down the event is retried
    # (an erasure must not commit while the board still names the person).
    await leaderboard.remove(tenant_id, employee_id)
    log.info(
        "employee erased: ledger anonymised",
        extra={"chorus": {"tenant_id": tenant_id, "employee_id": employee_id, "points": moved}},
    )
    return moved
