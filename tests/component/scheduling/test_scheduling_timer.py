"""The durable timer against a real database: fires when due and translated,
exactly once, across restarts and with two replicas running at once."""

from __future__ import annotations

import asyncio
from datetime import UTC, timedelta
from typing import TYPE_CHECKING, Any

import pytest
from chorus.scheduling.v1 import scheduling_events_pb2 as sched_events
from chorus_core.clock import utcnow
from chorus_db import Database
from chorus_messaging import Outbox
from chorus_telemetry.propagation import TraceCarrier, sampled_for
from opentelemetry import context, trace
from opentelemetry.trace import NonRecordingSpan, SpanContext, TraceFlags
from scheduling_service.adapters.events import OutboxShareEvents
from scheduling_service.adapters.stores import SqlStores
from scheduling_service.app.intake import ShareIntake
from scheduling_service.app.timer import DueShareTimer
from scheduling_service.app.use_cases import ScheduleRequest, SchedulingUseCases
from scheduling_service.domain.shares import ShareMode, ShareStatus, share_id_for
from scheduling_service.entrypoints.kafka_handlers import audience_handler, translation_handler

if TYPE_CHECKING:
    from tests.component.scheduling.conftest import SchedulingDatabase, SchedulingKit

DUE = sched_events.ShareDue.DESCRIPTOR.full_name
TRACE_ID = 0x4BF92F3577B34DA6A3CE929D0E0E4736


async def audience(
    db: Database, outbox: Outbox, kit: SchedulingKit, members: list[tuple[str, str, bool]]
) -> None:
    for start in range(0, len(members), 1000):  # targeting's batches hold at most 1,000
        event = kit.audience("t1", "p1", members[start : start + 1000])
        await audience_handler(ShareIntake(SqlStores(), OutboxShareEvents(outbox)))(
            event, kit.context(db, event, "t1")
        )


async def translate(
    db: Database, outbox: Outbox, kit: SchedulingKit, language: str, **kwargs: Any
) -> None:
    event = kit.translation("t1", "p1", language, **kwargs)
    await translation_handler(ShareIntake(SqlStores(), OutboxShareEvents(outbox)))(
        event, kit.context(db, event, "t1")
    )
    await kit.clear(db, event)


async def test_due_share_waits_for_its_translation(
    scheduling_database: SchedulingDatabase, outbox: Outbox, kit: SchedulingKit
) -> None:
    db = await scheduling_database()
    await audience(db, outbox, kit, [("e1", "es", True), ("e2", "fr", True), ("e3", "es", False)])
    timer = DueShareTimer(db, SqlStores(), OutboxShareEvents(outbox))
    assert await timer.tick(kit.after_every_slot()) == 0  # due, but no text yet

    await translate(db, outbox, kit, "es", network_texts={"bluesky": "Texto para Bluesky"})
    assert await timer.tick(kit.after_every_slot()) == 1  # e1 (es); e3 is only a suggestion
    assert await timer.tick(kit.after_every_slot()) == 0

    await translate(db, outbox, kit, "fr")
    assert await timer.tick(kit.after_every_slot()) == 1
    rows = await kit.outbox_rows(db, DUE)
    events = {row.key: sched_events.ShareDue.FromString(row.payload) for row in rows}
    spanish = events[share_id_for("t1", "p1", "e1", "bluesky")]
    assert spanish.text == "Texto para Bluesky" and spanish.language == "es"
    assert spanish.link == "https://example.com/news" and spanish.country == "ES"
    assert (
        spanish.network == "bluesky" and spanish.post_version == 1 and spanish.employee_id == "e1"
    )
    assert events[share_id_for("t1", "p1", "e2", "bluesky")].text == "Body in fr"
    assert all(row.tenant_id == "t1" and row.topic == "chorus.scheduling.share.v1" for row in rows)


async def test_share_is_not_fired_before_its_time_nor_when_cancelled(
    scheduling_database: SchedulingDatabase, outbox: Outbox, kit: SchedulingKit
) -> None:
    db = await scheduling_database()
    await audience(db, outbox, kit, [("e1", "es", False), ("e2", "es", False)])
    await translate(db, outbox, kit, "es")
    uc = SchedulingUseCases(db, SqlStores(), OutboxShareEvents(outbox))
    at = utcnow() + timedelta(minutes=10)
    for employee in ("e1", "e2"):
        await uc.schedule_share(
            kit.employee(employee), ScheduleRequest("t1", "p1", employee, ShareMode.AT, at)
        )
    await uc.cancel_share(kit.employee("e2"), "t1", share_id_for("t1", "p1", "e2", "bluesky"))

    timer = DueShareTimer(db, SqlStores(), OutboxShareEvents(outbox))
    assert await timer.tick(at - timedelta(seconds=1)) == 0
    assert await timer.tick(at) == 1
    assert [r.key for r in await kit.outbox_rows(db, DUE)] == [
        share_id_for("t1", "p1", "e1", "bluesky")
    ]
    assert (
        await uc.get_share(kit.employee("e1"), "t1", share_id_for("t1", "p1", "e1", "bluesky"))
    ).status is ShareStatus.DUE


async def test_share_due_continues_the_trace_that_scheduled_it(
    scheduling_database: SchedulingDatabase, outbox: Outbox, kit: SchedulingKit
) -> None:
    db = await scheduling_database()
    await audience(db, outbox, kit, [("e1", "es", False)])
    await translate(db, outbox, kit, "es")
    scheduled_in = SpanContext(
        TRACE_ID, 0x00F067AA0BA902B7, is_remote=False, trace_flags=TraceFlags(TraceFlags.SAMPLED)
    )
    token = context.attach(trace.set_span_in_context(NonRecordingSpan(scheduled_in)))
    try:
        await SchedulingUseCases(db, SqlStores(), OutboxShareEvents(outbox)).schedule_share(
            kit.employee("e1"), ScheduleRequest("t1", "p1", "e1", ShareMode.NOW, None)
        )
    finally:
        context.detach(token)

    # The timer ticks in a context of its own; the event must still carry the share's trace.
    assert await DueShareTimer(db, SqlStores(), OutboxShareEvents(outbox)).tick(utcnow()) == 1
    (row,) = await kit.outbox_rows(db, DUE)
    assert row.traceparent is not None
    assert row.traceparent.split("-")[1] == format(TRACE_ID, "032x")


async def test_batches_drain_everything_due_in_one_tick(
    scheduling_database: SchedulingDatabase, outbox: Outbox, kit: SchedulingKit
) -> None:
    db = await scheduling_database()
    await audience(db, outbox, kit, [(f"e{i}", "es", True) for i in range(7)])
    await translate(db, outbox, kit, "es")
    assert (
        await DueShareTimer(db, SqlStores(), OutboxShareEvents(outbox), batch_size=3).tick(
            kit.after_every_slot()
        )
        == 7
    )
    assert len({r.key for r in await kit.outbox_rows(db, DUE)}) == 7


async def test_share_fires_exactly_once_across_a_restart(
    scheduling_database: SchedulingDatabase, outbox: Outbox, kit: SchedulingKit
) -> None:
    """Schedule at T = now + 2 s, stop the timer and close the database before
    T, open both anew after T: exactly one ShareDue."""
    db = await scheduling_database()
    await audience(db, outbox, kit, [("e1", "es", False)])
    await translate(db, outbox, kit, "es")
    due_at = utcnow() + timedelta(seconds=2)
    share = await SchedulingUseCases(db, SqlStores(), OutboxShareEvents(outbox)).schedule_share(
        kit.employee("e1"), ScheduleRequest("t1", "p1", "e1", ShareMode.AT, due_at)
    )
    first = DueShareTimer(db, SqlStores(), OutboxShareEvents(outbox), tick_seconds=0.1)
    running = asyncio.create_task(first.run())
    await asyncio.sleep(0.5)  # a few real ticks before T
    first.stop()
    await running
    await db.dispose()  # the process is gone: nothing survives but the database
    assert utcnow() < due_at, "the first timer must have stopped before T"

    await asyncio.sleep((due_at - utcnow()).total_seconds() + 0.2)
    reopened = Database(db.url)
    try:
        restarted_outbox = Outbox("chorus/scheduling@test")
        second = DueShareTimer(
            reopened, SqlStores(), OutboxShareEvents(restarted_outbox), tick_seconds=0.1
        )
        assert await second.tick(utcnow()) == 1
        running = asyncio.create_task(second.run())  # and a few more ticks: nothing more fires
        await asyncio.sleep(0.4)
        second.stop()
        await running
        rows = await kit.outbox_rows(reopened, DUE)
        assert [r.key for r in rows] == [share.share_id]
        assert (
            sched_events.ShareDue.FromString(rows[0].payload).due_at.ToDatetime(tzinfo=UTC)
            == due_at
        )
    finally:
        await reopened.dispose()


async def test_two_timers_on_one_database_fire_each_share_once(
    scheduling_database: SchedulingDatabase, outbox: Outbox, kit: SchedulingKit
) -> None:
    """Two replicas (two engines, two outboxes) ticking at the same time."""
    db = await scheduling_database()
    await audience(db, outbox, kit, [(f"e{i}", "es", True) for i in range(1200)])
    await translate(db, outbox, kit, "es")
    replica = Database(db.url)
    try:
        timers = [
            DueShareTimer(
                db, SqlStores(), OutboxShareEvents(Outbox("chorus/scheduling@a")), batch_size=100
            ),
            DueShareTimer(
                replica,
                SqlStores(),
                OutboxShareEvents(Outbox("chorus/scheduling@b")),
                batch_size=100,
            ),
        ]

        async def drain(timer: DueShareTimer) -> int:
            return sum([await timer.tick(kit.after_every_slot()) for _ in range(3)])

        fired = await asyncio.gather(*(drain(t) for t in timers))
    finally:
        await replica.dispose()
    assert sum(fired) == 1200
    keys = [r.key for r in await kit.outbox_rows(db, DUE)]
    assert len(keys) == 1200 == len(set(keys))


async def test_a_sample_of_a_campaigns_shares_is_traced_on_when_due(
    scheduling_database: SchedulingDatabase, outbox: Outbox, kit: SchedulingKit
) -> None:
    """Intake with traced=0.5: every ShareDue stays in the campaign's trace,
    and exactly the shares sampled_for keeps are sampled; the rest are marked
    not sampled, so publishing, gamification and metrics record nothing of them."""
    db = await scheduling_database()
    members = [(f"e{i}", "es", True) for i in range(40)]
    event = kit.audience("t1", "p1", members)
    campaign = SpanContext(
        TRACE_ID, 0x00F067AA0BA902B7, is_remote=False, trace_flags=TraceFlags(TraceFlags.SAMPLED)
    )
    token = context.attach(trace.set_span_in_context(NonRecordingSpan(campaign)))
    try:
        intake = ShareIntake(SqlStores(), OutboxShareEvents(outbox), traced=0.5)
        await audience_handler(intake)(event, kit.context(db, event, "t1"))
    finally:
        context.detach(token)
    await translate(db, outbox, kit, "es")
    assert await DueShareTimer(db, SqlStores(), OutboxShareEvents(outbox)).tick(
        kit.after_every_slot()
    ) == len(members)

    rows = await kit.outbox_rows(db, DUE)
    flags = {row.key: row.traceparent.split("-") for row in rows if row.traceparent}
    assert len(flags) == len(members)
    assert {parts[1] for parts in flags.values()} == {format(TRACE_ID, "032x")}
    carrier = TraceCarrier(f"00-{TRACE_ID:032x}-{0x00F067AA0BA902B7:016x}-01")
    expected = {
        share_id: "01" if sampled_for(carrier, share_id, 0.5) == carrier else "00"
        for share_id in flags
    }
    assert {k: parts[3] for k, parts in flags.items()} == expected
    assert set(expected.values()) == {"00", "01"}  # some of each among 40


def test_the_traced_fraction_is_a_fraction() -> None:
    with pytest.raises(ValueError, match="fraction"):
        ShareIntake(SqlStores(), OutboxShareEvents(Outbox("chorus/test")), traced=1.5)
