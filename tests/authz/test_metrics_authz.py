"""Metrics' authorization over its real gRPC server (the composition of
metrics_service.main on SQLite, tokens verified as in production): the role
matrix of metrics_service.app.policy, tenant isolation for every RPC and
UNAUTHENTICATED without a token.

Both tenants have shares of a post "p1" and a share "s1": isolation must come
from the verified tenant, not from ids happening to differ. Shares are
counted through metrics' own SharePublished consumer."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import grpc
import pytest
from chorus.metrics.v1 import metrics_service_pb2 as pb
from chorus.metrics.v1 import metrics_service_pb2_grpc as pb_grpc
from chorus.publishing.v1 import publishing_events_pb2 as publishing
from chorus_db import Database, migrate
from chorus_grpc import GrpcServer, insecure_channel
from chorus_identity.principal import ANY, Grant, Principal, Role, service, user
from chorus_messaging import Outbox
from chorus_testing.events import event_context
from chorus_testing.fixtures import DatabaseFactory
from chorus_testing.identity import IDENTITY
from chorus_testing.subscriptions import handler_for
from google.protobuf.message import Message
from metrics_service.adapters.migrations import SCHEMA
from metrics_service.adapters.stores import OutboxClickEvents, SqlStores
from metrics_service.app.use_cases import MetricsUseCases
from metrics_service.domain.links import TrackedLink
from metrics_service.entrypoints import grpc_api
from metrics_service.entrypoints.kafka_handlers import subscriptions

RPCS: dict[str, str] = {
    "CreateTrackedLink": "test_create_tracked_link, test_no_token_is_unauthenticated",
    "CreateTrackedLinks": "test_create_tracked_links, test_no_token_is_unauthenticated",
    "GetPostStats": "test_get_post_stats, test_no_token_is_unauthenticated",
    "GetTenantStats": "test_get_tenant_stats, test_no_token_is_unauthenticated",
    "GetCampaignStats": "test_get_campaign_stats, test_no_token_is_unauthenticated",
}

A, B = "tenant-a", "tenant-b"
DENIED = grpc.StatusCode.PERMISSION_DENIED

ADMIN_A = user("admin-a", A, Role.TENANT_ADMIN)
COMMS_A = user("comms-a", A, Grant.of(Role.COMMS_MANAGER, regions=[ANY], channels=[ANY]))
REVIEWER_A = user("reviewer-a", A, Grant.of(Role.REVIEWER, steps=[ANY]))
MODERATOR_A = user("moderator-a", A, Role.MODERATOR)
E1_A = user("e1-a", A, Role.EMPLOYEE, employee_id="e1")
ADMIN_B = user("admin-b", B, Role.TENANT_ADMIN)
COMMS_B = user("comms-b", B, Grant.of(Role.COMMS_MANAGER, regions=[ANY], channels=[ANY]))
E1_B = user("e1-b", B, Role.EMPLOYEE, employee_id="e1")
PUBLISHING = service("publishing")
OTHER_SERVICES = (service("gateway"), service("translation"), service("scheduling"))
NOT_COMMS = (REVIEWER_A, MODERATOR_A, E1_A, PUBLISHING)


@dataclass
class Served:
    port: int
    db: Database
    channels: list[grpc.aio.Channel]

    def stub(self, principal: Principal | None) -> pb_grpc.MetricsServiceStub:
        credentials = IDENTITY.credentials(principal) if principal is not None else None
        channel = insecure_channel(f"127.0.0.1:{self.port}", 10, credentials)
        self.channels.append(channel)
        return pb_grpc.MetricsServiceStub(channel)

    async def link(self, tenant: str, share: str) -> TrackedLink | None:
        async with self.db.session() as reads:
            return await SqlStores().links(reads).by_share(tenant, share)

    async def post_stats(self, principal: Principal, tenant: str = "") -> tuple[int, int]:
        request = pb.GetPostStatsRequest(tenant_id=tenant, post_id="p1")
        stats = await self.stub(principal).GetPostStats(request)
        return stats.shares, stats.clicks


def link_request(
    tenant: str, share: str = "s1", url: str = "https://a.example/n"
) -> pb.CreateTrackedLinkRequest:
    return pb.CreateTrackedLinkRequest(
        request_id=f"{tenant}-{share}",
        tenant_id=tenant,
        share_id=share,
        post_id="p1",
        employee_id="e1",
        country="FR",
        network="bluesky",
        target_url=url,
    )


@pytest.fixture
async def served(sqlite_database: DatabaseFactory) -> AsyncIterator[Served]:
    db = await sqlite_database()
    await migrate(db, SCHEMA)
    # As metrics_service.main composes it.
    use_cases = MetricsUseCases(
        db, SqlStores(), OutboxClickEvents(Outbox("chorus/metrics@test")), "http://go.test"
    )
    on_share = handler_for(subscriptions(use_cases), publishing.SharePublished)
    for tenant, share, country in ((A, "s1", "FR"), (A, "s2", "DE"), (B, "s1", "FR")):
        event = publishing.SharePublished(
            tenant_id=tenant, share_id=share, post_id="p1", employee_id="e1", country=country
        )
        await on_share(event, event_context(db, event, tenant))
    server = GrpcServer(0, [grpc_api.binding(use_cases)], verifier=IDENTITY.verifier)
    await server.start()
    served = Served(server.port, db, [])
    yield served
    for channel in served.channels:
        await channel.close()
    await server.stop(0)


async def refused(call: Awaitable[Any], *codes: grpc.StatusCode) -> None:
    """The call fails with one of `codes`; an error carries no response, so no data."""
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await call
    assert error.value.code() in codes, error.value.details()


async def test_create_tracked_link(served: Served) -> None:
    made = await served.stub(PUBLISHING).CreateTrackedLink(link_request(A))
    stored = await served.link(A, "s1")
    assert stored is not None and stored.code == made.code
    # No person (whatever their role or tenant) and no other service makes links.
    for principal in (*OTHER_SERVICES, ADMIN_A, COMMS_A, REVIEWER_A, MODERATOR_A, E1_A):
        await refused(served.stub(principal).CreateTrackedLink(link_request(A, "s9")), DENIED)
    for principal in (ADMIN_B, COMMS_B, E1_B):
        await refused(served.stub(principal).CreateTrackedLink(link_request(A)), DENIED)
        await refused(served.stub(principal).CreateTrackedLink(link_request("")), DENIED)
    # A service must name the tenant it acts for.
    await refused(served.stub(PUBLISHING).CreateTrackedLink(link_request("")), DENIED)
    assert await served.link(A, "s9") is None
    # Tenant B's share "s1" gets a link of its own; tenant A's is unchanged.
    theirs = await served.stub(PUBLISHING).CreateTrackedLink(
        link_request(B, url="https://b.example/other")
    )
    assert theirs.code != made.code
    assert await served.link(A, "s1") == stored


async def test_get_post_stats(served: Served) -> None:
    for reader in (COMMS_A, ADMIN_A):
        assert await served.post_stats(reader) == (2, 0) == await served.post_stats(reader, A)
    for principal in NOT_COMMS:
        await refused(served.post_stats(principal, A), DENIED)
    # Tenant B reads its own post "p1" only, and may not name tenant A.
    assert await served.post_stats(COMMS_B) == (1, 0) == await served.post_stats(ADMIN_B)
    for principal in (ADMIN_B, COMMS_B, E1_B):
        await refused(served.post_stats(principal, A), DENIED)


async def test_get_tenant_stats(served: Served) -> None:
    async def whole(principal: Principal, tenant: str = "") -> dict[str, int]:
        stats = await served.stub(principal).GetTenantStats(
            pb.GetTenantStatsRequest(tenant_id=tenant)
        )
        return {country: counts.shares for country, counts in stats.by_country.items()}

    for reader in (COMMS_A, ADMIN_A):
        assert await whole(reader) == {"FR": 1, "DE": 1} == await whole(reader, A)
    for principal in NOT_COMMS:
        await refused(whole(principal, A), DENIED)
    assert await whole(ADMIN_B) == {"FR": 1}
    for principal in (ADMIN_B, COMMS_B, E1_B):
        await refused(whole(principal, A), DENIED)


async def test_get_campaign_stats(served: Served) -> None:
    async def actuals(principal: Principal, tenant: str = "") -> tuple[int, int, dict[str, int]]:
        stats = await served.stub(principal).GetCampaignStats(
            pb.GetCampaignStatsRequest(tenant_id=tenant, post_ids=["p1"])
        )
        by_country = {country: counts.shares for country, counts in stats.by_country.items()}
        return stats.shares, stats.active_ambassadors, by_country

    for reader in (COMMS_A, ADMIN_A):
        assert await actuals(reader) == (2, 1, {"FR": 1, "DE": 1}) == await actuals(reader, A)
    for principal in NOT_COMMS:
        await refused(actuals(principal, A), DENIED)
    # Tenant B's campaign of its own post "p1" counts its own share only
    # (its employee "e1" is not tenant A's "e1"), and may not name tenant A.
    assert await actuals(COMMS_B) == (1, 1, {"FR": 1}) == await actuals(ADMIN_B)
    for principal in (ADMIN_B, COMMS_B, E1_B):
        await refused(actuals(principal, A), DENIED)


async def test_create_tracked_links(served: Served) -> None:
    """As CreateTrackedLink, per link of the batch: publishing only, and
    each link for the tenant it names (a tenant-less one is refused on its
    own, without failing the others)."""
    batch = pb.CreateTrackedLinksRequest(
        links=[link_request(A, "s5"), link_request("", "s6"), link_request(B, "s5")]
    )
    for principal in (*OTHER_SERVICES, ADMIN_A, COMMS_A, E1_A, ADMIN_B):
        await refused(served.stub(principal).CreateTrackedLinks(batch), DENIED)
    assert await served.link(A, "s5") is None and await served.link(B, "s5") is None
    made = await served.stub(PUBLISHING).CreateTrackedLinks(batch)
    assert [r.error.status for r in made.results] == ["", "PERMISSION_DENIED", ""]
    mine, theirs = await served.link(A, "s5"), await served.link(B, "s5")
    assert mine is not None and mine.code == made.results[0].code
    assert theirs is not None and theirs.code == made.results[2].code
    assert mine.code != theirs.code
    assert await served.link("", "s6") is None


def _methods() -> list[str]:
    return list(pb.DESCRIPTOR.services_by_name["MetricsService"].methods_by_name)


@pytest.mark.parametrize("method", _methods())
async def test_no_token_is_unauthenticated(served: Served, method: str) -> None:
    descriptor = pb.DESCRIPTOR.services_by_name["MetricsService"].methods_by_name[method]
    request: Message
    if method == "CreateTrackedLink":
        request = link_request(A, "s-anonymous")
    elif method == "CreateTrackedLinks":
        request = pb.CreateTrackedLinksRequest(links=[link_request(A, "s-anonymous")])
    else:
        request = getattr(pb, descriptor.input_type.name)(tenant_id=A)
    call: Callable[..., Awaitable[Any]] = getattr(served.stub(None), method)
    await refused(call(request), grpc.StatusCode.UNAUTHENTICATED)
    assert await served.link(A, "s-anonymous") is None
    assert await served.post_stats(ADMIN_A) == (2, 0)


def test_every_rpc_is_covered() -> None:
    assert set(RPCS) == set(_methods())
    names = {name.strip() for entry in RPCS.values() for name in entry.split(",")}
    assert all(callable(globals()[name]) for name in names)
