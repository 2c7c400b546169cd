"""GDPR erasure end to end: the services and the gateway as real processes on real
Kafka, PostgreSQL and Redis. After a small campaign (shares published on the
Bluesky server, links clicked, points awarded), one employee who took part is
erased through targeting's gRPC API; then every service's own database is
opened directly, and Redis read, to check that nothing personal is left:

- no row in any service table names the employee id (targeting keeps only
  an opaque tombstone; gamification and metrics keep anonymised rows whose
  sums still match);
- their e-mail, display name, external id, Bluesky handle and DID appear in
  no text column of any table, and in no stored event payload;
- the leaderboard no longer lists them.
"""

from __future__ import annotations

import asyncio
import os
from collections import Counter
from collections.abc import AsyncIterator

import asyncpg
import pytest
from chorus.targeting.v1 import targeting_service_pb2 as targeting_pb
from chorus_cli.clients import Clients
from chorus_cli.demo import CampaignResult, run_campaign
from chorus_cli.demo_people import ADMIN
from chorus_cli.report import SilentReporter
from chorus_cli.stack import SERVICE_NAMES, Stack
from chorus_testing.infra import required_env
from redis.asyncio import Redis

pytestmark = pytest.mark.infra

SERVICES = SERVICE_NAMES
# Tables that may hold the opaque employee id after erasure, and why.
ALLOWED_ID_TABLES = {
    ("targeting", "targeting_erasures"),  # the tombstone that refuses a re-import
    # Holds (chorus_messaging.privacy) on the opaque id only, so that an
    # audience batch or a ShareDue still in flight creates or publishes
    # nothing for the erased person, and a SharePublished, LinkClicked or
    # tracked link arriving late earns or names nobody.
    ("scheduling", "chorus_employee_holds"),
    ("publishing", "chorus_employee_holds"),
    ("gamification", "chorus_employee_holds"),
    ("metrics", "chorus_employee_holds"),
    # The audit trail (append-only, kept for accountability) records the
    # erasure itself: who erased whom, by the opaque id, nothing personal.
    ("gateway", "gateway_audit_log"),
    # Event history: opaque ids in keys/payloads of events already sent
    # (the EmployeeErased event itself carries the id, by necessity).
    *((s, "chorus_outbox") for s in SERVICES),
    *((s, "chorus_inbox") for s in SERVICES),
}


def _pg_url(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


@pytest.fixture(scope="module")
async def stack(tmp_path_factory: pytest.TempPathFactory, start_stack) -> AsyncIterator[Stack]:
    async with start_stack(tmp_path_factory.mktemp("erasure") / "erasure_var", 300) as running:
        yield running


@pytest.fixture(scope="module")
async def campaign(
    stack: Stack, tmp_path_factory: pytest.TempPathFactory, sign_in_people
) -> AsyncIterator[tuple[CampaignResult, Clients]]:
    # run_campaign waits for its trace in the collector's file: spans must be exported.
    os.environ.setdefault("OTEL_SERVICE_NAME", "chorus-e2e-test")
    from chorus_telemetry import setup_telemetry

    telemetry = setup_telemetry("e2e", "eu-west", "test")
    async with sign_in_people(stack, tmp_path_factory.mktemp("tokens")) as people:
        result = await run_campaign(
            people,
            pds_url=required_env("CHORUS_BLUESKY_PDS_URL"),
            report=SilentReporter(),
            employees=30,
            seed=5,
            click_ratio=1.0,
        )
        # The erasure is the tenant admin's to ask for.
        yield result, people[ADMIN]
    telemetry.shutdown()


async def _text_cells(url: str, tenant_id: str) -> list[tuple[str, str, str]]:
    """(table, column, value) of every text cell of the tenant (the databases
    outlive a run: other tenants hold the same generated people), and event
    payloads as text."""
    conn = await asyncpg.connect(_pg_url(url))
    try:
        columns = await conn.fetch(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'public' AND data_type IN "
            "('character varying', 'text', 'bytea', 'json', 'jsonb')"
        )
        tenant_tables = {
            r["table_name"]
            for r in await conn.fetch(
                "SELECT table_name FROM information_schema.columns "
                "WHERE table_schema = 'public' AND column_name = 'tenant_id'"
            )
        }
        cells: list[tuple[str, str, str]] = []
        for row in columns:
            table, column = row["table_name"], row["column_name"]
            where = f'"{column}" IS NOT NULL' + (
                " AND tenant_id = $1" if table in tenant_tables else ""
            )
            args = (tenant_id,) if table in tenant_tables else ()
            for (value,) in await conn.fetch(
                f'SELECT "{column}" FROM "{table}" WHERE {where}', *args
            ):
                text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
                cells.append((table, column, text))
        return cells
    finally:
        await conn.close()


async def _scalar(url: str, query: str, *args: object) -> int:
    conn = await asyncpg.connect(_pg_url(url))
    try:
        return int(await conn.fetchval(query, *args) or 0)
    finally:
        await conn.close()


async def _leftovers(stack: Stack, tenant_id: str, needles: dict[str, str]) -> list[str]:
    found: list[str] = []
    for service in SERVICES:
        for table, column, text in await _text_cells(await stack.database_url(service), tenant_id):
            for what, needle in needles.items():
                if needle and needle in text:
                    if what == "employee id" and (service, table) in ALLOWED_ID_TABLES:
                        continue
                    found.append(f"{service}.{table}.{column} holds the {what}")
    return sorted(set(found))


async def test_erasure_leaves_no_personal_data_in_any_service(stack: Stack, campaign) -> None:
    result, clients = campaign
    shared = {s.employee_id for s in result.shares}
    clicked = {employee for employee, status, _ in result.clicks if status == 302}
    names = Counter(e.display_name for e in result.employees.values())
    # A namesake would still (rightly) hold the same display name.
    victim = sorted(
        e
        for e in shared & clicked & set(result.accounts)
        if names[result.employees[e].display_name] == 1
    )[0]
    person, account = result.employees[victim], result.accounts[victim]
    gamification_url = await stack.database_url("gamification")
    metrics_url = await stack.database_url("metrics")
    points_before = await _scalar(
        gamification_url,
        "SELECT SUM(points) FROM gamification_totals WHERE tenant_id=$1",
        result.tenant_id,
    )
    clicks_before = await _scalar(
        metrics_url,
        "SELECT SUM(clicks) FROM metrics_post_stats WHERE tenant_id=$1",
        result.tenant_id,
    )
    ledger_before = await _scalar(
        gamification_url,
        "SELECT SUM(points) FROM gamification_ledger WHERE tenant_id=$1",
        result.tenant_id,
    )
    assert points_before > 0 and clicks_before > 0 and points_before == ledger_before

    needles = {
        "employee id": victim,
        "e-mail": person.email,
        "display name": person.display_name,
        "external id": f",{person.external_id},",
        "handle": account.handle,
        "DID": account.did,
    }
    # Before: the person really is in every store we are about to check.
    before = await _leftovers(stack, result.tenant_id, needles)
    for service in ("targeting", "scheduling", "publishing", "gamification", "metrics"):
        assert any(line.startswith(f"{service}.") for line in before), (
            f"{service} never held {victim}"
        )

    erased = await clients.targeting.EraseEmployee(
        targeting_pb.EraseEmployeeRequest(
            request_id="erase-1", tenant_id=result.tenant_id, employee_id=victim
        )
    )
    assert erased.erased

    leftovers = before
    for _ in range(120):  # the handlers run asynchronously, within seconds
        leftovers = await _leftovers(stack, result.tenant_id, needles)
        if not leftovers:
            break
        await asyncio.sleep(0.5)
    assert leftovers == []

    # Aggregates survive: points and clicks still add up to what they were.
    assert (
        await _scalar(
            gamification_url,
            "SELECT SUM(points) FROM gamification_totals WHERE tenant_id=$1",
            result.tenant_id,
        )
        == points_before
    )
    assert (
        await _scalar(
            gamification_url,
            "SELECT SUM(points) FROM gamification_ledger WHERE tenant_id=$1",
            result.tenant_id,
        )
        == points_before
    )
    assert (
        await _scalar(
            metrics_url,
            "SELECT SUM(clicks) FROM metrics_post_stats WHERE tenant_id=$1",
            result.tenant_id,
        )
        == clicks_before
    )
    redis = Redis.from_url(stack.redis_url, decode_responses=True)
    try:
        board = f"chorus:gamification:{{{result.tenant_id}}}:leaderboard"
        assert await redis.zscore(board, victim) is None
        assert await redis.zcard(board) > 0
    finally:
        await redis.aclose()
