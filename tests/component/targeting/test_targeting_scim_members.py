"""A SCIM Group's members must be people of the directory: a POST, PUT or
PATCH naming an unknown id is refused with 400 invalidValue (an RFC 7644
error document) and changes nothing, neither the Group nor the memberships
segments read. Real HTTP, SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx2
import pytest
from chorus_db import Database
from chorus_messaging import Outbox
from chorus_testing.identity import everything
from sqlalchemy import select
from sqlmodel import col
from targeting_service import composition
from targeting_service.adapters.directory_tables import GroupMemberRow, GroupRow
from targeting_service.adapters.scim_storage import DatabaseScimStorage
from targeting_service.entrypoints.scim_http import (
    ScimHttpServer,
    TenantScimApplication,
    scim_provider,
)

SCIM = "application/scim+json"
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
GHOST = "0190f3c1-0000-7000-8000-000000000000"  # well formed, but nobody's id


@pytest.fixture
async def scim(targeting_db: Database) -> AsyncIterator[tuple[httpx2.AsyncClient, Database]]:
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
    async with httpx2.AsyncClient(
        base_url=f"http://127.0.0.1:{server.port}/scim/v2",
        headers={"Authorization": f"Bearer {token}", "Content-Type": SCIM},
    ) as http:
        yield http, targeting_db
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


def refused(response: httpx2.Response) -> dict[str, Any]:
    assert response.status_code == 400, response.text
    body: dict[str, Any] = response.json()
    assert body["schemas"] == [ERROR] and body["scimType"] == "invalidValue"
    assert body["status"] in ("400", 400)
    return body


async def memberships(db: Database) -> set[tuple[str, str]]:
    async with db.session() as session:
        query = select(col(GroupMemberRow.group_id), col(GroupMemberRow.employee_id)).where(
            col(GroupMemberRow.tenant_id) == "acme"
        )
        return {(g, e) for g, e in (await session.execute(query)).all()}


async def group_names(db: Database) -> list[str]:
    async with db.session() as session:
        query = select(col(GroupRow.display_name)).where(col(GroupRow.tenant_id) == "acme")
        return sorted((await session.execute(query)).scalars())


async def test_unknown_members_are_refused_and_nothing_is_stored(
    scim: tuple[httpx2.AsyncClient, Database],
) -> None:
    http, db = scim
    made = await http.post("/Users", json={"schemas": [USER], "userName": "ana"})
    assert made.status_code == 201, made.text
    ana = made.json()["id"]

    body = refused(
        await http.post(
            "/Groups",
            json={
                "schemas": [GROUP],
                "displayName": "Ghosts",
                "members": [{"value": ana}, {"value": GHOST}],
            },
        )
    )
    assert GHOST in body["detail"] and ana not in body["detail"]
    assert (await http.get("/Groups")).json()["totalResults"] == 0
    assert await group_names(db) == [] and await memberships(db) == set()

    group = await http.post(
        "/Groups", json={"schemas": [GROUP], "displayName": "Sales", "members": [{"value": ana}]}
    )
    assert group.status_code == 201, group.text
    group_id = group.json()["id"]
    stored = {(group_id, ana)}

    refused(
        await http.patch(
            f"/Groups/{group_id}",
            json={
                "schemas": [PATCH],
                "Operations": [{"op": "add", "path": "members", "value": [{"value": GHOST}]}],
            },
        )
    )
    # A Group is not a user either: no nested groups in the directory.
    refused(
        await http.put(
            f"/Groups/{group_id}",
            json={
                "schemas": [GROUP],
                "displayName": "Sales EU",
                "members": [{"value": ana}, {"value": group_id}],
            },
        )
    )
    read = (await http.get(f"/Groups/{group_id}")).json()
    assert read["displayName"] == "Sales" and [m["value"] for m in read["members"]] == [ana]
    assert await group_names(db) == ["Sales"] and await memberships(db) == stored

    # A known person is fine, by PATCH and by PUT.
    bob = (await http.post("/Users", json={"schemas": [USER], "userName": "bob"})).json()["id"]
    added = await http.patch(
        f"/Groups/{group_id}",
        json={
            "schemas": [PATCH],
            "Operations": [{"op": "add", "path": "members", "value": [{"value": bob}]}],
        },
    )
    assert added.status_code in (200, 204), added.text
    assert await memberships(db) == {(group_id, ana), (group_id, bob)}
    replaced = await http.put(
        f"/Groups/{group_id}",
        json={"schemas": [GROUP], "displayName": "Sales", "members": [{"value": bob}]},
    )
    assert replaced.status_code == 200, replaced.text
    assert await memberships(db) == {(group_id, bob)}
