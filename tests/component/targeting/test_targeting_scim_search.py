"""SCIM searches answered in SQL, over real HTTP and a real database (SQLite
and PostgreSQL): 300 users provisioned through /scim/v2, then filtered,
sorted and paginated searches with exact totals and pages, none of them
taking the in-memory fallback."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx2
import pytest
from chorus_db import Database
from chorus_messaging import Outbox
from chorus_testing.identity import everything
from targeting_service import composition
from targeting_service.adapters.scim_storage import DatabaseScimStorage
from targeting_service.entrypoints.scim_http import (
    ScimHttpServer,
    TenantScimApplication,
    scim_provider,
)

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
SEARCH = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"
DEPARTMENTS = ["Sales", "Engineering", "Legal"]
N = 300


def _user(i: int) -> dict[str, Any]:
    return {
        "schemas": [USER, ENTERPRISE],
        "userName": f"User{i:03d}",
        "externalId": f"emp-{i:03d}",
        "name": {"givenName": f"Given{i % 7}", "familyName": "Doe"},
        "active": i % 5 != 0,
        "title": "Manager" if i % 10 == 0 else "Staff",
        "emails": [{"value": f"user{i:03d}@{'acme' if i % 2 else 'corp'}.example", "type": "work"}],
        ENTERPRISE: {"department": DEPARTMENTS[i % 3]},
    }


@pytest.fixture
async def http(targeting_db: Database) -> AsyncIterator[httpx2.AsyncClient]:
    outbox = Outbox("chorus/targeting@local")
    consent = composition.build(targeting_db, "local", outbox).use_cases.consent
    provider = scim_provider()
    app = TenantScimApplication(
        DatabaseScimStorage(targeting_db, provider, "local", outbox),
        provider,
        consent.tenant_for_token,
    )
    server = ScimHttpServer(app, "127.0.0.1", 0)
    task = asyncio.create_task(server.serve())
    token = await consent.issue_scim_token(everything("acme"), "acme")
    other = await consent.issue_scim_token(everything("globex"), "globex")
    async with httpx2.AsyncClient(
        base_url=f"http://127.0.0.1:{server.port}/scim/v2",
        timeout=30,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/scim+json"},
    ) as client:
        for i in range(N):
            created = await client.post("/Users", json=_user(i))
            assert created.status_code == 201, created.text
        # Another tenant's look-alike is never counted.
        foreign = await client.post(
            "/Users", json=_user(1), headers={"Authorization": f"Bearer {other}"}
        )
        assert foreign.status_code == 201
        yield client
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


def _expected(predicate: Any) -> list[str]:
    return [f"User{i:03d}" for i in range(N) if predicate(i)]


async def test_scim_searches_over_300_users(
    http: httpx2.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    """One provisioning per database, three kinds of search over it."""
    caplog.set_level(logging.INFO, logger="targeting_service.adapters.scim_storage")
    await _filtered_paginated_searches_are_exact(http)
    assert "SCIM search in memory" not in caplog.text
    await _search_endpoint_sorting_and_bounds(http)
    assert "SCIM search in memory" not in caplog.text
    await _untranslated_filter_falls_back_exactly(http)
    assert "SCIM search in memory" in caplog.text


async def _filtered_paginated_searches_are_exact(http: httpx2.AsyncClient) -> None:
    cases: list[tuple[str, Any]] = [
        (
            f'{ENTERPRISE}:department eq "sales" and active eq true',
            lambda i: i % 3 == 0 and i % 5 != 0,
        ),
        (
            'emails.value ew "@ACME.example" and not (title eq "manager")',
            lambda i: i % 2 == 1 and i % 10 != 0,
        ),
        ('userName sw "user1" or externalId eq "emp-299"', lambda i: 100 <= i < 200 or i == 299),
        (
            'name.givenName eq "given3" and emails[type eq "work" and value co "corp"]',
            lambda i: i % 7 == 3 and i % 2 == 0,
        ),
        ('meta.created gt "2000-01-01T00:00:00Z" and active eq false', lambda i: i % 5 == 0),
    ]
    for expression, predicate in cases:
        expected = _expected(predicate)
        seen: list[str] = []
        for start in range(1, len(expected) + 1, 25):
            page = await http.get(
                "/Users",
                params={
                    "filter": expression,
                    "startIndex": start,
                    "count": 25,
                    "sortBy": "userName",
                },
            )
            assert page.status_code == 200, page.text
            body = page.json()
            assert body["totalResults"] == len(expected), expression
            assert body["startIndex"] == start
            seen += [r["userName"] for r in body.get("Resources", [])]
        assert seen == expected, expression


async def _search_endpoint_sorting_and_bounds(http: httpx2.AsyncClient) -> None:
    found = await http.post(
        "/Users/.search",
        json={
            "schemas": [SEARCH],
            "filter": 'title eq "Manager"',
            "sortBy": "userName",
            "sortOrder": "descending",
            "startIndex": 3,
            "count": 4,
        },
    )
    body = found.json()
    assert found.status_code == 200, found.text
    assert body["totalResults"] == 30
    assert [r["userName"] for r in body["Resources"]] == [
        "User270",
        "User260",
        "User250",
        "User240",
    ]

    past_the_end = (await http.get("/Users", params={"startIndex": 301, "count": 10})).json()
    assert past_the_end["totalResults"] == N and not past_the_end.get("Resources")
    only_total = (await http.get("/Users", params={"filter": "active eq true", "count": 0})).json()
    assert only_total["totalResults"] == 240 and not only_total.get("Resources")

    by_date = (await http.get("/Users", params={"sortBy": "meta.lastModified", "count": 3})).json()
    assert [r["userName"] for r in by_date["Resources"]] == ["User000", "User001", "User002"]

    one = (await http.get("/Users", params={"filter": 'userName eq "user042"'})).json()
    assert one["totalResults"] == 1
    got = await http.get(f"/Users/{one['Resources'][0]['id']}")
    assert got.status_code == 200 and got.json()["externalId"] == "emp-042"
    assert (await http.get("/Users/nope")).status_code == 404


async def _untranslated_filter_falls_back_exactly(http: httpx2.AsyncClient) -> None:
    found = (
        await http.get(
            "/Users",
            params={"filter": 'name.familyName eq "doe" and emails[primary pr]', "count": 5},
        )
    ).json()
    assert found["totalResults"] == 0
    found = (
        await http.get("/Users", params={"filter": 'name.formatted pr or userName eq "user007"'})
    ).json()
    assert [r["userName"] for r in found["Resources"]] == ["User007"]
