"""The services behind the gateway besides content and targeting, as real
gRPC servers on one port (each composed as its main does, on migrated
SQLite databases; gamification's board and translation's cache in the real
Redis, translation's engine the real Apertium, publishing's network the
real Bluesky PDS), with what the tests need seeded through the services'
own handlers and stores: shares suggested by an audience, publications,
points and clicks, translations and language decisions. Scheduling asks
the gateway's own content server (conftest's, started after these) about
an employee's edited text, through its real charter client (ContentCharter)."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import httpx
from chorus.publishing.v1 import publishing_events_pb2 as publishing
from chorus.targeting.v1 import targeting_events_pb2 as targeting
from chorus.translation.v1 import translation_events_pb2 as translation
from chorus_core.clock import utcnow
from chorus_db import Database, migrate
from chorus_db.sessions import after_commit
from chorus_grpc import GrpcServer
from chorus_messaging import Outbox
from chorus_testing.events import event_context
from chorus_testing.fixtures import DatabaseFactory
from chorus_testing.identity import IDENTITY
from chorus_testing.infra import required_env
from chorus_testing.subscriptions import handler_for
from gamification_service.adapters.events import OutboxPointsEvents
from gamification_service.adapters.leaderboard import RedisLeaderboard, board_key
from gamification_service.adapters.migrations import SCHEMA as GAMIFICATION_SCHEMA
from gamification_service.adapters.repository import LedgerRepository
from gamification_service.app.use_cases import GamificationUseCases
from gamification_service.entrypoints import grpc_api as gamification_grpc
from gamification_service.entrypoints.kafka_handlers import subscriptions as gamification_subs
from metrics_service.adapters.migrations import SCHEMA as METRICS_SCHEMA
from metrics_service.adapters.stores import OutboxClickEvents
from metrics_service.adapters.stores import SqlStores as MetricsStores
from metrics_service.app.use_cases import MetricsUseCases
from metrics_service.entrypoints import grpc_api as metrics_grpc
from metrics_service.entrypoints.kafka_handlers import subscriptions as metrics_subs
from publishing_service.adapters.bluesky import BlueskyConnector
from publishing_service.adapters.migrations import SCHEMA as PUBLISHING_SCHEMA
from publishing_service.adapters.redis_budget import RedisNetworkBudget
from publishing_service.adapters.secrets import SecretBox
from publishing_service.adapters.session_store import RedisSessionStore
from publishing_service.adapters.stores import SqlStores as PublishingStores
from publishing_service.app.accounts import AccountUseCases, LedgerQueries
from publishing_service.entrypoints import grpc_api as publishing_grpc
from scheduling_service.adapters.content_client import GrpcCharterCheck
from scheduling_service.adapters.events import OutboxShareEvents
from scheduling_service.adapters.migrations import SCHEMA as SCHEDULING_SCHEMA
from scheduling_service.adapters.stores import SqlStores as SchedulingStores
from scheduling_service.adapters.waiting import SqlWaitingReader
from scheduling_service.app.intake import ShareIntake
from scheduling_service.app.use_cases import SchedulingUseCases
from scheduling_service.app.waiting import WaitingShares
from scheduling_service.domain.personal import CharterFinding
from scheduling_service.domain.shares import share_id_for
from scheduling_service.entrypoints import grpc_api as scheduling_grpc
from scheduling_service.entrypoints import kafka_handlers as scheduling_handlers
from translation_service.adapters.apertium import ApertiumTranslator
from translation_service.adapters.decisions import SqlDecisionReader
from translation_service.adapters.migrations import SCHEMA as TRANSLATION_SCHEMA
from translation_service.adapters.policies import SqlPolicyStore
from translation_service.adapters.redis_cache import RedisTranslationCache
from translation_service.adapters.repository import SqlTranslationReader
from translation_service.adapters.stores import SqlStores as TranslationStores
from translation_service.app.language_policies import LanguagePolicies
from translation_service.app.queries import TranslationQueries
from translation_service.app.text_translator import TextTranslator
from translation_service.domain.policy import Decision, LanguageDecision
from translation_service.domain.translations import Translation
from translation_service.entrypoints import grpc_api as translation_grpc

NAMES = ("scheduling", "publishing", "gamification", "metrics", "translation")


class ContentCharter:
    """Scheduling's charter port on its real gRPC client (GrpcCharterCheck,
    with the caller's forwarded token, as scheduling's main wires it), bound
    to content once the gateway's content server is up (conftest's gwb)."""

    def __init__(self) -> None:
        self.check: GrpcCharterCheck | None = None

    def connect(self, content_address: str) -> None:
        self.check = GrpcCharterCheck(content_address)

    async def check_text(
        self, tenant_id: str, network: str, language: str, text: str
    ) -> list[CharterFinding]:
        assert self.check is not None, "no content server: use the gwb fixture"
        return await self.check.check_text(tenant_id, network, language, text)

    async def close(self) -> None:
        if self.check is not None:
            await self.check.close()


@dataclass
class Backends:
    address: str
    pds_url: str
    scheduling_db: Database
    publishing_db: Database
    gamification_db: Database
    metrics_db: Database
    translation_db: Database
    gamification: GamificationUseCases
    metrics: MetricsUseCases
    leaderboard: RedisLeaderboard
    charter: ContentCharter
    tenants: set[str] = field(default_factory=set)

    @property
    def addresses(self) -> dict[str, str]:
        return {name: self.address for name in NAMES}

    async def suggest(self, tenant: str, post_id: str, *employee_ids: str) -> list[str]:
        """Shares suggested to these employees (an audience of the post, as
        targeting's event delivers it); their share ids."""
        event = targeting.AudienceBatchResolved(
            tenant_id=tenant,
            post_id=post_id,
            post_version=1,
            batch_index=0,
            batch_count=1,
            members=[
                targeting.AudienceMember(
                    employee_id=e, language="fr", timezone="Europe/Paris", country="FR"
                )
                for e in employee_ids
            ],
        )
        intake = ShareIntake(SchedulingStores(), OutboxShareEvents(Outbox("scheduling@test")))
        handler = scheduling_handlers.audience_handler(intake)
        await handler(event, event_context(self.scheduling_db, event, tenant))
        return [share_id_for(tenant, post_id, e, "bluesky") for e in employee_ids]

    async def texted(
        self,
        tenant: str,
        post_id: str,
        language: str,
        network_variants: dict[str, list[str]],
        network_texts: dict[str, str] | None = None,
    ) -> None:
        """The post's text in `language` with its network variants, as
        translation's TranslationCompleted delivers it to scheduling."""
        event = translation.TranslationCompleted(
            tenant_id=tenant,
            post_id=post_id,
            post_version=1,
            language=language,
            source_language="en",
            title="Launch",
            body=f"Body in {language}",
            network_texts=network_texts or {},
            link="https://example.com/news",
            provider="apertium",
        )
        for network, texts in network_variants.items():
            event.network_variants[network].texts.extend(texts)
        intake = ShareIntake(SchedulingStores(), OutboxShareEvents(Outbox("scheduling@test")))
        handler = scheduling_handlers.translation_handler(intake)
        await handler(event, event_context(self.scheduling_db, event, tenant))

    async def published(self, tenant: str, post_id: str, employee_id: str, share_id: str) -> None:
        """A share published: in publishing's ledger, and its event handled
        by gamification (points) and metrics (shares by country)."""
        now, token = utcnow(), uuid.uuid4().hex
        async with self.publishing_db.transaction() as unit:
            ledger = PublishingStores().ledger(unit)
            await ledger.add_leased(
                share_id=share_id,
                tenant_id=tenant,
                post_id=post_id,
                employee_id=employee_id,
                network="bluesky",
                lease_until=now,
                lease_token=token,
                now=now,
            )
            uri = f"at://did:plc:{employee_id}/app.bsky.feed.post/{share_id[-6:]}"
            assert await ledger.mark_published(
                tenant, share_id, token, post_uri=uri, post_cid="c", link_code="l", now=now
            )
        event = publishing.SharePublished(
            tenant_id=tenant,
            share_id=share_id,
            post_id=post_id,
            employee_id=employee_id,
            network="bluesky",
            country="FR",
        )
        self.tenants.add(tenant)
        on_points = handler_for(gamification_subs(self.gamification), publishing.SharePublished)
        await on_points(event, event_context(self.gamification_db, event, tenant))
        on_stats = handler_for(metrics_subs(self.metrics), publishing.SharePublished)
        await on_stats(event, event_context(self.metrics_db, event, tenant))

    async def translated(self, tenant: str, post_id: str, language: str, title: str) -> None:
        text = Translation(tenant, post_id, 1, language, "en", title, "b", "", {}, "apertium")
        async with self.translation_db.transaction() as unit:
            TranslationStores().translations(unit).add(text, utcnow())

    async def held(self, tenant: str, post_id: str, language: str) -> None:
        decision = LanguageDecision(
            tenant, post_id, 1, language, Decision.HELD, utcnow(), reason="no pair"
        )
        async with self.translation_db.transaction() as unit:
            TranslationStores().decisions(unit).add(decision)

    async def connected(self, tenant: str, employee_id: str, network: str = "bluesky") -> bool:
        """Whether publishing holds an account of this employee."""
        async with self.publishing_db.session() as reads:
            found = await PublishingStores().accounts(reads).find(tenant, employee_id, network)
        return found is not None

    async def pds_account(self) -> tuple[str, str]:
        """A new account on the Bluesky PDS: (handle, app password)."""
        name = "u" + uuid.uuid4().hex[:12]
        handle, password = f"{name}.test", uuid.uuid4().hex
        async with httpx.AsyncClient(timeout=30) as client:
            response = await client.post(
                f"{self.pds_url}/xrpc/com.atproto.server.createAccount",
                json={"handle": handle, "email": f"{name}@example.com", "password": password},
            )
        assert response.status_code == 200, response.text
        return handle, password


@asynccontextmanager
async def started(sqlite_database: DatabaseFactory, redis_url: str) -> AsyncIterator[Backends]:
    dbs = [await sqlite_database() for _ in NAMES]
    schemas = (
        SCHEDULING_SCHEMA,
        PUBLISHING_SCHEMA,
        GAMIFICATION_SCHEMA,
        METRICS_SCHEMA,
        TRANSLATION_SCHEMA,
    )
    for db, schema in zip(dbs, schemas, strict=True):
        await migrate(db, schema)
    scheduling_db, publishing_db, gamification_db, metrics_db, translation_db = dbs
    pds_url = required_env("CHORUS_BLUESKY_PDS_URL").rstrip("/")
    budget = RedisNetworkBudget.from_url(redis_url, prefix=f"test:gateway:{uuid.uuid4().hex}:")
    publishing_secrets = SecretBox(os.urandom(32))
    sessions = RedisSessionStore.from_url(
        redis_url, publishing_secrets, prefix=f"test:gateway:{uuid.uuid4().hex}:sessions:"
    )
    bluesky = BlueskyConnector(pds_url, budget, sessions=sessions, timeout_seconds=10.0)
    leaderboard = RedisLeaderboard.from_url(redis_url)
    cache = RedisTranslationCache.from_url(redis_url)
    http = httpx.AsyncClient(timeout=httpx.Timeout(30.0, connect=2.0))
    texts = TextTranslator(ApertiumTranslator(required_env("CHORUS_APERTIUM_URL"), http), cache, 60)
    gamification = GamificationUseCases(
        gamification_db,
        LedgerRepository,
        OutboxPointsEvents(Outbox("gamification@test")),
        leaderboard,
        after_commit=after_commit,
    )
    metrics = MetricsUseCases(
        metrics_db, MetricsStores(), OutboxClickEvents(Outbox("metrics@test")), "http://go.test"
    )
    charter = ContentCharter()
    # Each as its service's main composes it.
    bindings = [
        scheduling_grpc.binding(
            SchedulingUseCases(
                scheduling_db,
                SchedulingStores(),
                OutboxShareEvents(Outbox("scheduling@test")),
                charter=charter,
            ),
            WaitingShares(SqlWaitingReader(scheduling_db)),
        ),
        publishing_grpc.binding(
            AccountUseCases(
                publishing_db,
                PublishingStores(),
                {bluesky.network: bluesky},
                publishing_secrets,
            ),
            LedgerQueries(publishing_db, PublishingStores()),
        ),
        gamification_grpc.binding(gamification),
        metrics_grpc.binding(metrics),
        translation_grpc.binding(
            TranslationQueries(SqlTranslationReader(translation_db), texts),
            LanguagePolicies(
                SqlPolicyStore(translation_db), SqlDecisionReader(translation_db), texts
            ),
        ),
    ]
    server = GrpcServer(0, bindings, verifier=IDENTITY.verifier)
    await server.start()
    backends = Backends(
        f"127.0.0.1:{server.port}",
        pds_url,
        scheduling_db,
        publishing_db,
        gamification_db,
        metrics_db,
        translation_db,
        gamification=gamification,
        metrics=metrics,
        leaderboard=leaderboard,
        charter=charter,
    )
    try:
        yield backends
    finally:
        await server.stop(0)
        await charter.close()
        if backends.tenants:
            await leaderboard.redis.delete(*(board_key(t) for t in backends.tenants))
        await leaderboard.close()
        await cache.close()
        await http.aclose()
        await bluesky.aclose()
        await sessions.close()
        await budget.close()
    await budget.close()
