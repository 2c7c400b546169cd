"""People provisioned through SCIM start neither opted in nor consenting; the
RecordConsent RPC records their own choice, and only then are they in the
audience of an approved post (here one naming a channel and a segment).
Real SCIM over HTTP, a real gRPC server, the real PostApproved handler, on
SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import grpc
import pytest
from chorus.content.v1 import content_events_pb2 as content_events
from chorus.content.v1 import content_service_pb2 as content_pb
from chorus.targeting.v1 import targeting_events_pb2 as events
from chorus.targeting.v1 import targeting_service_pb2 as pb
from chorus_core.clock import as_utc, utcnow
from chorus_core.ids import new_id
from chorus_db import Database
from chorus_messaging import Envelope, EventContext, OutboxMessage
from chorus_messaging.topics import AUDIENCE, EMPLOYEES
from google.protobuf.timestamp_pb2 import Timestamp
from sqlalchemy import select
from sqlmodel import col
from targeting_service import composition
from targeting_service.entrypoints.kafka_handlers import post_approved_handler

from tests.component.targeting.over_the_wire import (
    REGION,
    Targeting,
    targeting_over_the_wire,
)

USER = "urn:ietf:params:scim:schemas:core:2.0:User"


@pytest.fixture
async def t(targeting_db: Database) -> AsyncIterator[Targeting]:
    async with targeting_over_the_wire(targeting_db) as targeting:
        yield targeting


async def scim_user(t: Targeting, name: str) -> str:
    created = await t.scim.post(
        "/Users",
        json={
            "schemas": [USER],
            "userName": name,
            "externalId": name.upper(),
            "emails": [{"value": f"{name}@acme.example", "primary": True}],
            "preferredLanguage": "es",
            "addresses": [{"country": "ES", "primary": True}],
        },
    )
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


async def outbox(db: Database, topic: str) -> list[OutboxMessage]:
    async with db.session() as session:
        query = select(OutboxMessage).where(col(OutboxMessage.topic) == topic)
        return list((await session.execute(query.order_by(col(OutboxMessage.seq)))).scalars())


async def employee_events(db: Database) -> list[tuple[str, str]]:
    return [(r.ce_type.rsplit(".", 1)[-1], r.key) for r in await outbox(db, EMPLOYEES)]


async def audience(
    t: Targeting, version: int, segment_id: str, channel_id: str
) -> tuple[set[str], int]:
    """Resolves version `version` of post p1 through the real handler; returns
    the members its batches name and the summary's total."""
    event = content_events.PostApproved(
        tenant_id="acme",
        post=content_pb.Post(
            post_id="p1",
            tenant_id="acme",
            version=version,
            source_language="en",
            targeting=content_pb.Targeting(segment_id=segment_id, channel_ids=[channel_id]),
        ),
    )
    envelope = Envelope(
        ce_id=new_id(),
        ce_type=event.DESCRIPTOR.full_name,
        ce_source="chorus/content@eu-west",
        ce_time=utcnow(),
        ce_subject="p1",
        tenant_id="acme",
    )
    context = EventContext(envelope=envelope, consumer="targeting:test", db=t.db)
    await post_approved_handler(composition.build(t.db, REGION, t.outbox).resolution)(
        event, context
    )
    members: set[str] = set()
    total = -1
    for row in await outbox(t.db, AUDIENCE):
        if row.ce_type.endswith("AudienceBatchResolved"):
            batch = events.AudienceBatchResolved.FromString(row.payload)
            if batch.post_version == version:
                members.update(m.employee_id for m in batch.members)
        elif row.ce_type.endswith("AudienceSummary"):
            summary = events.AudienceSummary.FromString(row.payload)
            if summary.post_version == version:
                total = summary.total
    return members, total


def consent(
    employee_id: str,
    request_id: str,
    *,
    represent: bool = True,
    auto_share: bool = False,
    source: str = "",
    decided_at: Timestamp | None = None,
) -> pb.RecordConsentRequest:
    return pb.RecordConsentRequest(
        request_id=request_id,
        tenant_id="acme",
        employee_id=employee_id,
        opted_in=True,
        consent=represent,
        auto_share=auto_share,
        source=source,
        decided_at=decided_at,
    )


async def test_a_scim_employee_who_records_consent_is_in_the_audience(t: Targeting) -> None:
    ana, bob = await scim_user(t, "ana"), await scim_user(t, "bob")
    segment = await t.stub.SaveSegment(
        pb.SaveSegmentRequest(
            request_id="s1", tenant_id="acme", name="Spain", rule='country = "ES"'
        )
    )
    careers = await t.stub.CreateChannel(
        pb.CreateChannelRequest(request_id="c1", tenant_id="acme", name="Careers")
    )
    for person in (ana, bob):
        await t.stub.Subscribe(
            pb.SubscriptionRequest(
                tenant_id="acme", channel_id=careers.channel_id, employee_id=person
            )
        )
    # Subscribed and matching, but nobody has chosen yet: nobody receives it.
    assert await audience(t, 1, segment.segment_id, careers.channel_id) == (set(), 0)

    decided = Timestamp()
    decided.FromDatetime(utcnow() - timedelta(hours=1))
    as_ana = t.as_employee(ana)
    recorded = await as_ana.RecordConsent(
        consent(ana, "r1", auto_share=True, source="app", decided_at=decided)
    )
    assert (recorded.opted_in, recorded.consent, recorded.auto_share) == (True, True, True)
    assert recorded.opt_in_source == "app"
    assert as_utc(recorded.opted_in_at.ToDatetime()) == as_utc(decided.ToDatetime())
    # Retried: the same state, no second event.
    await as_ana.RecordConsent(consent(ana, "r1", auto_share=True, decided_at=decided))
    # Opting in without consent to be represented is not enough to take part.
    await t.as_employee(bob).SetParticipation(
        pb.SetParticipationRequest(request_id="r2", tenant_id="acme", opted_in=True)
    )
    assert await employee_events(t.db) == [("EmployeeOptedIn", ana)]
    assert await audience(t, 2, segment.segment_id, careers.channel_id) == ({ana}, 1)

    # Withdrawing consent (still opted in) takes her out, and says so.
    out = await as_ana.RecordConsent(consent(ana, "r3", represent=False))
    assert (out.opted_in, out.consent, out.auto_share) == (True, False, False)
    assert await employee_events(t.db) == [("EmployeeOptedIn", ana), ("EmployeeOptedOut", ana)]
    assert await audience(t, 3, segment.segment_id, careers.channel_id) == (set(), 0)


async def test_a_choice_that_cannot_be_recorded_is_refused(t: Targeting) -> None:
    ana = await scim_user(t, "ana")
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await t.as_employee(ana).RecordConsent(consent(ana, "r1", represent=False, auto_share=True))
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "auto_share" in (refused.value.details() or "")
    with pytest.raises(grpc.aio.AioRpcError) as unknown:
        await t.as_employee("no-such-person").RecordConsent(consent("no-such-person", "r2"))
    assert unknown.value.code() == grpc.StatusCode.NOT_FOUND
    shown = await t.stub.GetEmployee(pb.GetEmployeeRequest(tenant_id="acme", employee_id=ana))
    assert (shown.employee.opted_in, shown.employee.consent) == (False, False)
    assert await employee_events(t.db) == []
