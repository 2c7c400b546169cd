"""Fixtures for the publishing component tests: a migrated database (SQLite
and the real PostgreSQL), the real local Bluesky PDS with fresh accounts, and
a real gRPC MetricsService (a small in-test servicer behind chorus_grpc's
GrpcServer) for tracked links."""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta

import grpc
import httpx
import pytest
from chorus.metrics.v1 import metrics_service_pb2 as metrics_pb
from chorus.metrics.v1 import metrics_service_pb2_grpc as metrics_grpc
from chorus.scheduling.v1 import scheduling_events_pb2 as scheduling
from chorus_db import Database, migrate
from chorus_db.sessions import after_commit
from chorus_grpc import GrpcServer, ServiceBinding
from chorus_messaging import InboxRecord, Outbox
from chorus_runtime.token_buckets import RedisTokenBuckets
from chorus_testing.events import event_context, outbox_rows
from chorus_testing.fixtures import DatabaseFactory
from chorus_testing.identity import IDENTITY, as_service, everything
from chorus_testing.infra import required_env
from publishing_service.adapters.bluesky import BlueskyConnector
from publishing_service.adapters.events import OutboxPublishEvents
from publishing_service.adapters.migrations import SCHEMA
from publishing_service.adapters.redis_budget import RedisNetworkBudget
from publishing_service.adapters.secrets import SecretBox
from publishing_service.adapters.session_store import RedisSessionStore
from publishing_service.adapters.stores import SqlStores
from publishing_service.adapters.tracked_links import GrpcTrackedLinks
from publishing_service.app.accounts import AccountUseCases, ConnectRequest, LedgerQueries
from publishing_service.app.publish import Publisher
from publishing_service.app.sweeper import Sweeper
from publishing_service.app.withdrawal import Withdrawals
from publishing_service.domain.ledger import LEASE_DURATION
from publishing_service.domain.network_limits import LIMITS, NetworkLimits
from sqlalchemy import select

from tests.simulators.bluesky import Replicas

PublishingDatabase = Callable[[], Awaitable[Database]]


class RecordingMetrics(metrics_grpc.MetricsServiceServicer):
    """Metrics' CreateTrackedLink(s) contract: the same share always gets the
    same code (the real metrics is tested against publishing's real client in
    tests/contract)."""

    def __init__(self) -> None:
        self.calls: list[metrics_pb.CreateTrackedLinkRequest] = []
        self.batches: list[int] = []  # the size of each CreateTrackedLinks call
        self.refuse_with: grpc.StatusCode | None = None

    async def CreateTrackedLink(
        self, request: metrics_pb.CreateTrackedLinkRequest, context: grpc.aio.ServicerContext
    ) -> metrics_pb.CreateTrackedLinkResponse:
        self.calls.append(request)
        if self.refuse_with is not None:
            await context.abort(self.refuse_with, "refused by the test")
        code = hashlib.sha256(request.share_id.encode()).hexdigest()[:8]
        return metrics_pb.CreateTrackedLinkResponse(
            code=code, short_url=f"https://l.chorus.test/l/{code}"
        )

    async def CreateTrackedLinks(
        self, request: metrics_pb.CreateTrackedLinksRequest, context: grpc.aio.ServicerContext
    ) -> metrics_pb.CreateTrackedLinksResponse:
        """As many CreateTrackedLink calls, in one (publishing's batches)."""
        self.batches.append(len(request.links))
        self.calls += request.links
        if self.refuse_with is not None:
            await context.abort(self.refuse_with, "refused by the test")
        results = []
        for link in request.links:
            code = hashlib.sha256(link.share_id.encode()).hexdigest()[:8]
            results.append(
                metrics_pb.TrackedLinkResult(code=code, short_url=f"https://l.chorus.test/l/{code}")
            )
        return metrics_pb.CreateTrackedLinksResponse(results=results)


@dataclass
class MetricsServer:
    address: str
    servicer: RecordingMetrics


@dataclass(frozen=True)
class PdsAccount:
    handle: str
    password: str = field(repr=False)
    did: str


class PublishingKit:
    """Builders shared by the publishing component tests (a fixture, because
    test modules cannot import each other under --import-mode=importlib)."""

    context = staticmethod(event_context)
    outbox_rows = staticmethod(outbox_rows)

    @staticmethod
    async def connected(
        stack: PublishingStack,
        new_pds_account: Callable[[], Awaitable[PdsAccount]],
        employee_id: str = "e1",
    ) -> PdsAccount:
        """A new PDS account, connected as the employee's (ConnectAccount)."""
        account = await new_pds_account()
        await stack.accounts.connect_account(
            everything("t1", employee_id=employee_id),
            ConnectRequest("t1", employee_id, "bluesky", account.handle, account.password),
        )
        return account

    @staticmethod
    async def inbox_count(db: Database) -> int:
        async with db.session() as session:
            return len((await session.execute(select(InboxRecord))).all())

    @staticmethod
    def share_due(
        tenant_id: str,
        employee_id: str,
        *,
        text: str = "Nuestra nueva planta abre hoy 🌱",
        link: str = "https://example.com/planta",
    ) -> scheduling.ShareDue:
        post_id = str(uuid.uuid4())
        return scheduling.ShareDue(
            tenant_id=tenant_id,
            share_id=str(uuid.uuid4()),
            post_id=post_id,
            post_version=1,
            employee_id=employee_id,
            network="bluesky",
            language="es",
            country="ES",
            text=text,
            link=link,
        )

    @staticmethod
    async def list_posts(pds_url: str, did: str) -> list[dict[str, object]]:
        async with httpx.AsyncClient(timeout=10) as client:
            response = await client.get(
                f"{pds_url}/xrpc/com.atproto.repo.listRecords",
                params={"repo": did, "collection": "app.bsky.feed.post", "limit": 100},
            )
        response.raise_for_status()
        return list(response.json()["records"])


@pytest.fixture
def kit() -> PublishingKit:
    return PublishingKit()


@pytest.fixture
def publishing_database(any_database: DatabaseFactory) -> PublishingDatabase:
    async def make() -> Database:
        db = await any_database()
        await migrate(db, SCHEMA)
        return db

    return make


@pytest.fixture
def secret_box() -> SecretBox:
    return SecretBox(os.urandom(32))


@pytest.fixture
async def bluesky_replicas(redis_url: str, secret_box: SecretBox) -> AsyncIterator[Replicas]:
    """Bluesky connectors on one shared session store in the real Redis."""
    replicas = Replicas(redis_url, secret_box)
    yield replicas
    await replicas.close()


@pytest.fixture
async def metrics_server() -> AsyncIterator[MetricsServer]:
    servicer = RecordingMetrics()
    server = GrpcServer(
        0,
        [
            ServiceBinding(
                servicer=servicer,
                add=metrics_grpc.add_MetricsServiceServicer_to_server,
                name=metrics_pb.DESCRIPTOR.services_by_name["MetricsService"].full_name,
            )
        ],
        verifier=IDENTITY.verifier,
    )
    await server.start()
    yield MetricsServer(address=f"127.0.0.1:{server.port}", servicer=servicer)
    await server.stop(grace=0)


@pytest.fixture
def pds_url() -> str:
    return required_env("CHORUS_BLUESKY_PDS_URL").rstrip("/")


@pytest.fixture
def new_pds_account(pds_url: str) -> Callable[[], Awaitable[PdsAccount]]:
    """A fresh account on the local PDS (dev mode: no invite, .test handles)."""

    async def make() -> PdsAccount:
        name = "u" + uuid.uuid4().hex[:12]
        handle, password = f"{name}.test", uuid.uuid4().hex
        async with httpx.AsyncClient(timeout=30) as client:
            response = await client.post(
                f"{pds_url}/xrpc/com.atproto.server.createAccount",
                json={"handle": handle, "email": f"{name}@example.com", "password": password},
            )
        assert response.status_code == 200, response.text
        return PdsAccount(handle=handle, password=password, did=response.json()["did"])

    return make


@dataclass
class PublishingStack:
    publisher: Publisher
    withdrawals: Withdrawals
    accounts: AccountUseCases
    queries: LedgerQueries
    connector: BlueskyConnector
    links: GrpcTrackedLinks
    budget: RedisNetworkBudget
    sweeper: Sweeper
    sessions: RedisSessionStore


StackFactory = Callable[..., PublishingStack]


@pytest.fixture
async def publishing_stack(
    pds_url: str, metrics_server: MetricsServer, secret_box: SecretBox, redis_url: str
) -> AsyncIterator[StackFactory]:
    """The service's real adapters wired as main.py wires them (the budgets
    in the real Redis, under a prefix of the stack's own); the PDS and
    metrics addresses and the documented limits can be overridden (e.g. a
    closed port, a budget small enough to run down); stacks given the same
    `sessions_prefix` share their Bluesky sessions (a restarted replica), and
    `client` replaces the connector's HTTP client (e.g. one counting calls)."""
    made: list[PublishingStack] = []

    def make(
        db: Database,
        *,
        pds: str | None = None,
        metrics_address: str | None = None,
        limits: NetworkLimits | None = None,
        lease: timedelta = LEASE_DURATION,
        sessions_prefix: str | None = None,
        client: httpx.AsyncClient | None = None,
    ) -> PublishingStack:
        budget = RedisNetworkBudget(
            RedisTokenBuckets.from_url(redis_url, f"test:publishing:{uuid.uuid4().hex}:"),
            {**LIMITS, **({limits.network: limits} if limits else {})},
        )
        sessions = RedisSessionStore.from_url(
            redis_url, secret_box, prefix=sessions_prefix or f"test:sessions:{uuid.uuid4().hex}:"
        )
        connector = BlueskyConnector(
            pds or pds_url, budget, sessions=sessions, client=client, timeout_seconds=5.0
        )
        links = GrpcTrackedLinks(
            metrics_address or metrics_server.address,
            IDENTITY.credentials(as_service("publishing")),
            # Generous: a share's first link opens the channel, and on a
            # loaded CI machine that took over 2 s. A test of an unreachable
            # metrics gets UNAVAILABLE from a closed port, not a timeout.
            deadline_seconds=10.0,
        )
        connectors = {connector.network: connector}
        stores = SqlStores()
        publisher = Publisher(
            db,
            stores,
            OutboxPublishEvents(Outbox("chorus/publishing@test")),
            connectors,
            links,
            secret_box,
            lease=lease,
        )
        stack = PublishingStack(
            publisher=publisher,
            withdrawals=Withdrawals(db, stores, [sessions], after_commit),
            accounts=AccountUseCases(db, stores, connectors, secret_box, sessions=[sessions]),
            queries=LedgerQueries(db, stores),
            connector=connector,
            links=links,
            budget=budget,
            sweeper=Sweeper(db, stores, publisher, stale_after=lease),
            sessions=sessions,
        )
        made.append(stack)
        return stack

    yield make
    for stack in made:
        await stack.connector.aclose()
        await stack.links.close()
        await stack.budget.close()
        await stack.sessions.close()
