"""Publishing's authorization over its real gRPC server (the use cases and
adapters of publishing_service.main on SQLite, the real local Bluesky PDS
for account checks, tokens verified as in production): the role matrix of
publishing_service.app.policy, tenant isolation for every RPC and
UNAUTHENTICATED without a token.

Both tenants have an employee "e1": isolation must come from the verified
tenant, not from ids happening to differ. Ledger entries are written through
the service's own ledger store (as the ShareDue consumer writes them)."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import grpc
import httpx
import pytest
from chorus.publishing.v1 import publishing_service_pb2 as pb
from chorus.publishing.v1 import publishing_service_pb2_grpc as pb_grpc
from chorus_core.clock import utcnow
from chorus_db import Database, migrate
from chorus_grpc import GrpcServer, insecure_channel
from chorus_identity.principal import ANY, Grant, Principal, Role, service, user
from chorus_testing.fixtures import DatabaseFactory
from chorus_testing.identity import IDENTITY
from chorus_testing.infra import required_env
from publishing_service.adapters.bluesky import BlueskyConnector
from publishing_service.adapters.migrations import SCHEMA
from publishing_service.adapters.redis_budget import RedisNetworkBudget
from publishing_service.adapters.secrets import SecretBox
from publishing_service.adapters.session_store import RedisSessionStore
from publishing_service.adapters.stores import SqlStores
from publishing_service.app.accounts import AccountUseCases, LedgerQueries
from publishing_service.app.ports import StoredAccount
from publishing_service.entrypoints import grpc_api

RPCS: dict[str, str] = {
    "ConnectAccount": "test_connect_account, test_no_token_is_unauthenticated",
    "DisconnectAccount": "test_disconnect_account, test_no_token_is_unauthenticated",
    "GetPublishStatus": "test_get_publish_status, test_no_token_is_unauthenticated",
    "ListPublished": "test_list_published, test_no_token_is_unauthenticated",
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
GATEWAY = service("gateway")
NOT_EMPLOYEES = (ADMIN_A, COMMS_A, REVIEWER_A, MODERATOR_A, GATEWAY)


def sid(tenant: str, employee: str, n: int = 1) -> str:
    return f"{tenant}-{employee}-share-{n}"


@dataclass
class Served:
    port: int
    db: Database
    pds_url: str
    channels: list[grpc.aio.Channel]

    def stub(self, principal: Principal | None) -> pb_grpc.PublishingServiceStub:
        credentials = IDENTITY.credentials(principal) if principal is not None else None
        channel = insecure_channel(f"127.0.0.1:{self.port}", 15, credentials)
        self.channels.append(channel)
        return pb_grpc.PublishingServiceStub(channel)

    async def account(self, tenant: str, employee: str) -> StoredAccount | None:
        async with self.db.session() as reads:
            return await SqlStores().accounts(reads).find(tenant, employee, "bluesky")

    async def record(self, tenant: str, employee: str) -> pb.PublishRecord:
        """Re-read as the tenant's admin: the record as it really is."""
        admin = ADMIN_A if tenant == A else ADMIN_B
        request = pb.GetPublishStatusRequest(share_id=sid(tenant, employee))
        return (await self.stub(admin).GetPublishStatus(request)).record

    async def pds_account(self) -> tuple[str, str]:
        name = "u" + uuid.uuid4().hex[:12]
        handle, password = f"{name}.test", uuid.uuid4().hex
        async with httpx.AsyncClient(timeout=30) as client:
            response = await client.post(
                f"{self.pds_url}/xrpc/com.atproto.server.createAccount",
                json={"handle": handle, "email": f"{name}@example.com", "password": password},
            )
        assert response.status_code == 200, response.text
        return handle, password


async def published(db: Database, tenant: str, employee: str, n: int = 1) -> None:
    """A published entry of post p1, through the ledger store's own transitions."""
    now, token = utcnow(), uuid.uuid4().hex
    async with db.transaction() as unit:
        ledger = SqlStores().ledger(unit)
        await ledger.add_leased(
            share_id=sid(tenant, employee, n),
            tenant_id=tenant,
            post_id="p1",
            employee_id=employee,
            network="bluesky",
            lease_until=now,
            lease_token=token,
            now=now,
        )
        uri = f"at://did:plc:{employee}/app.bsky.feed.post/{n}"
        assert await ledger.mark_published(
            tenant,
            sid(tenant, employee, n),
            token,
            post_uri=uri,
            post_cid="c",
            link_code="l",
            now=now,
        )


@pytest.fixture
async def served(sqlite_database: DatabaseFactory) -> AsyncIterator[Served]:
    db = await sqlite_database()
    await migrate(db, SCHEMA)
    for tenant, employees in ((A, ["e1", "e2"]), (B, ["e1"])):
        for employee in employees:
            await published(db, tenant, employee)
    await published(db, A, "e1", 2)
    pds_url = required_env("CHORUS_BLUESKY_PDS_URL").rstrip("/")
    budget = RedisNetworkBudget.from_url(
        required_env("CHORUS_REDIS_URL"), prefix=f"test:authz:{uuid.uuid4().hex}:"
    )
    stores, secrets = SqlStores(), SecretBox(os.urandom(32))
    sessions = RedisSessionStore.from_url(
        required_env("CHORUS_REDIS_URL"), secrets, prefix=f"test:authz:{uuid.uuid4().hex}:"
    )
    bluesky = BlueskyConnector(pds_url, budget, sessions=sessions, timeout_seconds=10.0)
    # As publishing_service.main composes it.
    binding = grpc_api.binding(
        AccountUseCases(db, stores, {bluesky.network: bluesky}, secrets),
        LedgerQueries(db, stores),
    )
    server = GrpcServer(0, [binding], verifier=IDENTITY.verifier)
    await server.start()
    served = Served(server.port, db, pds_url, [])
    yield served
    for channel in served.channels:
        await channel.close()
    await server.stop(0)
    await bluesky.aclose()
    await budget.close()
    await sessions.close()


async def refused(call: Awaitable[Any], *codes: grpc.StatusCode) -> None:
    """The call fails with one of `codes`; an error carries no response, so no data."""
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await call
    assert error.value.code() in codes, error.value.details()


async def test_connect_account(served: Served) -> None:
    handle, password = await served.pds_account()

    def connect(tenant: str = "", employee: str = "") -> pb.ConnectAccountRequest:
        return pb.ConnectAccountRequest(
            tenant_id=tenant,
            employee_id=employee,
            network="bluesky",
            handle=handle,
            secret=password,
        )

    # Nobody connects an account for someone else: a colleague, the comms
    # team, the admin, a service; and tenant B may not name tenant A.
    await refused(served.stub(E2_A).ConnectAccount(connect(employee="e1")), DENIED)
    for principal in NOT_EMPLOYEES:
        await refused(served.stub(principal).ConnectAccount(connect(A, "e1")), DENIED)
    for principal in (E1_B, ADMIN_B):
        await refused(served.stub(principal).ConnectAccount(connect(A, "e1")), DENIED)
    assert await served.account(A, "e1") is None

    # The employee themself, by an empty employee_id.
    connected = await served.stub(E1_A).ConnectAccount(connect())
    stored = await served.account(A, "e1")
    assert stored is not None and stored.account_id == connected.account_id
    assert stored.handle == handle

    # Tenant B's own "e1" connecting (another account) stores it under B only.
    other_handle, other_password = await served.pds_account()
    request = pb.ConnectAccountRequest(
        network="bluesky", handle=other_handle, secret=other_password
    )
    theirs = await served.stub(E1_B).ConnectAccount(request)
    assert theirs.account_id != connected.account_id
    assert await served.account(A, "e1") == stored


async def test_disconnect_account(served: Served) -> None:
    handle, password = await served.pds_account()
    connect = pb.ConnectAccountRequest(network="bluesky", handle=handle, secret=password)
    await served.stub(E1_A).ConnectAccount(connect)
    other_handle, other_password = await served.pds_account()
    theirs = pb.ConnectAccountRequest(network="bluesky", handle=other_handle, secret=other_password)
    await served.stub(E1_B).ConnectAccount(theirs)
    stored = await served.account(A, "e1")
    assert stored is not None

    def disconnect(tenant: str = "", employee: str = "") -> pb.DisconnectAccountRequest:
        return pb.DisconnectAccountRequest(
            tenant_id=tenant, employee_id=employee, network="bluesky"
        )

    # Nobody disconnects someone else's account: a colleague of the tenant,
    # the comms team, the admin, a service; and tenant B may not name A.
    await refused(served.stub(E2_A).DisconnectAccount(disconnect(employee="e1")), DENIED)
    for principal in NOT_EMPLOYEES:
        await refused(served.stub(principal).DisconnectAccount(disconnect(A, "e1")), DENIED)
    for principal in (E1_B, ADMIN_B, COMMS_B):
        await refused(served.stub(principal).DisconnectAccount(disconnect(A, "e1")), DENIED)
    # A colleague's own disconnect (nothing connected) leaves e1's alone.
    mine = await served.stub(E2_A).DisconnectAccount(disconnect())
    assert mine.disconnected is False
    assert await served.account(A, "e1") == stored

    # Tenant B's own "e1" disconnects B's account only.
    assert (await served.stub(E1_B).DisconnectAccount(disconnect())).disconnected is True
    assert await served.account(B, "e1") is None
    assert await served.account(A, "e1") == stored

    # The employee themself, naming their own tenant and entry.
    assert (await served.stub(E1_A).DisconnectAccount(disconnect(A, "e1"))).disconnected is True
    assert await served.account(A, "e1") is None


async def test_get_publish_status(served: Served) -> None:
    get = pb.GetPublishStatusRequest(share_id=sid(A, "e1"))
    for reader in (E1_A, COMMS_A, ADMIN_A):
        record = (await served.stub(reader).GetPublishStatus(get)).record
        assert record.employee_id == "e1" and record.post_uri
    await refused(served.stub(E2_A).GetPublishStatus(get), grpc.StatusCode.NOT_FOUND)
    for principal in (REVIEWER_A, MODERATOR_A):
        await refused(served.stub(principal).GetPublishStatus(get), DENIED)
    named = pb.GetPublishStatusRequest(tenant_id=A, share_id=sid(A, "e1"))
    await refused(served.stub(GATEWAY).GetPublishStatus(named), DENIED)
    for principal in (ADMIN_B, COMMS_B, E1_B):
        await refused(served.stub(principal).GetPublishStatus(get), *HIDDEN)
        await refused(served.stub(principal).GetPublishStatus(named), DENIED)
    assert (await served.record(A, "e1")).post_uri.endswith("/1")


async def test_list_published(served: Served) -> None:
    async def listed(principal: Principal, tenant: str = "") -> set[str]:
        request = pb.ListPublishedRequest(tenant_id=tenant, post_id="p1")
        response = await served.stub(principal).ListPublished(request)
        return {r.share_id for r in response.records}

    every_a = {sid(A, "e1"), sid(A, "e1", 2), sid(A, "e2")}
    assert await listed(COMMS_A) == every_a == await listed(ADMIN_A, A)
    # An employee sees only their own records of the post.
    assert await listed(E1_A) == {sid(A, "e1"), sid(A, "e1", 2)}
    assert await listed(E2_A) == {sid(A, "e2")}
    for principal in (REVIEWER_A, MODERATOR_A):
        await refused(
            served.stub(principal).ListPublished(pb.ListPublishedRequest(post_id="p1")), DENIED
        )
    gateway = pb.ListPublishedRequest(tenant_id=A, post_id="p1")
    await refused(served.stub(GATEWAY).ListPublished(gateway), DENIED)
    # Tenant B sees its own records only, and may not name tenant A.
    assert await listed(ADMIN_B) == {sid(B, "e1")} == await listed(E1_B)
    for principal in (ADMIN_B, COMMS_B, E1_B):
        request = pb.ListPublishedRequest(tenant_id=A, post_id="p1")
        await refused(served.stub(principal).ListPublished(request), DENIED)


def _methods() -> list[str]:
    return list(pb.DESCRIPTOR.services_by_name["PublishingService"].methods_by_name)


@pytest.mark.parametrize("method", _methods())
async def test_no_token_is_unauthenticated(served: Served, method: str) -> None:
    descriptor = pb.DESCRIPTOR.services_by_name["PublishingService"].methods_by_name[method]
    request = getattr(pb, descriptor.input_type.name)(tenant_id=A)
    call: Callable[..., Awaitable[Any]] = getattr(served.stub(None), method)
    await refused(call(request), grpc.StatusCode.UNAUTHENTICATED)
    assert await served.account(A, "e1") is None
    assert (await served.record(A, "e1")).share_id == sid(A, "e1")


def test_every_rpc_is_covered() -> None:
    assert set(RPCS) == set(_methods())
    names = {name.strip() for entry in RPCS.values() for name in entry.split(",")}
    assert all(callable(globals()[name]) for name in names)
