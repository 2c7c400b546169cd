"""Audience preview (SQL GROUP BY) and resolution of PostApproved into events."""

from __future__ import annotations

import csv
import io
from collections import Counter

import pytest
from chorus.content.v1 import content_events_pb2 as content_events
from chorus.content.v1 import content_service_pb2 as content_pb
from chorus.targeting.v1 import targeting_events_pb2 as events
from chorus_core.errors import InvalidArgument
from chorus_db import Database
from chorus_messaging import EventContext
from chorus_messaging.consumer import AlreadyProcessed
from chorus_messaging.topics import AUDIENCE
from chorus_testing.directory import generate_directory_csv
from chorus_testing.events import event_context, outbox_rows
from chorus_testing.identity import everything
from targeting_service import composition
from targeting_service.domain.audience import batch_id
from targeting_service.domain.employees import employee_id_for
from targeting_service.entrypoints.kafka_handlers import post_approved_handler

REGION = "eu-west"


def expected_audience(
    text: str, countries: set[str], departments: set[str]
) -> list[dict[str, str]]:
    return [
        p
        for p in csv.DictReader(io.StringIO(text))
        if p["status"] == "active"
        and p["opted_in"] == "true"
        and p["home_region"] == REGION
        and (not countries or p["country"] in countries)
        and (not departments or p["department"] in departments)
    ]


@pytest.mark.parametrize(
    ("countries", "departments"),
    [
        ((), ()),
        (("ES", "FR"), ()),
        ((), ("Sales", "HR")),
        (("US",), ("Engineering",)),
        (("JP",), ()),
    ],
)
async def test_preview_counts_match_the_rule(
    targeting_db: Database, countries: tuple[str, ...], departments: tuple[str, ...]
) -> None:
    text = generate_directory_csv(800, seed=11, region=REGION)
    uc = composition.build(targeting_db, REGION).use_cases.directory
    await uc.import_directory(everything("acme"), "acme", "", text.encode())
    await uc.import_directory(
        everything("globex"),
        "globex",
        "",
        generate_directory_csv(50, seed=1, region=REGION).encode(),
    )
    counts = await uc.preview_audience(
        everything("acme"), "acme", [c.lower() for c in countries], departments
    )
    people = expected_audience(text, set(countries), set(departments))
    assert counts.total == len(people)
    assert counts.by_country == dict(Counter(p["country"] for p in people))
    assert counts.by_language == dict(Counter(p["language"] for p in people))


async def test_preview_refuses_a_bad_country(targeting_db: Database) -> None:
    uc = composition.build(targeting_db, REGION).use_cases.directory
    with pytest.raises(InvalidArgument) as caught:
        await uc.preview_audience(everything("acme"), "acme", ["Spain"], [])
    assert caught.value.field == "targeting.countries" and "'SPAIN'" in caught.value.message


def approved(
    post_id: str, version: int = 1, countries: tuple[str, ...] = ()
) -> content_events.PostApproved:
    return content_events.PostApproved(
        tenant_id="acme",
        post=content_pb.Post(
            post_id=post_id,
            tenant_id="acme",
            version=version,
            title="Our new office",
            body="Come and see it",
            source_language="en",
            targeting=content_pb.Targeting(countries=countries),
        ),
    )


def context(db: Database, ce_id: str | None = None) -> EventContext:
    return event_context(db, content_events.PostApproved, "acme", ce_id)


async def test_post_approved_emits_batches_then_a_summary_once(targeting_db: Database) -> None:
    text = generate_directory_csv(4500, seed=21, region=REGION)
    await composition.build(targeting_db, REGION).use_cases.directory.import_directory(
        everything("acme"), "acme", "", text.encode()
    )
    people = expected_audience(text, set(), set())
    assert 2000 < len(people) <= 3000  # so the audience needs three batches
    handle = post_approved_handler(composition.build(targeting_db, REGION).resolution)
    ctx = context(targeting_db)
    await handle(approved("post-1"), ctx)

    # (The import's audit entry is on its own topic.)
    rows = await outbox_rows(targeting_db, topic=AUDIENCE)
    assert len(rows) == 4
    assert [r.ce_type for r in rows] == ["chorus.targeting.v1.AudienceBatchResolved"] * 3 + [
        "chorus.targeting.v1.AudienceSummary"
    ]
    batches = [events.AudienceBatchResolved.FromString(r.payload) for r in rows[:3]]
    assert [r.key for r in rows[:3]] == [batch_id("acme", "post-1", 1, i) for i in range(3)]
    assert [(b.batch_index, b.batch_count) for b in batches] == [(0, 3), (1, 3), (2, 3)]
    assert all(len(b.members) <= 1000 for b in batches)
    members = [m for b in batches for m in b.members]
    by_id = {employee_id_for("acme", p["external_id"]): p for p in people}
    assert sorted(m.employee_id for m in members) == sorted(by_id)
    for m in members:
        person = by_id[m.employee_id]
        assert (m.language, m.timezone, m.country, m.auto_share) == (
            person["language"],
            person["timezone"],
            person["country"],
            person["auto_share"] == "true",
        )
    summary = events.AudienceSummary.FromString(rows[3].payload)
    assert rows[3].key == "post-1"
    assert (summary.tenant_id, summary.post_id, summary.post_version, summary.source_language) == (
        "acme",
        "post-1",
        1,
        "en",
    )
    assert summary.total == len(people)
    assert dict(summary.by_language) == dict(Counter(p["language"] for p in people))
    assert dict(summary.by_country) == dict(Counter(p["country"] for p in people))

    # Redelivery (same ce_id): the inbox refuses it, nothing new is written.
    with pytest.raises(AlreadyProcessed):
        await handle(approved("post-1"), context(targeting_db, ctx.envelope.ce_id))
    # The same version approved again (another ce_id): resolved already, nothing new.
    await handle(approved("post-1"), context(targeting_db))
    assert len(await outbox_rows(targeting_db, topic=AUDIENCE)) == 4
    # A new version is a new resolution.
    await handle(approved("post-1", version=2, countries=("PT",)), context(targeting_db))
    rows = await outbox_rows(targeting_db, topic=AUDIENCE)
    summary_v2 = events.AudienceSummary.FromString(rows[-1].payload)
    assert (summary_v2.post_version, dict(summary_v2.by_country)) == (
        2,
        {"PT": sum(p["country"] == "PT" for p in people)},
    )


async def test_empty_audience_still_emits_a_summary(targeting_db: Database) -> None:
    handle = post_approved_handler(composition.build(targeting_db, REGION).resolution)
    await handle(approved("post-empty", countries=("JP",)), context(targeting_db))
    rows = await outbox_rows(targeting_db)
    assert [r.ce_type for r in rows] == ["chorus.targeting.v1.AudienceSummary"]
    assert events.AudienceSummary.FromString(rows[0].payload).total == 0


async def test_bad_targeting_in_the_event_is_refused_and_writes_nothing(
    targeting_db: Database,
) -> None:
    handle = post_approved_handler(composition.build(targeting_db, REGION).resolution)
    with pytest.raises(InvalidArgument):
        await handle(approved("post-bad", countries=("Narnia",)), context(targeting_db))
    assert await outbox_rows(targeting_db) == []
