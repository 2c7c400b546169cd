"""The demo campaign: one post through the whole golden path, on the real
stack — approval, audience, translations, shares on the local Bluesky server,
points, clicks, KPIs — and the trace id that ties it together. Each step is
taken by the person whose role it needs (demo_people).

Used by `make run` (with a rich display) and by the end-to-end test (silent,
then asserting on the returned facts)."""

from __future__ import annotations

import hashlib
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx
from chorus.content.v1 import content_service_pb2 as content_pb
from chorus.gamification.v1 import gamification_service_pb2 as gamification_pb
from chorus.metrics.v1 import metrics_service_pb2 as metrics_pb
from chorus.publishing.v1 import publishing_service_pb2 as publishing_pb
from chorus.scheduling.v1 import scheduling_service_pb2 as scheduling_pb
from chorus.targeting.v1 import targeting_service_pb2 as targeting_pb
from chorus.translation.v1 import translation_service_pb2 as translation_pb
from chorus_core.prototime import to_timestamp
from opentelemetry import trace

from chorus_cli.bluesky import Account, PdsClient
from chorus_cli.clients import Clients
from chorus_cli.collect import all_employees, all_published, all_shares, bounded, wait_for
from chorus_cli.demo_editorial import approved_post, charter_guards_approval
from chorus_cli.demo_people import (
    ADMIN,
    COMMS,
    REVIEWER,
    TENANT,
    DemoPeople,
    directory_csv,
)
from chorus_cli.report import Reporter
from chorus_cli.stack import TELEMETRY_NAMES
from chorus_cli.traces import services_in

CAMPAIGN_COUNTRIES = ("US", "GB", "ES", "FR", "PT", "IT")


@dataclass
class CampaignResult:
    tenant_id: str
    post_id: str
    trace_id: str
    audience: int
    preview: targeting_pb.PreviewAudienceResponse
    employees: dict[str, targeting_pb.Employee]
    accounts: dict[str, Account]
    translations: dict[str, translation_pb.Translation]
    shares: list[scheduling_pb.Share]
    published: list[publishing_pb.PublishRecord]
    posts_by_employee: dict[str, list[dict]] = field(default_factory=dict)
    clicks: list[tuple[str, int, str]] = field(default_factory=list)  # (employee, status, location)
    leaderboard: list[gamification_pb.LeaderboardEntry] = field(default_factory=list)
    stats: metrics_pb.GetPostStatsResponse | None = None
    trace_services: dict[str, int] = field(default_factory=dict)


async def run_campaign(
    people: DemoPeople,
    *,
    pds_url: str,
    report: Reporter,
    employees: int = 300,
    seed: int = 7,
    region: str = "eu-west",
    click_ratio: float = 0.25,
) -> CampaignResult:
    """Every step as the person whose role it needs (demo_people): signed-in
    realm users, and the directory's ambassadors for their own choices."""
    tenant = TENANT
    # Request ids of this run: the `make run` stack keeps its data, and a
    # second demo must not be answered with the first one's replies.
    run_id = uuid.uuid4().hex[:8]
    tracer = trace.get_tracer("chorus.demo")
    admin, comms = people[ADMIN], people[COMMS]
    points_before = await _points_total(comms, tenant)

    report.step(f"1. Directory: {employees} employees for tenant {tenant}, imported by {ADMIN}")
    imported = await admin.targeting.ImportDirectory(
        targeting_pb.ImportDirectoryRequest(
            request_id=f"{run_id}-import",
            tenant_id=tenant,
            csv=directory_csv(employees, seed, region).encode(),
        )
    )
    report.info(
        f"imported: {imported.created} created, {imported.updated} updated, "
        f"{len(imported.errors)} rejected rows"
    )
    for error in imported.errors[:5]:
        report.info(f"  line {error.line}: {error.reason}")

    targeting = content_pb.Targeting(countries=CAMPAIGN_COUNTRIES)
    preview = await comms.targeting.PreviewAudience(
        targeting_pb.PreviewAudienceRequest(tenant_id=tenant, targeting=targeting)
    )
    report.table(
        "Audience by country", ["country", "employees"], sorted(preview.by_country.items())
    )
    report.table(
        "Audience by language", ["language", "employees"], sorted(preview.by_language.items())
    )

    report.step("2. Employees connect their own Bluesky accounts (local PDS)")
    staff = await all_employees(comms, tenant)
    sharers = [e for e in staff.values() if e.opted_in and e.active]
    pds = PdsClient(pds_url)
    accounts: dict[str, Account] = {}
    report.start_progress("creating accounts and connecting them", len(sharers))

    def connect(employee: targeting_pb.Employee) -> Callable[[], Awaitable[None]]:
        async def job() -> None:
            short = hashlib.sha256(f"{tenant}:{employee.employee_id}".encode()).hexdigest()[:10]
            password = f"pw-{short}-{uuid.uuid4().hex[:6]}"
            account = await pds.create_account(f"u{short}-{run_id[:4]}.test", password)
            request = publishing_pb.ConnectAccountRequest(
                request_id=f"{run_id}-{employee.employee_id}-bluesky",
                tenant_id=tenant,
                employee_id=employee.employee_id,
                network="bluesky",
                handle=account.handle,
                secret=password,
            )
            with people.acting_for(employee) as clients:
                await clients.publishing.ConnectAccount(request)
            accounts[employee.employee_id] = account
            report.advance(len(accounts))

        return job

    try:
        await bounded([connect(e) for e in sharers], concurrency=4)
    finally:
        report.end_progress()
    report.info(f"{len(accounts)} accounts connected (credentials encrypted at rest in publishing)")

    report.step(f"3. {COMMS} writes a post, {REVIEWER} approves it; the charter guards approval")
    await charter_guards_approval(people, run_id, report)
    post, root = await approved_post(people, run_id, targeting, tracer)
    trace_id = format(root.get_span_context().trace_id, "032x")
    report.info(
        f"post {post.post_id} written by {COMMS}, approved by {REVIEWER} (four eyes, from "
        f"their identities); trace id {trace_id}"
    )

    report.step("4. Audience resolved, translated, shares planned")

    async def shares_count() -> int:
        return len(await all_shares(comms, tenant, post.post_id))

    await wait_for("share suggestions created", preview.count, shares_count, report)
    shares = await all_shares(comms, tenant, post.post_id)
    suggested = [s for s in shares if s.status == scheduling_pb.SHARE_STATUS_SUGGESTED]
    planned = [s for s in shares if s.status == scheduling_pb.SHARE_STATUS_SCHEDULED]
    slots = sorted(s.due_at.ToDatetime(tzinfo=UTC) for s in planned)
    if slots:
        report.info(
            f"{len(planned)} auto-share employees planned in their next good slots "
            f"(their timezone, working days, sharing hours, daily cap; spread out): "
            f"{slots[0]:%a %d %b %H:%M} to {slots[-1]:%a %d %b %H:%M} UTC; for the demo "
            "each moves theirs to now, as an employee may"
        )
    report.info(
        f"{len(suggested)} employees choose, each for themself: half 'share now', "
        "half 'share in 10 seconds'"
    )
    later = to_timestamp(datetime.now(UTC) + timedelta(seconds=10))
    # The employees' choices join the campaign's trace, so every share (not
    # only the auto-shared ones), its publish, its link and its clicks do.
    with tracer.start_as_current_span(
        "demo share choices",
        context=trace.set_span_in_context(root),
        attributes={"chorus.tenant_id": tenant, "chorus.post_id": post.post_id},
    ):
        for index, share in enumerate(suggested):
            mode = scheduling_pb.SHARE_MODE_NOW if index % 2 == 0 else scheduling_pb.SHARE_MODE_AT
            choice = scheduling_pb.ScheduleShareRequest(
                request_id=f"{share.share_id}-schedule",
                tenant_id=tenant,
                post_id=post.post_id,
                employee_id=share.employee_id,
                mode=mode,
                at=later if mode == scheduling_pb.SHARE_MODE_AT else None,
            )
            with people.acting_for(staff[share.employee_id]) as clients:
                await clients.scheduling.ScheduleShare(choice)
        for share in planned:
            moved = scheduling_pb.ScheduleShareRequest(
                request_id=f"{share.share_id}-now",
                tenant_id=tenant,
                post_id=post.post_id,
                employee_id=share.employee_id,
                mode=scheduling_pb.SHARE_MODE_NOW,
            )
            with people.acting_for(staff[share.employee_id]) as clients:
                await clients.scheduling.ScheduleShare(moved)

    report.step("5. Publishing to the local Bluesky server")

    async def published_count() -> int:
        return len(await all_published(comms, tenant, post.post_id))

    await wait_for("posts published", len(shares), published_count, report)
    published = await all_published(comms, tenant, post.post_id)

    translations = {
        t.language: t
        for t in (
            await comms.translation.GetTranslations(
                translation_pb.GetTranslationsRequest(tenant_id=tenant, post_id=post.post_id)
            )
        ).translations
    }
    report.table(
        "Translations (Apertium; URL, #hashtag and @mention kept)",
        ["language", "text"],
        [
            (lang, t.network_texts.get("bluesky") or t.body)
            for lang, t in sorted(translations.items())
        ],
    )

    result = CampaignResult(
        tenant_id=tenant,
        post_id=post.post_id,
        trace_id=trace_id,
        audience=preview.count,
        preview=preview,
        employees=staff,
        accounts=accounts,
        translations=translations,
        shares=shares,
        published=published,
    )
    for share in shares:
        account = accounts.get(share.employee_id)
        if account:
            result.posts_by_employee[share.employee_id] = await pds.posts(account.did)
    sample = []
    seen_languages: set[str] = set()
    for share in shares:
        posts = result.posts_by_employee.get(share.employee_id, [])
        if posts and share.language not in seen_languages:
            seen_languages.add(share.language)
            sample.append(
                (accounts[share.employee_id].handle, share.language, posts[0]["value"]["text"])
            )
    report.table(
        "On the Bluesky server (one post per language)", ["handle", "lang", "text"], sample
    )

    report.step("6. People click the tracked links")
    async with httpx.AsyncClient(timeout=10.0) as http:
        for share in shares[: max(1, int(len(shares) * click_ratio))]:
            posts = result.posts_by_employee.get(share.employee_id) or []
            if not posts:
                continue
            link = _tracked_link(posts[0]["value"])
            response = await http.get(link, follow_redirects=False)
            result.clicks.append(
                (share.employee_id, response.status_code, response.headers.get("location", ""))
            )
    if result.clicks:
        report.info(
            f"{len(result.clicks)} clicks; e.g. {result.clicks[0][1]} -> {result.clicks[0][2]}"
        )

    async def clicks_counted() -> int:
        stats = await comms.metrics.GetPostStats(
            metrics_pb.GetPostStatsRequest(tenant_id=tenant, post_id=post.post_id)
        )
        return int(stats.clicks)

    await wait_for("clicks counted", len(result.clicks), clicks_counted, report)
    expected_points = points_before + 10 * len(published) + 2 * len(result.clicks)

    async def points_total() -> int:
        return await _points_total(comms, tenant)

    await wait_for("points awarded", expected_points, points_total, report)
    board = await comms.gamification.GetLeaderboard(
        gamification_pb.GetLeaderboardRequest(tenant_id=tenant, limit=1000)
    )
    result.leaderboard = list(board.entries)
    report.table(
        "Leaderboard (top 10)",
        ["rank", "employee", "points"],
        [
            (
                e.rank,
                staff[e.employee_id].display_name if e.employee_id in staff else e.employee_id,
                e.points,
            )
            for e in board.entries[:10]
        ],
    )

    result.stats = await comms.metrics.GetPostStats(
        metrics_pb.GetPostStatsRequest(tenant_id=tenant, post_id=post.post_id)
    )
    report.table(
        "KPIs by country",
        ["country", "shares", "clicks"],
        [(c, s.shares, s.clicks) for c, s in sorted(result.stats.by_country.items())],
    )
    report.info(f"total: {result.stats.shares} shares, {result.stats.clicks} clicks")

    report.step("7. One trace across all seven services")
    expected = TELEMETRY_NAMES

    async def services_seen() -> int:
        result.trace_services = services_in(trace_id)
        return len(expected & set(result.trace_services))

    await wait_for(
        "services in the trace (collector output)", len(expected), services_seen, report, timeout=60
    )
    report.table(f"Trace {trace_id}", ["service", "spans"], sorted(result.trace_services.items()))
    report.info(f"read it: uv run chorus trace {trace_id}")
    await pds.close()
    return result


async def _points_total(clients: Clients, tenant: str) -> int:
    board = await clients.gamification.GetLeaderboard(
        gamification_pb.GetLeaderboardRequest(tenant_id=tenant, limit=1000)
    )
    return sum(int(e.points) for e in board.entries)


def _tracked_link(record: dict) -> str:
    for facet in record.get("facets", []):
        for feature in facet.get("features", []):
            if feature.get("uri"):
                return str(feature["uri"])
    return str(record["text"]).split()[-1]


def audience_by(result: CampaignResult, attribute: str) -> Counter[str]:
    return Counter(getattr(result.employees[s.employee_id], attribute) for s in result.shares)
