"""The events that tell every other service someone started or stopped
taking part, written in the caller's transaction (the change and its event
commit together). The one place that decides them: the import, SCIM and the
consent RPC all call `announce`."""

from __future__ import annotations

from datetime import datetime

from chorus.targeting.v1 import targeting_events_pb2 as events
from chorus_core.prototime import to_timestamp
from chorus_messaging import Outbox
from chorus_messaging.topics import EMPLOYEES
from sqlalchemy.ext.asyncio import AsyncSession

from targeting_service.domain.participation import Standing, Transition, transition


def opted_out_event(tenant_id: str, employee_id: str, now: datetime) -> events.EmployeeOptedOut:
    return events.EmployeeOptedOut(
        tenant_id=tenant_id, employee_id=employee_id, opted_out_at=to_timestamp(now)
    )


def opted_in_event(tenant_id: str, employee_id: str, now: datetime) -> events.EmployeeOptedIn:
    """Participation given (back): scheduling and publishing lift their hold
    on new shares for the person."""
    return events.EmployeeOptedIn(
        tenant_id=tenant_id, employee_id=employee_id, opted_in_at=to_timestamp(now)
    )


def announce_opt_out(
    session: AsyncSession, outbox: Outbox, tenant_id: str, employee_id: str, now: datetime
) -> None:
    outbox.add(
        session,
        topic=EMPLOYEES,
        key=employee_id,
        tenant_id=tenant_id,
        event=opted_out_event(tenant_id, employee_id, now),
    )


def announce(
    session: AsyncSession,
    outbox: Outbox,
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
        announce_opt_out(session, outbox, tenant_id, employee_id, now)
    elif change is Transition.OPTED_IN:
        outbox.add(
            session,
            topic=EMPLOYEES,
            key=employee_id,
            tenant_id=tenant_id,
            event=opted_in_event(tenant_id, employee_id, now),
        )
    return change
