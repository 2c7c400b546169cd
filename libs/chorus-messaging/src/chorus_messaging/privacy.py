"""Employee consent and erasure, as every service that consumes them keeps it.

Targeting announces on the employee topic that someone opted out, opted in
again, or was erased. A consuming service applies its own effect (cancel
their shares, erase their accounts, anonymise a ledger) and, if it must know
later, keeps a hold per such employee (tenant, opaque employee id, why, since
when), both in the same transaction as the inbox row: either the service has
heard of the change and acted on it, or neither.

The hold exists because events on other topics can overtake the employee
event: an audience batch resolved just before an opt-out, or a ShareDue
already emitted, must still find the person withdrawn. An opt-out hold is
lifted by EmployeeOptedIn; an erasure hold never is (the id can never come
back, and an opt-in arriving out of order must not revive it).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Protocol

from chorus.targeting.v1 import targeting_events_pb2 as targeting
from chorus_core.clock import utcnow
from google.protobuf.message import Message
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from chorus_messaging.consumer import EventContext, Handler
from chorus_messaging.subscriptions import Subscription
from chorus_messaging.tables import EmployeeHold
from chorus_messaging.topics import EMPLOYEES

log = logging.getLogger(__name__)

OPTED_OUT = "opted_out"
ERASED = "erased"
REASONS = (OPTED_OUT, ERASED)  # of a hold
OPTED_IN = "opted_in"  # the change that lifts an opt-out hold

# A service's own effect: (session, tenant_id, employee_id), inside the
# event's transaction, after the hold bookkeeping. Its result is ignored.
Effect = Callable[[AsyncSession, str, str], Awaitable[object]]


class EmployeeEvent(Protocol):
    """EmployeeOptedOut, EmployeeOptedIn and EmployeeErased alike."""

    @property
    def employee_id(self) -> str: ...


async def hold(session: AsyncSession, tenant_id: str, employee_id: str, reason: str) -> None:
    """From now on, `withdrawn` names this employee. An erasure hold stays an
    erasure hold whatever comes after it."""
    if reason not in REASONS:
        raise ValueError(f"hold reason must be one of {REASONS}, got {reason!r}")
    row = await session.get(EmployeeHold, (tenant_id, employee_id), with_for_update=True)
    if row is None:
        session.add(
            EmployeeHold(
                tenant_id=tenant_id, employee_id=employee_id, reason=reason, since=utcnow()
            )
        )
    elif row.reason != ERASED:
        row.reason, row.since = reason, utcnow()
    await session.flush()


async def lift(session: AsyncSession, tenant_id: str, employee_id: str) -> bool:
    """Participation given again; returns whether an opt-out hold was lifted
    (an erasure hold is never lifted)."""
    result = await session.execute(
        delete(EmployeeHold).where(
            col(EmployeeHold.tenant_id) == tenant_id,
            col(EmployeeHold.employee_id) == employee_id,
            col(EmployeeHold.reason) == OPTED_OUT,
        )
    )
    return bool(getattr(result, "rowcount", 0))


async def withdrawn(
    session: AsyncSession, tenant_id: str, employee_ids: Iterable[str]
) -> dict[str, str]:
    """Those of `employee_ids` held in this tenant, with why (one query)."""
    ids = list(dict.fromkeys(employee_ids))
    if not ids:
        return {}
    query = select(col(EmployeeHold.employee_id), col(EmployeeHold.reason)).where(
        col(EmployeeHold.tenant_id) == tenant_id, col(EmployeeHold.employee_id).in_(ids)
    )
    return {employee_id: reason for employee_id, reason in (await session.execute(query)).all()}


def employee_privacy_subscription(
    *,
    on_opted_out: Effect | None = None,
    on_opted_in: Effect | None = None,
    on_erased: Effect | None = None,
    holds: bool = True,
) -> Subscription:
    """The employee-topic subscription of a service, with its own effects.

    holds=True (a service that asks `withdrawn`): all three events are handled
    whatever the effects, so its holds are always true. holds=False (a service
    that only acts on some of them, e.g. anonymises on erasure): only the
    events it has an effect for are subscribed, and no hold is kept."""
    events: tuple[tuple[type[Message], str, Effect | None], ...] = (
        (targeting.EmployeeOptedOut, OPTED_OUT, on_opted_out),
        (targeting.EmployeeOptedIn, OPTED_IN, on_opted_in),
        (targeting.EmployeeErased, ERASED, on_erased),
    )
    handlers = {
        cls: _handler(change, effect, holds)
        for cls, change, effect in events
        if holds or effect is not None
    }
    if not handlers:
        raise ValueError("an employee subscription without holds needs at least one effect")
    return Subscription(EMPLOYEES, handlers)


def _handler(change: str, effect: Effect | None, holds: bool) -> Handler:
    async def handle(event: EmployeeEvent, ctx: EventContext) -> None:
        tenant_id, employee_id = ctx.tenant_id, event.employee_id
        async with ctx.transaction() as session:
            if holds and change == OPTED_IN:
                await lift(session, tenant_id, employee_id)
            elif holds:
                await hold(session, tenant_id, employee_id, change)
            if effect is not None:
                await effect(session, tenant_id, employee_id)
        log.info(
            "employee privacy change applied",
            extra={
                "chorus": {
                    "tenant_id": tenant_id,
                    "employee_id": employee_id,
                    "change": change,
                    "holds": holds,
                }
            },
        )

    return handle
