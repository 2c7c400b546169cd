"""Kafka handlers against a real database: audience -> shares, translation ->
texts; every handler applied twice with the same ce_id changes nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from chorus.publishing.v1 import publishing_events_pb2 as pub_events
from chorus.scheduling.v1 import scheduling_events_pb2 as sched_events
from chorus_core.clock import utcnow
from chorus_core.errors import PermanentError
from chorus_core.prototime import to_timestamp
from chorus_db import Database
from chorus_messaging import Batched, InboxRecord, Outbox, OutboxMessage
from chorus_messaging.consumer import AlreadyProcessed
from chorus_testing.events import batch_of
from google.protobuf.message import Message
from scheduling_service.adapters.events import OutboxShareEvents
from scheduling_service.adapters.repository import ShareRepository, TranslationRepository
from scheduling_service.adapters.stores import SqlStores
from scheduling_service.adapters.tables import ShareRow
from scheduling_service.app.delivery import Delivery
from scheduling_service.app.intake import ShareIntake
from scheduling_service.domain.shares import ShareStatus, share_id_for
from scheduling_service.entrypoints.kafka_handlers import (
    audience_handler,
    delivery_handlers,
    translation_handler,
)
from sqlalchemy import func, select
from sqlmodel import SQLModel

if TYPE_CHECKING:
    from tests.component.scheduling.conftest import SchedulingDatabase, SchedulingKit

SCHEDULED = sched_events.SharesScheduled.DESCRIPTOR.full_name


async def count(db: Database, model: type[SQLModel]) -> int:
    async with db.session() as session:
        return int((await session.execute(select(func.count()).select_from(model))).scalar_one())


async def test_audience_batch_creates_one_share_per_member(
    scheduling_database: SchedulingDatabase, outbox: Outbox, kit: SchedulingKit
) -> None:
    db = await scheduling_database()
    handle = audience_handler(ShareIntake(SqlStores(), OutboxShareEvents(outbox)))
    event = kit.audience("t1", "p1", [("e1", "es", False), ("e2", "fr", True), ("e3", "es", False)])
    await handle(event, kit.context(db, event, "t1"))

    async with db.session() as session:
        shares = ShareRepository(session)
        suggested = await shares.get("t1", share_id_for("t1", "p1", "e1", "bluesky"))
        auto = await shares.get("t1", share_id_for("t1", "p1", "e2", "bluesky"))
    assert suggested.status is ShareStatus.SUGGESTED and suggested.due_at is None
    assert suggested.language == "es" and suggested.country == "ES"
    assert auto.status is ShareStatus.SCHEDULED and auto.due_at is not None
    assert await count(db, ShareRow) == 3
    (announcement,) = await kit.outbox_rows(db, SCHEDULED)
    assert announcement.key == "p1"  # one event for the batch, keyed by its post
    assert await kit.announced(db) == [auto.share_id]


async def test_a_large_batch_is_announced_in_events_of_at_most_a_thousand_shares(
    scheduling_database: SchedulingDatabase, outbox: Outbox, kit: SchedulingKit
) -> None:
    db = await scheduling_database()
    handle = audience_handler(ShareIntake(SqlStores(), OutboxShareEvents(outbox)))
    event = kit.audience("t1", "p1", [(f"e{i}", "es", True) for i in range(1500)])
    await handle(event, kit.context(db, event, "t1"))
    rows = await kit.outbox_rows(db, SCHEDULED)
    sizes = [len(sched_events.SharesScheduled.FromString(r.payload).shares) for r in rows]
    assert sizes == [1000, 500] and {r.key for r in rows} == {"p1"}
    assert sorted(await kit.announced(db)) == sorted(
        share_id_for("t1", "p1", f"e{i}", "bluesky") for i in range(1500)
    )


async def test_redelivered_audience_batch_is_a_no_op(
    scheduling_database: SchedulingDatabase, outbox: Outbox, kit: SchedulingKit
) -> None:
    db = await scheduling_database()
    handle = audience_handler(ShareIntake(SqlStores(), OutboxShareEvents(outbox)))
    event = kit.audience("t1", "p1", [("e1", "es", True), ("e2", "fr", False)])
    ctx = kit.context(db, event, "t1")
    await handle(event, ctx)
    rows_before, outbox_before = await count(db, ShareRow), await count(db, OutboxMessage)

    with pytest.raises(AlreadyProcessed):
        await handle(event, kit.context(db, event, "t1", ce_id=ctx.envelope.ce_id))
    assert (await count(db, ShareRow), await count(db, OutboxMessage)) == (
        rows_before,
        outbox_before,
    )


async def test_same_audience_under_a_new_event_id_creates_nothing_twice(
    scheduling_database: SchedulingDatabase, outbox: Outbox, kit: SchedulingKit
) -> None:
    """Targeting resolving the same audience again (a new ce_id) is idempotent by share id."""
    db = await scheduling_database()
    handle = audience_handler(ShareIntake(SqlStores(), OutboxShareEvents(outbox)))
    event = kit.audience("t1", "p1", [("e1", "es", True), ("e2", "fr", False)])
    await handle(event, kit.context(db, event, "t1"))
    await handle(event, kit.context(db, event, "t1"))
    assert await count(db, ShareRow) == 2
    assert len(await kit.announced(db)) == 1


async def test_members_without_language_are_skipped_not_the_batch(
    scheduling_database: SchedulingDatabase, outbox: Outbox, kit: SchedulingKit
) -> None:
    db = await scheduling_database()
    handle = audience_handler(ShareIntake(SqlStores(), OutboxShareEvents(outbox)))
    event = kit.audience("t1", "p1", [("e1", "", False), ("e2", "fr", False)])
    await handle(event, kit.context(db, event, "t1"))
    assert await count(db, ShareRow) == 1


async def test_audience_batch_without_tenant_is_permanent(
    scheduling_database: SchedulingDatabase, outbox: Outbox, kit: SchedulingKit
) -> None:
    db = await scheduling_database()
    handle = audience_handler(ShareIntake(SqlStores(), OutboxShareEvents(outbox)))
    event = kit.audience("", "p1", [("e1", "es", False)])
    with pytest.raises(PermanentError):
        await handle(event, kit.context(db, event, "t1"))
    assert await count(db, ShareRow) == 0


async def test_new_post_version_moves_open_shares_to_it(
    scheduling_database: SchedulingDatabase, outbox: Outbox, kit: SchedulingKit
) -> None:
    db = await scheduling_database()
    handle = audience_handler(ShareIntake(SqlStores(), OutboxShareEvents(outbox)))
    first = kit.audience("t1", "p1", [("e1", "es", False)], version=1)
    await handle(first, kit.context(db, first, "t1"))
    second = kit.audience("t1", "p1", [("e1", "es", False)], version=2)
    await handle(second, kit.context(db, second, "t1"))
    async with db.session() as session:
        share = await ShareRepository(session).get("t1", share_id_for("t1", "p1", "e1", "bluesky"))
    assert share.post_version == 2 and share.status is ShareStatus.SUGGESTED


async def test_translation_is_stored_and_replaced(
    scheduling_database: SchedulingDatabase, outbox: Outbox, kit: SchedulingKit
) -> None:
    db = await scheduling_database()
    handle = translation_handler(ShareIntake(SqlStores(), OutboxShareEvents(outbox)))
    event = kit.translation("t1", "p1", "es", network_texts={"bluesky": "Texto corto"})
    ctx = kit.context(db, event, "t1")
    await handle(event, ctx)
    with pytest.raises(AlreadyProcessed):
        await handle(event, kit.context(db, event, "t1", ce_id=ctx.envelope.ce_id))

    override = kit.translation("t1", "p1", "es", network_texts={"bluesky": "Texto revisado"})
    await handle(override, kit.context(db, override, "t1"))
    async with db.session() as session:
        text = await TranslationRepository(session).get("t1", "p1", 1, "es")
        other_tenant = await TranslationRepository(session).get("t2", "p1", 1, "es")
    assert text is not None and text.text_for("bluesky") == "Texto revisado"
    assert text.link == "https://example.com/news"
    assert other_tenant is None


async def test_a_batch_of_published_shares_clears_their_notes_in_each_tenant(
    scheduling_database: SchedulingDatabase, outbox: Outbox, kit: SchedulingKit
) -> None:
    """SharePublished taken a poll at once (Batched): each share's deferral
    or hold is cleared, in its own tenant; a share the batch does not name
    keeps its note, and every event gets its inbox row."""
    db = await scheduling_database()
    intake = audience_handler(ShareIntake(SqlStores(), OutboxShareEvents(outbox)))
    for tenant, members in (("t1", ["e1", "e2", "e3"]), ("t2", ["e4"])):
        event = kit.audience(tenant, "p1", [(e, "es", False) for e in members])
        await intake(event, kit.context(db, event, tenant))
    handlers = delivery_handlers(Delivery(SqlStores()))
    share = {e: share_id_for(t, "p1", e, "bluesky") for e, t in TENANT_OF.items()}
    later = to_timestamp(utcnow() + timedelta(hours=1))
    notes: list[Message] = [
        pub_events.ShareDeferred(
            tenant_id="t1", share_id=share["e1"], retry_at=later, reason="budget"
        ),
        pub_events.ShareDeferred(
            tenant_id="t1", share_id=share["e3"], retry_at=later, reason="budget"
        ),
        pub_events.ShareHeld(
            tenant_id="t2", share_id=share["e4"], held_at=later, reason="reconnect"
        ),
    ]
    for note in notes:
        await handlers[type(note)](note, kit.context(db, note, note.tenant_id))  # type: ignore[attr-defined]

    published = [
        pub_events.SharePublished(tenant_id=TENANT_OF[e], share_id=share[e], employee_id=e)
        for e in ("e1", "e2", "e4")
    ]
    batched = handlers[pub_events.SharePublished]
    assert isinstance(batched, Batched)
    await batched.handle(batch_of(db, published))

    async with db.session() as session:
        shares = ShareRepository(session)
        after = {e: await shares.get(TENANT_OF[e], share[e]) for e in share}
    assert [(e, s.deferred_until is None, s.held_since is None) for e, s in after.items()] == [
        ("e1", True, True),
        ("e2", True, True),
        ("e3", False, True),  # not in the batch: still deferred
        ("e4", True, True),
    ]
    assert after["e3"].deferred_reason == "budget" and after["e1"].deferred_reason == ""
    assert await count(db, InboxRecord) == 2 + len(notes) + len(published)  # 2 audiences


TENANT_OF = {"e1": "t1", "e2": "t1", "e3": "t1", "e4": "t2"}
