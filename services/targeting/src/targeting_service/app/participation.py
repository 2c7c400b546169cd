"""The events that tell every other service someone started or stopped
taking part, written in the caller's transaction (the change and its event
commit together). The one place that decides them: the import, SCIM and the
consent RPC all call `announce`."""

from __future__ import annotations

from datetime import datetime

from chorus_db.ports import Transaction

from targeting_service.app.ports import EmployeeEvents
from targeting_service.domain.participation import Standing, Transition, transition


def announce(
    events: EmployeeEvents,
    transaction: Transaction,
    tenant_id: str,
    employee_id: str,
    before: Standing,
    after: Standing,
    now: datetime,
) -> Transition | None:
    """Adds EmployeeOptedOut / EmployeeOptedIn when the change moves the
    person out of / into taking part; nothing otherwise."""
    change = transition(before, after)
    if change is Transition.OPTED_OUT:
        events.opted_out(transaction, tenant_id, employee_id, now)
    elif change is Transition.OPTED_IN:
        events.opted_in(transaction, tenant_id, employee_id, now)
    return change
