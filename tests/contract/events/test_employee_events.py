"""chorus.targeting.employee.v1 opt-out and opt-in again, produced by
targeting's participation use case, and scheduling's ShareCancelled that
follows: shares stop at once, even those already on their way, and resume
after the employee opts in again. English posts only (no machine translation)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from chorus.content.v1 import content_service_pb2 as pb
from chorus.publishing.v1 import publishing_events_pb2 as publishing_events
from chorus.scheduling.v1 import scheduling_events_pb2 as scheduling_events
from chorus.targeting.v1 import targeting_events_pb2 as targeting_events
from chorus_testing.identity import everything
from scheduling_service.app.use_cases import ScheduleRequest
from scheduling_service.domain.shares import ShareMode, ShareStatus, share_id_for

if TYPE_CHECKING:
    from tests.contract.conftest import Platform
    from tests.contract.events.conftest import Campaign

BRITAIN = pb.Targeting(countries=["GB"])  # ben (auto-share) and dan


@pytest.mark.contract("chorus.targeting.v1.EmployeeOptedOut", "scheduling", "publishing")
@pytest.mark.contract("chorus.targeting.v1.EmployeeOptedIn", "scheduling", "publishing")
@pytest.mark.contract("chorus.scheduling.v1.ShareCancelled", "publishing")
@pytest.mark.contract("chorus.publishing.v1.ShareFailed")
async def test_opting_out_stops_every_share_and_opting_in_again_resumes_them(
    campaign: Campaign, platform: Platform
) -> None:
    tenant, ben = campaign.tenant, campaign.employee("ben")
    targeting, scheduling = await platform.targeting(), await platform.scheduling()
    publishing = await platform.publishing()
    share_of = lambda post: share_id_for(tenant, post, ben, "bluesky")  # noqa: E731

    # Post A: ben's share is due, its ShareDue on its way to publishing.
    post_a = await campaign.approve(BRITAIN)
    [due_a] = await campaign.run(post_a)
    assert due_a.event.share_id == share_of(post_a)
    # Post B: ben's share is scheduled, its text not checked yet.
    post_b = await campaign.approve(BRITAIN)
    await campaign.resolve(post_b)
    await campaign.plan(post_b)
    # Post C: resolved with ben in it, the batch not yet at scheduling.
    post_c = await campaign.approve(BRITAIN)
    assert ben in {m.employee_id for b in await campaign.resolve(post_c) for m in b.event.members}

    await targeting.consent.set_participation(
        everything(tenant), tenant, ben, False, "app", "ben-out"
    )
    opted_out = await platform.events(
        targeting, targeting_events.EmployeeOptedOut, lambda e: e.employee_id == ben
    )
    await platform.deliver(opted_out, scheduling)
    await platform.deliver(opted_out, publishing)

    # scheduling: B is cancelled (and says so); C creates nothing for ben.
    assert (
        await scheduling.use_cases.get_share(everything(tenant), tenant, share_of(post_b))
    ).status is ShareStatus.CANCELLED
    [cancelled] = await platform.events(scheduling, scheduling_events.ShareCancelled)
    assert (cancelled.event.share_id, cancelled.event.reason) == (share_of(post_b), "opted_out")
    await campaign.plan(post_c)
    shares_c, _ = await scheduling.use_cases.list_shares(everything(tenant), tenant, post_id=post_c)
    assert [s.employee_id for s in shares_c] == [campaign.employee("dan")]
    # publishing: the ShareDue already on its way publishes nothing, fails nothing.
    await platform.deliver([due_a], publishing)
    assert await platform.written(publishing) == []
    await platform.deliver([cancelled], publishing)
    assert await publishing.withdrawals.reason(tenant, share_of(post_b), ben) == "opted_out"

    await targeting.consent.set_participation(
        everything(tenant), tenant, ben, True, "app", "ben-in"
    )
    opted_in = await platform.events(
        targeting, targeting_events.EmployeeOptedIn, lambda e: e.employee_id == ben
    )
    await platform.deliver(opted_in, scheduling)
    await platform.deliver(opted_in, publishing)

    # Post D: ben takes part again (opting out ended his auto-share: he gets a
    # suggestion and shares it now himself); publishing acts on his share (he
    # has no connected account: it fails as it would for anyone without).
    post_d = await campaign.approve(BRITAIN)
    await campaign.run(post_d)
    suggested = await scheduling.use_cases.get_share(everything(tenant), tenant, share_of(post_d))
    assert suggested.status is ShareStatus.SUGGESTED
    await scheduling.use_cases.schedule_share(
        everything(tenant, employee_id=ben),
        ScheduleRequest(tenant, post_d, ben, ShareMode.NOW, None, network="bluesky"),
    )
    [due_d] = [d for d in await campaign.fire() if d.event.post_id == post_d]
    assert due_d.event.employee_id == ben
    await platform.deliver([due_d], publishing)
    [failed] = await platform.events(publishing, publishing_events.ShareFailed)
    assert (failed.event.share_id, failed.event.retryable) == (share_of(post_d), False)
    assert "no connected bluesky account" in failed.event.reason
    # The cancelled share stays withdrawn after the opt-in; the employee does not.
    assert await publishing.withdrawals.reason(tenant, share_of(post_b), ben) == "opted_out"
    assert await publishing.withdrawals.reason(tenant, share_of(post_d), ben) is None
