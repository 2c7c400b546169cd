"""Publishing's ShareHeld, from the real producer to scheduling's real
consumer: ben connected Chorus to the real local Bluesky server with an app
password and revoked it there; his due share is held for a reconnection,
and scheduling shows "waiting since T for a reconnection, because …" on it
(GetShare's held_since / held_reason), as it shows a deferral. The share's
next news replaces it: ShareFailed (its post expired while it waited), or
SharePublished (he reconnected; the sweeper sent it)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import pytest
from chorus.content.v1 import content_service_pb2 as pb
from chorus.publishing.v1 import publishing_events_pb2 as publishing_events
from chorus_core.clock import utcnow
from chorus_core.prototime import from_timestamp
from chorus_testing.identity import everything
from publishing_service.app.accounts import ConnectRequest
from publishing_service.domain.accounts import account_id_for
from scheduling_service.adapters.messages import share_to_pb
from scheduling_service.app.use_cases import ScheduleRequest
from scheduling_service.domain.shares import ShareMode

from tests.contract.events.test_account_events import BlueskyUser

if TYPE_CHECKING:
    from tests.contract.conftest import Platform
    from tests.contract.events.conftest import Campaign

pytestmark = pytest.mark.infra  # the Bluesky PDS and Redis (sessions, budgets)
BRITAIN = pb.Targeting(countries=["GB"])  # ben (auto-share) and dan


@pytest.mark.contract("chorus.publishing.v1.ShareHeld", "scheduling")
@pytest.mark.contract("chorus.publishing.v1.ShareFailed", "scheduling")
@pytest.mark.contract("chorus.publishing.v1.SharePublished", "scheduling")
async def test_a_held_share_says_so_on_the_share_until_its_next_news(
    campaign: Campaign, platform: Platform
) -> None:
    tenant, ben = campaign.tenant, campaign.employee("ben")
    publishing, scheduling = await platform.publishing(), await platform.scheduling()
    user = BlueskyUser()
    await user.create()
    connect = ConnectRequest(tenant, ben, "bluesky", user.handle, await user.app_password("c1"))
    await publishing.accounts.connect_account(everything(tenant, employee_id=ben), connect)
    await user.revoke("c1")
    account_id = account_id_for(tenant, ben, "bluesky")
    await publishing.sessions.forget(account_id)  # no live session left

    async def held_share(seen: int, lifetime: timedelta) -> tuple[str, datetime]:
        """A share of ben's of a new post living `lifetime`, held; returns
        its id and its post's expiry."""
        expires_at = utcnow() + lifetime
        post = await campaign.approve(BRITAIN, expires_at=expires_at)
        await campaign.resolve(post)
        await campaign.plan(post)
        await campaign.translate(post)
        await campaign.check(post)
        # Ben shares it now himself: his auto-share's good slot would hang on
        # the day the suite runs (none inside seconds on a weekend).
        await scheduling.use_cases.schedule_share(
            everything(tenant, employee_id=ben),
            ScheduleRequest(tenant, post, ben, ShareMode.NOW, None),
        )
        [due] = [d for d in await campaign.fire() if d.event.post_id == post]
        await platform.deliver([due], publishing)
        held = (await platform.events(publishing, publishing_events.ShareHeld))[seen:]
        assert [h.key for h in held] == [due.event.share_id]
        event = held[0].event
        assert (event.share_id, event.employee_id, event.network) == (
            due.event.share_id,
            ben,
            "bluesky",
        )
        assert event.reason and user.handle not in held[0].payload.decode(errors="ignore")
        await platform.deliver(held, scheduling)
        share = await scheduling.use_cases.get_share(everything(tenant), tenant, event.share_id)
        assert (share.held_since, share.held_reason) == (
            from_timestamp(event.held_at),
            event.reason,
        )
        shown = share_to_pb(share)
        assert shown.held_reason == event.reason and shown.HasField("held_since")
        assert not shown.HasField("deferred_until")
        return event.share_id, expires_at

    async def note_of(share_id: str) -> tuple[object, str]:
        share = await scheduling.use_cases.get_share(everything(tenant), tenant, share_id)
        return share.held_since, share.held_reason

    # The post expires while the share waits: publishing fails it, scheduling drops the note.
    expired, expires_at = await held_share(0, timedelta(seconds=4))
    await asyncio.sleep(max(0.0, (expires_at - utcnow()).total_seconds()) + 0.2)
    assert await publishing.sweeper.tick(utcnow()) == 1
    [failed] = await platform.events(publishing, publishing_events.ShareFailed)
    assert failed.event.share_id == expired
    await platform.deliver([failed], scheduling)
    assert await note_of(expired) == (None, "")

    # Ben reconnects with a new app password: the held share goes out, the note goes.
    waiting, _ = await held_share(1, timedelta(days=30))
    again = ConnectRequest(tenant, ben, "bluesky", user.handle, await user.app_password("c2"))
    await publishing.accounts.connect_account(everything(tenant, employee_id=ben), again)
    assert await publishing.sweeper.tick(utcnow()) == 1
    [published] = await platform.events(publishing, publishing_events.SharePublished)
    assert published.event.share_id == waiting
    await platform.deliver([published], scheduling)
    assert await note_of(waiting) == (None, "")
