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

A service where an opt-out changes nothing (points already earned stay the
employee's) still keeps the erasure holds (holds=ERASED): an event of theirs
overtaking the erasure, or redelivered after it, must not recreate what the
erasure removed. Such a service asks `erased` in the transaction that would
write about the person; that check waits for an erasure of the same employee
still in progress, and holds a new one back until it commits (`_serialise`);
so does `withdrawn`, for every employee it is asked about.

A service that records people by their sign-in subject (the identity
provider's opaque id: who approved, who commented, who holds a role)
erases those too: EmployeeErased names the subjects linked to the person,
and `on_erased_subjects` gets them in the same transaction.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Final, Literal, Protocol

from chorus.targeting.v1 import targeting_events_pb2 as targeting
from chorus_core.clock import utcnow
from chorus_db import affected_rows, table_of
from google.protobuf.message import Message
from sqlalchemy import delete, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from chorus_messaging.consumer import EventContext, Handler
from chorus_messaging.subscriptions import Subscription
from chorus_messaging.tables import EmployeeHold
from chorus_messaging.topics import EMPLOYEES

log = logging.getLogger(__name__)

OPTED_OUT: Final = "opted_out"
ERASED: Final = "erased"
REASONS = (OPTED_OUT, ERASED)  # of a hold
OPTED_IN = "opted_in"  # the change that lifts an opt-out hold

# A service's own effect: (session, tenant_id, employee_id), inside the
# event's transaction, after the hold bookkeeping. Its result is ignored.
Effect = Callable[[AsyncSession, str, str], Awaitable[object]]
# (session, tenant_id, subjects): an erased person's sign-in subjects, never empty.
SubjectsEffect = Callable[[AsyncSession, str, tuple[str, ...]], Awaitable[object]]


class EmployeeEvent(Protocol):
    """EmployeeOptedOut, EmployeeOptedIn and EmployeeErased alike."""

    @property
    def employee_id(self) -> str: ...


# pg_advisory_xact_lock(int, int): this namespace ("CHOR"), then 32 bits of a
# digest of (tenant, employee). Two employees sharing those bits only wait
# for each other's change, never see it.
_LOCK_NAMESPACE = 0x43484F52


def _lock_key(tenant_id: str, employee_id: str) -> int:
    digest = hashlib.blake2b(f"{tenant_id}\x1f{employee_id}".encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big", signed=True)


async def _serialise(session: AsyncSession, tenant_id: str, employee_ids: list[str]) -> None:
    """Until this transaction ends, no other takes or asks these employees'
    holds; one in progress is waited for. Without it an award asking `erased`
    while the erasure is uncommitted sees no hold, and its new row escapes
    the erasure's UPDATE, which cannot see it either. PostgreSQL: a
    transaction-scoped advisory lock per employee, all in one statement, in
    key order so that two batches sharing employees cannot deadlock (keys,
    not ids: two ids may share a key). The lock function is volatile, so
    PostgreSQL calls it after the sort. SQLite: its one write lock, taken by
    an UPDATE that changes nothing (the driver runs reads outside a
    transaction until the first write, so a read alone would not wait)."""
    if session.bind.dialect.name == "postgresql":
        keys = sorted({_lock_key(tenant_id, employee_id) for employee_id in employee_ids})
        await session.execute(
            text(
                "SELECT pg_advisory_xact_lock(:namespace, k)"
                " FROM unnest(CAST(:keys AS integer[])) AS k ORDER BY k"
            ),
            {"namespace": _LOCK_NAMESPACE, "keys": keys},
        )
        return
    holds = table_of(EmployeeHold)
    await session.execute(
        update(holds)
        .where(holds.c.tenant_id == tenant_id, holds.c.employee_id.in_(employee_ids))
        .values(reason=holds.c.reason)
    )


async def hold(session: AsyncSession, tenant_id: str, employee_id: str, reason: str) -> None:
    """From now on, `withdrawn` names this employee. An erasure hold stays an
    erasure hold whatever comes after it."""
    if reason not in REASONS:
        raise ValueError(f"hold reason must be one of {REASONS}, got {reason!r}")
    await _serialise(session, tenant_id, [employee_id])
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
    return affected_rows(result) > 0


async def withdrawn(
    session: AsyncSession, tenant_id: str, employee_ids: Iterable[str]
) -> dict[str, str]:
    """Those of `employee_ids` held in this tenant, with why. Waits for a
    hold of theirs in progress (an opt-out or erasure not yet committed) and
    holds new ones back until this transaction ends, so the answer stays true
    for what the same transaction then writes (the shares scheduling creates
    for an audience batch). Two statements, whatever the number of ids."""
    ids = list(dict.fromkeys(employee_ids))
    if not ids:
        return {}
    await _serialise(session, tenant_id, ids)
    query = select(col(EmployeeHold.employee_id), col(EmployeeHold.reason)).where(
        col(EmployeeHold.tenant_id) == tenant_id, col(EmployeeHold.employee_id).in_(ids)
    )
    return {employee_id: reason for employee_id, reason in (await session.execute(query)).all()}


async def erased(session: AsyncSession, tenant_id: str, employee_id: str) -> bool:
    """Whether this employee was erased, asked before writing anything about
    them. Waits for an erasure of theirs in progress, and holds theirs back
    until this transaction ends, so the answer stays true for its writes."""
    return employee_id in await erased_among(session, tenant_id, [employee_id])


async def erased_among(
    session: AsyncSession, tenant_id: str, employee_ids: Iterable[str]
) -> set[str]:
    """Those of `employee_ids` who were erased (as `erased`, for many)."""
    held = await withdrawn(session, tenant_id, employee_ids)
    return {employee_id for employee_id, reason in held.items() if reason == ERASED}


def employee_privacy_subscription(
    *,
    on_opted_out: Effect | None = None,
    on_opted_in: Effect | None = None,
    on_erased: Effect | None = None,
    on_erased_subjects: SubjectsEffect | None = None,
    holds: bool | Literal["erased"] = True,
) -> Subscription:
    """The employee-topic subscription of a service, with its own effects.

    holds=True (a service that asks `withdrawn`): all three events are handled
    whatever the effects, so its holds are always true. holds=ERASED (a
    service that asks only `erased`): EmployeeErased is handled whatever the
    effects, and only the erasure hold is kept; opt-out and opt-in are
    subscribed only for an effect given. holds=False (a service that only acts
    on some of them, e.g. anonymises on erasure): only the events it has an
    effect for are subscribed, and no hold is kept. on_erased_subjects runs
    after on_erased, when the erased person had signed in."""
    events: tuple[tuple[type[Message], str, Effect | None], ...] = (
        (targeting.EmployeeOptedOut, OPTED_OUT, on_opted_out),
        (targeting.EmployeeOptedIn, OPTED_IN, on_opted_in),
        (targeting.EmployeeErased, ERASED, on_erased),
    )
    kept = {change for _, change, _ in events} if holds is True else {ERASED} if holds else set()
    handlers = {
        cls: _handler(
            change, effect, change in kept, on_erased_subjects if change == ERASED else None
        )
        for cls, change, effect in events
        if change in kept
        or effect is not None
        or (change == ERASED and on_erased_subjects is not None)
    }
    if not handlers:
        raise ValueError("an employee subscription without holds needs at least one effect")
    return Subscription(EMPLOYEES, handlers)


def _handler(
    change: str, effect: Effect | None, holds: bool, on_subjects: SubjectsEffect | None
) -> Handler:
    async def handle(event: EmployeeEvent, ctx: EventContext) -> None:
        tenant_id, employee_id = ctx.tenant_id, event.employee_id
        async with ctx.transaction() as session:
            if holds and change == OPTED_IN:
                await lift(session, tenant_id, employee_id)
            elif holds:
                await hold(session, tenant_id, employee_id, change)
            if effect is not None:
                await effect(session, tenant_id, employee_id)
            # Read only by a service that erases subjects (EmployeeErased's field).
            if on_subjects is not None and (subjects := tuple(getattr(event, "subjects", ()))):
                await on_subjects(session, tenant_id, subjects)
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
