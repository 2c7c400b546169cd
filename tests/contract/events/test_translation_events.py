"""chorus.translation.translation.v1 (translation's TranslationCompleted, from
a real audience summary, through content's real GetPost and Apertium) and
content's verdicts on it (TranslationCleared / TranslationHeld): content
checks each language against its charter, scheduling fires only the shares
whose exact text content cleared."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from chorus.content.v1 import content_events_pb2 as content_events
from chorus.content.v1 import content_service_pb2 as pb
from chorus.scheduling.v1 import scheduling_events_pb2 as scheduling_events
from chorus_testing.identity import everything
from scheduling_service.domain.shares import ShareStatus, share_id_for

if TYPE_CHECKING:
    from tests.contract.conftest import Platform
    from tests.contract.events.conftest import Campaign

pytestmark = pytest.mark.infra  # Apertium and Redis (translation's cache)


@pytest.mark.contract("chorus.translation.v1.TranslationCompleted", "content", "scheduling")
@pytest.mark.contract("chorus.content.v1.TranslationCleared", "scheduling")
@pytest.mark.contract("chorus.content.v1.TranslationHeld", "scheduling")
async def test_each_language_fires_only_once_content_has_cleared_its_text(
    campaign: Campaign, platform: Platform
) -> None:
    content = await platform.content()
    tenant = campaign.tenant
    # Spanish readers must not get "planta" (the charter's word, in Spanish only).
    await content.stub.SetCharter(
        pb.SetCharterRequest(
            tenant_id=tenant,
            charter=pb.Charter(
                blocked_terms=[
                    pb.BlockedTerm(term="planta", language="es", severity=pb.SEVERITY_BLOCK)
                ]
            ),
        )
    )
    post_id = await campaign.approve()
    await campaign.resolve(post_id)
    await campaign.plan(post_id)
    texts = {t.event.language: t.event for t in await campaign.translate(post_id)}
    assert sorted(texts) == ["en", "es"]  # the audience's languages, the source included
    assert (texts["en"].provider, texts["en"].body) == ("source", campaign.BODY)
    assert texts["es"].provider == "apertium" and "planta" in texts["es"].body
    # URLs stay as written
    assert texts["es"].link == campaign.LINK and campaign.LINK in texts["es"].body

    await campaign.check(post_id)
    shares_due = await campaign.fire()

    # content: exactly one verdict per language; Spanish is held, and listed.
    cleared = await platform.events(
        content, content_events.TranslationCleared, campaign.of(post_id)
    )
    held = await platform.events(content, content_events.TranslationHeld, campaign.of(post_id))
    assert [v.event.language for v in cleared] == ["en"]
    assert [v.event.language for v in held] == ["es"]
    assert {v.field for v in held[0].event.violations} >= {"body"}
    listed = await content.stub.ListHeldTranslations(
        pb.ListHeldTranslationsRequest(tenant_id=tenant, post_id=post_id)
    )
    assert [(h.language, h.post_version) for h in listed.held] == [("es", 1)]

    # scheduling: ben's English auto-share fires with the English Bluesky text;
    # ana's Spanish one waits for a text content clears.
    assert [(d.event.employee_id, d.event.language) for d in shares_due] == [
        (campaign.employee("ben"), "en")
    ]
    due = shares_due[0].event
    assert (due.text, due.link) == (campaign.BLUESKY, campaign.LINK)
    scheduling = await platform.scheduling()
    ana_share = share_id_for(tenant, post_id, campaign.employee("ana"), "bluesky")
    assert (
        await scheduling.use_cases.get_share(everything(tenant), tenant, ana_share)
    ).status is ShareStatus.SCHEDULED
    assert not await platform.events(
        scheduling, scheduling_events.ShareDue, lambda e: e.share_id == ana_share
    )


@pytest.mark.contract("chorus.translation.v1.TranslationCompleted", "content", "scheduling")
async def test_a_post_edited_after_approval_still_goes_out_in_its_approved_version(
    campaign: Campaign, platform: Platform
) -> None:
    """Edited (v2, back in review) after its audience was resolved and before
    translation handled the summary: translation reads v1 (content's
    GetPostVersion), not the latest, so v1's shares do not wait for v2."""
    content = await platform.content()
    post_id = await campaign.approve()
    await campaign.resolve(post_id)
    await campaign.plan(post_id)
    await content.stub.UpdatePost(
        pb.UpdatePostRequest(
            tenant_id=campaign.tenant,
            post_id=post_id,
            content=pb.PostContent(
                title="New plant, second draft",
                body=f"A second draft, still in review. {campaign.LINK}",
                link=campaign.LINK,
                source_language="en",
                network_texts={"bluesky": f"Second draft {campaign.LINK}"},
            ),
        )
    )

    texts = {t.event.language: t.event for t in await campaign.translate(post_id)}
    assert sorted(texts) == ["en", "es"]
    assert {t.post_version for t in texts.values()} == {1}
    assert texts["en"].body == campaign.BODY and texts["es"].provider == "apertium"
    assert "second draft" not in texts["es"].body.lower()

    await campaign.check(post_id)
    shares_due = await campaign.fire()
    assert sorted((d.event.employee_id, d.event.language) for d in shares_due) == sorted(
        [(campaign.employee("ben"), "en"), (campaign.employee("ana"), "es")]
    )
    assert {d.event.text for d in shares_due if d.event.language == "en"} == {campaign.BLUESKY}
