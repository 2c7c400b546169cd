"""The golden path end to end: the seven services as real processes on the
real Kafka, PostgreSQL, Redis, Apertium, Bluesky PDS and OpenTelemetry
Collector, driven the way `make run` drives them.

One approved post must give: every employee in the audience exactly one post
on the Bluesky server, in their language; points, leaderboard and metrics
that match; a tracked link answering 302 with UTM parameters and counted; and
one trace id holding spans from all seven services, read from the
collector's output file, in which every hop of the golden path (and the
clicks) is an edge from the producer's span to the consumer's; and no
personal data in any span, log line or Kafka key the stack wrote."""

from __future__ import annotations

import asyncio
import os
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from chorus.gamification.v1 import gamification_service_pb2 as gamification_pb
from chorus_cli.demo import CampaignResult, run_campaign
from chorus_cli.demo_editorial import POST_LINK
from chorus_cli.demo_people import ADMIN, DemoPeople
from chorus_cli.report import SilentReporter
from chorus_cli.stack import TELEMETRY_NAMES, Stack, repo_root
from chorus_cli.traces import read_spans
from chorus_testing.infra import required_env

from tests.e2e.personal_data import Known, scan
from tests.e2e.stack_output import stack_keys, stack_log_lines, stack_spans
from tests.e2e.trace_hops import Campaign, golden_path_problems

pytestmark = pytest.mark.infra

SEVEN = TELEMETRY_NAMES


@pytest.fixture(scope="module")
async def stack(tmp_path_factory: pytest.TempPathFactory, start_stack) -> AsyncIterator[Stack]:
    async with start_stack(tmp_path_factory.mktemp("e2e") / "var", 200) as running:
        yield running


@pytest.fixture(scope="module")
async def campaign(
    stack: Stack, tmp_path_factory: pytest.TempPathFactory, sign_in_people
) -> AsyncIterator[tuple[CampaignResult, DemoPeople]]:
    """The demo as its people, signed in at the real Keycloak (device grant)."""
    os.environ.setdefault("OTEL_SERVICE_NAME", "chorus-e2e-test")
    from chorus_telemetry import setup_telemetry

    telemetry = setup_telemetry("e2e", "eu-west", "test")
    async with sign_in_people(stack, tmp_path_factory.mktemp("tokens")) as people:
        result = await run_campaign(
            people,
            pds_url=required_env("CHORUS_BLUESKY_PDS_URL"),
            report=SilentReporter(),
            employees=120,
            seed=11,
        )
        yield result, people
    telemetry.shutdown()


async def test_every_audience_member_posts_exactly_once_in_their_language(campaign) -> None:
    result, _ = campaign
    assert result.audience > 20 and len(result.shares) == result.audience
    assert Counter(result.employees[s.employee_id].country for s in result.shares) == dict(
        result.preview.by_country
    )
    assert len({lang for lang in result.preview.by_language}) >= 4
    for share in result.shares:
        posts = result.posts_by_employee[share.employee_id]
        assert len(posts) == 1, f"{share.employee_id} has {len(posts)} posts"
        record = posts[0]["value"]
        expected = result.translations[share.language].network_texts["bluesky"]
        assert record["text"].startswith(expected)
        assert record["langs"] == [share.language]
    # Opted-in employees outside the audience (other home region) posted nothing.
    outside = set(result.accounts) - {s.employee_id for s in result.shares}
    for employee_id in outside:
        assert result.posts_by_employee.get(employee_id, []) == []
    # Translations really are in other languages, with hashtag and mention intact.
    english = result.translations["en"].network_texts["bluesky"]
    for language, translation in result.translations.items():
        text = translation.network_texts["bluesky"]
        assert "#CleanEnergy" in text and "@acme.test" in text
        if language != "en":
            assert text != english


async def test_points_leaderboard_and_metrics_match(campaign) -> None:
    result, people = campaign
    clients = people[ADMIN]
    clicks_per_sharer = Counter(employee for employee, status, _ in result.clicks if status == 302)
    expected = {s.employee_id: 10 + 2 * clicks_per_sharer[s.employee_id] for s in result.shares}
    assert {e.employee_id: e.points for e in result.leaderboard} == expected
    ranks = [e.rank for e in result.leaderboard]
    assert ranks == sorted(ranks) and ranks[0] == 1
    points = [e.points for e in result.leaderboard]
    assert points == sorted(points, reverse=True)
    some = result.shares[0].employee_id
    profile = await clients.gamification.GetProfile(
        gamification_pb.GetProfileRequest(tenant_id=result.tenant_id, employee_id=some)
    )
    assert profile.points == expected[some]

    assert result.stats is not None
    assert result.stats.shares == len(result.shares)
    assert result.stats.clicks == len(result.clicks)
    assert {c: s.shares for c, s in result.stats.by_country.items()} == dict(
        result.preview.by_country
    )
    clicks_by_country = Counter(result.employees[e].country for e, _, _ in result.clicks)
    assert {c: s.clicks for c, s in result.stats.by_country.items() if s.clicks} == dict(
        clicks_by_country
    )


async def test_tracked_link_redirects_with_utm(campaign) -> None:
    result, _ = campaign
    assert result.clicks
    for _employee, status, location in result.clicks:
        assert status == 302
        target = urlparse(location)
        original = urlparse(POST_LINK)
        assert (target.scheme, target.netloc, target.path) == (
            original.scheme,
            original.netloc,
            original.path,
        )
        query = parse_qs(target.query)
        assert query["ref"] == ["newsroom"]
        assert query["utm_source"] == ["bluesky"]
        assert query["utm_medium"] == ["employee_advocacy"]
        assert query["utm_campaign"] and query["utm_content"]


async def test_one_trace_spans_all_seven_services(campaign) -> None:
    result, _ = campaign
    traces = Path(required_env("CHORUS_OTEL_TRACES_FILE"))
    assert traces.exists()
    assert SEVEN <= set(result.trace_services), result.trace_services


async def test_each_hop_of_the_golden_path_is_an_edge_of_the_campaign_trace(
    stack: Stack, campaign
) -> None:
    """Producer span -> consumer span (child or link) for every hop, with
    the span names and the campaign's tenant, post and shares (trace_hops)."""
    result, _ = campaign
    traces = Path(required_env("CHORUS_OTEL_TRACES_FILE"))
    expected = Campaign(
        trace_id=result.trace_id,
        tenant_id=result.tenant_id,
        post_id=result.post_id,
        share_ids=frozenset(s.share_id for s in result.shares),
        topic_prefix=stack.namespace,
    )
    clicks = sum(1 for _, status, _ in result.clicks if status == 302)
    assert clicks > 0
    # The last spans (the click points) may still be on their way to the file.
    for _ in range(30):
        problems = golden_path_problems(read_spans(traces), expected, clicks)
        if not problems:
            break
        await asyncio.sleep(2)
    assert problems == [], "\n".join(problems[:40])


async def test_every_server_answers_health_and_reflection(stack: Stack) -> None:
    import grpc
    from chorus_cli.stack import BACKENDS, GATEWAY
    from grpc_health.v1 import health_pb2, health_pb2_grpc
    from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

    for spec in [*BACKENDS, GATEWAY]:
        async with grpc.aio.insecure_channel(stack.address(spec.name)) as channel:
            reply = await health_pb2_grpc.HealthStub(channel).Check(
                health_pb2.HealthCheckRequest(), timeout=5
            )
            assert reply.status == health_pb2.HealthCheckResponse.SERVING

            async def ask():
                yield reflection_pb2.ServerReflectionRequest(list_services="")

            names: set[str] = set()
            async for answer in reflection_pb2_grpc.ServerReflectionStub(
                channel
            ).ServerReflectionInfo(ask(), timeout=5):
                names = {s.name for s in answer.list_services_response.service}
            if spec is not GATEWAY:  # its gRPC port serves probes only; its API is HTTP
                assert f"chorus.{spec.name}.v1.{spec.name.capitalize()}Service" in names
            assert "grpc.health.v1.Health" in names


async def test_scim2_tester_passes_against_the_running_targeting_service(
    stack: Stack, campaign
) -> None:
    """The SCIM endpoint of the real targeting process (not an in-test app),
    checked by the scim2-tester compliance checker over HTTP."""
    import asyncio

    import httpx2
    from chorus.targeting.v1 import targeting_service_pb2 as targeting_pb
    from scim2_client.engines.httpx2 import SyncSCIMClient
    from scim2_tester import Status, check_server

    result, people = campaign
    # The checker creates and deletes users: in the realm's other tenant,
    # by its own admin, so the campaign's directory stays as it was.
    await people.sign_in(repo_root(), ("admin.globex",))
    token = (
        await people["admin.globex"].targeting.IssueScimToken(
            targeting_pb.IssueScimTokenRequest(tenant_id="")
        )
    ).token

    def run_checker() -> list[tuple[str, str]]:
        with httpx2.Client(
            base_url=stack.scim_url, headers={"Authorization": f"Bearer {token}"}
        ) as http:
            return [
                (r.status.name, f"{r.title}: {r.reason}")
                for r in check_server(SyncSCIMClient(http))
            ]

    results = await asyncio.to_thread(run_checker)
    assert len(results) > 20
    assert [r for r in results if r[0] in (Status.ERROR.name, Status.CRITICAL.name)] == []


async def test_no_personal_data_in_spans_logs_or_event_keys(stack: Stack, campaign) -> None:
    """Last in this module, so it reads everything the other tests made the
    stack write: every span its services exported (all traces, not only the
    campaign's), every line of their logs, every key on its topics."""
    result, _ = campaign
    employees = list(result.employees.values())
    accounts = list(result.accounts.values())
    known = Known(
        names=frozenset(e.display_name for e in employees),
        emails=frozenset(e.email for e in employees),
        handles=frozenset(a.handle for a in accounts),
        account_ids=frozenset(a.did for a in accounts),
        passwords=frozenset(a.password for a in accounts),
    )
    assert len(known.names) > 20 and len(known.handles) > 20
    spans = stack_spans(stack, Path(required_env("CHORUS_OTEL_TRACES_FILE")))
    keys = await stack_keys(stack, required_env("CHORUS_KAFKA_BOOTSTRAP"))
    found = scan(known, spans=spans, logs=stack_log_lines(stack), keys=keys)
    assert [str(f) for f in found.findings[:40]] == []
    # Not a scan of nothing: all seven services' spans, their logs, the events.
    assert {s.service for s in spans} >= SEVEN
    assert found.spans > 2000, found.spans
    assert found.log_lines > 50, found.log_lines
    assert found.keys > 3 * len(result.shares), (found.keys, len(result.shares))
