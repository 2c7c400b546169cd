"""AudienceSummary -> content.GetPostVersion (real gRPC) -> Apertium -> rows +
TranslationCompleted."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest
from chorus.targeting.v1 import targeting_events_pb2 as targeting_events
from chorus.translation.v1 import translation_events_pb2 as events
from chorus_core.errors import DomainError, PermanentError
from chorus_db import Database
from chorus_messaging import EventContext, Outbox
from chorus_messaging.consumer import AlreadyProcessed
from chorus_messaging.topics import TRANSLATIONS
from chorus_testing.events import event_context, outbox_rows
from chorus_testing.identity import IDENTITY, as_service, everything
from content_service.app.reviews import ReviewUseCases
from content_service.app.use_cases import ContentUseCases, NewPost
from content_service.domain.posts import PostContent, Targeting
from translation_service.adapters.apertium import ApertiumTranslator
from translation_service.adapters.content_client import GrpcContentReader
from translation_service.adapters.redis_cache import RedisTranslationCache
from translation_service.adapters.repository import TranslationRepository
from translation_service.adapters.stores import OutboxTranslationEvents, SqlStores
from translation_service.app.post_translations import ContentBehind, PostTranslations
from translation_service.app.text_translator import TextTranslator
from translation_service.entrypoints.kafka_handlers import audience_summary_handler

LINK = "https://example.com/careers?utm_campaign=spring"
BODY = f"Our team is growing! We are hiring engineers in Barcelona. Apply at {LINK} #hiring"
BLUESKY = f"Join @acme.bsky.social, we are hiring: {LINK} #hiring #jobs"


async def approved_post(content: ContentUseCases, tenant: str = "acme") -> str:
    post = await content.create_post(
        everything(tenant, subject="author-1"),
        NewPost(
            tenant_id=tenant,
            content=PostContent(
                title="We are hiring",
                body=BODY,
                link=LINK,
                source_language="en",
                network_texts={"bluesky": BLUESKY, "linkedin": f"Great news from the team: {LINK}"},
                targeting=Targeting(),
            ),
        ),
    )
    author, approver = everything(tenant, "author-1"), everything(tenant, "approver-1")
    await content.submit_post(author, tenant, post.post_id)
    await ReviewUseCases(content).approve_post(approver, tenant, post.post_id)
    return post.post_id


def summary(
    post_id: str, languages: dict[str, int], version: int = 1
) -> targeting_events.AudienceSummary:
    return targeting_events.AudienceSummary(
        tenant_id="acme",
        post_id=post_id,
        post_version=version,
        source_language="en",
        total=sum(languages.values()),
        by_language=languages,
    )


def context(db: Database, ce_id: str | None = None) -> EventContext:
    return event_context(db, targeting_events.AudienceSummary, "acme", ce_id)


@pytest.fixture
async def use_cases(
    translation_db: Database,
    content_service: tuple[ContentUseCases, str],
    apertium: ApertiumTranslator,
    redis_cache: RedisTranslationCache,
) -> AsyncIterator[PostTranslations]:
    reader = GrpcContentReader(content_service[1], IDENTITY.credentials(as_service("translation")))
    texts = TextTranslator(apertium, redis_cache, ttl_seconds=300)
    events = OutboxTranslationEvents(Outbox("chorus/translation@local"))
    yield PostTranslations(translation_db, SqlStores(), events, reader, texts)
    await reader.close()


async def test_every_language_of_the_audience_is_filled_once(
    use_cases: PostTranslations,
    translation_db: Database,
    content_service: tuple[ContentUseCases, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    post_id = await approved_post(content_service[0])
    handle = audience_summary_handler(use_cases)
    ctx = context(translation_db)
    with caplog.at_level(logging.WARNING):
        await handle(
            summary(post_id, {"en": 5, "es": 3, "ca": 2, "fr": 2, "pt": 1, "it": 1, "de": 1}), ctx
        )

    rows = await outbox_rows(translation_db)
    assert {r.topic for r in rows} == {TRANSLATIONS} and {r.key for r in rows} == {post_id}
    completed = {
        e.language: e for e in (events.TranslationCompleted.FromString(r.payload) for r in rows)
    }
    # No route to German: the built-in policy falls back to the source, logged.
    assert sorted(completed) == ["ca", "de", "en", "es", "fr", "it", "pt"]
    assert (completed["de"].fallback_language, completed["de"].body) == ("en", BODY)
    assert any(getattr(r, "chorus", {}).get("language") == "de" for r in caplog.records)

    english = completed["en"]
    assert (english.provider, english.body, english.network_texts["bluesky"]) == (
        "source",
        BODY,
        BLUESKY,
    )
    spanish = completed["es"]
    assert spanish.provider == "apertium" and spanish.link == LINK and spanish.post_version == 1
    assert "equipo" in spanish.body and spanish.body != BODY
    for language in ("es", "ca", "fr", "pt", "it"):
        event = completed[language]
        assert (event.source_language, event.tenant_id) == ("en", "acme")
        assert LINK in event.body and "#hiring" in event.body
        assert (
            "@acme.bsky.social" in event.network_texts["bluesky"]
            and "#jobs" in event.network_texts["bluesky"]
        )
        assert LINK in event.network_texts["linkedin"] and event.title != "We are hiring"

    async with translation_db.session() as session:
        stored = await TranslationRepository(session).for_post("acme", post_id)
        assert [t.language for t in stored] == ["ca", "de", "en", "es", "fr", "it", "pt"]
        assert await TranslationRepository(session).for_post("other", post_id) == []

    # Redelivery: the inbox refuses it.
    with pytest.raises(AlreadyProcessed):
        await handle(
            summary(post_id, {"en": 5, "es": 3}), context(translation_db, ctx.envelope.ce_id)
        )
    # Another summary for the same version: only what is missing is emitted.
    await handle(summary(post_id, {"es": 4, "en": 5, "fr": 1}), context(translation_db))
    assert len(await outbox_rows(translation_db)) == 7


async def test_no_valid_language_is_permanent_and_writes_nothing(
    use_cases: PostTranslations,
    translation_db: Database,
    content_service: tuple[ContentUseCases, str],
) -> None:
    post_id = await approved_post(content_service[0])
    with pytest.raises(PermanentError):
        await audience_summary_handler(use_cases)(
            summary(post_id, {"german": 4}),
            context(translation_db),  # no BCP 47 code
        )
    assert await outbox_rows(translation_db) == []


async def test_unknown_post_is_permanent(
    use_cases: PostTranslations, translation_db: Database
) -> None:
    with pytest.raises(PermanentError, match="does not know post"):
        await audience_summary_handler(use_cases)(
            summary("no-such-post", {"es": 1}), context(translation_db)
        )


async def test_content_behind_the_summary_is_retried_not_dead_lettered(
    use_cases: PostTranslations,
    translation_db: Database,
    content_service: tuple[ContentUseCases, str],
) -> None:
    post_id = await approved_post(content_service[0])  # content is at version 1
    with pytest.raises(ContentBehind, match="content has v1"):
        await audience_summary_handler(use_cases)(
            summary(post_id, {"es": 1}, version=2), context(translation_db)
        )
    assert not issubclass(ContentBehind, (PermanentError, DomainError))  # the consumer retries it
    assert await outbox_rows(translation_db) == []


async def test_the_approved_version_is_translated_after_the_post_was_edited(
    use_cases: PostTranslations,
    translation_db: Database,
    content_service: tuple[ContentUseCases, str],
) -> None:
    """Approved (v1), its audience resolved, then edited (v2, back in review)
    before translation handles v1's summary: v1 is what goes out, so v1's
    texts are translated, not skipped as superseded."""
    content = content_service[0]
    post_id = await approved_post(content)
    edited = await content.update_post(
        everything("acme", "author-1"),
        "acme",
        post_id,
        PostContent(
            title="Ahora contratamos",
            body="Texto nuevo, en revisión.",
            link=LINK,
            source_language="es",
            network_texts={},
            targeting=Targeting(),
        ),
    )
    assert (edited.version, edited.approved_version) == (2, 1)
    await audience_summary_handler(use_cases)(
        summary(post_id, {"en": 2, "es": 1}, version=1), context(translation_db)
    )
    completed = {
        e.language: e
        for e in (
            events.TranslationCompleted.FromString(r.payload)
            for r in await outbox_rows(translation_db)
        )
    }
    assert sorted(completed) == ["en", "es"]
    assert {e.post_version for e in completed.values()} == {1}
    assert (completed["en"].provider, completed["en"].body) == ("source", BODY)
    assert completed["en"].network_texts["bluesky"] == BLUESKY
    spanish = completed["es"]
    assert (spanish.provider, spanish.source_language) == ("apertium", "en")
    assert "equipo" in spanish.body and "revisión" not in spanish.body


async def test_empty_audience_only_records_the_event(
    use_cases: PostTranslations, translation_db: Database
) -> None:
    ctx = context(translation_db)
    await audience_summary_handler(use_cases)(summary("p-empty", {}), ctx)
    assert await outbox_rows(translation_db) == []
    with pytest.raises(AlreadyProcessed):
        await audience_summary_handler(use_cases)(
            summary("p-empty", {}), context(translation_db, ctx.envelope.ce_id)
        )


async def test_text_variants_are_translated_with_their_links_mentions_and_hashtags(
    use_cases: PostTranslations,
    translation_db: Database,
    content_service: tuple[ContentUseCases, str],
) -> None:
    """The comms team's variants (read from content's real GetPostVersion)
    are translated one by one like network_texts, in order, with what
    masking protects kept byte for byte; stored and carried in
    TranslationCompleted; the source language gets them as written."""
    variants = (
        f"We are hiring in Barcelona: {LINK} #hiring",
        f"Join @acme.bsky.social and our growing team {LINK} #jobs",
    )
    content, _ = content_service
    post = await content.create_post(
        everything("acme", subject="author-1"),
        NewPost(
            tenant_id="acme",
            content=PostContent(
                title="We are hiring",
                body=BODY,
                link=LINK,
                source_language="en",
                network_variants={"bluesky": variants},
            ),
        ),
    )
    await content.submit_post(everything("acme", "author-1"), "acme", post.post_id)
    await ReviewUseCases(content).approve_post(
        everything("acme", "approver-1"), "acme", post.post_id
    )

    await audience_summary_handler(use_cases)(
        summary(post.post_id, {"en": 1, "es": 1}), context(translation_db)
    )
    completed = {
        e.language: e
        for e in (
            events.TranslationCompleted.FromString(r.payload)
            for r in await outbox_rows(translation_db)
        )
    }
    assert list(completed["en"].network_variants["bluesky"].texts) == list(variants)
    spanish = list(completed["es"].network_variants["bluesky"].texts)
    assert len(spanish) == 2 and spanish != list(variants)
    assert LINK in spanish[0] and "#hiring" in spanish[0] and "Barcelona" in spanish[0]
    assert LINK in spanish[1] and "@acme.bsky.social" in spanish[1] and "#jobs" in spanish[1]
    async with translation_db.session() as session:
        stored = {
            t.language: t
            for t in await TranslationRepository(session).for_post("acme", post.post_id)
        }
    assert stored["es"].network_variants == {"bluesky": tuple(spanish)}
