"""A fallback text (translation could not produce the language and the
tenant's policy fell back) is checked against the charter in the language it
is written in, and the verdict is given for the language whose shares carry
it -- against a real database."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chorus.content.v1 import content_events_pb2 as events
from chorus.translation.v1 import translation_events_pb2 as translation
from chorus_testing.identity import admin
from content_service.domain.charter import Charter
from content_service.domain.matcher import Term
from content_service.entrypoints.kafka_handlers import translation_handler

if TYPE_CHECKING:
    from tests.component.content.conftest import ContentKitFactory


def fallback(post_id: str, body: str) -> translation.TranslationCompleted:
    """English text delivered for German readers."""
    return translation.TranslationCompleted(
        tenant_id="t1",
        post_id=post_id,
        post_version=1,
        language="de",
        source_language="en",
        title="News",
        body=body,
        provider="source",
        fallback_language="en",
    )


async def test_fallback_text_is_checked_in_its_own_language(
    content_kit: ContentKitFactory,
) -> None:
    kit = await content_kit()
    await kit.posts.charters.set_charter(
        admin(),
        "t1",
        Charter(blocked_terms=(Term("gift", "de", "block"), Term("free money", "en", "block"))),
    )
    handle = translation_handler(kit.content.translations)

    # "Gift" is blocked in German (poison), not in English: the English text passes.
    clean = fallback("p1", "A gift for every new joiner")
    await handle(clean, kit.context(clean, "t1"))
    # An English term blocks the English text, even delivered for German readers.
    risky = fallback("p2", "Free money for every new joiner")
    await handle(risky, kit.context(risky, "t1"))

    cleared = [
        e
        for e in await kit.events(events.TranslationCleared)
        if isinstance(e, events.TranslationCleared)
    ]
    held = [
        e for e in await kit.events(events.TranslationHeld) if isinstance(e, events.TranslationHeld)
    ]
    assert [(e.post_id, e.language) for e in cleared] == [("p1", "de")]
    assert [(e.post_id, e.language) for e in held] == [("p2", "de")]
    assert [v.rule_id for v in held[0].violations] == ["blocked-term.en"]
