"""Disconnecting a social account over publishing's real gRPC server (the
use cases as main.py composes them, the real local Bluesky PDS, SQLite and
PostgreSQL): the account row and its encrypted secret are deleted, one
`account.disconnect` entry of the tenant's audit log is written in the same
transaction (no handle, DID or secret in it), disconnecting again answers
false and records nothing, and a share due afterwards fails as for an
employee who never connected, although its connector still holds a session
of the account in memory."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING

import grpc
import pytest
from chorus.audit.v1 import audit_events_pb2 as audit_events
from chorus.publishing.v1 import publishing_events_pb2 as pub_events
from chorus.publishing.v1 import publishing_service_pb2 as pb
from chorus.publishing.v1 import publishing_service_pb2_grpc as pb_grpc
from chorus_grpc import GrpcServer, insecure_channel
from chorus_identity.principal import Role, user
from chorus_messaging.topics import AUDIT
from chorus_testing.audit import AuditProbe
from chorus_testing.identity import IDENTITY, everything
from publishing_service.adapters.stores import SqlStores
from publishing_service.domain.ledger import PublishStatus
from publishing_service.entrypoints import grpc_api
from publishing_service.entrypoints.kafka_handlers import share_due_handler

if TYPE_CHECKING:
    from chorus_db import Database

    from tests.component.publishing.conftest import (
        PdsAccount,
        PublishingDatabase,
        PublishingKit,
        PublishingStack,
        StackFactory,
    )

OWNER = user("sub-e1", "t1", Role.EMPLOYEE, employee_id="e1")
FAILED = pub_events.ShareFailed.DESCRIPTOR.full_name


@pytest.fixture
async def served(
    publishing_database: PublishingDatabase, publishing_stack: StackFactory
) -> AsyncIterator[tuple[PublishingStack, pb_grpc.PublishingServiceStub, Database]]:
    db = await publishing_database()
    stack = publishing_stack(db)
    server = GrpcServer(
        0, [grpc_api.binding(stack.accounts, stack.queries)], verifier=IDENTITY.verifier
    )
    await server.start()
    channel = insecure_channel(f"127.0.0.1:{server.port}", 15, IDENTITY.credentials(OWNER))
    yield stack, pb_grpc.PublishingServiceStub(channel), db
    await channel.close()
    await server.stop(0)


async def connected_account(db: Database) -> bool:
    async with db.session() as reads:
        return await SqlStores().accounts(reads).find("t1", "e1", "bluesky") is not None


async def test_disconnecting_deletes_the_account_and_is_audited(
    served: tuple[PublishingStack, pb_grpc.PublishingServiceStub, Database],
    new_pds_account: Callable[[], Awaitable[PdsAccount]],
    kit: PublishingKit,
    pds_url: str,
) -> None:
    stack, stub, db = served
    account = await new_pds_account()
    private = (account.handle, account.password, account.did)
    connect = pb.ConnectAccountRequest(
        request_id="c-1", network="bluesky", handle=account.handle, secret=account.password
    )
    account_id = (await stub.ConnectAccount(connect)).account_id
    # A post made while connected: it stays on the network, and the
    # connector keeps the account's session in memory afterwards.
    before = kit.share_due("t1", "e1", link="")
    await share_due_handler(stack.publisher)(before, kit.context(db, before, "t1"))
    assert len(await kit.list_posts(pds_url, account.did)) == 1
    audit = AuditProbe(db)
    await audit.new()  # the connection's entry

    bad = pb.DisconnectAccountRequest(request_id="d-0", network="myspace")
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await stub.DisconnectAccount(bad)
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "network" in (refused.value.details() or "")
    assert await connected_account(db)

    request = pb.DisconnectAccountRequest(request_id="d-1", network="bluesky")
    assert (await stub.DisconnectAccount(request)).disconnected is True
    assert not await connected_account(db)
    summary = await audit.one(
        "account.disconnect",
        actor=OWNER.ref,
        target=("account", account_id),
        tenant="t1",
        request_id="d-1",
        service="publishing",
        absent=private,
    )
    assert summary == {"account_id": [account_id, None], "network": ["bluesky", None]}
    # The whole outbox row, not only the summary: it crosses to Kafka.
    (row,) = [
        r
        for r in await kit.outbox_rows(db, topic=AUDIT)
        if audit_events.AuditRecorded.FromString(r.payload).action == "account.disconnect"
    ]
    carried = row.payload + f"{row.key} {row.ce_subject} {row.actor}".encode()
    assert not any(value.encode() in carried for value in private)

    again = pb.DisconnectAccountRequest(request_id="d-2", network="bluesky")
    assert (await stub.DisconnectAccount(again)).disconnected is False
    await audit.none()

    after = kit.share_due("t1", "e1", link="")
    await share_due_handler(stack.publisher)(after, kit.context(db, after, "t1"))
    status = await stack.queries.get_publish_status(everything(), "t1", after.share_id)
    assert status.status is PublishStatus.FAILED
    assert "no connected bluesky account" in status.failure_reason
    failed = [
        pub_events.ShareFailed.FromString(r.payload) for r in await kit.outbox_rows(db, FAILED)
    ]
    assert [(f.share_id, f.retryable) for f in failed] == [(after.share_id, False)]
    assert len(await kit.list_posts(pds_url, account.did)) == 1  # nothing new posted
