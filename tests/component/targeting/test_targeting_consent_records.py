"""RecordConsent and SetParticipation by request_id: each decision is
recorded (who chose what, when, from which source; opaque ids and booleans
only); a retry changes nothing and emits nothing; the same request_id for
another decision is ALREADY_EXISTS and changes nothing; neither a retry nor
a late decision flips a later choice back. A real gRPC server on SQLite and
PostgreSQL; retries racing each other on PostgreSQL, whose row locks order
them (SQLite runs one writer at a time)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta

import grpc
import pytest
from chorus.targeting.v1 import targeting_service_pb2 as pb
from chorus.targeting.v1 import targeting_service_pb2_grpc as pb_grpc
from chorus_core.clock import as_utc, utcnow
from chorus_core.errors import AlreadyExists
from chorus_core.prototime import to_timestamp
from chorus_db import Database, migrate
from chorus_grpc import GrpcServer, insecure_channel
from chorus_identity.principal import Principal
from chorus_messaging import OutboxMessage
from chorus_messaging.topics import EMPLOYEES
from chorus_testing.fixtures import create_pg_database
from chorus_testing.identity import IDENTITY, everything
from sqlalchemy import select
from sqlmodel import col
from targeting_service import composition
from targeting_service.adapters.consent_records import ConsentRecordRow
from targeting_service.adapters.migrations import SCHEMA
from targeting_service.app.consent import ConsentUseCases
from targeting_service.domain.employees import employee_id_for
from targeting_service.domain.participation import ConsentChoice
from targeting_service.entrypoints import grpc_api
from targeting_service.entrypoints.grpc_api import TargetingUseCases

REGION = "eu-west"
HEADER = "external_id,email,display_name,country,language,timezone,department,status,"
HEADER += "opted_in,auto_share,home_region\n"
CSV = HEADER + "".join(
    f"{x},{x.lower()}@acme.example,Person {x},ES,es,Europe/Madrid,Sales,active,false,false,"
    f"{REGION}\n"
    for x in ("E1", "E2")
)
ANA, BOB = employee_id_for("acme", "E1"), employee_id_for("acme", "E2")
EXISTS = grpc.StatusCode.ALREADY_EXISTS


@dataclass
class Targeting:
    db: Database
    consent: ConsentUseCases
    stub: pb_grpc.TargetingServiceStub  # Ana (linked to ANA; every role, to read Bob)
    bob: pb_grpc.TargetingServiceStub  # Bob, for his own decisions


async def directory(db: Database) -> TargetingUseCases:
    use_cases = composition.build(db, REGION).use_cases
    imported = await use_cases.directory.import_directory(
        everything("acme"), "acme", "import-1", CSV.encode()
    )
    assert (imported.created, list(imported.errors)) == (2, [])
    return use_cases


@pytest.fixture
async def t(targeting_db: Database) -> AsyncIterator[Targeting]:
    use_cases = await directory(targeting_db)
    consent = use_cases.consent
    server = GrpcServer(0, [grpc_api.binding(use_cases)], verifier=IDENTITY.verifier)
    await server.start()
    ana, bob = (
        insecure_channel(
            f"127.0.0.1:{server.port}",
            deadline_seconds=30,
            credentials=IDENTITY.credentials(as_person(employee_id)),
        )
        for employee_id in (ANA, BOB)
    )
    yield Targeting(
        targeting_db,
        consent,
        pb_grpc.TargetingServiceStub(ana),
        pb_grpc.TargetingServiceStub(bob),
    )
    await ana.close()
    await bob.close()
    await server.stop(0)


def as_person(employee_id: str) -> Principal:
    """Consent is the person's own: each decision is made on their account."""
    return everything("acme", subject=f"sub-{employee_id}", employee_id=employee_id)


def choice(
    request_id: str,
    employee_id: str = ANA,
    *,
    opted_in: bool = True,
    represent: bool = True,
    auto_share: bool = False,
    source: str = "app",
    decided_at: datetime | None = None,
) -> pb.RecordConsentRequest:
    return pb.RecordConsentRequest(
        request_id=request_id,
        tenant_id="acme",
        employee_id=employee_id,
        opted_in=opted_in,
        consent=represent,
        auto_share=auto_share,
        source=source,
        decided_at=to_timestamp(decided_at) if decided_at else None,
    )


def participation(request_id: str, opted_in: bool) -> pb.SetParticipationRequest:
    return pb.SetParticipationRequest(
        request_id=request_id, tenant_id="acme", employee_id=ANA, opted_in=opted_in
    )


async def records(db: Database) -> list[ConsentRecordRow]:
    async with db.session() as session:
        query = select(ConsentRecordRow).order_by(col(ConsentRecordRow.recorded_at))
        return list((await session.execute(query)).scalars())


async def employee_events(db: Database) -> list[tuple[str, str]]:
    async with db.session() as session:
        query = select(OutboxMessage).where(col(OutboxMessage.topic) == EMPLOYEES)
        rows = (await session.execute(query.order_by(col(OutboxMessage.seq)))).scalars()
        return [(r.ce_type.rsplit(".", 1)[-1], r.key) for r in rows]


async def standing(t: Targeting, employee_id: str = ANA) -> tuple[bool, bool, bool]:
    shown = await t.stub.GetEmployee(
        pb.GetEmployeeRequest(tenant_id="acme", employee_id=employee_id)
    )
    return shown.employee.opted_in, shown.employee.consent, shown.employee.auto_share


async def test_each_decision_is_recorded_and_a_retry_changes_nothing(t: Targeting) -> None:
    an_hour_ago = utcnow().replace(microsecond=0) - timedelta(hours=1)
    first = await t.stub.RecordConsent(choice("r1", auto_share=True, decided_at=an_hour_ago))
    # The retry leaves decided_at unset ("now"): still the same request.
    again = await t.stub.RecordConsent(choice("r1", auto_share=True))
    assert again == first and (first.opted_in, first.consent, first.auto_share) == (True,) * 3
    assert await employee_events(t.db) == [("EmployeeOptedIn", ANA)]

    out = await t.stub.SetParticipation(participation("r2", False))
    assert await t.stub.SetParticipation(participation("r2", False)) == out
    assert await employee_events(t.db) == [("EmployeeOptedIn", ANA), ("EmployeeOptedOut", ANA)]
    assert await standing(t) == (False, True, False)

    given, opted_out = await records(t.db)
    assert (given.tenant_id, given.request_id, given.employee_id) == ("acme", "r1", ANA)
    assert (given.operation, given.source, given.applied) == ("record_consent", "app", True)
    assert (given.opted_in, given.consent, given.auto_share) == (True, True, True)
    assert as_utc(given.decided_at) == an_hour_ago
    assert as_utc(given.recorded_at) > an_hour_ago + timedelta(minutes=59)
    # Participation only: the consent it kept, the auto-share opting out ended.
    assert (opted_out.request_id, opted_out.operation) == ("r2", "set_participation")
    assert (opted_out.opted_in, opted_out.consent, opted_out.auto_share) == (False, True, False)
    assert as_utc(opted_out.decided_at) == as_utc(opted_out.recorded_at)
    # Opaque ids, booleans, a source and times: nothing a person is known by.
    texts = {v for r in (given, opted_out) for v in r.model_dump().values() if isinstance(v, str)}
    assert texts == {"acme", "r1", "r2", ANA, "record_consent", "set_participation", "app"}


async def test_a_request_id_used_for_another_decision_is_already_exists(t: Targeting) -> None:
    decided = utcnow().replace(microsecond=0) - timedelta(minutes=5)
    await t.stub.RecordConsent(choice("r1", decided_at=decided))
    others = [
        choice("r1", opted_in=False, represent=True, decided_at=decided),
        choice("r1", represent=False, decided_at=decided),
        choice("r1", auto_share=True, decided_at=decided),
        choice("r1", source="admin", decided_at=decided),
        choice("r1", decided_at=decided - timedelta(seconds=1)),
        choice("r1", BOB, decided_at=decided),
    ]
    for other in others:
        stub = t.bob if other.employee_id == BOB else t.stub
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await stub.RecordConsent(other)
        assert refused.value.code() == EXISTS, other
        assert "r1" in (refused.value.details() or "")
    with pytest.raises(grpc.aio.AioRpcError) as participation_only:
        await t.stub.SetParticipation(participation("r1", True))
    assert participation_only.value.code() == EXISTS
    # Nothing changed: the first decision, its one record and its one event.
    assert await standing(t) == (True, True, False)
    assert await standing(t, BOB) == (False, False, False)
    assert [r.request_id for r in await records(t.db)] == ["r1"]
    assert await employee_events(t.db) == [("EmployeeOptedIn", ANA)]


async def test_a_stale_retry_never_flips_a_later_decision_back(t: Targeting) -> None:
    now = utcnow().replace(microsecond=0)
    await t.stub.RecordConsent(choice("r1", decided_at=now - timedelta(hours=2)))
    await t.stub.RecordConsent(choice("r2", opted_in=False, decided_at=now - timedelta(minutes=1)))
    # r1 again, after r2: answered with the person as they are, changing nothing.
    retried = await t.stub.RecordConsent(choice("r1", decided_at=now - timedelta(hours=2)))
    assert (retried.opted_in, await standing(t)) == (False, (False, True, False))
    # The same choice sent late under a new id, carrying its time: kept as
    # proof, but made before r2, so r2 holds.
    late = await t.stub.RecordConsent(choice("r3", decided_at=now - timedelta(hours=1)))
    assert late.opted_in is False and await standing(t) == (False, True, False)
    assert await employee_events(t.db) == [("EmployeeOptedIn", ANA), ("EmployeeOptedOut", ANA)]
    # A choice made after r2 applies.
    await t.stub.RecordConsent(choice("r4"))
    assert await standing(t) == (True, True, False)
    assert [(r.request_id, r.applied) for r in await records(t.db)] == [
        ("r1", True),
        ("r2", True),
        ("r3", False),
        ("r4", True),
    ]
    assert [e for e, _ in await employee_events(t.db)] == [
        "EmployeeOptedIn",
        "EmployeeOptedOut",
        "EmployeeOptedIn",
    ]


async def test_a_decision_without_a_request_id_is_refused(t: Targeting) -> None:
    for call in (
        lambda: t.stub.RecordConsent(choice("")),
        lambda: t.stub.SetParticipation(participation("", True)),
        lambda: t.stub.RecordConsent(choice("x" * 101)),
    ):
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await call()
        assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert "request_id" in (refused.value.details() or "")
    assert await standing(t) == (False, False, False)
    assert await records(t.db) == []


@pytest.fixture
async def pg_targeting_db(pg_admin_url: str) -> AsyncIterator[Database]:
    db = Database(await create_pg_database(pg_admin_url))
    await migrate(db, SCHEMA)
    yield db
    await db.dispose()


async def test_racing_retries_apply_once(pg_targeting_db: Database) -> None:
    consent = (await directory(pg_targeting_db)).consent
    yes = ConsentChoice(True, None, "app", consent=True, auto_share=True)
    answers = await asyncio.gather(
        *(consent.record_consent(as_person(ANA), "acme", ANA, yes, "r1") for _ in range(6))
    )
    assert {(a.opted_in, a.consent, a.auto_share) for a in answers} == {(True, True, True)}
    assert [r.request_id for r in await records(pg_targeting_db)] == ["r1"]
    assert await employee_events(pg_targeting_db) == [("EmployeeOptedIn", ANA)]
    # One request_id sent at once for two people: one is recorded, the other refused.
    outcomes = await asyncio.gather(
        consent.record_consent(as_person(ANA), "acme", ANA, yes, "r2"),
        consent.record_consent(as_person(BOB), "acme", BOB, yes, "r2"),
        return_exceptions=True,
    )
    assert sorted(type(o).__name__ for o in outcomes) == ["AlreadyExists", "Employee"]
    assert any(isinstance(o, AlreadyExists) for o in outcomes)
    assert sorted(r.request_id for r in await records(pg_targeting_db)) == ["r1", "r2"]
