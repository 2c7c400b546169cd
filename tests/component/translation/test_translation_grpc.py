"""TranslationService over a real gRPC server (real Apertium, real Redis)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import grpc
import httpx
import pytest
from chorus.translation.v1 import translation_service_pb2 as pb
from chorus.translation.v1 import translation_service_pb2_grpc as pb_grpc
from chorus_core.clock import utcnow
from chorus_db import Database
from chorus_grpc import GrpcServer, insecure_channel
from chorus_testing.identity import IDENTITY, everything
from translation_service.adapters.apertium import ApertiumTranslator
from translation_service.adapters.decisions import SqlDecisionReader
from translation_service.adapters.policies import SqlPolicyStore
from translation_service.adapters.redis_cache import RedisTranslationCache
from translation_service.adapters.repository import SqlTranslationReader, TranslationRepository
from translation_service.app.language_policies import LanguagePolicies
from translation_service.app.queries import TranslationQueries
from translation_service.app.text_translator import TextTranslator
from translation_service.domain.translations import Translation
from translation_service.entrypoints import grpc_api


async def serve(db: Database, texts: TextTranslator) -> tuple[GrpcServer, grpc.aio.Channel]:
    queries = TranslationQueries(SqlTranslationReader(db), texts)
    policies = LanguagePolicies(SqlPolicyStore(db), SqlDecisionReader(db), texts)
    server = GrpcServer(0, [grpc_api.binding(queries, policies)], verifier=IDENTITY.verifier)
    await server.start()
    return server, insecure_channel(
        f"127.0.0.1:{server.port}",
        deadline_seconds=30,
        credentials=IDENTITY.credentials(everything("acme")),
    )


@pytest.fixture
async def stub(
    translation_db: Database, apertium: ApertiumTranslator, redis_cache: RedisTranslationCache
) -> AsyncIterator[pb_grpc.TranslationServiceStub]:
    server, channel = await serve(translation_db, TextTranslator(apertium, redis_cache, 60))
    yield pb_grpc.TranslationServiceStub(channel)
    await channel.close()
    await server.stop(0)


async def test_translate(stub: pb_grpc.TranslationServiceStub) -> None:
    text = "Thank you @ops for https://example.com/status #uptime"
    response = await stub.Translate(
        pb.TranslateRequest(tenant_id="acme", text=text, source_language="en", target_language="ca")
    )
    assert response.provider == "apertium"
    assert response.text.startswith("Gràcies") and "@ops" in response.text
    assert "https://example.com/status" in response.text and "#uptime" in response.text
    again = await stub.Translate(
        pb.TranslateRequest(tenant_id="acme", text=text, source_language="en", target_language="ca")
    )
    assert again.cached and again.text == response.text


@pytest.mark.parametrize(
    ("request_fields", "fragment"),
    [
        ({"text": "", "source_language": "en", "target_language": "es"}, "text: must not be empty"),
        (
            {"text": "hi", "source_language": "english", "target_language": "es"},
            "source_language: 'english'",
        ),
        (
            {"text": "hi", "source_language": "en", "target_language": "es_ES"},
            "target_language: 'es_ES'",
        ),
        (
            {"text": "hi", "source_language": "en", "target_language": "de"},
            "target_language: no translation route",
        ),
        (
            {"text": "x" * 20_001, "source_language": "en", "target_language": "es"},
            "text: 20001 characters",
        ),
    ],
)
async def test_bad_translate_requests_are_invalid_argument(
    stub: pb_grpc.TranslationServiceStub, request_fields: dict[str, str], fragment: str
) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await stub.Translate(pb.TranslateRequest(tenant_id="acme", **request_fields))
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert fragment in (caught.value.details() or "")


async def test_get_translations_is_tenant_scoped(
    stub: pb_grpc.TranslationServiceStub, translation_db: Database
) -> None:

    async with translation_db.transaction() as session:
        for language in ("es", "en"):
            TranslationRepository(session).add(
                Translation(
                    "acme",
                    "p1",
                    1,
                    language,
                    "en",
                    f"t-{language}",
                    "b",
                    "",
                    {"x": "n"},
                    "apertium",
                ),
                utcnow(),
            )
    response = await stub.GetTranslations(pb.GetTranslationsRequest(tenant_id="acme", post_id="p1"))
    assert [(t.language, t.title, dict(t.network_texts)) for t in response.translations] == [
        ("en", "t-en", {"x": "n"}),
        ("es", "t-es", {"x": "n"}),
    ]
    with pytest.raises(grpc.aio.AioRpcError) as other:  # acme's caller naming globex
        await stub.GetTranslations(pb.GetTranslationsRequest(tenant_id="globex", post_id="p1"))
    assert other.value.code() == grpc.StatusCode.PERMISSION_DENIED
    # tests/authz/test_translation_authz.py: globex's own caller finds none of acme's.


async def test_provider_down_is_unavailable_and_cache_down_is_tolerated(
    translation_db: Database,
) -> None:
    dead_cache = RedisTranslationCache.from_url("redis://127.0.0.1:9/0")
    assert await dead_cache.get("k") is None
    await dead_cache.set("k", "v", 10)
    async with httpx.AsyncClient(timeout=2.0) as client:
        texts = TextTranslator(ApertiumTranslator("http://127.0.0.1:9", client), dead_cache, 60)
        server, channel = await serve(translation_db, texts)
        try:
            with pytest.raises(grpc.aio.AioRpcError) as caught:
                await pb_grpc.TranslationServiceStub(channel).Translate(
                    pb.TranslateRequest(
                        tenant_id="acme", text="hello", source_language="en", target_language="es"
                    )
                )
            assert caught.value.code() == grpc.StatusCode.UNAVAILABLE
        finally:
            await channel.close()
            await server.stop(0)
    await dead_cache.close()
