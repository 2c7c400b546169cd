"""chorus_messaging.privacy on SQLite and the real PostgreSQL: the holds
(opt-out lifted by an opt-in, erasure never), tenant by tenant, the one
employee-topic subscription that keeps them (all of them, or the erasure
holds only) and runs the service's own effect in the same transaction as the
hold and the inbox row, and `erased` waiting for an erasure in progress."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from chorus.targeting.v1 import targeting_events_pb2 as targeting
from chorus_db import Database
from chorus_messaging import InboxRecord
from chorus_messaging.consumer import AlreadyProcessed
from chorus_messaging.privacy import (
    ERASED,
    OPTED_OUT,
    employee_privacy_subscription,
    erased,
    hold,
    lift,
    withdrawn,
)
from chorus_messaging.tables import EmployeeHold
from chorus_messaging.topics import EMPLOYEES
from chorus_testing.events import event_context
from chorus_testing.fixtures import DatabaseFactory
from chorus_testing.subscriptions import handler_for
from google.protobuf.message import Message
from sqlalchemy import event as sa_event
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel

EmployeeEvent = targeting.EmployeeOptedOut | targeting.EmployeeOptedIn | targeting.EmployeeErased


@pytest.fixture
async def db(any_database: DatabaseFactory) -> Database:
    database = await any_database()
    # Only the tables this piece needs, whatever else the metadata holds.
    tables = [SQLModel.metadata.tables[m.__tablename__] for m in (EmployeeHold, InboxRecord)]
    async with database.engine.begin() as conn:
        await conn.run_sync(lambda sync: SQLModel.metadata.create_all(sync, tables=tables))
    return database


async def held(db: Database, tenant_id: str, *ids: str) -> dict[str, str]:
    async with db.session() as session:
        return await withdrawn(session, tenant_id, ids)


async def count(db: Database, model: type) -> int:
    async with db.session() as session:
        return int((await session.execute(select(func.count()).select_from(model))).scalar_one())


async def test_holds_opt_out_lifted_by_opt_in_erasure_for_good_per_tenant(db: Database) -> None:
    async with db.transaction() as session:
        await hold(session, "t1", "e1", OPTED_OUT)
        await hold(session, "t1", "e2", ERASED)
        await hold(session, "t2", "e3", OPTED_OUT)
    assert await held(db, "t1", "e1", "e2", "e3", "e1") == {"e1": OPTED_OUT, "e2": ERASED}
    assert await held(db, "t2", "e1", "e3") == {"e3": OPTED_OUT}
    assert await held(db, "t1") == {}

    async with db.transaction() as session:
        await hold(session, "t1", "e2", OPTED_OUT)  # an erasure stays an erasure
        await hold(session, "t1", "e1", ERASED)  # an opt-out becomes one
        assert await lift(session, "t1", "e1") is False
        assert await lift(session, "t1", "e2") is False
        assert await lift(session, "t2", "e3") is True
        assert await lift(session, "t2", "e3") is False
    assert await held(db, "t1", "e1", "e2") == {"e1": ERASED, "e2": ERASED}
    assert await held(db, "t2", "e3") == {}

    async with db.transaction() as session:
        with pytest.raises(ValueError, match="hold reason"):
            await hold(session, "t1", "e4", "bored")


Effects = dict[str, list[tuple[str, str, int]]]


def recording(effects: Effects, name: str) -> Callable[[AsyncSession, str, str], Awaitable[None]]:
    async def effect(session: AsyncSession, tenant_id: str, employee_id: str) -> None:
        # What the effect sees inside the transaction: the hold already taken.
        holds = await withdrawn(session, tenant_id, [employee_id])
        effects.setdefault(name, []).append((tenant_id, employee_id, len(holds)))

    return effect


async def test_the_subscription_keeps_the_holds_and_runs_the_effects(db: Database) -> None:
    effects: Effects = {}
    subscription = employee_privacy_subscription(
        on_opted_out=recording(effects, "out"),
        on_opted_in=recording(effects, "in"),
        on_erased=recording(effects, "erased"),
    )
    assert subscription.topic == EMPLOYEES

    async def deliver(event: EmployeeEvent, ce_id: str | None = None) -> None:
        handler = handler_for([subscription], type(event))
        await handler(event, event_context(db, event, event.tenant_id, ce_id))

    await deliver(targeting.EmployeeOptedOut(tenant_id="t1", employee_id="e1"))
    await deliver(targeting.EmployeeErased(tenant_id="t1", employee_id="e2"))
    assert await held(db, "t1", "e1", "e2") == {"e1": OPTED_OUT, "e2": ERASED}
    await deliver(targeting.EmployeeOptedIn(tenant_id="t1", employee_id="e1"))
    await deliver(targeting.EmployeeOptedIn(tenant_id="t1", employee_id="e2"))
    assert await held(db, "t1", "e1", "e2") == {"e2": ERASED}
    assert effects == {
        "out": [("t1", "e1", 1)],
        "erased": [("t1", "e2", 1)],
        "in": [("t1", "e1", 0), ("t1", "e2", 1)],
    }

    # A redelivery is a no-op: no second effect, and the hold untouched.
    again = targeting.EmployeeOptedOut(tenant_id="t1", employee_id="e3")
    await deliver(again, ce_id="0192f0c8-0000-7000-8000-0000000000e3")
    with pytest.raises(AlreadyProcessed):
        await deliver(again, ce_id="0192f0c8-0000-7000-8000-0000000000e3")
    assert effects["out"] == [("t1", "e1", 1), ("t1", "e3", 1)]
    assert await count(db, InboxRecord) == 5


async def test_without_effects_the_holds_are_kept_all_the_same(db: Database) -> None:
    subscription = employee_privacy_subscription()
    assert set(subscription.handlers) == {
        targeting.EmployeeOptedOut,
        targeting.EmployeeOptedIn,
        targeting.EmployeeErased,
    }
    events: list[Message] = [
        targeting.EmployeeOptedOut(tenant_id="t1", employee_id="e1"),
        targeting.EmployeeErased(tenant_id="t1", employee_id="e2"),
    ]
    for event in events:
        await handler_for([subscription], type(event))(event, event_context(db, event, "t1"))
    assert await held(db, "t1", "e1", "e2") == {"e1": OPTED_OUT, "e2": ERASED}


async def test_without_holds_only_the_events_with_an_effect_are_subscribed(db: Database) -> None:
    effects: Effects = {}
    subscription = employee_privacy_subscription(
        on_erased=recording(effects, "erased"), holds=False
    )
    assert set(subscription.handlers) == {targeting.EmployeeErased}
    event = targeting.EmployeeErased(tenant_id="t1", employee_id="e2")
    await handler_for([subscription], type(event))(event, event_context(db, event, "t1"))
    assert effects == {"erased": [("t1", "e2", 0)]}  # effect applied, no hold kept
    assert await held(db, "t1", "e2") == {}
    assert await count(db, InboxRecord) == 1
    with pytest.raises(ValueError, match="at least one effect"):
        employee_privacy_subscription(holds=False)


async def test_a_failing_effect_takes_the_hold_and_the_inbox_row_back_with_it(
    db: Database,
) -> None:
    async def cancel_shares(session: AsyncSession, tenant_id: str, employee_id: str) -> None:
        raise RuntimeError("the shares table is locked")

    subscription = employee_privacy_subscription(on_opted_out=cancel_shares)
    event = targeting.EmployeeOptedOut(tenant_id="t1", employee_id="e1")
    with pytest.raises(RuntimeError):
        await handler_for([subscription], type(event))(event, event_context(db, event, "t1"))
    # Nothing committed: the consumer's retry finds the event new again.
    assert await held(db, "t1", "e1") == {}
    assert await count(db, InboxRecord) == 0


async def test_erasure_holds_only_keep_no_opt_out_and_subscribe_what_they_need(
    db: Database,
) -> None:
    assert set(employee_privacy_subscription(holds=ERASED).handlers) == {targeting.EmployeeErased}
    effects: Effects = {}
    subscription = employee_privacy_subscription(
        on_opted_out=recording(effects, "out"), on_erased=recording(effects, "erased"), holds=ERASED
    )
    assert set(subscription.handlers) == {targeting.EmployeeOptedOut, targeting.EmployeeErased}
    events: list[Message] = [
        targeting.EmployeeOptedOut(tenant_id="t1", employee_id="e1"),
        targeting.EmployeeErased(tenant_id="t1", employee_id="e2"),
    ]
    for event in events:
        await handler_for([subscription], type(event))(event, event_context(db, event, "t1"))
    assert effects == {"out": [("t1", "e1", 0)], "erased": [("t1", "e2", 1)]}
    assert await held(db, "t1", "e1", "e2") == {"e2": ERASED}
    async with db.transaction() as session:
        assert await erased(session, "t1", "e2") is True
        assert await erased(session, "t2", "e2") is False  # another tenant's person
        assert await erased(session, "t1", "e1") is False
        await hold(session, "t1", "e3", OPTED_OUT)
        assert await erased(session, "t1", "e3") is False  # withdrawn, not erased


ANY_EVENT = targeting.EmployeeErased  # whose handler runs does not matter here


async def test_erased_waits_for_an_erasure_in_progress_and_then_sees_it(db: Database) -> None:
    async def award_checks() -> bool:
        # A handler's transaction, as an award runs it: the inbox row, then the check.
        async with event_context(db, ANY_EVENT, "t1").transaction() as session:
            return await erased(session, "t1", "e1")

    async with db.transaction() as erasure:
        await hold(erasure, "t1", "e1", ERASED)
        checking = asyncio.create_task(award_checks())
        await asyncio.sleep(0.5)
        # Answering now would say "not erased": the hold is not committed yet.
        assert not checking.done()
    assert await asyncio.wait_for(checking, 10) is True


async def test_an_erasure_waits_for_a_transaction_that_found_the_employee_not_erased(
    db: Database,
) -> None:
    committed: list[str] = []

    async def erase() -> None:
        async with event_context(db, ANY_EVENT, "t1").transaction() as session:
            await hold(session, "t1", "e1", ERASED)
        committed.append("erasure")

    async with db.transaction() as award:
        assert await erased(award, "t1", "e1") is False
        erasing = asyncio.create_task(erase())
        await asyncio.sleep(0.5)
        # The award may still write about e1: the erasure must come after it
        # (and so see, and anonymise, what it wrote).
        assert not erasing.done()
        committed.append("award")
    await asyncio.wait_for(erasing, 10)
    assert committed == ["award", "erasure"]
    assert await held(db, "t1", "e1") == {"e1": ERASED}


async def test_withdrawn_waits_for_a_hold_in_progress_and_then_sees_it(db: Database) -> None:
    # An audience batch (scheduling) or a due share (publishing) checked while
    # an opt-out of one of its people is still uncommitted.
    batch = [f"e{n}" for n in range(1000, 0, -1)]  # unordered, and a full batch

    async def batch_checks() -> dict[str, str]:
        async with event_context(db, ANY_EVENT, "t1").transaction() as session:
            return await withdrawn(session, "t1", batch)

    async with db.transaction() as opt_out:
        await hold(opt_out, "t1", "e500", OPTED_OUT)
        checking = asyncio.create_task(batch_checks())
        await asyncio.sleep(0.5)
        # Answering now would let e500 through: the hold is not committed yet.
        assert not checking.done()
    assert await asyncio.wait_for(checking, 10) == {"e500": OPTED_OUT}


async def test_a_hold_waits_for_a_transaction_that_found_the_batch_not_withdrawn(
    db: Database,
) -> None:
    committed: list[str] = []

    async def opt_out() -> None:
        async with event_context(db, ANY_EVENT, "t1").transaction() as session:
            await hold(session, "t1", "e2", OPTED_OUT)
        committed.append("opt-out")

    async with db.transaction() as scheduling:
        assert await withdrawn(scheduling, "t1", ["e3", "e2", "e1"]) == {}
        opting_out = asyncio.create_task(opt_out())
        await asyncio.sleep(0.5)
        # The shares it creates for e2 must exist before the opt-out, which
        # cancels them.
        assert not opting_out.done()
        committed.append("shares")
    await asyncio.wait_for(opting_out, 10)
    assert committed == ["shares", "opt-out"]


async def test_withdrawn_asks_a_batch_in_two_statements(db: Database) -> None:
    statements: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement)

    engine = db.engine.sync_engine
    sa_event.listen(engine, "before_cursor_execute", record)
    try:
        async with db.transaction() as session:
            await withdrawn(session, "t1", [f"e{n}" for n in range(1000)])
    finally:
        sa_event.remove(engine, "before_cursor_execute", record)
    # The locks, then the holds; BEGIN and COMMIT do not reach the cursor.
    assert len(statements) == 2, statements
