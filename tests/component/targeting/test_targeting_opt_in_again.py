"""Opting in again after an opt-out emits EmployeeOptedIn (scheduling and
publishing lift their holds on it); a repeated opt-in emits nothing more."""

from __future__ import annotations

from chorus.targeting.v1 import targeting_events_pb2 as events
from chorus_db import Database
from chorus_messaging import Outbox
from chorus_messaging.topics import EMPLOYEES
from chorus_testing.directory import generate_directory_csv
from chorus_testing.events import outbox_events, outbox_rows
from chorus_testing.identity import everything
from targeting_service import composition
from targeting_service.adapters.repository import EmployeeRepository


async def employee_events(db: Database) -> list[tuple[str, str]]:
    rows = await outbox_rows(db, topic=EMPLOYEES)
    return [(r.ce_type.rsplit(".", 1)[-1], r.key) for r in rows]


async def test_opt_out_then_in_emits_both_events_once(targeting_db: Database) -> None:
    await composition.build(targeting_db, "eu-west").use_cases.directory.import_directory(
        everything("acme"),
        "acme",
        "",
        generate_directory_csv(30, seed=3, region="eu-west").encode(),
    )
    async with targeting_db.session() as session:
        person = next(
            e for e in await EmployeeRepository(session).list("acme", True, 100, None) if e.active
        )
    consent = composition.build(
        targeting_db, "local", Outbox("chorus/targeting@eu-west")
    ).use_cases.consent
    await consent.set_participation(
        everything("acme"), "acme", person.employee_id, False, "app", "r1"
    )
    await consent.set_participation(
        everything("acme"), "acme", person.employee_id, True, "app", "r2"
    )
    await consent.set_participation(
        everything("acme"), "acme", person.employee_id, True, "app", "r3"
    )
    assert await employee_events(targeting_db) == [
        ("EmployeeOptedOut", person.employee_id),
        ("EmployeeOptedIn", person.employee_id),
    ]
    opted_in = await outbox_events(targeting_db, events.EmployeeOptedIn)
    assert [e.employee_id for e in opted_in] == [person.employee_id]
