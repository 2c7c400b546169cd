"""A language the translation engine cannot write (German: Apertium has no
English -> German), under the tenant's policy: by default translation falls
back to the source language (a TranslationCompleted whose fallback_language
says so), which content checks and scheduling and publishing deliver as that
language; a tenant that holds the language gets a TranslationUnavailable,
and scheduling shows the shares waiting for a human translation."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx
import pytest
from chorus.content.v1 import content_events_pb2 as content_events
from chorus.content.v1 import content_service_pb2 as pb
from chorus.publishing.v1 import publishing_events_pb2 as publishing_events
from chorus.translation.v1 import translation_events_pb2 as translation_events
from chorus_testing.identity import everything
from chorus_testing.infra import required_env
from scheduling_service.adapters.waiting import SqlWaitingReader
from scheduling_service.app.waiting import WaitingShares
from scheduling_service.domain.shares import share_id_for
from translation_service.domain.policy import Action, LanguagePolicy, Rule

if TYPE_CHECKING:
    from tests.contract.conftest import Platform
    from tests.contract.events.conftest import Campaign

pytestmark = pytest.mark.infra  # Apertium, Redis, the Bluesky PDS
GERMANY = pb.Targeting(countries=["DE"])  # greta only


async def pds_languages(did: str) -> list[list[str]]:
    pds = required_env("CHORUS_BLUESKY_PDS_URL").rstrip("/")
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.get(
            f"{pds}/xrpc/com.atproto.repo.listRecords",
            params={"repo": did, "collection": "app.bsky.feed.post"},
        )
    response.raise_for_status()
    return [r["value"].get("langs", []) for r in response.json()["records"]]


@pytest.mark.contract("chorus.translation.v1.TranslationCompleted", "content", "scheduling")
@pytest.mark.contract("chorus.scheduling.v1.ShareDue", "publishing")
async def test_by_default_a_language_the_engine_cannot_write_gets_the_source_text(
    campaign: Campaign, platform: Platform
) -> None:
    await campaign.directory(campaign.GRETA)
    did = await campaign.connect_bluesky("greta")
    post_id = await campaign.approve(GERMANY)
    await campaign.resolve(post_id)
    await campaign.plan(post_id)
    [german] = await campaign.translate(post_id)
    text = german.event
    assert (text.language, text.fallback_language, text.body) == ("de", "en", campaign.BODY)

    await campaign.check(post_id)
    content = await platform.content()
    [cleared] = await platform.events(
        content, content_events.TranslationCleared, campaign.of(post_id)
    )
    assert cleared.event.language == "de"  # checked (as English text), for German readers
    [due] = await campaign.fire()
    assert (due.event.language, due.event.fallback_language, due.event.text) == (
        "de",
        "en",
        campaign.BLUESKY,
    )
    publishing = await platform.publishing()
    await platform.deliver([due], publishing)
    [published] = await platform.events(publishing, publishing_events.SharePublished)
    assert published.event.employee_id == campaign.employee("greta")
    assert await pds_languages(did) == [["en"]]  # labelled as what it is written in


@pytest.mark.contract("chorus.translation.v1.TranslationUnavailable", "scheduling")
async def test_a_tenant_that_holds_the_language_sees_its_shares_wait(
    campaign: Campaign, platform: Platform
) -> None:
    tenant = campaign.tenant
    await campaign.directory(campaign.GRETA)
    translation = await platform.translation()
    await translation.policies.set_policy(
        everything(tenant), tenant, "policy-1", LanguagePolicy(languages={"de": Rule(Action.HOLD)})
    )
    post_id = await campaign.approve(pb.Targeting(countries=["DE", "GB"]))
    await campaign.resolve(post_id)
    await campaign.plan(post_id)
    texts = await campaign.translate(post_id)
    assert [t.event.language for t in texts] == ["en"]
    [unavailable] = await platform.events(
        translation, translation_events.TranslationUnavailable, campaign.of(post_id)
    )
    assert (unavailable.event.language, unavailable.event.post_version) == ("de", 1)
    assert "de" in unavailable.event.reason

    scheduling = await platform.scheduling()
    await platform.deliver([unavailable], scheduling)
    await campaign.check(post_id)
    due = await campaign.fire()
    assert [d.event.employee_id for d in due] == [campaign.employee("ben")]
    waiting = await WaitingShares(SqlWaitingReader(scheduling.db)).list(
        everything(tenant), tenant, post_id
    )
    greta_share = share_id_for(tenant, post_id, campaign.employee("greta"), "bluesky")
    german = [w for w in waiting if w.language == "de"]
    assert [(w.count, w.share_ids) for w in german] == [(1, [greta_share])]
