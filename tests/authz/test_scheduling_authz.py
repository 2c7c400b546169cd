"""Scheduling's authorization over its real gRPC server (the composition of
scheduling_service.main on SQLite, tokens verified as in production): the
role matrix of scheduling_service.app.policy, tenant isolation for every RPC
(tenant B never reads or changes tenant A's shares, whether it names tenant A
or not) and UNAUTHENTICATED without a token.

Both tenants have an employee "e1" with a share of post "p1": isolation must
come from the verified tenant, not from ids happening to differ."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import grpc
import pytest
from chorus.scheduling.v1 import scheduling_service_pb2 as pb
from chorus.scheduling.v1 import scheduling_service_pb2_grpc as pb_grpc
from chorus.targeting.v1 import targeting_events_pb2 as targeting
from chorus_core.prototime import to_timestamp
from chorus_db import Database, migrate
from chorus_grpc import GrpcServer, insecure_channel
from chorus_identity.principal import ANY, Grant, Principal, Role, service, user
from chorus_messaging import Outbox
from chorus_testing.events import event_context
from chorus_testing.fixtures import DatabaseFactory
from chorus_testing.identity import IDENTITY
from scheduling_service.adapters.events import OutboxShareEvents
from scheduling_service.adapters.migrations import SCHEMA
from scheduling_service.adapters.stores import SqlStores
from scheduling_service.adapters.waiting import SqlWaitingReader
from scheduling_service.app.insights import ShareInsights
from scheduling_service.app.intake import ShareIntake
from scheduling_service.app.use_cases import SchedulingUseCases
from scheduling_service.app.waiting import WaitingShares
from scheduling_service.domain.shares import share_id_for
from scheduling_service.entrypoints import grpc_api, kafka_handlers

RPCS: dict[str, str] = {
    "ScheduleShare": "test_schedule_share, test_no_token_is_unauthenticated",
    "CancelShare": "test_cancel_share, test_no_token_is_unauthenticated",
    "GetShare": "test_get_share, test_no_token_is_unauthenticated",
    "ListShares": "test_list_shares, test_no_token_is_unauthenticated",
    "ListWaitingShares": "test_list_waiting_shares, test_no_token_is_unauthenticated",
    "GetShareVolume": "test_get_share_volume, test_no_token_is_unauthenticated",
    "GetBestHours": "test_get_best_hours, test_no_token_is_unauthenticated",
}

A, B = "tenant-a", "tenant-b"
DENIED = grpc.StatusCode.PERMISSION_DENIED
HIDDEN = (grpc.StatusCode.PERMISSION_DENIED, grpc.StatusCode.NOT_FOUND)

ADMIN_A = user("admin-a", A, Role.TENANT_ADMIN)
COMMS_A = user("comms-a", A, Grant.of(Role.COMMS_MANAGER, regions=[ANY], channels=[ANY]))
REVIEWER_A = user("reviewer-a", A, Grant.of(Role.REVIEWER, steps=[ANY]))
MODERATOR_A = user("moderator-a", A, Role.MODERATOR)
E1_A = user("e1-a", A, Role.EMPLOYEE, employee_id="e1")
E2_A = user("e2-a", A, Role.EMPLOYEE, employee_id="e2")
ADMIN_B = user("admin-b", B, Role.TENANT_ADMIN)
COMMS_B = user("comms-b", B, Grant.of(Role.COMMS_MANAGER, regions=[ANY], channels=[ANY]))
E1_B = user("e1-b", B, Role.EMPLOYEE, employee_id="e1")
PUBLISHING = service("publishing")
CONTENT = service("content")
REGION = "eu-test"
NOT_EMPLOYEES = (ADMIN_A, COMMS_A, REVIEWER_A, MODERATOR_A, PUBLISHING)


def sid(tenant: str, employee: str) -> str:
    return share_id_for(tenant, "p1", employee, "bluesky")


@dataclass
class Served:
    port: int
    channels: list[grpc.aio.Channel]

    def stub(self, principal: Principal | None) -> pb_grpc.SchedulingServiceStub:
        credentials = IDENTITY.credentials(principal) if principal is not None else None
        channel = insecure_channel(f"127.0.0.1:{self.port}", 10, credentials)
        self.channels.append(channel)
        return pb_grpc.SchedulingServiceStub(channel)

    async def share(self, tenant: str, employee: str) -> pb.Share:
        """Re-read as tenant A's (or B's) admin: what the share really is now."""
        admin = ADMIN_A if tenant == A else ADMIN_B
        got = await self.stub(admin).GetShare(pb.GetShareRequest(share_id=sid(tenant, employee)))
        return got.share


async def audience(db: Database, outbox: Outbox, tenant: str, employees: list[str]) -> None:
    event = targeting.AudienceBatchResolved(
        tenant_id=tenant,
        post_id="p1",
        post_version=1,
        batch_index=0,
        batch_count=1,
        members=[
            targeting.AudienceMember(
                employee_id=e, language="es", timezone="Europe/Madrid", country="ES"
            )
            for e in employees
        ],
    )
    handler = kafka_handlers.audience_handler(ShareIntake(SqlStores(), OutboxShareEvents(outbox)))
    await handler(event, event_context(db, event, tenant))


@pytest.fixture
async def served(sqlite_database: DatabaseFactory) -> AsyncIterator[Served]:
    db = await sqlite_database()
    await migrate(db, SCHEMA)
    outbox = Outbox("chorus/scheduling@test")
    await audience(db, outbox, A, ["e1", "e2"])
    await audience(db, outbox, B, ["e1", "e3"])
    # As scheduling_service.main composes it.
    binding = grpc_api.binding(
        SchedulingUseCases(db, SqlStores(), OutboxShareEvents(outbox)),
        WaitingShares(SqlWaitingReader(db)),
        ShareInsights(db, SqlStores(), region=REGION),
    )
    server = GrpcServer(0, [binding], verifier=IDENTITY.verifier)
    await server.start()
    served = Served(server.port, [])
    yield served
    for channel in served.channels:
        await channel.close()
    await server.stop(0)


async def refused(call: Awaitable[Any], *codes: grpc.StatusCode) -> None:
    """The call fails with one of `codes`; an error carries no response, so no data."""
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await call
    assert error.value.code() in codes, error.value.details()


def schedule(tenant: str = "", employee: str = "") -> pb.ScheduleShareRequest:
    return pb.ScheduleShareRequest(
        tenant_id=tenant, post_id="p1", employee_id=employee, mode=pb.SHARE_MODE_NOW
    )


async def test_schedule_share(served: Served) -> None:
    # The employee, for themself: by an empty employee_id or their own.
    mine = await served.stub(E1_A).ScheduleShare(schedule())
    assert mine.share.employee_id == "e1" and mine.share.status == pb.SHARE_STATUS_SCHEDULED
    again = await served.stub(E2_A).ScheduleShare(schedule(A, "e2"))
    assert again.share.share_id == sid(A, "e2")
    # Nobody schedules for someone else: a colleague, the comms team, the admin, a service.
    await refused(served.stub(E1_A).ScheduleShare(schedule(employee="e2")), DENIED)
    for principal in NOT_EMPLOYEES:
        await refused(served.stub(principal).ScheduleShare(schedule(A, "e1")), DENIED)
    await refused(served.stub(PUBLISHING).ScheduleShare(schedule()), DENIED)

    # Tenant B: naming tenant A is refused; its own call touches its own share only.
    served_before = await served.share(A, "e1")
    await refused(served.stub(E1_B).ScheduleShare(schedule(A, "e1")), DENIED)
    await refused(served.stub(ADMIN_B).ScheduleShare(schedule(A, "e1")), DENIED)
    theirs = await served.stub(E1_B).ScheduleShare(schedule())
    assert theirs.share.tenant_id == B and theirs.share.share_id == sid(B, "e1")
    assert await served.share(A, "e1") == served_before


async def test_cancel_share(served: Served) -> None:
    cancel = pb.CancelShareRequest
    colleague = cancel(share_id=sid(A, "e1"))
    # A colleague does not learn the share exists; the others may not change it.
    await refused(served.stub(E2_A).CancelShare(colleague), grpc.StatusCode.NOT_FOUND)
    for principal in NOT_EMPLOYEES:
        await refused(
            served.stub(principal).CancelShare(cancel(tenant_id=A, share_id=sid(A, "e1"))), DENIED
        )
    assert (await served.share(A, "e1")).status == pb.SHARE_STATUS_SUGGESTED

    # Tenant B, with or without naming tenant A: nothing found, nothing changed.
    for principal in (E1_B, ADMIN_B):
        await refused(served.stub(principal).CancelShare(colleague), *HIDDEN)
        await refused(
            served.stub(principal).CancelShare(cancel(tenant_id=A, share_id=sid(A, "e1"))), DENIED
        )
    assert (await served.share(A, "e1")).status == pb.SHARE_STATUS_SUGGESTED

    done = await served.stub(E1_A).CancelShare(cancel(request_id="r1", share_id=sid(A, "e1")))
    assert done.share.status == pb.SHARE_STATUS_CANCELLED
    # The same request id cannot replay someone else's cancellation either.
    await refused(
        served.stub(E2_A).CancelShare(cancel(request_id="r1", share_id=sid(A, "e1"))),
        grpc.StatusCode.NOT_FOUND,
    )
    assert (await served.share(B, "e1")).status == pb.SHARE_STATUS_SUGGESTED


async def test_get_share(served: Served) -> None:
    get = pb.GetShareRequest(share_id=sid(A, "e1"))
    for reader in (E1_A, COMMS_A, ADMIN_A):
        assert (await served.stub(reader).GetShare(get)).share.employee_id == "e1"
    await refused(served.stub(E2_A).GetShare(get), grpc.StatusCode.NOT_FOUND)
    for principal in (REVIEWER_A, MODERATOR_A):
        await refused(served.stub(principal).GetShare(get), DENIED)
    await refused(
        served.stub(PUBLISHING).GetShare(pb.GetShareRequest(tenant_id=A, share_id=sid(A, "e1"))),
        DENIED,
    )
    # Tenant B's admin and its own "e1": not found in B, refused when naming A.
    for principal in (ADMIN_B, COMMS_B, E1_B):
        await refused(served.stub(principal).GetShare(get), *HIDDEN)
        await refused(
            served.stub(principal).GetShare(pb.GetShareRequest(tenant_id=A, share_id=sid(A, "e1"))),
            DENIED,
        )


async def test_list_shares(served: Served) -> None:
    async def listed(principal: Principal, **fields: Any) -> set[str]:
        response = await served.stub(principal).ListShares(pb.ListSharesRequest(**fields))
        return {s.share_id for s in response.shares}

    every_a = {sid(A, "e1"), sid(A, "e2")}
    assert await listed(COMMS_A) == every_a == await listed(ADMIN_A)
    assert await listed(COMMS_A, employee_id="e2") == {sid(A, "e2")}
    # An employee sees their own shares, asked or not; naming a colleague is refused.
    assert await listed(E1_A) == {sid(A, "e1")} == await listed(E1_A, employee_id="e1")
    await refused(served.stub(E1_A).ListShares(pb.ListSharesRequest(employee_id="e2")), DENIED)
    for principal in (REVIEWER_A, MODERATOR_A):
        await refused(served.stub(principal).ListShares(pb.ListSharesRequest()), DENIED)
    await refused(served.stub(PUBLISHING).ListShares(pb.ListSharesRequest(tenant_id=A)), DENIED)
    # Tenant B lists its own shares only, and may not name tenant A.
    assert await listed(ADMIN_B) == {sid(B, "e1"), sid(B, "e3")}
    assert await listed(E1_B) == {sid(B, "e1")}
    for principal in (ADMIN_B, E1_B):
        await refused(served.stub(principal).ListShares(pb.ListSharesRequest(tenant_id=A)), DENIED)


async def test_list_waiting_shares(served: Served) -> None:
    async def waiting(principal: Principal, tenant: str = "") -> set[str]:
        request = pb.ListWaitingSharesRequest(tenant_id=tenant, post_id="p1")
        response = await served.stub(principal).ListWaitingShares(request)
        return {share for group in response.groups for share in group.share_ids}

    # Every share waits for its Spanish text.
    assert await waiting(COMMS_A) == {sid(A, "e1"), sid(A, "e2")} == await waiting(ADMIN_A, A)
    for principal in (E1_A, REVIEWER_A, MODERATOR_A):
        await refused(
            served.stub(principal).ListWaitingShares(pb.ListWaitingSharesRequest(post_id="p1")),
            DENIED,
        )
    await refused(
        served.stub(PUBLISHING).ListWaitingShares(
            pb.ListWaitingSharesRequest(tenant_id=A, post_id="p1")
        ),
        DENIED,
    )
    assert await waiting(COMMS_B) == {sid(B, "e1"), sid(B, "e3")}
    await refused(
        served.stub(COMMS_B).ListWaitingShares(
            pb.ListWaitingSharesRequest(tenant_id=A, post_id="p1")
        ),
        DENIED,
    )


async def test_get_share_volume(served: Served) -> None:
    """The calendar's numbers: the comms team and the admin. Content asks
    with its caller's forwarded token, so a service token of its own is
    refused like any other service's."""
    now = datetime.now(UTC)

    def volume(tenant: str = "") -> pb.GetShareVolumeRequest:
        return pb.GetShareVolumeRequest(
            tenant_id=tenant,
            post_ids=["p1"],
            since=to_timestamp(now - timedelta(days=1)),
            until=to_timestamp(now + timedelta(days=1)),
        )

    async def scheduled(principal: Principal, tenant: str = "") -> tuple[int, str]:
        response = await served.stub(principal).GetShareVolume(volume(tenant))
        return sum(d.scheduled for d in response.days), response.region_name

    # Two of A's shares scheduled, one of B's: suggestions are not counted.
    await served.stub(E1_A).ScheduleShare(schedule())
    await served.stub(E2_A).ScheduleShare(schedule())
    await served.stub(E1_B).ScheduleShare(schedule())
    assert await scheduled(COMMS_A) == (2, REGION) == await scheduled(ADMIN_A, A)
    for principal in (E1_A, REVIEWER_A, MODERATOR_A):
        await refused(served.stub(principal).GetShareVolume(volume()), DENIED)
    for principal in (PUBLISHING, CONTENT):
        await refused(served.stub(principal).GetShareVolume(volume(A)), DENIED)
    # Tenant B counts its own share only, and may not name tenant A.
    assert await scheduled(COMMS_B) == (1, REGION) == await scheduled(ADMIN_B)
    for principal in (COMMS_B, ADMIN_B):
        await refused(served.stub(principal).GetShareVolume(volume(A)), DENIED)


async def test_get_best_hours(served: Served) -> None:
    """An aggregate that names nobody: employees see it too; reviewers,
    moderators and services do not. Each tenant learns from its own clicks
    (tests/component/scheduling/test_scheduling_best_hours.py counts them)."""

    def hours(tenant: str = "") -> pb.GetBestHoursRequest:
        return pb.GetBestHoursRequest(tenant_id=tenant, region="eu-west", network="bluesky")

    for reader in (E1_A, COMMS_A, ADMIN_A, E1_B):
        found = await served.stub(reader).GetBestHours(hours())
        assert (len(found.shares), found.clicks, found.prior_only) == (24, 0, True)
        assert list(found.best) == [9, 10, 11]
    for principal in (REVIEWER_A, MODERATOR_A):
        await refused(served.stub(principal).GetBestHours(hours()), DENIED)
    for principal in (PUBLISHING, CONTENT):
        await refused(served.stub(principal).GetBestHours(hours(A)), DENIED)
    for principal in (E1_B, ADMIN_B):
        await refused(served.stub(principal).GetBestHours(hours(A)), DENIED)
    bad = pb.GetBestHoursRequest(region="eu-west", network="")
    await refused(served.stub(E1_A).GetBestHours(bad), grpc.StatusCode.INVALID_ARGUMENT)


def _methods() -> list[str]:
    return list(pb.DESCRIPTOR.services_by_name["SchedulingService"].methods_by_name)


@pytest.mark.parametrize("method", _methods())
async def test_no_token_is_unauthenticated(served: Served, method: str) -> None:
    descriptor = pb.DESCRIPTOR.services_by_name["SchedulingService"].methods_by_name[method]
    request = getattr(pb, descriptor.input_type.name)(tenant_id=A)
    call: Callable[..., Awaitable[Any]] = getattr(served.stub(None), method)
    await refused(call(request), grpc.StatusCode.UNAUTHENTICATED)
    assert (await served.share(A, "e1")).status == pb.SHARE_STATUS_SUGGESTED


def test_every_rpc_is_covered() -> None:
    assert set(RPCS) == set(_methods())
    names = {name.strip() for entry in RPCS.values() for name in entry.split(",")}
    assert all(callable(globals()[name]) for name in names)
