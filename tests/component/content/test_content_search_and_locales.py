"""Full-text search (FTS5 on SQLite, tsvector on PostgreSQL: same answers),
the per-locale charter check of translations, and UGC moderation with the
erasure of an employee -- against a real database."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from chorus.content.v1 import content_events_pb2 as events
from chorus.targeting.v1 import targeting_events_pb2 as targeting
from chorus.translation.v1 import translation_events_pb2 as translation
from chorus_core.clock import utcnow
from chorus_testing.subscriptions import handler_for
from content_service.adapters.tables import PostRow
from content_service.domain.charter import Charter
from content_service.domain.matcher import Term
from content_service.domain.posts import PostKind, PostStatus
from content_service.domain.search import SearchFilters, query_words
from content_service.entrypoints.kafka_handlers import subscriptions, translation_handler
from sqlalchemy import select
from sqlmodel import col

from tests.component.content.principals import ADMIN, ALICE, BOB, employee, moderator

if TYPE_CHECKING:
    from tests.component.content.conftest import ContentKitFactory


async def test_search_words_filters_and_pages(content_kit: ContentKitFactory) -> None:
    kit = await content_kit()
    a = await kit.draft(
        title="Nouvelle usine à Lyon",
        body="Énergie verte",
        source_language="fr",
        campaign="green",
        channels=("news", "france"),
    )
    b = await kit.draft(
        title="New plant", body="Green energy in Lyon", campaign="green", channels=("news",)
    )
    c = await kit.draft(title="Hiring engineers", body="Join us in Lyon", kind=PostKind.JOB_OFFER)
    await kit.draft(tenant="t2", title="Lyon elsewhere", body="other tenant")
    q = kit.services.queries

    async def ids(query: str = "", **filters: Any) -> set[str]:
        page, _ = await q.search(
            BOB, "t1", SearchFilters(query_words=query_words(query), **filters), 50, ""
        )
        return {p.post_id for p in page}

    assert await ids("lyon") == {a, b, c}
    assert await ids("ENERGIE") == {a}  # case and accents ignored, whole words
    assert await ids("energy lyon") == {b}  # every word required
    assert await ids("ly") == set()
    assert await ids("lyon", campaign="green", channel="france") == {a}
    assert await ids("lyon", language="fr") == {a}
    assert await ids("", kind=PostKind.JOB_OFFER) == {c}
    assert (
        await ids("lyon", status=PostStatus.DRAFT, created_after=utcnow() + timedelta(hours=1))
        == set()
    )
    first, token = await q.search(BOB, "t1", SearchFilters(query_words=("lyon",)), 2, "")
    second, last = await q.search(BOB, "t1", SearchFilters(query_words=("lyon",)), 2, token)
    assert len(first) == 2 and len(second) == 1 and last == ""
    assert {p.post_id for p in first + second} == {a, b, c}
    # An edit is searchable at once (the index follows every version).
    await kit.posts.update_post(
        ALICE,
        "t1",
        c,
        (await q.get_post(BOB, "t1", c)).content.__class__(
            title="Hiring engineers", body="Join us in Madrid", kind=PostKind.JOB_OFFER
        ),
    )
    assert await ids("madrid") == {c}


async def test_translation_held_in_its_language_only(content_kit: ContentKitFactory) -> None:
    kit = await content_kit()
    await kit.posts.charters.set_charter(
        ADMIN,
        "t1",
        Charter(
            blocked_terms=(
                Term("garantía total", "es", "block"),
                Term("gift", "de", "block"),
            )
        ),
    )
    handle = translation_handler(kit.content.translations)

    def translated(language: str, body: str) -> translation.TranslationCompleted:
        return translation.TranslationCompleted(
            tenant_id="t1",
            post_id="p1",
            post_version=2,
            language=language,
            source_language="en",
            title="T",
            body=body,
            provider="apertium",
        )

    es = translated("es", "Con GARANTIA TOTAL para todos")
    await handle(es, kit.context(es, "t1"))
    fr = translated("fr", "Garantía total, mais en français")  # a Spanish term in French text: fine
    await handle(fr, kit.context(fr, "t1"))
    de = translated("de", "Ein schönes Gift")  # "Gift" is blocked in German only
    await handle(de, kit.context(de, "t1"))
    held = await kit.services.queries.held_translations(BOB, "t1", "")
    assert sorted((h.language, [v.rule_id for v in h.violations]) for h in held) == [
        ("de", ["blocked-term.de"]),
        ("es", ["blocked-term.es"]),
    ]
    emitted = await kit.events(events.TranslationHeld)
    assert sorted(e.language for e in emitted) == ["de", "es"]
    assert [
        (v.start, v.end) for v in next(e for e in emitted if e.language == "es").violations
    ] == [(4, 18)]
    # A corrected Spanish translation releases the language.
    fixed = translated("es", "Con calidad para todos")
    await handle(fixed, kit.context(fixed, "t1"))
    still = await kit.services.queries.held_translations(BOB, "t1", "")
    assert [h.language for h in still] == ["de"]
    # Every checked translation got exactly one verdict: fr and the fixed es were cleared.
    assert [e.language for e in await kit.events(events.TranslationCleared)] == ["fr", "es"]
    assert len(await kit.events(events.TranslationHeld)) == 2


async def test_ugc_proposal_moderation_and_erasure(content_kit: ContentKitFactory) -> None:
    kit = await content_kit()
    ugc = kit.services.ugc
    emp7, emp8, mod = employee(employee_id="emp-7"), employee(employee_id="emp-8"), moderator()
    post, language, violations = await ugc.propose(
        emp7,
        "t1",
        "emp-7",
        "Notre équipe",
        "Nous sommes fiers de notre nouvelle usine à Lyon et de toute l'équipe",
        "",
        {},
        request_id="ugc-1",
    )
    assert language == "fr" and violations == [] and post.kind is PostKind.UGC
    again, _, _ = await ugc.propose(
        emp7, "t1", "emp-7", "Notre équipe", "Nous sommes fiers", "", {}, request_id="ugc-1"
    )
    assert again.post_id == post.post_id
    other, _, _ = await ugc.propose(
        emp8, "t1", "", "Our team", "We are proud of our new plant and the team", "", {}
    )
    queue, _ = await ugc.queue(mod, "t1", 10, "")
    assert {p.post_id for p, _, _ in queue} == {post.post_id, other.post_id}

    approved = await ugc.moderate(mod, "t1", post.post_id, True, "")
    rejected = await ugc.moderate(mod, "t1", other.post_id, False, "not about us")
    assert approved.status is PostStatus.APPROVED and rejected.status is PostStatus.REJECTED
    told = await kit.events(events.UgcModerated)
    assert [(e.author_id, e.approved, e.reason) for e in told] == [
        ("emp-7", True, ""),
        ("emp-8", False, "not about us"),
    ]
    assert (await ugc.queue(mod, "t1", 10, ""))[0] == []

    erased = targeting.EmployeeErased(tenant_id="t1", employee_id="emp-7")
    ctx = kit.context(erased, "t1")
    wired = subscriptions(kit.content.translations, kit.content.erasure)
    await handler_for(wired, targeting.EmployeeErased)(erased, ctx)
    async with kit.db.session() as session:
        authors = set(
            (
                await session.execute(
                    select(col(PostRow.author_id)).where(col(PostRow.tenant_id) == "t1")
                )
            ).scalars()
        )
    assert "emp-7" not in authors and "erased-employee" in authors and "emp-8" in authors
