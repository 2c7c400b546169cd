"""SCIM 2.0 at /scim/v2 over real HTTP (uvicorn on an ephemeral port) and a
real database: the scim2-tester compliance checker, tenant tokens, RFC error
documents, filters, PATCH, and Groups that drive segment targeting."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx2
import pytest
from chorus_db import Database
from chorus_messaging import Outbox
from chorus_testing.identity import everything
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status, check_server
from targeting_service import composition
from targeting_service.adapters.scim_storage import DatabaseScimStorage
from targeting_service.app.consent import ConsentUseCases
from targeting_service.entrypoints.scim_http import (
    ScimHttpServer,
    TenantScimApplication,
    scim_provider,
)

SCIM = "application/scim+json"
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


@dataclass
class Scim:
    url: str
    token: str
    consent: ConsentUseCases
    db: Database


@pytest.fixture
async def scim(targeting_db: Database) -> AsyncIterator[Scim]:
    outbox = Outbox("chorus/targeting@local")
    consent = composition.build(targeting_db, "local", outbox).use_cases.consent
    provider = scim_provider()
    app = TenantScimApplication(
        DatabaseScimStorage(targeting_db, provider, "local", outbox),
        provider,
        consent.tenant_for_token,
    )
    server = ScimHttpServer(app, "127.0.0.1", 0)
    task = asyncio.create_task(server.serve())  # the socket already listens
    yield Scim(
        f"http://127.0.0.1:{server.port}/scim/v2",
        await consent.issue_scim_token(everything("acme"), "acme"),
        consent,
        targeting_db,
    )
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


def _client(scim: Scim, token: str | None = None) -> httpx2.AsyncClient:
    return httpx2.AsyncClient(
        base_url=scim.url,
        headers={"Authorization": f"Bearer {token or scim.token}", "Content-Type": SCIM},
    )


def _compliance(url: str, token: str) -> list[tuple[str, str, str]]:
    with httpx2.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}) as http:
        client = SyncSCIMClient(http)
        results = check_server(client)
    return [(r.status.name, r.title or "", r.reason or "") for r in results]


async def test_scim2_tester_compliance(scim: Scim) -> None:
    results = await asyncio.to_thread(_compliance, scim.url, scim.token)
    failures = [r for r in results if r[0] in (Status.ERROR.name, Status.CRITICAL.name)]
    assert len(results) > 20
    assert failures == []


async def test_errors_are_rfc_documents_with_the_right_status(scim: Scim) -> None:
    async with _client(scim, token="wrong") as http:
        denied = await http.get("/Users")
    assert denied.status_code == 401
    async with _client(scim) as http:
        missing = await http.get("/Users/nope")
        bad_filter = await http.get("/Users", params={"filter": 'userName eq "x" and ('})
        body = {"schemas": [USER], "userName": "ana"}
        assert (await http.post("/Users", json=body)).status_code == 201
        taken = await http.post("/Users", json=body)
    assert missing.status_code == 404 and missing.json()["schemas"] == [
        "urn:ietf:params:scim:api:messages:2.0:Error"
    ]
    assert bad_filter.status_code == 400 and bad_filter.json()["scimType"] == "invalidFilter"
    assert taken.status_code == 409 and taken.json()["scimType"] == "uniqueness"


async def test_tenants_are_isolated_and_tokens_rotate(scim: Scim) -> None:
    other = await scim.consent.issue_scim_token(everything("globex"), "globex")
    async with _client(scim) as http:
        await http.post("/Users", json={"schemas": [USER], "userName": "only-acme"})
    async with _client(scim, token=other) as http:
        assert (await http.get("/Users")).json()["totalResults"] == 0
    fresh = await scim.consent.issue_scim_token(everything("acme"), "acme")
    async with _client(scim) as http:
        assert (await http.get("/Users")).status_code == 401  # the old token stopped working
    async with _client(scim, token=fresh) as http:
        assert (await http.get("/Users")).json()["totalResults"] == 1


async def test_filters_patch_enterprise_and_groups_drive_targeting(scim: Scim) -> None:
    async with _client(scim) as http:
        ids = {}
        for name, dept, country in (
            ("ana", "Sales", "FR"),
            ("bob", "Sales", "BE"),
            ("cai", "HR", "FR"),
        ):
            created = await http.post(
                "/Users",
                json={
                    "schemas": [USER, ENTERPRISE],
                    "userName": name,
                    "externalId": name.upper(),
                    "emails": [{"value": f"{name}@x.com", "primary": True}],
                    "preferredLanguage": "fr",
                    "timezone": "Europe/Paris",
                    "addresses": [{"country": country, "primary": True}],
                    ENTERPRISE: {"department": dept, "manager": {"value": "boss"}},
                },
            )
            assert created.status_code == 201, created.text
            ids[name] = created.json()["id"]
        found = await http.get(
            "/Users",
            params={"filter": f'{ENTERPRISE}:department eq "Sales" and not (userName sw "b")'},
        )
        assert [u["userName"] for u in found.json()["Resources"]] == ["ana"]
        co = await http.get(
            "/Users", params={"filter": 'emails.value co "@x.com" and externalId pr', "count": 2}
        )
        assert co.json()["totalResults"] == 3 and len(co.json()["Resources"]) == 2
        dated = await http.get(
            "/Users", params={"filter": 'meta.created gt "2000-01-01T00:00:00Z"'}
        )
        assert dated.json()["totalResults"] == 3
        patched = await http.patch(
            f"/Users/{ids['cai']}",
            json={
                "schemas": [PATCH],
                "Operations": [
                    {"op": "replace", "path": f"{ENTERPRISE}:department", "value": "Sales"}
                ],
            },
        )
        assert patched.status_code in (200, 204), patched.text  # RFC 7644 §3.5.2: either
        group = await http.post(
            "/Groups",
            json={
                "schemas": [GROUP],
                "displayName": "Contractors",
                "members": [{"value": ids["bob"]}],
            },
        )
        assert group.status_code == 201, group.text
        read = await http.get(f"/Groups/{group.json()['id']}")
        assert [m["value"] for m in read.json()["members"]] == [ids["bob"]]
    # The SCIM data is the directory: opt everyone in, then target with a segment.
    for employee_id in ids.values():
        await scim.consent.set_participation(
            everything("acme"), "acme", employee_id, True, "app", employee_id
        )
    from targeting_service.adapters.repository import EmployeeRepository  # noqa: PLC0415
    from targeting_service.adapters.tables import EmployeeRow  # noqa: PLC0415

    async with scim.db.transaction() as session:
        for employee_id in ids.values():
            row = await session.get(EmployeeRow, ("acme", employee_id))
            assert row is not None
            row.consent = True
        assert (await EmployeeRepository(session).get("acme", ids["ana"])).department == "Sales"
    preview = await composition.build(scim.db, "local").use_cases.audiences.preview(
        everything("acme"),
        "acme",
        (),
        (),
        segment='department = "Sales" and not group = "Contractors" and country in ("FR", "BE")',
    )
    assert preview.total == 2 and preview.by_country == {"FR": 2}  # ana, and cai after the PATCH
    assert preview.by_timezone == {"Europe/Paris": 2} and preview.by_language == {"fr": 2}
