"""Translation's authorization over its real gRPC server (the composition of
translation_service.main on SQLite with the real Apertium and Redis, tokens
verified as in production): the role matrix of
translation_service.app.policy, tenant isolation for every RPC and
UNAUTHENTICATED without a token.

Both tenants have translations of a post "p1": isolation must come from the
verified tenant, not from ids happening to differ. Translations and
decisions are written through the service's own stores, as its consumer
writes them."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import grpc
import httpx
import pytest
from chorus.translation.v1 import translation_service_pb2 as pb
from chorus.translation.v1 import translation_service_pb2_grpc as pb_grpc
from chorus_core.clock import utcnow
from chorus_db import migrate
from chorus_grpc import GrpcServer, insecure_channel
from chorus_identity.principal import ANY, Grant, Principal, Role, service, user
from chorus_testing.fixtures import DatabaseFactory
from chorus_testing.identity import IDENTITY
from chorus_testing.infra import required_env
from translation_service.adapters.apertium import ApertiumTranslator
from translation_service.adapters.decisions import SqlDecisionReader
from translation_service.adapters.migrations import SCHEMA
from translation_service.adapters.policies import SqlPolicyStore
from translation_service.adapters.redis_cache import RedisTranslationCache
from translation_service.adapters.repository import SqlTranslationReader
from translation_service.adapters.stores import SqlStores
from translation_service.app.language_policies import LanguagePolicies
from translation_service.app.queries import TranslationQueries
from translation_service.app.text_translator import TextTranslator
from translation_service.domain.policy import Decision, LanguageDecision
from translation_service.domain.translations import Translation
from translation_service.entrypoints import grpc_api

RPCS: dict[str, str] = {
    "Translate": "test_translate, test_no_token_is_unauthenticated",
    "GetTranslations": "test_get_translations, test_no_token_is_unauthenticated",
    "SetLanguagePolicy": "test_set_language_policy, test_no_token_is_unauthenticated",
    "GetLanguagePolicy": "test_get_language_policy, test_no_token_is_unauthenticated",
    "ListLanguageDecisions": "test_list_language_decisions, test_no_token_is_unauthenticated",
}

A, B = "tenant-a", "tenant-b"
DENIED = grpc.StatusCode.PERMISSION_DENIED
HOLD = pb.UNAVAILABLE_ACTION_HOLD

ADMIN_A = user("admin-a", A, Role.TENANT_ADMIN)
COMMS_A = user("comms-a", A, Grant.of(Role.COMMS_MANAGER, regions=[ANY], channels=[ANY]))
REVIEWER_A = user("reviewer-a", A, Grant.of(Role.REVIEWER, steps=["legal"]))
MODERATOR_A = user("moderator-a", A, Role.MODERATOR)
E1_A = user("e1-a", A, Role.EMPLOYEE, employee_id="e1")
ADMIN_B = user("admin-b", B, Role.TENANT_ADMIN)
COMMS_B = user("comms-b", B, Grant.of(Role.COMMS_MANAGER, regions=[ANY], channels=[ANY]))
REVIEWER_B = user("reviewer-b", B, Grant.of(Role.REVIEWER, steps=[ANY]))
CONTENT = service("content")
READERS_A = (COMMS_A, REVIEWER_A, ADMIN_A)
NOT_READERS_A = (MODERATOR_A, E1_A, CONTENT)
TENANT_B = (ADMIN_B, COMMS_B, REVIEWER_B)


@dataclass
class Served:
    port: int
    channels: list[grpc.aio.Channel]

    def stub(self, principal: Principal | None) -> pb_grpc.TranslationServiceStub:
        credentials = IDENTITY.credentials(principal) if principal is not None else None
        channel = insecure_channel(f"127.0.0.1:{self.port}", 30, credentials)
        self.channels.append(channel)
        return pb_grpc.TranslationServiceStub(channel)

    async def policy(self, principal: Principal, tenant: str = "") -> pb.GetLanguagePolicyResponse:
        request = pb.GetLanguagePolicyRequest(tenant_id=tenant)
        return await self.stub(principal).GetLanguagePolicy(request)

    async def languages(self, principal: Principal, tenant: str = "") -> set[str]:
        request = pb.GetTranslationsRequest(tenant_id=tenant, post_id="p1")
        response = await self.stub(principal).GetTranslations(request)
        return {t.language for t in response.translations}

    async def decisions(self, principal: Principal, tenant: str = "") -> dict[str, int]:
        request = pb.ListLanguageDecisionsRequest(tenant_id=tenant, post_id="p1")
        response = await self.stub(principal).ListLanguageDecisions(request)
        return {d.language: d.decision for d in response.decisions}


def text(tenant: str, language: str) -> Translation:
    title = f"{tenant} in {language}"
    return Translation(tenant, "p1", 1, language, "en", title, "b", "", {}, "apertium")


@pytest.fixture
async def served(sqlite_database: DatabaseFactory, redis_url: str) -> AsyncIterator[Served]:
    db = await sqlite_database()
    await migrate(db, SCHEMA)
    async with db.transaction() as unit:
        for tenant, language in ((A, "es"), (A, "en"), (B, "fr")):
            SqlStores().translations(unit).add(text(tenant, language), utcnow())
        held = LanguageDecision(A, "p1", 1, "de", Decision.HELD, utcnow(), reason="no pair")
        SqlStores().decisions(unit).add(held)
    http = httpx.AsyncClient(timeout=httpx.Timeout(30.0, connect=2.0))
    cache = RedisTranslationCache.from_url(redis_url)
    apertium = ApertiumTranslator(required_env("CHORUS_APERTIUM_URL"), http)
    # As translation_service.main composes it.
    texts = TextTranslator(apertium, cache, 60)
    binding = grpc_api.binding(
        TranslationQueries(SqlTranslationReader(db), texts),
        LanguagePolicies(SqlPolicyStore(db), SqlDecisionReader(db), texts),
    )
    server = GrpcServer(0, [binding], verifier=IDENTITY.verifier)
    await server.start()
    served = Served(server.port, [])
    yield served
    for channel in served.channels:
        await channel.close()
    await server.stop(0)
    await cache.close()
    await http.aclose()


async def refused(call: Awaitable[Any], *codes: grpc.StatusCode) -> None:
    """The call fails with one of `codes`; an error carries no response, so no data."""
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await call
    assert error.value.code() in codes, error.value.details()


async def test_translate(served: Served) -> None:
    def translate(tenant: str = "") -> pb.TranslateRequest:
        # A unique text: the answer comes from Apertium, not from the cache.
        return pb.TranslateRequest(
            tenant_id=tenant,
            text=f"Good morning {uuid.uuid4().hex[:6]}",
            source_language="en",
            target_language="es",
        )

    for reader in (*READERS_A, *TENANT_B):
        answer = await served.stub(reader).Translate(translate())
        assert answer.text and answer.provider
    for principal in NOT_READERS_A:
        await refused(served.stub(principal).Translate(translate(A)), DENIED)
    for principal in TENANT_B:
        await refused(served.stub(principal).Translate(translate(A)), DENIED)


async def test_get_translations(served: Served) -> None:
    for reader in READERS_A:
        assert await served.languages(reader) == {"es", "en"} == await served.languages(reader, A)
    for principal in NOT_READERS_A:
        await refused(served.languages(principal, A), DENIED)
    # Tenant B sees its own "p1" only, and may not name tenant A.
    for principal in TENANT_B:
        assert await served.languages(principal) == {"fr"}
        await refused(served.languages(principal, A), DENIED)


async def test_set_language_policy(served: Served) -> None:
    def hold(tenant: str = "", language: str = "de") -> pb.SetLanguagePolicyRequest:
        policy = pb.LanguagePolicy(languages={language: pb.LanguageRule(action=HOLD)})
        return pb.SetLanguagePolicyRequest(
            request_id=uuid.uuid4().hex, tenant_id=tenant, policy=policy
        )

    # Only the tenant admin sets the tenant-wide policy.
    for principal in (COMMS_A, REVIEWER_A, *NOT_READERS_A):
        await refused(served.stub(principal).SetLanguagePolicy(hold(A)), DENIED)
    assert not (await served.policy(ADMIN_A)).configured
    await served.stub(ADMIN_A).SetLanguagePolicy(hold())
    in_force = await served.policy(ADMIN_A)
    assert in_force.configured and set(in_force.policy.languages) == {"de"}
    # Tenant B's admin: naming tenant A is refused; its own policy stays its own.
    for principal in TENANT_B:
        await refused(served.stub(principal).SetLanguagePolicy(hold(A, "pt")), DENIED)
    await served.stub(ADMIN_B).SetLanguagePolicy(hold(language="pt"))
    assert await served.policy(ADMIN_A) == in_force
    assert set((await served.policy(ADMIN_B)).policy.languages) == {"pt"}


async def test_get_language_policy(served: Served) -> None:
    request = pb.SetLanguagePolicyRequest(
        request_id="r1",
        policy=pb.LanguagePolicy(default_rule=pb.LanguageRule(action=HOLD)),
    )
    await served.stub(ADMIN_A).SetLanguagePolicy(request)
    for reader in READERS_A:
        answer = await served.policy(reader)
        assert answer.configured and answer.policy.default_rule.action == HOLD
    for principal in NOT_READERS_A:
        await refused(served.policy(principal, A), DENIED)
    for principal in TENANT_B:
        assert not (await served.policy(principal)).configured  # B never set one
        await refused(served.policy(principal, A), DENIED)


async def test_list_language_decisions(served: Served) -> None:
    translated, held = (
        pb.LANGUAGE_DECISION_KIND_TRANSLATED,
        pb.LANGUAGE_DECISION_KIND_HELD_FOR_HUMAN,
    )
    for reader in READERS_A:
        assert await served.decisions(reader) == {"es": translated, "en": translated, "de": held}
    for principal in NOT_READERS_A:
        await refused(served.decisions(principal, A), DENIED)
    for principal in TENANT_B:
        assert await served.decisions(principal) == {"fr": translated}
        await refused(served.decisions(principal, A), DENIED)


def _methods() -> list[str]:
    return list(pb.DESCRIPTOR.services_by_name["TranslationService"].methods_by_name)


@pytest.mark.parametrize("method", _methods())
async def test_no_token_is_unauthenticated(served: Served, method: str) -> None:
    descriptor = pb.DESCRIPTOR.services_by_name["TranslationService"].methods_by_name[method]
    request = getattr(pb, descriptor.input_type.name)(tenant_id=A)
    call: Callable[..., Awaitable[Any]] = getattr(served.stub(None), method)
    await refused(call(request), grpc.StatusCode.UNAUTHENTICATED)
    assert not (await served.policy(ADMIN_A)).configured


def test_every_rpc_is_covered() -> None:
    assert set(RPCS) == set(_methods())
    names = {name.strip() for entry in RPCS.values() for name in entry.split(",")}
    assert all(callable(globals()[name]) for name in names)
