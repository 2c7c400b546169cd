"""Shares in a language the engine cannot produce, against a real database
(SQLite and PostgreSQL) and the real scheduling gRPC server: a fallback text
goes out after content's verdict, labelled with its real language; a language
held for a human translation keeps its shares waiting, visibly, per language
and reason (ListWaitingShares), until a text for it arrives."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING

import grpc
import pytest
from chorus.content.v1 import content_events_pb2 as content
from chorus.scheduling.v1 import scheduling_events_pb2 as sched_events
from chorus.scheduling.v1 import scheduling_service_pb2 as pb
from chorus.scheduling.v1 import scheduling_service_pb2_grpc as pb_grpc
from chorus.targeting.v1 import targeting_events_pb2 as targeting
from chorus.translation.v1 import translation_events_pb2 as translation
from chorus_db import Database
from chorus_grpc import GrpcServer, insecure_channel
from chorus_messaging import Outbox
from chorus_messaging.consumer import AlreadyProcessed, Handler
from chorus_testing.identity import IDENTITY, everything
from google.protobuf.message import Message
from scheduling_service.adapters.events import OutboxShareEvents
from scheduling_service.adapters.stores import SqlStores
from scheduling_service.adapters.waiting import SqlWaitingReader
from scheduling_service.app.intake import ShareIntake
from scheduling_service.app.timer import DueShareTimer
from scheduling_service.app.use_cases import SchedulingUseCases
from scheduling_service.app.waiting import WaitingShares
from scheduling_service.domain.shares import share_id_for
from scheduling_service.domain.translations import text_digest
from scheduling_service.entrypoints import content_handlers, grpc_api, kafka_handlers

if TYPE_CHECKING:
    from tests.component.scheduling.conftest import SchedulingDatabase, SchedulingKit

DUE = sched_events.ShareDue.DESCRIPTOR.full_name
Groups = dict[tuple[str, int], tuple[int, list[str]]]  # (language, reason) -> (count, ids)


def sid(employee: str) -> str:
    return share_id_for("t1", "p1", employee, "bluesky")


@pytest.fixture
async def served(
    scheduling_database: SchedulingDatabase, outbox: Outbox
) -> AsyncIterator[tuple[Database, pb_grpc.SchedulingServiceStub]]:
    db = await scheduling_database()
    binding = grpc_api.binding(
        SchedulingUseCases(db, SqlStores(), OutboxShareEvents(outbox)),
        WaitingShares(SqlWaitingReader(db)),
    )
    server = GrpcServer(0, [binding], verifier=IDENTITY.verifier)
    await server.start()
    channel = insecure_channel(
        f"127.0.0.1:{server.port}",
        deadline_seconds=10,
        credentials=IDENTITY.credentials(everything()),
    )
    yield db, pb_grpc.SchedulingServiceStub(channel)
    await channel.close()
    await server.stop(0)


def deliver(db: Database, outbox: Outbox, kit: SchedulingKit) -> Callable[..., Awaitable[None]]:
    """Feeds an event to scheduling's handler for its type."""
    intake = ShareIntake(SqlStores(), OutboxShareEvents(outbox))
    handlers: dict[type[Message], Handler] = {
        targeting.AudienceBatchResolved: kafka_handlers.audience_handler(intake),
        translation.TranslationCompleted: kafka_handlers.translation_handler(intake),
        translation.TranslationUnavailable: kafka_handlers.unavailable_handler(),
        content.TranslationHeld: content_handlers.held_handler(),
    }

    async def send(event: Message, ce_id: str | None = None) -> None:
        await handlers[type(event)](event, kit.context(db, event, "t1", ce_id=ce_id))

    return send


async def waiting(
    stub: pb_grpc.SchedulingServiceStub, tenant: str = "t1", max_ids: int = 0
) -> Groups:
    response = await stub.ListWaitingShares(
        pb.ListWaitingSharesRequest(tenant_id=tenant, post_id="p1", max_ids=max_ids)
    )
    return {(g.language, g.reason): (g.count, list(g.share_ids)) for g in response.groups}


async def test_fallback_text_goes_out_after_its_verdict_labelled_as_what_it_is(
    served: tuple[Database, pb_grpc.SchedulingServiceStub], outbox: Outbox, kit: SchedulingKit
) -> None:
    db, stub = served
    send = deliver(db, outbox, kit)
    await send(kit.audience("t1", "p1", [("e1", "de", True), ("e2", "es", True)]))
    assert await waiting(stub) == {
        ("de", pb.WAITING_REASON_TRANSLATION): (1, [sid("e1")]),
        ("es", pb.WAITING_REASON_TRANSLATION): (1, [sid("e2")]),
    }

    fallback = kit.translation("t1", "p1", "de")
    fallback.body, fallback.provider, fallback.fallback_language = "Body in en", "source", "en"
    await send(fallback)
    spanish = kit.translation("t1", "p1", "es")
    await send(spanish)
    held = content.TranslationHeld(
        tenant_id="t1",
        post_id="p1",
        post_version=1,
        language="es",
        text_digest=text_digest(spanish.body, spanish.link, {}),
    )
    await send(held)
    assert await waiting(stub) == {
        ("de", pb.WAITING_REASON_CHARTER_CHECK): (1, [sid("e1")]),
        ("es", pb.WAITING_REASON_CHARTER_HELD): (1, [sid("e2")]),
    }
    timer = DueShareTimer(db, SqlStores(), OutboxShareEvents(outbox))
    later = kit.after_every_slot()
    assert await timer.tick(later) == 0  # content has not cleared the fallback text yet

    await kit.clear(db, fallback)
    assert await timer.tick(later) == 1
    (row,) = await kit.outbox_rows(db, DUE)
    due = sched_events.ShareDue.FromString(row.payload)
    assert (due.share_id, due.language, due.fallback_language, due.text) == (
        sid("e1"),
        "de",
        "en",
        "Body in en",
    )
    assert await waiting(stub) == {("es", pb.WAITING_REASON_CHARTER_HELD): (1, [sid("e2")])}


async def test_language_held_for_a_human_translation_waits_visibly(
    served: tuple[Database, pb_grpc.SchedulingServiceStub],
    outbox: Outbox,
    kit: SchedulingKit,
    caplog: pytest.LogCaptureFixture,
) -> None:
    db, stub = served
    send = deliver(db, outbox, kit)
    members = [("e1", "de", True), ("e2", "de", False), ("e3", "de", True), ("e4", "es", True)]
    await send(kit.audience("t1", "p1", members))
    unavailable = translation.TranslationUnavailable(
        tenant_id="t1",
        post_id="p1",
        post_version=1,
        language="de",
        source_language="en",
        reason="no translation route from 'en' to 'de'",
    )
    with caplog.at_level(logging.WARNING):
        await send(unavailable, ce_id="held-1")
    (logged,) = [getattr(r, "chorus", {}) for r in caplog.records if r.name.endswith("waiting")]
    assert (logged["language"], logged["shares"], logged["post_id"]) == ("de", 3, "p1")
    with pytest.raises(AlreadyProcessed):
        await send(unavailable, ce_id="held-1")

    german = sorted(sid(e) for e in ("e1", "e2", "e3"))
    assert await waiting(stub) == {
        ("de", pb.WAITING_REASON_HUMAN_TRANSLATION): (3, german),
        ("es", pb.WAITING_REASON_TRANSLATION): (1, [sid("e4")]),
    }
    assert (await waiting(stub, max_ids=2))[("de", pb.WAITING_REASON_HUMAN_TRANSLATION)] == (
        3,
        german[:2],
    )
    with pytest.raises(grpc.aio.AioRpcError) as other_tenant:  # t1's caller naming t2
        await waiting(stub, tenant="t2")
    assert other_tenant.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert await waiting(stub, tenant="") == await waiting(stub)  # empty: the caller's own
    timer = DueShareTimer(db, SqlStores(), OutboxShareEvents(outbox))
    later = kit.after_every_slot()
    assert await timer.tick(later) == 0

    # A human translation arrives later: cleared, its shares go like any other.
    human = kit.translation("t1", "p1", "de")
    human.body, human.provider = "Text auf Deutsch", "human"
    await send(human)
    assert (await waiting(stub))[("de", pb.WAITING_REASON_CHARTER_CHECK)][0] == 3
    await kit.clear(db, human)
    assert await timer.tick(later) == 2  # e1 and e3 auto-share; e2 only has a suggestion
    texts = {
        sched_events.ShareDue.FromString(r.payload).text for r in await kit.outbox_rows(db, DUE)
    }
    assert texts == {"Text auf Deutsch"}
    assert await waiting(stub) == {("es", pb.WAITING_REASON_TRANSLATION): (1, [sid("e4")])}


@pytest.mark.parametrize(
    ("fields", "fragment"),
    [
        ({"post_id": ""}, "post_id: must not be empty"),
        ({"max_ids": 1001}, "max_ids: must be between 0 and 1000"),
        ({"max_ids": -1}, "max_ids: must be between 0 and 1000"),
    ],
)
async def test_bad_waiting_share_requests_are_invalid_argument(
    served: tuple[Database, pb_grpc.SchedulingServiceStub], fields: dict[str, object], fragment: str
) -> None:
    _, stub = served
    request = pb.ListWaitingSharesRequest(tenant_id="t1", post_id="p1")
    for name, value in fields.items():
        setattr(request, name, value)
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await stub.ListWaitingShares(request)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert fragment in (caught.value.details() or "")
