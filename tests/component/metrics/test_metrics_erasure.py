"""Erasure in metrics: the employee's links and clicks anonymised, the counters
exact; their counted shares carry a token of the erasure (a campaign's
active ambassadors still count them once); and what reaches metrics about
them afterwards (a tracked link publishing asks for, a click, a
SharePublished) names nobody."""

from __future__ import annotations

import asyncio

from chorus.metrics.v1 import metrics_events_pb2 as metrics_events
from chorus.publishing.v1 import publishing_events_pb2 as publishing
from chorus.targeting.v1 import targeting_events_pb2 as targeting
from chorus_db import Database
from chorus_messaging.privacy import ERASED as ERASURE
from chorus_messaging.privacy import hold
from chorus_messaging.topics import CLICKS, EMPLOYEES
from chorus_testing.identity import as_service, everything
from chorus_testing.subscriptions import handler_for
from metrics_service.adapters.tables import ClickRow, CountedShareRow, TrackedLinkRow
from metrics_service.domain.campaigns import Tally
from metrics_service.domain.stats import Counts
from metrics_service.entrypoints.kafka_handlers import subscriptions
from sqlalchemy import select
from sqlmodel import col

ERASED = "erased"  # the marker app.erasure writes instead of the employee id
BROWSER = {"user-agent": "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"}


PUBLISHING = as_service("publishing")  # the only caller metrics makes links for


async def owners(db: Database, tenant: str) -> dict[str, list[str]]:
    """Who every link and click of the tenant names, by table."""
    found: dict[str, list[str]] = {}
    async with db.session() as session:
        for model in (TrackedLinkRow, ClickRow):
            query = select(col(model.employee_id)).where(col(model.tenant_id) == tenant)
            found[model.__tablename__] = sorted((await session.execute(query)).scalars())
    return found


async def clicked_by(kit, db: Database) -> list[str]:
    rows = await kit.outbox(db, CLICKS)
    return [metrics_events.LinkClicked.FromString(r.payload).employee_id for r in rows]


async def erase(use_cases, kit, db: Database, tenant: str, employee_id: str) -> None:
    event = targeting.EmployeeErased(tenant_id=tenant, employee_id=employee_id)
    await handler_for(subscriptions(use_cases), targeting.EmployeeErased)(
        event, kit.context(db, event, tenant)
    )


async def test_after_the_erasure_a_new_link_and_its_clicks_name_nobody(
    use_cases, kit, tenant, http, metrics_db
) -> None:
    before = await use_cases.create_tracked_link(PUBLISHING, kit.new_link(tenant, "s1"))
    assert (await http.get(f"/l/{before.code}", headers=BROWSER)).status_code == 302
    await erase(use_cases, kit, metrics_db, tenant, "emp-1")
    assert await owners(metrics_db, tenant) == {
        "metrics_tracked_links": [ERASED],
        "metrics_clicks": [ERASED],
    }

    # Publishing had not heard of the erasure yet: it asks for the link of
    # a share of theirs, posts it, and someone follows it.
    after = await use_cases.create_tracked_link(
        PUBLISHING, kit.new_link(tenant, "s2", post_id="post-2")
    )
    assert after.employee_id == ERASED
    for link in (after, before):
        response = await http.get(f"/l/{link.code}", headers=BROWSER)
        assert (response.status_code, response.headers["location"].split("?")[0]) == (
            302,
            "https://news.example.com/story",
        )
    # A retried create finds the same (anonymous) link.
    again = await use_cases.create_tracked_link(
        PUBLISHING, kit.new_link(tenant, "s2", post_id="post-2")
    )
    assert (again.code, again.employee_id) == (after.code, ERASED)

    assert await owners(metrics_db, tenant) == {
        "metrics_tracked_links": [ERASED, ERASED],
        "metrics_clicks": [ERASED, ERASED, ERASED],
    }
    assert await clicked_by(kit, metrics_db) == ["emp-1", ERASED, ERASED]
    # Counted all the same: the counters never named anyone.
    assert (await use_cases.post_stats(everything(tenant), tenant, "post-2")).total == Counts(
        shares=0, clicks=1
    )
    assert (await use_cases.post_stats(everything(tenant), tenant, "post-1")).total == Counts(
        shares=0, clicks=2
    )

    # Someone else's link, after the same erasure, is theirs as always.
    theirs = await use_cases.create_tracked_link(
        PUBLISHING, kit.new_link(tenant, "s3", employee_id="emp-2")
    )
    assert theirs.employee_id == "emp-2"


async def test_a_share_published_after_the_erasure_counts_for_the_post_only(
    use_cases, kit, tenant, metrics_db
) -> None:
    await erase(use_cases, kit, metrics_db, tenant, "emp-1")
    on_share = handler_for(subscriptions(use_cases), publishing.SharePublished)
    event = kit.share_published(tenant, "s1", "post-1", country="FR", employee_id="emp-1")
    await on_share(event, kit.context(metrics_db, event, tenant))
    # As app.erasure leaves past shares: in the post's counters, tied to nobody.
    stats = await use_cases.post_stats(everything(tenant), tenant, "post-1")
    assert (stats.total, stats.by_country) == (Counts(1, 0), {"FR": Counts(1, 0)})
    assert await owners(metrics_db, tenant) == {"metrics_tracked_links": [], "metrics_clicks": []}


def test_only_the_erasure_is_heard_from_the_employee_topic(use_cases) -> None:
    [employees] = [s for s in subscriptions(use_cases) if s.topic == EMPLOYEES]
    assert set(employees.handlers) == {targeting.EmployeeErased}


async def test_a_click_read_before_an_erasure_in_progress_is_recorded_for_nobody(
    use_cases, kit, tenant, http, metrics_db
) -> None:
    link = await use_cases.create_tracked_link(PUBLISHING, kit.new_link(tenant, "s1"))

    # The erasure's transaction as the privacy subscription runs it (hold,
    # then the effect), held open while a visitor follows the link.
    async with metrics_db.transaction() as erasure:
        await hold(erasure, tenant, "emp-1", ERASURE)
        await use_cases.erase_employee(erasure, tenant, "emp-1")
        following = asyncio.create_task(http.get(f"/l/{link.code}", headers=BROWSER))
        await asyncio.sleep(0.5)
        # Recording now would copy the employee id the erasure is removing.
        assert not following.done()
    assert (await asyncio.wait_for(following, 10)).status_code == 302

    assert await owners(metrics_db, tenant) == {
        "metrics_tracked_links": [ERASED],
        "metrics_clicks": [ERASED],
    }
    assert await clicked_by(kit, metrics_db) == [ERASED]


async def sharers(db: Database, tenant: str) -> dict[str, str | None]:
    """Who each counted share of the tenant names, by share."""
    async with db.session() as session:
        query = select(col(CountedShareRow.share_id), col(CountedShareRow.employee_id)).where(
            col(CountedShareRow.tenant_id) == tenant
        )
        return dict((await session.execute(query)).tuples().all())


async def test_an_erased_ambassador_still_counts_once_and_is_named_nowhere(
    use_cases, kit, tenant, metrics_db
) -> None:
    on_share = handler_for(subscriptions(use_cases), publishing.SharePublished)
    for share_id, post_id, employee_id in (
        ("s1", "p1", "emp-1"),
        ("s2", "p2", "emp-1"),
        ("s3", "p1", "emp-2"),
        ("s4", "p1", "emp-3"),
    ):
        event = kit.share_published(tenant, share_id, post_id, employee_id=employee_id)
        await on_share(event, kit.context(metrics_db, event, tenant))

    async def actuals() -> Tally:
        campaign = await use_cases.campaign_stats(
            everything(tenant), tenant, ["p1", "p2"], None, None
        )
        return campaign.total

    assert await actuals() == Tally(shares=4, clicks=0, active_ambassadors=3)
    await erase(use_cases, kit, metrics_db, tenant, "emp-1")
    await erase(use_cases, kit, metrics_db, tenant, "emp-2")
    # The same figures: each erased person is still one ambassador, and two
    # erased people are still two.
    assert await actuals() == Tally(shares=4, clicks=0, active_ambassadors=3)
    named = await sharers(metrics_db, tenant)
    assert named["s4"] == "emp-3"
    tokens = [named["s1"], named["s2"], named["s3"]]
    assert all(t is not None and t.startswith("erased-") for t in tokens)
    # One token per erasure: emp-1's two shares share theirs, emp-2 has another.
    assert tokens[0] == tokens[1] != tokens[2]
    assert not any("emp-1" in t or "emp-2" in t for t in tokens if t)

    # A share of theirs publishing sends after the erasure: a share, nobody's.
    event = kit.share_published(tenant, "s5", "p1", employee_id="emp-1")
    await on_share(event, kit.context(metrics_db, event, tenant))
    assert (await sharers(metrics_db, tenant))["s5"] is None
    assert await actuals() == Tally(shares=5, clicks=0, active_ambassadors=3)
    # The running counters agree with the share log.
    assert (await use_cases.post_stats(everything(tenant), tenant, "p1")).total == Counts(4, 0)


async def test_a_share_counted_during_an_erasure_in_progress_names_nobody(
    use_cases, kit, tenant, metrics_db
) -> None:
    on_share = handler_for(subscriptions(use_cases), publishing.SharePublished)
    event = kit.share_published(tenant, "s1", "p1", employee_id="emp-1")
    async with metrics_db.transaction() as erasure:
        await hold(erasure, tenant, "emp-1", ERASURE)
        await use_cases.erase_employee(erasure, tenant, "emp-1")

        async def count() -> None:
            await on_share(event, kit.context(metrics_db, event, tenant))

        counting = asyncio.create_task(count())
        await asyncio.sleep(0.5)
        # Counting now would store the employee id the erasure is removing.
        assert not counting.done()
    await asyncio.wait_for(counting, 10)
    assert await sharers(metrics_db, tenant) == {"s1": None}
