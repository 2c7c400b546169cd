"""Gamification's authorization over its real gRPC server (the composition of
gamification_service.main on SQLite and the real Redis, tokens verified as
in production): the role matrix of gamification_service.app.policy, tenant
isolation for every RPC and UNAUTHENTICATED without a token.

Both tenants have an employee "e1" with points (A: 20, B: 10): isolation
must come from the verified tenant, not from ids happening to differ."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import grpc
import pytest
from chorus.gamification.v1 import gamification_service_pb2 as pb
from chorus.gamification.v1 import gamification_service_pb2_grpc as pb_grpc
from chorus.publishing.v1 import publishing_events_pb2 as publishing
from chorus_db import migrate
from chorus_db.sessions import after_commit
from chorus_grpc import GrpcServer, insecure_channel
from chorus_identity.principal import ANY, Grant, Principal, Role, service, user
from chorus_messaging import Outbox
from chorus_testing.events import event_context
from chorus_testing.fixtures import DatabaseFactory
from chorus_testing.identity import IDENTITY
from chorus_testing.subscriptions import handler_for
from gamification_service.adapters.events import OutboxPointsEvents
from gamification_service.adapters.leaderboard import RedisLeaderboard, board_key
from gamification_service.adapters.migrations import SCHEMA
from gamification_service.adapters.repository import LedgerRepository
from gamification_service.app.use_cases import GamificationUseCases
from gamification_service.entrypoints import grpc_api
from gamification_service.entrypoints.kafka_handlers import subscriptions

RPCS: dict[str, str] = {
    "GetLeaderboard": "test_get_leaderboard, test_no_token_is_unauthenticated",
    "GetProfile": "test_get_profile, test_no_token_is_unauthenticated",
    "RebuildLeaderboard": "test_rebuild_leaderboard, test_no_token_is_unauthenticated",
}

DENIED = grpc.StatusCode.PERMISSION_DENIED


@dataclass
class People:
    """One test's principals: tenants are unique per test (Redis is shared)."""

    a: str
    b: str

    def __post_init__(self) -> None:
        a, b = self.a, self.b
        self.admin_a = user("admin-a", a, Role.TENANT_ADMIN)
        self.comms_a = user("comms-a", a, Grant.of(Role.COMMS_MANAGER, regions=[ANY]))
        self.reviewer_a = user("reviewer-a", a, Grant.of(Role.REVIEWER, steps=[ANY]))
        self.moderator_a = user("moderator-a", a, Role.MODERATOR)
        self.e1_a = user("e1-a", a, Role.EMPLOYEE, employee_id="e1")
        self.e2_a = user("e2-a", a, Role.EMPLOYEE, employee_id="e2")
        self.admin_b = user("admin-b", b, Role.TENANT_ADMIN)
        self.comms_b = user("comms-b", b, Grant.of(Role.COMMS_MANAGER, regions=[ANY]))
        self.e1_b = user("e1-b", b, Role.EMPLOYEE, employee_id="e1")
        self.service = service("publishing")


@dataclass
class Served:
    port: int
    people: People
    channels: list[grpc.aio.Channel]

    def stub(self, principal: Principal | None) -> pb_grpc.GamificationServiceStub:
        credentials = IDENTITY.credentials(principal) if principal is not None else None
        channel = insecure_channel(f"127.0.0.1:{self.port}", 10, credentials)
        self.channels.append(channel)
        return pb_grpc.GamificationServiceStub(channel)

    async def board(self, principal: Principal) -> list[tuple[str, int]]:
        response = await self.stub(principal).GetLeaderboard(pb.GetLeaderboardRequest(limit=100))
        return [(e.employee_id, e.points) for e in response.entries]

    async def profile(self, principal: Principal, employee: str = "") -> pb.GetProfileResponse:
        request = pb.GetProfileRequest(employee_id=employee)
        return await self.stub(principal).GetProfile(request)


@pytest.fixture
async def served(sqlite_database: DatabaseFactory, redis_url: str) -> AsyncIterator[Served]:
    people = People(f"ta-{uuid.uuid4().hex[:10]}", f"tb-{uuid.uuid4().hex[:10]}")
    db = await sqlite_database()
    await migrate(db, SCHEMA)
    leaderboard = RedisLeaderboard.from_url(redis_url)
    # As gamification_service.main composes it.
    use_cases = GamificationUseCases(
        db,
        LedgerRepository,
        OutboxPointsEvents(Outbox("chorus/gamification@test")),
        leaderboard,
        after_commit=after_commit,
    )
    on_share = handler_for(subscriptions(use_cases), publishing.SharePublished)
    for tenant, employee, share in (
        (people.a, "e1", "a-s1"),
        (people.a, "e1", "a-s2"),
        (people.a, "e2", "a-s3"),
        (people.b, "e1", "b-s1"),
    ):
        event = publishing.SharePublished(
            tenant_id=tenant, share_id=share, post_id="p1", employee_id=employee, network="bluesky"
        )
        await on_share(event, event_context(db, event, tenant))
    server = GrpcServer(0, [grpc_api.binding(use_cases)], verifier=IDENTITY.verifier)
    await server.start()
    served = Served(server.port, people, [])
    yield served
    for channel in served.channels:
        await channel.close()
    await server.stop(0)
    await leaderboard.redis.delete(board_key(people.a), board_key(people.b))
    await leaderboard.close()


async def refused(call: Awaitable[Any], *codes: grpc.StatusCode) -> None:
    """The call fails with one of `codes`; an error carries no response, so no data."""
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await call
    assert error.value.code() in codes, error.value.details()


async def test_get_leaderboard(served: Served) -> None:
    p = served.people
    board_a = [("e1", 20), ("e2", 10)]
    for anyone in (p.admin_a, p.comms_a, p.reviewer_a, p.moderator_a, p.e1_a, p.e2_a):
        assert await served.board(anyone) == board_a
    named = pb.GetLeaderboardRequest(tenant_id=p.a, limit=10)
    await refused(served.stub(p.service).GetLeaderboard(named), DENIED)
    # Tenant B sees its own board, and may not name tenant A.
    assert await served.board(p.e1_b) == [("e1", 10)] == await served.board(p.admin_b)
    for principal in (p.admin_b, p.e1_b):
        await refused(served.stub(principal).GetLeaderboard(named), DENIED)


async def test_get_profile(served: Served) -> None:
    p = served.people
    mine = await served.profile(p.e1_a)
    assert (mine.employee_id, mine.points) == ("e1", 20)
    assert sorted(e.source_id for e in mine.entries) == ["a-s1", "a-s2"]
    assert (await served.profile(p.e1_a, "e1")).points == 20
    for reader in (p.comms_a, p.admin_a):
        assert (await served.profile(reader, "e1")).points == 20
    # A colleague, a reviewer or a moderator may not read someone's ledger.
    for principal in (p.e2_a, p.reviewer_a, p.moderator_a):
        await refused(served.profile(principal, "e1"), DENIED)
    named = pb.GetProfileRequest(tenant_id=p.a, employee_id="e1")
    await refused(served.stub(p.service).GetProfile(named), DENIED)
    # Tenant B: its own "e1" is its own ledger; tenant A is never named.
    theirs = await served.profile(p.admin_b, "e1")
    assert theirs.points == 10 and [e.source_id for e in theirs.entries] == ["b-s1"]
    assert (await served.profile(p.e1_b)).points == 10
    for principal in (p.admin_b, p.comms_b, p.e1_b):
        await refused(served.stub(principal).GetProfile(named), DENIED)


async def test_rebuild_leaderboard(served: Served) -> None:
    p = served.people

    def rebuild(tenant: str = "") -> pb.RebuildLeaderboardRequest:
        return pb.RebuildLeaderboardRequest(request_id=uuid.uuid4().hex, tenant_id=tenant)

    for principal in (p.comms_a, p.reviewer_a, p.moderator_a, p.e1_a):
        await refused(served.stub(principal).RebuildLeaderboard(rebuild()), DENIED)
    await refused(served.stub(p.service).RebuildLeaderboard(rebuild(p.a)), DENIED)
    assert (await served.stub(p.admin_a).RebuildLeaderboard(rebuild())).employees == 2
    # Tenant B's admin rebuilds tenant B only; naming tenant A is refused.
    await refused(served.stub(p.admin_b).RebuildLeaderboard(rebuild(p.a)), DENIED)
    assert (await served.stub(p.admin_b).RebuildLeaderboard(rebuild())).employees == 1
    assert await served.board(p.admin_a) == [("e1", 20), ("e2", 10)]


def _methods() -> list[str]:
    return list(pb.DESCRIPTOR.services_by_name["GamificationService"].methods_by_name)


@pytest.mark.parametrize("method", _methods())
async def test_no_token_is_unauthenticated(served: Served, method: str) -> None:
    descriptor = pb.DESCRIPTOR.services_by_name["GamificationService"].methods_by_name[method]
    request = getattr(pb, descriptor.input_type.name)(tenant_id=served.people.a)
    call: Callable[..., Awaitable[Any]] = getattr(served.stub(None), method)
    await refused(call(request), grpc.StatusCode.UNAUTHENTICATED)
    assert await served.board(served.people.admin_a) == [("e1", 20), ("e2", 10)]


def test_every_rpc_is_covered() -> None:
    assert set(RPCS) == set(_methods())
    names = {name.strip() for entry in RPCS.values() for name in entry.split(",")}
    assert all(callable(globals()[name]) for name in names)
