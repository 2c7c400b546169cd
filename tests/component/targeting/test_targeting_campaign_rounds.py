"""A campaign's post in targeting (SQLite and PostgreSQL): held while its
campaign is a draft, not resolved in another region's deployment, and
resolved once per campaign round (pilot, then live), a redelivered round
under another ce_id writing nothing; each round's batches have keys of
their own."""

from __future__ import annotations

from chorus.content.v1 import content_events_pb2 as content_events
from chorus.content.v1 import content_service_pb2 as content_pb
from chorus.targeting.v1 import targeting_events_pb2 as events
from chorus_db import Database
from chorus_messaging.topics import AUDIENCE
from chorus_testing.directory import generate_directory_csv
from chorus_testing.events import event_context, outbox_rows
from chorus_testing.identity import everything
from targeting_service import composition
from targeting_service.domain.audience import batch_id
from targeting_service.entrypoints.kafka_handlers import (
    audience_changed_handler,
    post_approved_handler,
)

REGION = "eu-west"


def post(**targeting: object) -> content_pb.Post:
    return content_pb.Post(
        post_id="post-1",
        tenant_id="acme",
        version=1,
        title="We are hiring",
        body="Join us",
        source_language="en",
        campaign_id="campaign-1",
        targeting=content_pb.Targeting(**targeting),  # type: ignore[arg-type]
    )


async def batches(db: Database) -> list[tuple[str, events.AudienceBatchResolved]]:
    rows = await outbox_rows(db, topic=AUDIENCE)
    return [
        (r.key, events.AudienceBatchResolved.FromString(r.payload))
        for r in rows
        if r.ce_type == "chorus.targeting.v1.AudienceBatchResolved"
    ]


async def test_held_and_other_regions_posts_resolve_nobody(targeting_db: Database) -> None:
    text = generate_directory_csv(40, seed=3, region=REGION)
    built = composition.build(targeting_db, REGION)
    await built.use_cases.directory.import_directory(everything("acme"), "acme", "", text.encode())
    handle = post_approved_handler(built.resolution)
    for held in (post(held=True, regions=[REGION]), post(regions=["us-east"])):
        event = content_events.PostApproved(tenant_id="acme", post=held)
        await handle(event, event_context(targeting_db, event, "acme"))
    assert await outbox_rows(targeting_db, topic=AUDIENCE) == []


async def test_each_round_resolves_once_with_its_own_batch_keys(targeting_db: Database) -> None:
    text = generate_directory_csv(60, seed=5, region=REGION)
    built = composition.build(targeting_db, REGION)
    await built.use_cases.directory.import_directory(everything("acme"), "acme", "", text.encode())
    handle = audience_changed_handler(built.resolution)

    def changed(
        phase: content_pb.CampaignPhase, **targeting: object
    ) -> content_events.CampaignAudienceChanged:
        return content_events.CampaignAudienceChanged(
            tenant_id="acme", campaign_id="campaign-1", phase=phase, posts=[post(**targeting)]
        )

    pilot = changed(content_pb.CAMPAIGN_PHASE_PILOT, departments=["Sales"], regions=[REGION])
    await handle(pilot, event_context(targeting_db, pilot, "acme"))
    piloted = await batches(targeting_db)
    assert piloted and all(b.campaign_id == "campaign-1" for _, b in piloted)
    assert [k for k, _ in piloted] == [
        batch_id("acme", "post-1", 1, i, "pilot") for i in range(len(piloted))
    ]
    # The same round again under another ce_id: nothing new.
    await handle(pilot, event_context(targeting_db, pilot, "acme"))
    assert len(await batches(targeting_db)) == len(piloted)

    live = changed(content_pb.CAMPAIGN_PHASE_LIVE, regions=[REGION])
    await handle(live, event_context(targeting_db, live, "acme"))
    widened = (await batches(targeting_db))[len(piloted) :]
    assert [k for k, _ in widened] == [
        batch_id("acme", "post-1", 1, i, "live") for i in range(len(widened))
    ]
    pilot_members = {m.employee_id for _, b in piloted for m in b.members}
    everyone = {m.employee_id for _, b in widened for m in b.members}
    assert pilot_members < everyone  # the full audience, the pilot's members included
    ended = changed(content_pb.CAMPAIGN_PHASE_ENDED, regions=[REGION])
    await handle(ended, event_context(targeting_db, ended, "acme"))
    assert len(await batches(targeting_db)) == len(piloted) + len(widened)
