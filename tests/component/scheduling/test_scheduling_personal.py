"""Personalisation against the parrot effect (issue 9 §4) against a real
database (SQLite and PostgreSQL): the post's variants spread over the
employees who chose none, a variant an employee chose, and an employee's own
text checked by content's real charter check (content's real gRPC server,
asked by scheduling's real gRPC server with the employee's own token). A
refusal names the rule and saves nothing; what went out, its variant and
whether it was edited are on the ShareDue and on the share."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import grpc
import pytest
from chorus.scheduling.v1 import scheduling_events_pb2 as sched_events
from chorus.scheduling.v1 import scheduling_service_pb2 as pb
from chorus.scheduling.v1 import scheduling_service_pb2_grpc as pb_grpc
from chorus_core.errors import FailedPrecondition, InvalidArgument
from chorus_db import Database, migrate
from chorus_grpc import GrpcServer, insecure_channel
from chorus_messaging import Outbox
from chorus_testing.identity import IDENTITY, admin
from content_service import composition
from content_service.adapters.media_store import LocalDiskStore
from content_service.adapters.migrations import SCHEMA as CONTENT_SCHEMA
from content_service.domain.charter import Charter
from content_service.domain.matcher import Term
from content_service.entrypoints import grpc_api as content_grpc_api
from google.rpc import error_details_pb2
from grpc_status import rpc_status
from scheduling_service.adapters.content_client import GrpcCharterCheck
from scheduling_service.adapters.events import OutboxShareEvents
from scheduling_service.adapters.stores import SqlStores
from scheduling_service.adapters.waiting import SqlWaitingReader
from scheduling_service.app.intake import ShareIntake
from scheduling_service.app.timer import DueShareTimer
from scheduling_service.app.use_cases import ScheduleRequest, SchedulingUseCases
from scheduling_service.app.waiting import WaitingShares
from scheduling_service.domain.personal import spread_variant
from scheduling_service.domain.shares import ShareMode, ShareStatus, share_id_for
from scheduling_service.entrypoints import grpc_api
from scheduling_service.entrypoints.kafka_handlers import audience_handler, translation_handler

if TYPE_CHECKING:
    from tests.component.scheduling.conftest import SchedulingDatabase, SchedulingKit

DUE = sched_events.ShareDue.DESCRIPTOR.full_name
SCHEDULED = sched_events.SharesScheduled.DESCRIPTOR.full_name
VARIANTS = ("¡Planta abierta!", "Ven a ver la planta", "Nuestra nueva planta")


async def planned(
    db: Database,
    outbox: Outbox,
    kit: SchedulingKit,
    employees: list[str],
    variants: tuple[str, ...] = VARIANTS,
    translated: bool = True,
) -> None:
    """The audience (Spanish speakers) and, unless told, the Spanish text
    with its Bluesky variants, cleared by content."""
    intake = ShareIntake(SqlStores(), OutboxShareEvents(outbox))
    audience = kit.audience("t1", "p1", [(e, "es", False) for e in employees])
    await audience_handler(intake)(audience, kit.context(db, audience, "t1"))
    if translated:
        text = kit.translation("t1", "p1", "es", network_texts={"bluesky": "Corto"})
        text.network_variants["bluesky"].texts.extend(variants)
        await translation_handler(intake)(text, kit.context(db, text, "t1"))
        await kit.clear(db, text)


async def fired(db: Database, kit: SchedulingKit) -> dict[str, sched_events.ShareDue]:
    """The timer's tick; every ShareDue written, by employee."""
    await DueShareTimer(db, SqlStores(), OutboxShareEvents(Outbox("chorus/scheduling@test"))).tick(
        kit.after_every_slot()
    )
    dues = [sched_events.ShareDue.FromString(r.payload) for r in await kit.outbox_rows(db, DUE)]
    return {d.employee_id: d for d in dues}


def now(employee: str, **personal: object) -> ScheduleRequest:
    return ScheduleRequest(
        tenant_id="t1",
        post_id="p1",
        employee_id=employee,
        mode=ShareMode.NOW,
        at=None,
        **personal,  # type: ignore[arg-type]
    )


async def test_employees_who_choose_nothing_are_spread_over_the_variants(
    scheduling_database: SchedulingDatabase, outbox: Outbox, kit: SchedulingKit
) -> None:
    db = await scheduling_database()
    employees = [f"e{i}" for i in range(30)]
    await planned(db, outbox, kit, employees)
    uc = SchedulingUseCases(db, SqlStores(), OutboxShareEvents(outbox))
    for e in employees:
        await uc.schedule_share(kit.employee(e), now(e))
    dues = await fired(db, kit)
    assert sorted(dues) == sorted(employees)
    for e, due in dues.items():
        expected = spread_variant("p1", e, "bluesky", len(VARIANTS))
        assert (due.variant, due.text, due.edited) == (expected, VARIANTS[expected], False)
    assert set(Counter(d.variant for d in dues.values())) == {0, 1, 2}  # colleagues differ
    # The share keeps the variant it posted.
    share = await uc.get_share(kit.comms(), "t1", share_id_for("t1", "p1", "e0", "bluesky"))
    assert (share.status, share.variant) == (ShareStatus.DUE, dues["e0"].variant)


async def test_a_post_without_variants_posts_its_network_text_as_before(
    scheduling_database: SchedulingDatabase, outbox: Outbox, kit: SchedulingKit
) -> None:
    db = await scheduling_database()
    await planned(db, outbox, kit, ["e0"], variants=())
    uc = SchedulingUseCases(db, SqlStores(), OutboxShareEvents(outbox))
    await uc.schedule_share(kit.employee("e0"), now("e0"))
    due = (await fired(db, kit))["e0"]
    assert (due.text, due.HasField("variant"), due.edited) == ("Corto", False, False)


async def test_an_employee_chooses_a_variant(
    scheduling_database: SchedulingDatabase, outbox: Outbox, kit: SchedulingKit
) -> None:
    db = await scheduling_database()
    await planned(db, outbox, kit, ["e0", "e1"])
    uc = SchedulingUseCases(db, SqlStores(), OutboxShareEvents(outbox))
    with pytest.raises(InvalidArgument) as out_of_range:
        await uc.schedule_share(kit.employee("e0"), now("e0", variant=3))
    assert out_of_range.value.field == "variant"
    untouched = await uc.get_share(
        kit.employee("e0"), "t1", share_id_for("t1", "p1", "e0", "bluesky")
    )
    assert (untouched.status, untouched.variant) == (ShareStatus.SUGGESTED, None)
    assert await kit.outbox_rows(db, SCHEDULED) == []

    chosen = await uc.schedule_share(kit.employee("e0"), now("e0", variant=2))
    assert (chosen.status, chosen.variant) == (ShareStatus.SCHEDULED, 2)
    due = (await fired(db, kit))["e0"]
    assert (due.variant, due.text, due.edited) == (2, VARIANTS[2], False)


async def test_a_variant_cannot_be_chosen_before_the_text_has_arrived(
    scheduling_database: SchedulingDatabase, outbox: Outbox, kit: SchedulingKit
) -> None:
    db = await scheduling_database()
    await planned(db, outbox, kit, ["e0"], translated=False)
    uc = SchedulingUseCases(db, SqlStores(), OutboxShareEvents(outbox))
    with pytest.raises(FailedPrecondition, match="not arrived yet"):
        await uc.schedule_share(kit.employee("e0"), now("e0", variant=0))
    share = await uc.get_share(kit.employee("e0"), "t1", share_id_for("t1", "p1", "e0", "bluesky"))
    assert share.status is ShareStatus.SUGGESTED


@dataclass
class Served:
    """Content's and scheduling's real gRPC servers; scheduling asks
    content's charter about an edited text with the caller's own token."""

    db: Database
    scheduling: str
    channels: list[grpc.aio.Channel]

    def stub(self, kit: SchedulingKit, employee: str) -> pb_grpc.SchedulingServiceStub:
        channel = insecure_channel(
            self.scheduling, 10, IDENTITY.credentials(kit.employee(employee))
        )
        self.channels.append(channel)
        return pb_grpc.SchedulingServiceStub(channel)


@pytest.fixture
async def served(
    scheduling_database: SchedulingDatabase, outbox: Outbox, kit: SchedulingKit, tmp_path: Path
) -> AsyncIterator[Served]:
    content_db = Database(f"sqlite:///{tmp_path}/content.sqlite")
    await migrate(content_db, CONTENT_SCHEMA)
    content = composition.build(
        content_db, Outbox("chorus/content@test"), LocalDiskStore(tmp_path / "media")
    )
    await content.services.posts.charters.set_charter(
        admin(),
        "t1",
        Charter(blocked_terms=(Term("gratis", "es", "block", "di 'sin coste'"),)),
    )
    content_server = GrpcServer(
        0, [content_grpc_api.binding(content.services)], verifier=IDENTITY.verifier
    )
    await content_server.start()

    db = await scheduling_database()
    await planned(db, outbox, kit, ["e0", "e1", "e2"])
    charter = GrpcCharterCheck(f"127.0.0.1:{content_server.port}")
    use_cases = SchedulingUseCases(db, SqlStores(), OutboxShareEvents(outbox), charter=charter)
    scheduling_server = GrpcServer(
        0,
        [grpc_api.binding(use_cases, WaitingShares(SqlWaitingReader(db)))],
        verifier=IDENTITY.verifier,
    )
    await scheduling_server.start()
    found = Served(db, f"127.0.0.1:{scheduling_server.port}", [])
    yield found
    for channel in found.channels:
        await channel.close()
    await charter.close()
    await scheduling_server.stop(0)
    await content_server.stop(0)
    await content.close()
    await content_db.dispose()


def bad_request(error: grpc.aio.AioRpcError) -> str:
    """The field the google.rpc.BadRequest detail names."""
    status = rpc_status.from_call(error)
    assert status is not None
    detail = error_details_pb2.BadRequest()
    assert status.details[0].Unpack(detail)
    return str(detail.field_violations[0].field)


def schedule(**personal: object) -> pb.ScheduleShareRequest:
    return pb.ScheduleShareRequest(post_id="p1", mode=pb.SHARE_MODE_NOW, **personal)  # type: ignore[arg-type]


async def test_an_edited_text_is_checked_by_content_and_goes_out_as_written(
    served: Served, kit: SchedulingKit
) -> None:
    mine = "¡Qué orgullo ver nuestra planta abierta! https://example.com/news"
    reply = await served.stub(kit, "e0").ScheduleShare(schedule(text=mine, variant=1))
    assert (reply.share.edited_text, reply.share.variant) == (mine, 1)
    assert reply.share.status == pb.SHARE_STATUS_SCHEDULED
    got = await served.stub(kit, "e0").GetShare(pb.GetShareRequest(share_id=reply.share.share_id))
    assert got.share.edited_text == mine
    listed = await served.stub(kit, "e0").ListShares(pb.ListSharesRequest(employee_id="e0"))
    assert [s.edited_text for s in listed.shares] == [mine]

    due = (await fired(served.db, kit))["e0"]
    assert (due.text, due.variant, due.edited) == (mine, 1, True)


async def test_a_refused_text_names_the_rule_and_nothing_is_saved(
    served: Served, kit: SchedulingKit
) -> None:
    stub = served.stub(kit, "e1")
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await stub.ScheduleShare(schedule(text="¡Entrada GRATIS para todos!"))
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert bad_request(refused.value) == "text"
    details = refused.value.details() or ""
    assert "blocked-term.es" in details and "sin coste" in details

    # Over Bluesky's 300 graphemes (a flag is one grapheme of two code points).
    with pytest.raises(grpc.aio.AioRpcError) as too_long:
        await stub.ScheduleShare(schedule(text="🇪🇸" * 301))
    assert too_long.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert bad_request(too_long.value) == "text"
    assert "max-length.bluesky" in (too_long.value.details() or "")

    share = (
        await stub.GetShare(pb.GetShareRequest(share_id=share_id_for("t1", "p1", "e1", "bluesky")))
    ).share
    assert (share.status, share.edited_text, share.HasField("variant")) == (
        pb.SHARE_STATUS_SUGGESTED,
        "",
        False,
    )
    assert await kit.outbox_rows(served.db, SCHEDULED) == []
    # Reworded as the charter suggests, it goes through.
    ok = await stub.ScheduleShare(schedule(text="Entrada sin coste para todos"))
    assert ok.share.edited_text == "Entrada sin coste para todos"


async def test_a_blank_text_goes_back_to_the_comms_teams_text(
    served: Served, kit: SchedulingKit
) -> None:
    stub = served.stub(kit, "e2")
    await stub.ScheduleShare(schedule(text="Mi texto"))
    back = await stub.ScheduleShare(schedule(text="  "))
    assert back.share.edited_text == ""
    due = (await fired(served.db, kit))["e2"]
    expected = spread_variant("p1", "e2", "bluesky", len(VARIANTS))
    assert (due.text, due.variant, due.edited) == (VARIANTS[expected], expected, False)
