"""Content's verdicts drive scheduling (each service on its own real database):
content's real per-locale check turns every TranslationCompleted into one
TranslationCleared or TranslationHeld; those events, read from content's
outbox, are fed to scheduling's content_handlers, and scheduling's real timer
decides what fires. A share never fires before content has cleared the exact
text it will post; a held language waits until a corrected text is cleared;
an expired post's pending shares are cancelled. Redelivery changes nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from chorus.content.v1 import content_events_pb2 as content
from chorus.scheduling.v1 import scheduling_events_pb2 as scheduling
from chorus.targeting.v1 import targeting_events_pb2 as targeting
from chorus.translation.v1 import translation_events_pb2 as translation
from chorus_core.clock import utcnow
from chorus_db import Database, migrate
from chorus_messaging import EventContext, Outbox
from chorus_messaging.consumer import AlreadyProcessed
from chorus_testing.events import event_context, outbox_rows
from chorus_testing.fixtures import DatabaseFactory
from chorus_testing.identity import admin
from content_service.domain.charter import Charter
from content_service.domain.matcher import Term
from content_service.entrypoints.kafka_handlers import (
    translation_handler as content_translation_handler,
)
from google.protobuf.message import Message
from scheduling_service.adapters.events import OutboxShareEvents
from scheduling_service.adapters.migrations import SCHEMA
from scheduling_service.adapters.repository import ShareRepository
from scheduling_service.adapters.stores import SqlStores
from scheduling_service.app.intake import ShareIntake
from scheduling_service.app.timer import DueShareTimer
from scheduling_service.domain.shares import ShareStatus, share_id_for
from scheduling_service.domain.slots import HORIZON_DAYS
from scheduling_service.entrypoints.content_handlers import (
    cleared_handler,
    expired_handler,
    held_handler,
)
from scheduling_service.entrypoints.kafka_handlers import audience_handler, translation_handler

if TYPE_CHECKING:
    from tests.component.content.conftest import ContentKit, ContentKitFactory

VERDICTS: dict[str, type[content.TranslationCleared] | type[content.TranslationHeld]] = {
    content.TranslationCleared.DESCRIPTOR.full_name: content.TranslationCleared,
    content.TranslationHeld.DESCRIPTOR.full_name: content.TranslationHeld,
}


def ctx(db: Database, event: Message, ce_id: str | None = None) -> EventContext:
    return event_context(db, event, "t1", ce_id)


class Pipeline:
    """Content's check and scheduling's consumers, wired by hand in topic order."""

    def __init__(self, kit: ContentKit, scheduling: Database, outbox: Outbox) -> None:
        self.kit, self.scheduling, self.outbox = kit, scheduling, outbox
        self.check = content_translation_handler(kit.content.translations)
        self.relayed = 0  # content outbox seq already delivered to scheduling

    async def to_scheduling(self, text: translation.TranslationCompleted) -> None:
        await translation_handler(ShareIntake(SqlStores(), OutboxShareEvents(self.outbox)))(
            text, ctx(self.scheduling, text)
        )

    async def to_content(self, text: translation.TranslationCompleted) -> None:
        await self.check(text, self.kit.context(text, "t1"))

    async def relay_verdicts(self) -> list[str]:
        """Deliver content's new verdicts to scheduling, in outbox order."""
        rows = [
            row
            for row in await outbox_rows(self.kit.db)
            if (row.seq or 0) > self.relayed and row.ce_type in VERDICTS
        ]
        kinds = []
        for row in rows:
            self.relayed = max(self.relayed, row.seq or 0)
            event = VERDICTS[row.ce_type].FromString(row.payload)
            handler = (
                cleared_handler()
                if isinstance(event, content.TranslationCleared)
                else held_handler()
            )
            context = ctx(self.scheduling, event, ce_id=row.ce_id)
            await handler(event, context)
            with pytest.raises(AlreadyProcessed):  # redelivered: the inbox makes it a no-op
                await handler(event, ctx(self.scheduling, event, ce_id=row.ce_id))
            cleared = isinstance(event, content.TranslationCleared)
            kinds.append(f"{event.language}:{'cleared' if cleared else 'held'}")
        return kinds

    async def tick(self) -> int:
        # After every slot the planner can give the auto-shares (a weekend or
        # holiday in Madrid, one share a minute for a post this small).
        return await DueShareTimer(
            self.scheduling, SqlStores(), OutboxShareEvents(self.outbox)
        ).tick(utcnow() + timedelta(days=HORIZON_DAYS + 1))

    async def status(self, employee: str) -> ShareStatus:
        async with self.scheduling.session() as session:
            share_id = share_id_for("t1", "p1", employee, "bluesky")
            return (await ShareRepository(session).get("t1", share_id)).status


def text(language: str, body: str) -> translation.TranslationCompleted:
    return translation.TranslationCompleted(
        tenant_id="t1",
        post_id="p1",
        post_version=1,
        language=language,
        source_language="en",
        title="T",
        body=body,
        provider="apertium",
        link="https://example.com/news",
    )


async def pipeline(any_database: DatabaseFactory, content_kit: ContentKitFactory) -> Pipeline:
    kit = await content_kit()
    await kit.posts.charters.set_charter(
        admin(),
        "t1",
        Charter(
            blocked_terms=(
                Term("garantía total", "es", "block"),
                Term("gift", "de", "block"),
            )
        ),
    )
    scheduling = await any_database()
    await migrate(scheduling, SCHEMA)
    outbox = Outbox("chorus/scheduling@test")
    members = [
        ("e-en", "en", True),
        ("e-es", "es", True),
        ("e-fr", "fr", True),
        ("e-de", "de", True),
        ("e-sugg", "fr", False),
    ]
    audience = targeting.AudienceBatchResolved(
        tenant_id="t1",
        post_id="p1",
        post_version=1,
        batch_index=0,
        batch_count=1,
        members=[
            targeting.AudienceMember(
                employee_id=e,
                language=lang,
                timezone="Europe/Madrid",
                country="ES",
                auto_share=auto,
            )
            for e, lang, auto in members
        ],
    )
    await audience_handler(ShareIntake(SqlStores(), OutboxShareEvents(outbox)))(
        audience, ctx(scheduling, audience)
    )
    return Pipeline(kit, scheduling, outbox)


async def test_shares_wait_for_content_verdict_and_held_language_waits_for_a_fix(
    any_database: DatabaseFactory, content_kit: ContentKitFactory
) -> None:
    flow = await pipeline(any_database, content_kit)
    texts = [
        text("en", "We launched the plant"),
        text("es", "Con GARANTÍA TOTAL para todos"),
        text("fr", "Nous avons lancé l'usine"),
    ]
    for t in texts:  # translation reaches scheduling before content has checked it: the race
        await flow.to_scheduling(t)
    assert await flow.tick() == 0  # texts are there, verdicts are not: nothing fires

    for t in texts:
        await flow.to_content(t)
    assert await flow.relay_verdicts() == [
        "en:cleared",
        "es:held",
        "fr:cleared",
    ]  # one verdict per text
    assert await flow.tick() == 2
    assert (
        await flow.status("e-en") is ShareStatus.DUE
        and await flow.status("e-fr") is ShareStatus.DUE
    )
    assert await flow.status("e-es") is ShareStatus.SCHEDULED  # held back

    fixed = text("es", "Con calidad para todos")  # a human-corrected translation
    await flow.to_scheduling(fixed)
    assert (
        await flow.tick() == 0
    )  # the held verdict is about the old text, none yet about the new one
    await flow.to_content(fixed)
    assert await flow.relay_verdicts() == ["es:cleared"]
    assert await flow.tick() == 1
    assert await flow.status("e-es") is ShareStatus.DUE


async def test_a_verdict_on_an_older_text_does_not_release_a_newer_one(
    any_database: DatabaseFactory, content_kit: ContentKitFactory
) -> None:
    flow = await pipeline(any_database, content_kit)
    first = text("de", "Wir haben das Werk eröffnet")
    await flow.to_scheduling(first)
    await flow.to_content(first)
    assert await flow.relay_verdicts() == ["de:cleared"]
    # Before the share is due, a new German text arrives that breaks the
    # charter; it reaches scheduling before content's verdict on it does.
    worse = text("de", "Ein schönes Gift für alle")
    await flow.to_scheduling(worse)
    assert await flow.tick() == 0  # "cleared" was about the first text, not this one
    await flow.to_content(worse)
    assert await flow.relay_verdicts() == ["de:held"]
    assert await flow.tick() == 0
    assert await flow.status("e-de") is ShareStatus.SCHEDULED


async def test_expired_post_cancels_pending_shares(
    any_database: DatabaseFactory, content_kit: ContentKitFactory
) -> None:
    flow = await pipeline(any_database, content_kit)
    for t in (text("fr", "Nous avons lancé l'usine"), text("en", "We launched the plant")):
        await flow.to_scheduling(t)
        await flow.to_content(t)
    await flow.relay_verdicts()
    assert await flow.tick() == 2  # fr and en fired
    expired = content.PostExpired(tenant_id="t1", post_id="p1", version=1)
    await expired_handler()(expired, ctx(flow.scheduling, expired))
    assert await flow.status("e-sugg") is ShareStatus.CANCELLED  # was a suggestion
    assert await flow.status("e-es") is ShareStatus.CANCELLED  # scheduled, never translated
    assert await flow.status("e-fr") is ShareStatus.DUE  # publishing owns it already


async def test_variants_are_checked_per_language_and_their_verdict_releases_that_text(
    any_database: DatabaseFactory, content_kit: ContentKitFactory
) -> None:
    """The translated variants count in the text content checks and names
    (its digest): a Spanish variant that breaks the charter holds Spanish
    (naming the variant), a clean English text with variants is cleared and
    its share posts one of them."""
    flow = await pipeline(any_database, content_kit)
    english = text("en", "We launched the plant")
    english.network_variants["bluesky"].texts.extend(["Plant open!", "Come and see the plant"])
    spanish = text("es", "Abrimos la planta")
    spanish.network_variants["bluesky"].texts.extend(["¡Planta abierta!", "Con garantía total"])
    for t in (english, spanish):
        await flow.to_scheduling(t)
        await flow.to_content(t)
    assert await flow.relay_verdicts() == ["en:cleared", "es:held"]
    [held] = await flow.kit.events(content.TranslationHeld)
    assert [v.field for v in held.violations] == ["network_variants.bluesky[1]"]
    assert await flow.tick() == 1
    assert await flow.status("e-en") is ShareStatus.DUE
    assert await flow.status("e-es") is ShareStatus.SCHEDULED
    [due] = [
        scheduling.ShareDue.FromString(row.payload)
        for row in await outbox_rows(flow.scheduling)
        if row.ce_type == scheduling.ShareDue.DESCRIPTOR.full_name
    ]
    assert due.HasField("variant") and not due.edited
    assert due.text == ["Plant open!", "Come and see the plant"][due.variant]
