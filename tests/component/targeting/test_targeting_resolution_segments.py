"""PostApproved naming a saved segment and channels, through the Kafka
handler: the audience is cut by both, the segment version current at approval
is recorded (resolution row and summary), and later segment edits do not
change an audience already resolved."""

from __future__ import annotations

import csv
import io

import pytest
from chorus.content.v1 import content_events_pb2 as content_events
from chorus.content.v1 import content_service_pb2 as content_pb
from chorus.targeting.v1 import targeting_events_pb2 as events
from chorus_core.errors import NotFound
from chorus_db import Database
from chorus_messaging import EventContext
from chorus_testing.directory import generate_directory_csv
from chorus_testing.events import event_context, outbox_rows
from chorus_testing.identity import everything
from targeting_service import composition
from targeting_service.adapters.tables import ResolutionRow
from targeting_service.domain.employees import employee_id_for
from targeting_service.entrypoints.kafka_handlers import post_approved_handler

REGION = "eu-west"


def expected_audience(text: str) -> list[dict[str, str]]:
    return [
        p
        for p in csv.DictReader(io.StringIO(text))
        if p["status"] == "active" and p["opted_in"] == "true" and p["home_region"] == REGION
    ]


def context(db: Database) -> EventContext:
    return event_context(db, content_events.PostApproved, "acme")


def approved(
    post_id: str, version: int, segment_id: str = "", channel_ids: tuple[str, ...] = ()
) -> content_events.PostApproved:
    return content_events.PostApproved(
        tenant_id="acme",
        post=content_pb.Post(
            post_id=post_id,
            tenant_id="acme",
            version=version,
            title="t",
            body="b",
            source_language="en",
            targeting=content_pb.Targeting(segment_id=segment_id, channel_ids=list(channel_ids)),
        ),
    )


def members_of(rows: list, post_id: str, version: int) -> tuple[set[str], events.AudienceSummary]:
    ids: set[str] = set()
    summary = None
    for row in rows:
        if row.ce_type.endswith("AudienceBatchResolved"):
            batch = events.AudienceBatchResolved.FromString(row.payload)
            if (batch.post_id, batch.post_version) == (post_id, version):
                ids.update(m.employee_id for m in batch.members)
        elif row.ce_type.endswith("AudienceSummary"):
            found = events.AudienceSummary.FromString(row.payload)
            if (found.post_id, found.post_version) == (post_id, version):
                summary = found
    assert summary is not None
    return ids, summary


async def test_segment_and_channels_cut_the_audience_at_the_version_current_on_approval(
    targeting_db: Database,
) -> None:
    text = generate_directory_csv(600, seed=5, region=REGION)
    await composition.build(targeting_db, REGION).use_cases.directory.import_directory(
        everything("acme"), "acme", "", text.encode()
    )
    people = expected_audience(text)
    audiences = composition.build(targeting_db, REGION).use_cases.audiences
    segment = await audiences.save_segment(
        everything("acme"), "acme", "req-seg", "", "Sales", 'department = "Sales"'
    )
    channel = await audiences.create_channel(
        everything("acme"), "acme", "req-ch", "Careers", "", [REGION], False, []
    )
    subscribers = [employee_id_for("acme", p["external_id"]) for p in people[:200]]
    # Someone outside the audience (not opted in) subscribes too: still left out.
    outsider = next(p for p in csv.DictReader(io.StringIO(text)) if p["opted_in"] == "false")
    for employee_id in [*subscribers, employee_id_for("acme", outsider["external_id"])]:
        await audiences.subscribe(everything("acme"), "acme", channel.channel_id, employee_id, True)
    handle = post_approved_handler(composition.build(targeting_db, REGION).resolution)

    await handle(approved("p-seg", 1, segment_id=segment.segment_id), context(targeting_db))
    ids, summary = members_of(await outbox_rows(targeting_db), "p-seg", 1)
    sales = {
        employee_id_for("acme", p["external_id"]) for p in people if p["department"] == "Sales"
    }
    assert sales and ids == sales
    assert (summary.total, summary.segment_id, summary.segment_version) == (
        len(sales),
        segment.segment_id,
        1,
    )

    # The segment changes: a new post version uses version 2; the first
    # resolution stays as it was, recorded with version 1.
    await audiences.save_segment(
        everything("acme"), "acme", "req-seg-2", segment.segment_id, "Sales", 'department = "HR"'
    )
    await handle(
        approved(
            "p-seg",
            2,
            segment_id=segment.segment_id,
            channel_ids=(channel.channel_id, channel.channel_id),
        ),
        context(targeting_db),
    )
    ids, summary = members_of(await outbox_rows(targeting_db), "p-seg", 2)
    hr_subscribers = {
        e
        for e in subscribers
        if next(p for p in people if employee_id_for("acme", p["external_id"]) == e)["department"]
        == "HR"
    }
    assert hr_subscribers and ids == hr_subscribers
    assert (summary.segment_version, summary.total) == (2, len(hr_subscribers))
    async with targeting_db.session() as session:
        first = await session.get(ResolutionRow, ("acme", "p-seg", 1))
        second = await session.get(ResolutionRow, ("acme", "p-seg", 2))
    assert first is not None and second is not None
    assert (first.segment_id, first.segment_version, first.channel_ids) == (
        segment.segment_id,
        1,
        [],
    )
    assert (second.segment_version, second.channel_ids) == (
        2,
        [channel.channel_id, channel.channel_id],
    )

    # Channels alone: exactly the eligible subscribers.
    await handle(approved("p-ch", 1, channel_ids=(channel.channel_id,)), context(targeting_db))
    ids, summary = members_of(await outbox_rows(targeting_db), "p-ch", 1)
    assert ids == set(subscribers) and (summary.segment_id, summary.segment_version) == ("", 0)


async def test_an_unknown_segment_writes_nothing(targeting_db: Database) -> None:
    handle = post_approved_handler(composition.build(targeting_db, REGION).resolution)
    with pytest.raises(NotFound):
        await handle(approved("p-x", 1, segment_id="no-such-segment"), context(targeting_db))
    assert await outbox_rows(targeting_db) == []
