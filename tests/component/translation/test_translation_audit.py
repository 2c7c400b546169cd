"""A language policy change, made over the real gRPC server, leaves exactly
one entry of the tenant's audit log in the transaction that replaces the
policy: each language's rule before -> after ("*" is the default). A retried
request_id records nothing more (SQLite and PostgreSQL, real Apertium)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from chorus.translation.v1 import translation_service_pb2 as pb
from chorus.translation.v1 import translation_service_pb2_grpc as pb_grpc
from chorus_db import Database
from chorus_grpc import GrpcServer, insecure_channel
from chorus_messaging import Outbox
from chorus_messaging.audit import OutboxAuditTrail
from chorus_testing.audit import AuditProbe
from chorus_testing.identity import IDENTITY, admin
from translation_service.adapters.apertium import ApertiumTranslator
from translation_service.adapters.decisions import SqlDecisionReader
from translation_service.adapters.policies import SqlPolicyStore
from translation_service.adapters.redis_cache import RedisTranslationCache
from translation_service.adapters.repository import SqlTranslationReader
from translation_service.app.language_policies import LanguagePolicies
from translation_service.app.queries import TranslationQueries
from translation_service.app.text_translator import TextTranslator
from translation_service.entrypoints import grpc_api

BOSS = admin("acme")
FALLBACK = pb.UNAVAILABLE_ACTION_FALLBACK
HOLD = pb.UNAVAILABLE_ACTION_HOLD


@pytest.fixture
async def stub(
    translation_db: Database, apertium: ApertiumTranslator, redis_cache: RedisTranslationCache
) -> AsyncIterator[pb_grpc.TranslationServiceStub]:
    texts = TextTranslator(apertium, redis_cache, 60)
    # As main.py composes it: the store records on the service's outbox.
    store = SqlPolicyStore(translation_db, OutboxAuditTrail(Outbox("chorus/translation@test")))
    policies = LanguagePolicies(store, SqlDecisionReader(translation_db), texts)
    queries = TranslationQueries(SqlTranslationReader(translation_db), texts)
    server = GrpcServer(0, [grpc_api.binding(queries, policies)], verifier=IDENTITY.verifier)
    await server.start()
    channel = insecure_channel(
        f"127.0.0.1:{server.port}", deadline_seconds=30, credentials=IDENTITY.credentials(BOSS)
    )
    yield pb_grpc.TranslationServiceStub(channel)
    await channel.close()
    await server.stop(0)


async def test_a_policy_change_is_audited(
    stub: pb_grpc.TranslationServiceStub, translation_db: Database
) -> None:
    audit = AuditProbe(translation_db)
    first = pb.LanguagePolicy(languages={"de": pb.LanguageRule(action=HOLD)})
    request = pb.SetLanguagePolicyRequest(request_id="lp-1", policy=first)
    await stub.SetLanguagePolicy(request)
    await stub.SetLanguagePolicy(request)  # a retry
    summary = await audit.one(
        "language_policy.set",
        actor=BOSS.ref,
        target=("language_policy", "acme"),
        tenant="acme",
        request_id="lp-1",
        service="translation",
    )
    assert summary == {"*": [None, "fallback"], "de": [None, "hold"]}
    await audit.none()

    second = pb.LanguagePolicy(
        default_rule=pb.LanguageRule(action=HOLD),
        languages={"de": pb.LanguageRule(action=FALLBACK, fallback_language="fr")},
    )
    await stub.SetLanguagePolicy(pb.SetLanguagePolicyRequest(request_id="lp-2", policy=second))
    summary = await audit.one(
        "language_policy.set", actor=BOSS.ref, target=("language_policy", "acme")
    )
    assert summary == {"*": ["fallback", "hold"], "de": ["hold", "fallback:fr"]}
