"""gRPC use cases against a real database: schedule, cancel, get, list."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest
from chorus.scheduling.v1 import scheduling_events_pb2 as sched_events
from chorus_core.clock import as_utc, utcnow
from chorus_core.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from chorus_db import Database
from chorus_messaging import Outbox
from opentelemetry import context, trace
from opentelemetry.trace import NonRecordingSpan, SpanContext, TraceFlags
from scheduling_service.adapters.events import OutboxShareEvents
from scheduling_service.adapters.stores import SqlStores
from scheduling_service.adapters.tables import ShareRow
from scheduling_service.app.intake import ShareIntake
from scheduling_service.app.timer import DueShareTimer
from scheduling_service.app.use_cases import ScheduleRequest, SchedulingUseCases
from scheduling_service.domain.shares import ShareMode, ShareStatus, share_id_for
from scheduling_service.entrypoints.kafka_handlers import audience_handler, translation_handler
from sqlalchemy import select
from sqlmodel import col

if TYPE_CHECKING:
    from tests.component.scheduling.conftest import SchedulingDatabase, SchedulingKit

SCHEDULED = sched_events.SharesScheduled.DESCRIPTOR.full_name


async def with_audience(
    scheduling_database: SchedulingDatabase, outbox: Outbox, kit: SchedulingKit, employees: int = 3
) -> Database:
    db = await scheduling_database()
    event = kit.audience("t1", "p1", [(f"e{i}", "es", False) for i in range(employees)])
    await audience_handler(ShareIntake(SqlStores(), OutboxShareEvents(outbox)))(
        event, kit.context(db, event, "t1")
    )
    return db


def request(employee: str = "e0", **changes: Any) -> ScheduleRequest:
    values: dict[str, Any] = {
        "tenant_id": "t1",
        "post_id": "p1",
        "employee_id": employee,
        "mode": ShareMode.NOW,
        "at": None,
    }
    values.update(changes)
    return ScheduleRequest(**values)


async def test_schedule_now_and_at(
    scheduling_database: SchedulingDatabase, outbox: Outbox, kit: SchedulingKit
) -> None:
    db = await with_audience(scheduling_database, outbox, kit)
    uc = SchedulingUseCases(db, SqlStores(), OutboxShareEvents(outbox))
    before = utcnow()
    now_share = await uc.schedule_share(kit.employee("e0"), request("e0"))
    assert now_share.status is ShareStatus.SCHEDULED
    assert now_share.due_at is not None and before <= now_share.due_at <= utcnow()

    at = utcnow() + timedelta(hours=2)
    later = await uc.schedule_share(kit.employee("e1"), request("e1", mode=ShareMode.AT, at=at))
    assert later.due_at == at
    stored = await uc.get_share(kit.employee("e1"), "t1", later.share_id)
    assert stored.due_at is not None and abs(stored.due_at - at) < timedelta(milliseconds=1)
    assert await kit.announced(db) == [now_share.share_id, later.share_id]


async def test_schedule_unknown_share_is_not_found(
    scheduling_database: SchedulingDatabase, outbox: Outbox, kit: SchedulingKit
) -> None:
    db = await with_audience(scheduling_database, outbox, kit)
    uc = SchedulingUseCases(db, SqlStores(), OutboxShareEvents(outbox))
    with pytest.raises(NotFound):
        await uc.schedule_share(kit.employee("someone-else"), request("someone-else"))
    with pytest.raises(NotFound):  # the audience made bluesky shares only
        await uc.schedule_share(kit.employee("e0"), request("e0", network="linkedin"))
    with pytest.raises(NotFound):  # another tenant never sees t1's share
        await uc.schedule_share(kit.employee("e0", "t2"), request("e0", tenant_id="t2"))
    with pytest.raises(PermissionDenied):  # nor may t1's employee name another tenant
        await uc.schedule_share(kit.employee("e0"), request("e0", tenant_id="t2"))
    with pytest.raises(PermissionDenied):  # nor schedule a colleague's share
        await uc.schedule_share(kit.employee("e0"), request("e1"))


async def test_schedule_at_without_time_names_the_field(
    scheduling_database: SchedulingDatabase, outbox: Outbox, kit: SchedulingKit
) -> None:
    db = await with_audience(scheduling_database, outbox, kit)
    with pytest.raises(InvalidArgument) as error:
        await SchedulingUseCases(db, SqlStores(), OutboxShareEvents(outbox)).schedule_share(
            kit.employee("e0"), request("e0", mode=ShareMode.AT)
        )
    assert error.value.field == "at"


async def test_cancelled_share_cannot_be_scheduled(
    scheduling_database: SchedulingDatabase, outbox: Outbox, kit: SchedulingKit
) -> None:
    db = await with_audience(scheduling_database, outbox, kit)
    uc = SchedulingUseCases(db, SqlStores(), OutboxShareEvents(outbox))
    share_id = share_id_for("t1", "p1", "e0", "bluesky")
    cancelled = await uc.cancel_share(kit.employee("e0"), "t1", share_id)
    assert cancelled.status is ShareStatus.CANCELLED
    assert (
        await uc.cancel_share(kit.employee("e0"), "t1", share_id)
    ).status is ShareStatus.CANCELLED  # idempotent
    with pytest.raises(FailedPrecondition, match="cancelled"):
        await uc.schedule_share(kit.employee("e0"), request("e0"))


async def test_due_share_is_returned_as_is_and_cannot_be_cancelled(
    scheduling_database: SchedulingDatabase, outbox: Outbox, kit: SchedulingKit
) -> None:
    db = await with_audience(scheduling_database, outbox, kit)
    uc = SchedulingUseCases(db, SqlStores(), OutboxShareEvents(outbox))
    text = kit.translation("t1", "p1", "es")
    await translation_handler(ShareIntake(SqlStores(), OutboxShareEvents(outbox)))(
        text, kit.context(db, text, "t1")
    )
    await kit.clear(db, text)
    first = await uc.schedule_share(kit.employee("e0"), request("e0"))
    assert await DueShareTimer(db, SqlStores(), OutboxShareEvents(outbox)).tick(utcnow()) == 1

    again = await uc.schedule_share(
        kit.employee("e0"), request("e0", mode=ShareMode.AT, at=utcnow() + timedelta(hours=1))
    )
    assert again.status is ShareStatus.DUE and again.due_at == first.due_at
    with pytest.raises(FailedPrecondition, match="due"):
        await uc.cancel_share(kit.employee("e0"), "t1", first.share_id)


async def test_retried_request_id_applies_once(
    scheduling_database: SchedulingDatabase, outbox: Outbox, kit: SchedulingKit
) -> None:
    db = await with_audience(scheduling_database, outbox, kit)
    uc = SchedulingUseCases(db, SqlStores(), OutboxShareEvents(outbox))
    at = utcnow() + timedelta(hours=1)
    first = await uc.schedule_share(
        kit.employee("e0"), request("e0", mode=ShareMode.AT, at=at, request_id="r1")
    )
    retry = await uc.schedule_share(
        kit.employee("e0"), request("e0", mode=ShareMode.AT, at=at, request_id="r1")
    )
    assert retry == first
    assert len(await kit.announced(db)) == 1
    with pytest.raises(InvalidArgument) as error:
        await uc.schedule_share(kit.employee("e1"), request("e1", request_id="r1"))
    assert error.value.field == "request_id"
    # Another tenant may use the same request id for its own share.
    with pytest.raises(NotFound):
        await uc.schedule_share(
            kit.employee("e0", "t2"), request("e0", tenant_id="t2", request_id="r1")
        )


async def test_list_filters_and_pages(
    scheduling_database: SchedulingDatabase, outbox: Outbox, kit: SchedulingKit
) -> None:
    db = await with_audience(scheduling_database, outbox, kit, employees=5)
    uc = SchedulingUseCases(db, SqlStores(), OutboxShareEvents(outbox))
    await uc.schedule_share(kit.employee("e1"), request("e1"))
    await uc.schedule_share(kit.employee("e2"), request("e2"))

    scheduled, token = await uc.list_shares(
        kit.comms(), "t1", post_id="p1", status=ShareStatus.SCHEDULED
    )
    assert sorted(s.employee_id for s in scheduled) == ["e1", "e2"] and token == ""
    mine, _ = await uc.list_shares(kit.comms(), "t1", employee_id="e3")
    assert [s.employee_id for s in mine] == ["e3"]

    seen: list[str] = []
    token = ""
    while True:
        page, token = await uc.list_shares(
            kit.comms(), "t1", post_id="p1", page_size=2, page_token=token
        )
        seen += [s.share_id for s in page]
        if not token:
            break
    assert len(seen) == 5 == len(set(seen))
    assert (await uc.list_shares(kit.comms("t2"), "t2", post_id="p1"))[0] == []
    with pytest.raises(InvalidArgument) as error:
        await uc.list_shares(kit.comms(), "t1", page_size=5000)
    assert error.value.field == "page_size"


async def test_schedule_stores_the_current_trace_context(
    scheduling_database: SchedulingDatabase, outbox: Outbox, kit: SchedulingKit
) -> None:
    db = await with_audience(scheduling_database, outbox, kit)
    span_context = SpanContext(
        trace_id=0x0AF7651916CD43DD8448EB211C80319C,
        span_id=0x00F067AA0BA902B7,
        is_remote=False,
        trace_flags=TraceFlags(TraceFlags.SAMPLED),
    )
    token = context.attach(trace.set_span_in_context(NonRecordingSpan(span_context)))
    try:
        share = await SchedulingUseCases(db, SqlStores(), OutboxShareEvents(outbox)).schedule_share(
            kit.employee("e0"), request("e0")
        )
    finally:
        context.detach(token)
    async with db.session() as session:
        row = (
            await session.execute(select(ShareRow).where(col(ShareRow.share_id) == share.share_id))
        ).scalar_one()
    assert row.traceparent is not None and "0af7651916cd43dd8448eb211c80319c" in row.traceparent
    assert row.due_at is not None and as_utc(row.due_at) == share.due_at
