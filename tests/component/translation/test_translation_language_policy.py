"""A language the engine cannot produce (German: Apertium has no pair into it)
gets the tenant's policy: a fallback (the source by default, or a chosen
language) or a hold for a human translation. Real Apertium, Redis, content
over gRPC and the translation gRPC server; the decisions are visible through
ListLanguageDecisions, logged and traced."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TypeVar

import grpc
import httpx
import pytest
from chorus.targeting.v1 import targeting_events_pb2 as targeting_events
from chorus.translation.v1 import translation_events_pb2 as events
from chorus.translation.v1 import translation_service_pb2 as pb
from chorus.translation.v1 import translation_service_pb2_grpc as pb_grpc
from chorus_core.clock import utcnow
from chorus_core.ids import new_id
from chorus_db import Database
from chorus_grpc import GrpcServer, insecure_channel
from chorus_messaging import Envelope, EventContext, Outbox, OutboxMessage
from chorus_messaging.topics import TRANSLATIONS
from chorus_testing.identity import IDENTITY, as_service, everything
from content_service.app.reviews import ReviewUseCases
from content_service.app.use_cases import ContentUseCases, NewPost
from content_service.domain.posts import PostContent, Targeting
from google.protobuf.message import Message
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from sqlalchemy import select
from sqlmodel import col
from translation_service.adapters.apertium import ApertiumTranslator
from translation_service.adapters.content_client import GrpcContentReader
from translation_service.adapters.decisions import SqlDecisionReader
from translation_service.adapters.policies import SqlPolicyStore
from translation_service.adapters.redis_cache import RedisTranslationCache
from translation_service.adapters.repository import SqlTranslationReader
from translation_service.adapters.stores import OutboxTranslationEvents, SqlStores
from translation_service.app.language_policies import LanguagePolicies
from translation_service.app.post_translations import PostTranslations
from translation_service.app.queries import TranslationQueries
from translation_service.app.text_translator import TextTranslator
from translation_service.entrypoints import grpc_api
from translation_service.entrypoints.kafka_handlers import (
    SummaryHandler,
    audience_summary_handler,
)

LINK = "https://example.com/careers?utm_campaign=spring"
BODY = f"Our team is growing! We are hiring engineers in Barcelona. Apply at {LINK} #hiring"
BLUESKY = f"Join @acme.bsky.social, our team is hiring: {LINK} #hiring"
FALLBACK = pb.UNAVAILABLE_ACTION_FALLBACK
HOLD = pb.UNAVAILABLE_ACTION_HOLD
DECISION = "chorus.translation.decision"
M = TypeVar("M", bound=Message)


@dataclass
class Kit:
    db: Database
    content: ContentUseCases
    handle: SummaryHandler
    stub: pb_grpc.TranslationServiceStub
    exporter: InMemorySpanExporter
    provider: TracerProvider

    async def post(self, tenant: str = "acme") -> str:
        post = await self.content.create_post(
            everything(tenant, subject="author-1"),
            NewPost(
                tenant_id=tenant,
                content=PostContent(
                    title="We are hiring",
                    body=BODY,
                    link=LINK,
                    source_language="en",
                    network_texts={"bluesky": BLUESKY},
                    targeting=Targeting(),
                ),
            ),
        )
        author, approver = everything(tenant, "author-1"), everything(tenant, "approver-1")
        await self.content.submit_post(author, tenant, post.post_id)
        await ReviewUseCases(self.content).approve_post(approver, tenant, post.post_id)
        return post.post_id

    async def summary(self, post_id: str, languages: dict[str, int]) -> None:
        event = targeting_events.AudienceSummary(
            tenant_id="acme",
            post_id=post_id,
            post_version=1,
            source_language="en",
            total=sum(languages.values()),
            by_language=languages,
        )
        envelope = Envelope(
            ce_id=new_id(),
            ce_type=event.DESCRIPTOR.full_name,
            ce_source="chorus/targeting@local",
            ce_time=utcnow(),
            ce_subject=post_id,
            tenant_id="acme",
        )
        ctx = EventContext(envelope=envelope, consumer="translation:test", db=self.db)
        # The consumer's span, as the event consumer opens one per event.
        with self.provider.get_tracer("test").start_as_current_span("audience summary"):
            await self.handle(event, ctx)

    async def emitted(self, message: type[M]) -> list[M]:
        async with self.db.session() as session:
            query = (
                select(OutboxMessage)
                .where(col(OutboxMessage.ce_type) == message.DESCRIPTOR.full_name)
                .order_by(col(OutboxMessage.seq))
            )
            rows = list((await session.execute(query)).scalars())
        assert {(r.topic, r.tenant_id) for r in rows} <= {(TRANSLATIONS, "acme")}
        return [message.FromString(r.payload) for r in rows]

    async def completed(self) -> dict[str, events.TranslationCompleted]:
        return {e.language: e for e in await self.emitted(events.TranslationCompleted)}

    async def set_policy(
        self, policy: pb.LanguagePolicy, request_id: str = ""
    ) -> pb.LanguagePolicy:
        response = await self.stub.SetLanguagePolicy(
            pb.SetLanguagePolicyRequest(
                request_id=request_id or new_id(), tenant_id="acme", policy=policy
            )
        )
        return response.policy

    async def decisions(
        self, post_id: str, tenant: str = "acme"
    ) -> dict[str, tuple[int, str, str]]:
        response = await self.stub.ListLanguageDecisions(
            pb.ListLanguageDecisionsRequest(tenant_id=tenant, post_id=post_id)
        )
        return {
            d.language: (d.decision, d.fallback_language, d.provider) for d in response.decisions
        }

    def decision_events(self) -> list[dict[str, object]]:
        return [
            dict(event.attributes or {})
            for span in self.exporter.get_finished_spans()
            for event in span.events
            if event.name == DECISION
        ]


@pytest.fixture
async def kit(
    translation_db: Database,
    content_service: tuple[ContentUseCases, str],
    apertium: ApertiumTranslator,
    redis_cache: RedisTranslationCache,
) -> AsyncIterator[Kit]:
    content, address = content_service
    reader = GrpcContentReader(address, IDENTITY.credentials(as_service("translation")))
    texts = TextTranslator(apertium, redis_cache, ttl_seconds=300)
    store = SqlPolicyStore(translation_db)
    events = OutboxTranslationEvents(Outbox("chorus/translation@local"))
    translations = PostTranslations(translation_db, SqlStores(), events, reader, texts, store)
    policies = LanguagePolicies(store, SqlDecisionReader(translation_db), texts)
    queries = TranslationQueries(SqlTranslationReader(translation_db), texts)
    server = GrpcServer(0, [grpc_api.binding(queries, policies)], verifier=IDENTITY.verifier)
    await server.start()
    channel = insecure_channel(
        f"127.0.0.1:{server.port}",
        deadline_seconds=30,
        credentials=IDENTITY.credentials(everything("acme")),
    )
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    yield Kit(
        translation_db,
        content,
        audience_summary_handler(translations),
        pb_grpc.TranslationServiceStub(channel),
        exporter,
        provider,
    )
    await channel.close()
    await server.stop(0)
    await reader.close()


async def test_nothing_configured_falls_back_to_the_source_logged_and_traced(
    kit: Kit, caplog: pytest.LogCaptureFixture
) -> None:
    policy = await kit.stub.GetLanguagePolicy(pb.GetLanguagePolicyRequest(tenant_id="acme"))
    assert not policy.configured
    assert (policy.policy.default_rule.action, policy.policy.default_rule.fallback_language) == (
        FALLBACK,
        "",
    )
    post_id = await kit.post()
    with caplog.at_level(logging.INFO):
        await kit.summary(post_id, {"en": 3, "es": 2, "de": 2})

    completed = await kit.completed()
    assert sorted(completed) == ["de", "en", "es"]
    german = completed["de"]
    assert (german.fallback_language, german.provider, german.source_language) == (
        "en",
        "source",
        "en",
    )
    assert (german.body, german.network_texts["bluesky"], german.link) == (BODY, BLUESKY, LINK)
    assert completed["es"].fallback_language == "" and "equipo" in completed["es"].body
    assert completed["en"].fallback_language == ""
    assert await kit.emitted(events.TranslationUnavailable) == []

    assert await kit.decisions(post_id) == {
        "de": (pb.LANGUAGE_DECISION_KIND_FALLBACK, "en", "source"),
        "en": (pb.LANGUAGE_DECISION_KIND_TRANSLATED, "", "source"),
        "es": (pb.LANGUAGE_DECISION_KIND_TRANSLATED, "", "apertium"),
    }
    texts = await kit.stub.GetTranslations(
        pb.GetTranslationsRequest(tenant_id="acme", post_id=post_id)
    )
    assert {t.language: t.fallback_language for t in texts.translations} == {
        "de": "en",
        "en": "",
        "es": "",
    }
    # Traced on the handler's span, logged with ids and languages, never the text.
    assert kit.decision_events() == [
        {
            "chorus.translation.decision": "fallback",
            "chorus.language": "de",
            "chorus.fallback_language": "en",
        }
    ]
    logged = [getattr(r, "chorus", {}) for r in caplog.records if r.name.endswith("unproduced")]
    assert [(c["decision"], c["language"], c["fallback_language"]) for c in logged] == [
        ("fallback", "de", "en")
    ]
    assert "no translation route" in logged[0]["reason"] and logged[0]["post_id"] == post_id
    assert all(BODY not in r.getMessage() and BODY not in str(vars(r)) for r in caplog.records)

    # Another summary for the version: nothing is decided or emitted twice.
    await kit.summary(post_id, {"en": 3, "de": 5, "es": 1})
    assert len(await kit.emitted(events.TranslationCompleted)) == 3
    assert len(kit.decision_events()) == 1


async def test_fallback_to_a_chosen_language(kit: Kit) -> None:
    chosen = pb.LanguagePolicy(
        languages={"de": pb.LanguageRule(action=FALLBACK, fallback_language="fr")}
    )
    assert await kit.set_policy(chosen) == pb.LanguagePolicy(
        default_rule=pb.LanguageRule(action=FALLBACK), languages=chosen.languages
    )
    post_id = await kit.post()
    await kit.summary(post_id, {"en": 1, "de": 4})  # French is not in the audience

    completed = await kit.completed()
    assert sorted(completed) == ["de", "en"]
    german = completed["de"]
    assert (german.fallback_language, german.provider) == ("fr", "apertium")
    assert "équipe" in german.body and LINK in german.body and "#hiring" in german.body
    assert "@acme.bsky.social" in german.network_texts["bluesky"]
    assert (await kit.decisions(post_id))["de"] == (
        pb.LANGUAGE_DECISION_KIND_FALLBACK,
        "fr",
        "apertium",
    )
    assert kit.decision_events()[0]["chorus.fallback_language"] == "fr"


async def test_hold_for_a_human_translation(kit: Kit, caplog: pytest.LogCaptureFixture) -> None:
    await kit.set_policy(pb.LanguagePolicy(default_rule=pb.LanguageRule(action=HOLD)))
    post_id = await kit.post()
    with caplog.at_level(logging.WARNING):
        await kit.summary(post_id, {"en": 2, "es": 1, "de": 3})

    assert sorted(await kit.completed()) == ["en", "es"]  # no text for German
    (held,) = await kit.emitted(events.TranslationUnavailable)
    assert (held.tenant_id, held.post_id, held.post_version, held.language) == (
        "acme",
        post_id,
        1,
        "de",
    )
    assert held.source_language == "en" and "no translation route" in held.reason
    assert held.HasField("decided_at")
    assert (await kit.decisions(post_id))["de"] == (
        pb.LANGUAGE_DECISION_KIND_HELD_FOR_HUMAN,
        "",
        "",
    )
    assert kit.decision_events() == [
        {
            "chorus.translation.decision": "held",
            "chorus.language": "de",
            "chorus.fallback_language": "",
        }
    ]
    assert any(getattr(r, "chorus", {}).get("decision") == "held" for r in caplog.records)

    # Held once: another summary emits nothing new.
    await kit.summary(post_id, {"de": 3, "en": 2})
    assert len(await kit.emitted(events.TranslationUnavailable)) == 1
    assert len(await kit.emitted(events.TranslationCompleted)) == 2

    # An audience that reads German only is not an error: the hold is the answer.
    only_german = await kit.post()
    await kit.summary(only_german, {"de": 1})
    assert [e.post_id for e in await kit.emitted(events.TranslationUnavailable)] == [
        post_id,
        only_german,
    ]


@pytest.mark.parametrize(
    ("policy", "fragment"),
    [
        (
            pb.LanguagePolicy(
                default_rule=pb.LanguageRule(action=FALLBACK, fallback_language="de")
            ),
            "policy.default_rule.fallback_language: the translation engine cannot produce 'de'",
        ),
        (
            pb.LanguagePolicy(
                languages={"pt-BR": pb.LanguageRule(action=FALLBACK, fallback_language="de")}
            ),
            "policy.languages[pt-BR].fallback_language: the translation engine cannot produce",
        ),
        (
            pb.LanguagePolicy(
                languages={"de": pb.LanguageRule(action=HOLD, fallback_language="en")}
            ),
            "policy.languages[de].fallback_language: must be empty when the action is HOLD",
        ),
        (
            pb.LanguagePolicy(
                languages={"de": pb.LanguageRule(action=FALLBACK, fallback_language="de-AT")}
            ),
            "policy.languages[de].fallback_language: 'de-AT' cannot be its own fallback",
        ),
        (
            pb.LanguagePolicy(languages={"de": pb.LanguageRule()}),
            "policy.languages[de].action: must be UNAVAILABLE_ACTION_FALLBACK",
        ),
        (
            pb.LanguagePolicy(languages={"German": pb.LanguageRule(action=FALLBACK)}),
            "policy.languages[German]: 'German' is not a BCP 47 language code",
        ),
        (
            pb.LanguagePolicy(
                languages={"de": pb.LanguageRule(action=FALLBACK, fallback_language="english")}
            ),
            "policy.languages[de].fallback_language: 'english' is not a BCP 47",
        ),
    ],
)
async def test_invalid_policies_are_refused_naming_the_field(
    kit: Kit, policy: pb.LanguagePolicy, fragment: str
) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await kit.set_policy(policy)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert fragment in (caught.value.details() or "")
    stored = await kit.stub.GetLanguagePolicy(pb.GetLanguagePolicyRequest(tenant_id="acme"))
    assert not stored.configured


async def test_policy_request_id_replay_and_tenant_scope(kit: Kit) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await kit.stub.SetLanguagePolicy(
            pb.SetLanguagePolicyRequest(tenant_id="acme", policy=pb.LanguagePolicy())
        )
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "request_id: must not be empty" in (caught.value.details() or "")

    hold_german = pb.LanguagePolicy(languages={"de": pb.LanguageRule(action=HOLD)})
    hold_all = pb.LanguagePolicy(default_rule=pb.LanguageRule(action=HOLD))
    await kit.set_policy(hold_german, request_id="r1")
    await kit.set_policy(hold_all, request_id="r2")
    # A retry of r1 (arriving late) answers with the policy in force, unchanged.
    replayed = await kit.set_policy(hold_german, request_id="r1")
    assert replayed.default_rule.action == HOLD and dict(replayed.languages) == {}
    stored = await kit.stub.GetLanguagePolicy(pb.GetLanguagePolicyRequest(tenant_id="acme"))
    assert stored.configured and stored.policy == replayed

    # acme's caller cannot name another tenant (tests/authz covers that
    # tenant's own callers, who see nothing of acme's).
    with pytest.raises(grpc.aio.AioRpcError) as other:
        await kit.stub.GetLanguagePolicy(pb.GetLanguagePolicyRequest(tenant_id="globex"))
    assert other.value.code() == grpc.StatusCode.PERMISSION_DENIED
    post_id = await kit.post()
    await kit.summary(post_id, {"en": 1})
    with pytest.raises(grpc.aio.AioRpcError) as other:
        await kit.decisions(post_id, tenant="globex")
    assert other.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert list(await kit.decisions(post_id)) == ["en"]


async def test_policy_cannot_be_checked_without_the_engine(translation_db: Database) -> None:
    async with httpx.AsyncClient(timeout=2.0) as client:
        cache = RedisTranslationCache.from_url("redis://127.0.0.1:9/0")
        dead = TextTranslator(ApertiumTranslator("http://127.0.0.1:9", client), cache, 60)
        store = SqlPolicyStore(translation_db)
        policies = LanguagePolicies(store, SqlDecisionReader(translation_db), dead)
        queries = TranslationQueries(SqlTranslationReader(translation_db), dead)
        server = GrpcServer(0, [grpc_api.binding(queries, policies)], verifier=IDENTITY.verifier)
        await server.start()
        channel = insecure_channel(
            f"127.0.0.1:{server.port}",
            deadline_seconds=10,
            credentials=IDENTITY.credentials(everything("acme")),
        )
        try:
            with pytest.raises(grpc.aio.AioRpcError) as caught:
                await pb_grpc.TranslationServiceStub(channel).SetLanguagePolicy(
                    pb.SetLanguagePolicyRequest(
                        request_id="r1", tenant_id="acme", policy=pb.LanguagePolicy()
                    )
                )
            assert caught.value.code() == grpc.StatusCode.UNAVAILABLE
        finally:
            await channel.close()
            await server.stop(0)
            await cache.close()
    assert await store.policy("acme") is None
