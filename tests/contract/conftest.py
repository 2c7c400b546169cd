"""The platform in-process for contract tests: every service on its own SQLite
database with its own outbox, wired as its main.py wires it, with its gRPC
server on a free localhost port where another service calls it. Events move
only as the relay and the consumers move them (chorus_testing.contracts):
from the producer's outbox to the consumer's handler in its subscriptions().

A test names the contracts it proves with
`@pytest.mark.contract("<event type>", "<consumer>", ...)`. After it passes,
each named event type must have come from its producer's outbox, each named
consumer must have been fed it, and every field a consumer read must have
been set in some example the producer wrote (or be excused in the registry).
test_event_registry.py checks that the markers cover the whole registry.
"""

from __future__ import annotations

import base64
import importlib
import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Generator
from contextlib import AsyncExitStack
from pathlib import Path
from types import ModuleType
from typing import TypeVar

import httpx
import pytest
from chorus.content.v1 import content_service_pb2_grpc as content_grpc
from chorus_db import Database, migrate
from chorus_db.sessions import after_commit
from chorus_grpc import GrpcServer, ServiceBinding, insecure_channel
from chorus_messaging import Outbox
from chorus_messaging.audit import OutboxAuditTrail
from chorus_testing.contracts import ContractLedger, Exchange, Registry, World
from chorus_testing.identity import IDENTITY, as_service, everything
from chorus_testing.infra import required_env
from content_service import composition as content_composition
from content_service.adapters.media_store import LocalDiskStore
from content_service.app.expiry import ExpiryJob
from content_service.entrypoints import grpc_api as content_grpc_api
from content_service.entrypoints import kafka_handlers as content_handlers
from content_service.entrypoints.grpc_extras import Services
from gamification_service.adapters.events import OutboxPointsEvents
from gamification_service.adapters.leaderboard import RedisLeaderboard, board_key
from gamification_service.adapters.repository import LedgerRepository
from gamification_service.app.use_cases import GamificationUseCases
from gamification_service.entrypoints import kafka_handlers as gamification_handlers
from gateway_service import composition as gateway_composition
from gateway_service.adapters.account_linker import GrpcAccountLinker
from gateway_service.adapters.audit_store import SqlAuditLog
from gateway_service.adapters.sql_stores import SqlRoleGrants
from gateway_service.app.audit import AuditLog
from gateway_service.app.auth import Authenticator
from gateway_service.app.role_grants import RoleGrants
from gateway_service.app.webhooks import Webhooks
from gateway_service.entrypoints import kafka_handlers as gateway_handlers
from gateway_service.settings import GatewaySettings
from metrics_service.adapters import stores as metrics_stores
from metrics_service.app.use_cases import MetricsUseCases
from metrics_service.entrypoints import grpc_api as metrics_grpc_api
from metrics_service.entrypoints import kafka_handlers as metrics_handlers
from publishing_service.adapters.bluesky import BlueskyConnector
from publishing_service.adapters.events import OutboxPublishEvents
from publishing_service.adapters.linkedin import LinkedInConnector
from publishing_service.adapters.media_drive import GrpcMediaDrive
from publishing_service.adapters.redis_budget import RedisNetworkBudget
from publishing_service.adapters.secrets import SecretBox
from publishing_service.adapters.session_store import RedisSessionStore
from publishing_service.adapters.stores import SqlStores as PublishingStores
from publishing_service.adapters.tracked_links import GrpcTrackedLinks
from publishing_service.app.accounts import AccountUseCases
from publishing_service.app.ports import NetworkConnector
from publishing_service.app.publish import Publisher
from publishing_service.app.sweeper import Sweeper
from publishing_service.app.token_warnings import TokenWarnings
from publishing_service.app.withdrawal import Withdrawals
from publishing_service.entrypoints import kafka_handlers as publishing_handlers
from scheduling_service.adapters.content_client import GrpcCharterCheck
from scheduling_service.adapters.events import OutboxShareEvents
from scheduling_service.adapters.stores import SqlStores as SchedulingStores
from scheduling_service.adapters.waiting import SqlWaitingReader
from scheduling_service.app.delivery import Delivery
from scheduling_service.app.engagement import Engagement
from scheduling_service.app.insights import ShareInsights
from scheduling_service.app.intake import ShareIntake
from scheduling_service.app.timer import DueShareTimer
from scheduling_service.app.use_cases import SchedulingUseCases
from scheduling_service.app.waiting import WaitingShares
from scheduling_service.app.withdrawal import Withdrawal
from scheduling_service.entrypoints import content_handlers as scheduling_content
from scheduling_service.entrypoints import grpc_api as scheduling_grpc_api
from scheduling_service.entrypoints import kafka_handlers as scheduling_handlers
from targeting_service import composition as targeting_composition
from targeting_service.app.accounts import AccountLinkUseCases
from targeting_service.app.audiences import AudienceUseCases
from targeting_service.app.consent import ConsentUseCases
from targeting_service.app.directory import DirectoryUseCases
from targeting_service.entrypoints import grpc_api as targeting_grpc_api
from targeting_service.entrypoints import kafka_handlers as targeting_handlers
from translation_service.adapters.apertium import ApertiumTranslator
from translation_service.adapters.content_client import GrpcContentReader
from translation_service.adapters.decisions import SqlDecisionReader
from translation_service.adapters.policies import SqlPolicyStore
from translation_service.adapters.redis_cache import RedisTranslationCache
from translation_service.adapters.stores import OutboxTranslationEvents, SqlStores
from translation_service.app.language_policies import LanguagePolicies
from translation_service.app.post_translations import PostTranslations
from translation_service.app.text_translator import TextTranslator
from translation_service.entrypoints import kafka_handlers as translation_handlers

from tests.simulators.harness import SimulatorTransport
from tests.simulators.linkedin import LinkedInSimulator

REGION = "eu-west"
PUBLIC_URL = "http://go.chorus.test"
# The entry-point modules whose subscriptions() each main.py subscribes (the
# registry test checks main.py still names exactly these).
WIRING: dict[str, tuple[ModuleType, ...]] = {
    "content": (content_handlers,),
    "targeting": (targeting_handlers,),
    "translation": (translation_handlers,),
    "scheduling": (scheduling_handlers, scheduling_content),
    "publishing": (publishing_handlers,),
    "gamification": (gamification_handlers,),
    "metrics": (metrics_handlers,),
    "gateway": (gateway_handlers,),
}
W = TypeVar("W", bound=World)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "contract(event_type, *consumers): the event contracts a test proves"
    )


async def migrated(db: Database, service: str) -> Database:
    """The service's schema on an empty database (the one place these tests
    say how a service's database is made)."""
    migrations = importlib.import_module(f"{service}_service.adapters.migrations")
    await migrate(db, migrations.SCHEMA)
    return db


class ContentWorld(World):
    services: Services
    expiry: ExpiryJob
    address: str
    stub: content_grpc.ContentServiceStub  # the author: "author-1" of the platform's tenant
    reviewer: content_grpc.ContentServiceStub  # "approver-1": four eyes need a second person


class TargetingWorld(World):
    directory: DirectoryUseCases
    audiences: AudienceUseCases
    consent: ConsentUseCases
    accounts: AccountLinkUseCases
    address: str  # its gRPC server (the gateway links sign-ins through it)


class SchedulingWorld(World):
    use_cases: SchedulingUseCases
    timer: DueShareTimer
    engagement: Engagement
    address: str  # its gRPC server (content's calendar reads share volumes there)


class PublishingWorld(World):
    accounts: AccountUseCases
    withdrawals: Withdrawals
    budget: RedisNetworkBudget  # the shared budgets (Redis, under the test's own prefix)
    sweeper: Sweeper
    sessions: RedisSessionStore  # the Bluesky sessions every replica shares
    token_warnings: TokenWarnings
    linkedin: LinkedInSimulator  # its connector's network (tokens with an expiry)


class GamificationWorld(World):
    use_cases: GamificationUseCases


class TranslationWorld(World):
    policies: LanguagePolicies


class MetricsWorld(World):
    use_cases: MetricsUseCases
    address: str


class GatewayWorld(World):
    audit_log: AuditLog
    webhooks: Webhooks
    role_grants: RoleGrants


class Platform(Exchange):
    """Each service built on first use; everything closed at the end."""

    def __init__(self, tmp_path: Path, registry: Registry, reachable: bool = True) -> None:
        super().__init__(registry, ContractLedger(registry))
        self.tmp_path = tmp_path
        # Without the infrastructure (the registry test), every address is a
        # closed port: building a service connects to nothing.
        self.reachable = reachable
        self.tenant = f"t-{uuid.uuid4().hex[:10]}"  # Redis is shared by every test
        self.stack = AsyncExitStack()
        self._worlds: dict[str, World] = {}

    def address(self, variable: str) -> str:
        if not self.reachable:
            return "redis://127.0.0.1:9/0" if "REDIS" in variable else "http://127.0.0.1:9"
        return required_env(variable).rstrip("/")

    async def _once(self, service: str, kind: type[W], build: Callable[[W], Awaitable[None]]) -> W:
        existing = self._worlds.get(service)
        if existing is not None:
            assert isinstance(existing, kind)
            return existing
        db = Database(f"sqlite:///{self.tmp_path}/{service}.sqlite")
        self.stack.push_async_callback(db.dispose)
        world = kind(service, await migrated(db, service), Outbox(f"chorus/{service}@{REGION}"), [])
        await build(world)
        self._worlds[service] = world
        return world

    async def serve(self, binding: ServiceBinding) -> str:
        server = GrpcServer(0, [binding], verifier=IDENTITY.verifier)
        await server.start()
        self.stack.push_async_callback(server.stop, 0)
        return f"127.0.0.1:{server.port}"

    async def worlds(self) -> list[World]:
        return [
            await self.content(),
            await self.targeting(),
            await self.translation(),
            await self.scheduling(),
            await self.publishing(),
            await self.gamification(),
            await self.metrics(),
            await self.gateway(),
        ]

    async def content(self) -> ContentWorld:
        async def build(w: ContentWorld) -> None:
            content = content_composition.build(
                w.db, w.outbox, LocalDiskStore(self.tmp_path / "media")
            )
            w.services = content.services
            w.subscriptions = content_handlers.subscriptions(content.translations, content.erasure)
            w.expiry = content.expiry
            w.address = await self.serve(content_grpc_api.binding(w.services))

            def stub_as(subject: str) -> content_grpc.ContentServiceStub:
                person = IDENTITY.credentials(everything(self.tenant, subject))
                channel = insecure_channel(w.address, credentials=person)
                self.stack.push_async_callback(channel.close)
                return content_grpc.ContentServiceStub(channel)

            w.stub, w.reviewer = stub_as("author-1"), stub_as("approver-1")

        return await self._once("content", ContentWorld, build)

    async def targeting(self) -> TargetingWorld:
        async def build(w: TargetingWorld) -> None:
            targeting = targeting_composition.build(w.db, REGION, w.outbox)
            w.subscriptions = targeting_handlers.subscriptions(targeting.resolution)
            w.directory = targeting.use_cases.directory
            w.audiences = targeting.use_cases.audiences
            w.consent = targeting.use_cases.consent
            w.accounts = targeting.use_cases.accounts
            w.address = await self.serve(targeting_grpc_api.binding(targeting.use_cases))

        return await self._once("targeting", TargetingWorld, build)

    async def translation(self) -> TranslationWorld:
        content = await self.content()

        async def build(w: TranslationWorld) -> None:
            http = httpx.AsyncClient(timeout=httpx.Timeout(30.0, connect=2.0))
            cache = RedisTranslationCache.from_url(self.address("CHORUS_REDIS_URL"))
            reader = GrpcContentReader(
                content.address, IDENTITY.credentials(as_service("translation"))
            )
            for close in (http.aclose, cache.close, reader.close):
                self.stack.push_async_callback(close)
            apertium = ApertiumTranslator(self.address("CHORUS_APERTIUM_URL"), http)
            texts = TextTranslator(apertium, cache, 3600)
            policies = SqlPolicyStore(w.db)
            events = OutboxTranslationEvents(w.outbox)
            translations = PostTranslations(w.db, SqlStores(), events, reader, texts, policies)
            w.subscriptions = translation_handlers.subscriptions(translations)
            w.policies = LanguagePolicies(policies, SqlDecisionReader(w.db), texts)

        return await self._once("translation", TranslationWorld, build)

    async def scheduling(self) -> SchedulingWorld:
        content = await self.content()

        async def build(w: SchedulingWorld) -> None:
            stores, events = SchedulingStores(), OutboxShareEvents(w.outbox)
            # Content's charter, asked with the employee's own token (as main.py wires it).
            charter = GrpcCharterCheck(content.address)
            self.stack.push_async_callback(charter.close)
            w.engagement = Engagement(w.db, stores)
            w.subscriptions = [
                *scheduling_handlers.subscriptions(
                    ShareIntake(stores, events),
                    Withdrawal(stores, events),
                    w.engagement,
                    Delivery(stores),
                ),
                *scheduling_content.subscriptions(),
            ]
            w.use_cases = SchedulingUseCases(w.db, stores, events, charter=charter)
            w.timer = DueShareTimer(w.db, stores, events)
            w.address = await self.serve(
                scheduling_grpc_api.binding(
                    w.use_cases,
                    WaitingShares(SqlWaitingReader(w.db)),
                    ShareInsights(w.db, stores, region=REGION),
                    w.engagement,
                )
            )

        return await self._once("scheduling", SchedulingWorld, build)

    async def publishing(self) -> PublishingWorld:
        metrics, content = await self.metrics(), await self.content()

        async def build(w: PublishingWorld) -> None:
            budget = RedisNetworkBudget.from_url(
                self.address("CHORUS_REDIS_URL"), prefix=f"test:{self.tenant}:budget:"
            )
            self.stack.push_async_callback(budget.close)
            secrets = SecretBox(os.urandom(32))
            sessions = RedisSessionStore.from_url(
                self.address("CHORUS_REDIS_URL"), secrets, prefix=f"test:{self.tenant}:sessions:"
            )
            self.stack.push_async_callback(sessions.close)
            bluesky = BlueskyConnector(
                self.address("CHORUS_BLUESKY_PDS_URL"), budget, sessions=sessions
            )
            links = GrpcTrackedLinks(
                metrics.address,
                IDENTITY.credentials(as_service("publishing")),
                deadline_seconds=5.0,
            )
            w.linkedin = LinkedInSimulator()
            linkedin = LinkedInConnector(budget, client=SimulatorTransport(w.linkedin.app).client())
            self.stack.push_async_callback(bluesky.aclose)
            self.stack.push_async_callback(linkedin.aclose)
            self.stack.push_async_callback(links.close)
            # Content's real media drive, read with publishing's own identity.
            media = GrpcMediaDrive(content.address, IDENTITY.credentials(as_service("publishing")))
            self.stack.push_async_callback(media.close)
            connectors: dict[str, NetworkConnector] = {b.network: b for b in (bluesky, linkedin)}
            stores, events = PublishingStores(), OutboxPublishEvents(w.outbox)
            publisher = Publisher(w.db, stores, events, connectors, links, secrets, media=media)
            w.budget, w.sweeper = budget, Sweeper(w.db, stores, publisher)
            w.withdrawals = Withdrawals(w.db, stores)
            w.subscriptions = publishing_handlers.subscriptions(publisher, w.withdrawals)
            w.accounts = AccountUseCases(w.db, stores, connectors, secrets)
            w.sessions, w.token_warnings = sessions, TokenWarnings(w.db, stores, events)

        return await self._once("publishing", PublishingWorld, build)

    async def gamification(self) -> GamificationWorld:
        async def build(w: GamificationWorld) -> None:
            board = RedisLeaderboard.from_url(self.address("CHORUS_REDIS_URL"))
            self.stack.push_async_callback(board.close)
            if self.reachable:
                self.stack.push_async_callback(board.redis.delete, board_key(self.tenant))
            events = OutboxPointsEvents(w.outbox)
            w.use_cases = GamificationUseCases(
                w.db, LedgerRepository, events, board, after_commit=after_commit
            )
            w.subscriptions = gamification_handlers.subscriptions(w.use_cases)

        return await self._once("gamification", GamificationWorld, build)

    async def metrics(self) -> MetricsWorld:
        async def build(w: MetricsWorld) -> None:
            events = metrics_stores.OutboxClickEvents(w.outbox)
            w.use_cases = MetricsUseCases(w.db, metrics_stores.SqlStores(), events, PUBLIC_URL)
            w.subscriptions = metrics_handlers.subscriptions(w.use_cases)
            w.address = await self.serve(metrics_grpc_api.binding(w.use_cases))

        return await self._once("metrics", MetricsWorld, build)

    async def gateway(self) -> GatewayWorld:
        targeting = await self.targeting()

        async def build(w: GatewayWorld) -> None:
            key = base64.urlsafe_b64encode(os.urandom(32)).decode()
            settings = GatewaySettings(gateway_encryption_key=key)
            w.audit_log = AuditLog(w.db, SqlAuditLog.on)
            w.webhooks = gateway_composition.webhooks(settings, w.db, w.outbox)
            linker = insecure_channel(
                targeting.address, 30, IDENTITY.credentials(as_service("gateway"))
            )
            self.stack.push_async_callback(linker.close)
            store = SqlRoleGrants(w.db, OutboxAuditTrail(w.outbox))
            auth = Authenticator(
                IDENTITY.verifier, IDENTITY.minter, store, GrpcAccountLinker(linker)
            )
            w.role_grants = RoleGrants(store, auth)
            w.subscriptions = gateway_handlers.subscriptions(
                w.audit_log, gateway_composition.webhook_intake(), w.role_grants
            )

        return await self._once("gateway", GatewayWorld, build)


_CALL_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report: pytest.TestReport = yield
    if report.when == "call":
        item.stash[_CALL_FAILED] = report.failed
    return report


@pytest.fixture(scope="session")
def registry() -> Registry:
    return Registry.load()


@pytest.fixture
def wiring() -> dict[str, tuple[ModuleType, ...]]:
    return WIRING


@pytest.fixture
async def platform(
    request: pytest.FixtureRequest, tmp_path: Path, registry: Registry
) -> AsyncIterator[Platform]:
    built = Platform(tmp_path, registry)
    async with built.stack:
        yield built
    if request.node.stash.get(_CALL_FAILED, False):
        return  # the test's own failure says more than the ledger would
    covered = [
        (str(m.args[0]), tuple(str(c) for c in m.args[1:]))
        for m in request.node.iter_markers("contract")
    ]
    problems = built.ledger.problems(covered)
    assert not problems, "event contracts broken:\n  " + "\n  ".join(problems)


@pytest.fixture
async def offline_platform(tmp_path: Path, registry: Registry) -> AsyncIterator[Platform]:
    """Every service wired, none of the infrastructure reachable."""
    built = Platform(tmp_path, registry, reachable=False)
    async with built.stack:
        yield built
