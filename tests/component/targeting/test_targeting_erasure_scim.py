"""Erasing a person provisioned by SCIM leaves no row of any targeting table
holding their e-mail, name, userName or external id: their SCIM User goes,
the Groups listing them lose the member entry (which carried their name),
their reports' Users lose the manager naming them, and their consent
records go; everyone else's stay. A Group that named them can be PATCHed
afterwards. Real SCIM over HTTP and a real gRPC server, SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx2
import pytest
from chorus.targeting.v1 import targeting_service_pb2 as pb
from chorus_db import Database
from sqlalchemy import Connection, MetaData, Table, inspect, select
from sqlmodel import col
from targeting_service.adapters.consent_records import ConsentRecordRow
from targeting_service.adapters.directory_tables import GroupMemberRow
from targeting_service.domain.scim_projection import ENTERPRISE

from tests.component.targeting.over_the_wire import (
    REGION,
    Targeting,
    targeting_over_the_wire,
)

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
# What Ana is known by, each distinctive enough that no other value contains it.
ANA_NEEDLES = ("anabel.lopezberg", "hr-ana-7731", "anabel", "lopezberg")


@pytest.fixture
async def t(targeting_db: Database) -> AsyncIterator[Targeting]:
    async with targeting_over_the_wire(targeting_db) as targeting:
        yield targeting


async def created(response: httpx2.Response) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _cells(conn: Connection) -> list[tuple[str, str, str]]:
    """(table, column, value as text) of every cell of every table."""
    cells: list[tuple[str, str, str]] = []
    for name in inspect(conn).get_table_names():
        table = Table(name, MetaData(), autoload_with=conn)
        for row in conn.execute(select(table)).mappings():
            for column, value in row.items():
                if isinstance(value, bytes):
                    text = value.decode("utf-8", "replace")  # event payloads
                elif isinstance(value, dict | list):
                    text = json.dumps(value)
                else:
                    text = str(value)
                cells.append((name, str(column), text.lower()))
    return cells


async def holding(db: Database, needles: tuple[str, ...]) -> set[str]:
    """The tables with a cell containing one of the needles."""
    async with db.engine.connect() as conn:
        cells = await conn.run_sync(_cells)
    return {table for table, _, text in cells if any(n in text for n in needles)}


async def consent_records(db: Database) -> list[tuple[str, str]]:
    async with db.session() as session:
        query = select(col(ConsentRecordRow.employee_id), col(ConsentRecordRow.request_id))
        return sorted((e, r) for e, r in (await session.execute(query)).all())


async def members(db: Database, group_id: str) -> set[str]:
    async with db.session() as session:
        query = select(col(GroupMemberRow.employee_id)).where(
            col(GroupMemberRow.group_id) == group_id
        )
        return set((await session.execute(query)).scalars())


async def test_erasure_removes_the_person_from_every_scim_resource(t: Targeting) -> None:
    ana = await created(
        await t.scim.post(
            "/Users",
            json={
                "schemas": [USER],
                "userName": "anabel.lopezberg",
                "externalId": "HR-ANA-7731",
                "name": {"givenName": "Anabel", "familyName": "Lopezberg"},
                "displayName": "Anabel Lopezberg",
                "emails": [{"value": "anabel.lopezberg@acme.example", "primary": True}],
            },
        )
    )
    bob = await created(
        await t.scim.post(
            "/Users",
            json={
                "schemas": [USER, ENTERPRISE],
                "userName": "bob",
                ENTERPRISE: {
                    "department": "Sales",
                    "manager": {"value": ana["id"], "displayName": "Anabel Lopezberg"},
                },
            },
        )
    )
    carol = await created(
        await t.scim.post("/Users", json={"schemas": [USER], "userName": "carol"})
    )
    group = await created(
        await t.scim.post(
            "/Groups",
            json={
                "schemas": [GROUP],
                "displayName": "Sales",
                "members": [
                    {"value": ana["id"], "display": "Anabel Lopezberg"},
                    {"value": bob["id"], "display": "bob"},
                ],
            },
        )
    )
    for person, request_id in ((ana["id"], "ana-1"), (bob["id"], "bob-1")):
        await t.as_employee(person).RecordConsent(
            pb.RecordConsentRequest(
                request_id=request_id,
                tenant_id="acme",
                employee_id=person,
                opted_in=True,
                consent=True,
            )
        )
    channel = await t.stub.CreateChannel(
        pb.CreateChannelRequest(request_id="c1", tenant_id="acme", name="Careers")
    )
    await t.stub.Subscribe(
        pb.SubscriptionRequest(
            tenant_id="acme", channel_id=channel.channel_id, employee_id=ana["id"]
        )
    )
    # Not vacuous: before erasure, the scan finds her where SCIM put her.
    assert {"targeting_scim_resources", "targeting_employees"} <= await holding(t.db, ANA_NEEDLES)

    erased = await t.stub.EraseEmployee(
        pb.EraseEmployeeRequest(request_id="e1", tenant_id="acme", employee_id=ana["id"])
    )
    assert erased.erased
    assert await holding(t.db, ANA_NEEDLES) == set()
    assert await consent_records(t.db) == [(bob["id"], "bob-1")]

    assert (await t.scim.get(f"/Users/{ana['id']}")).status_code == 404
    bob_now = await t.scim.get(f"/Users/{bob['id']}")
    assert bob_now.status_code == 200, bob_now.text
    assert bob_now.json()[ENTERPRISE] == {"department": "Sales"}
    sales = await t.scim.get(f"/Groups/{group['id']}")
    assert [m["value"] for m in sales.json()["members"]] == [bob["id"]]
    # A changed resource is a new version (an IdP's old ETag no longer matches).
    assert sales.json()["meta"]["version"] != group["meta"]["version"]

    # The IdP's next PATCH of the Group is not refused for naming her.
    added = await t.scim.patch(
        f"/Groups/{group['id']}",
        json={
            "schemas": [PATCH],
            "Operations": [{"op": "add", "path": "members", "value": [{"value": carol["id"]}]}],
        },
    )
    assert added.status_code in (200, 204), added.text
    assert await members(t.db, group["id"]) == {bob["id"], carol["id"]}
    assert await holding(t.db, ANA_NEEDLES) == set()


async def test_an_erased_person_is_not_provisioned_again(t: Targeting) -> None:
    """SCIM refuses to create an erased person's User as the import refuses
    their row, from the same tombstone: 409 uniqueness, and nothing stored."""
    ana_user = {
        "schemas": [USER],
        "userName": "anabel.lopezberg",
        "externalId": "HR-ANA-7731",
        "displayName": "Anabel Lopezberg",
        "emails": [{"value": "anabel.lopezberg@acme.example", "primary": True}],
    }
    ana = await created(await t.scim.post("/Users", json=ana_user))
    erased = await t.stub.EraseEmployee(
        pb.EraseEmployeeRequest(request_id="e1", tenant_id="acme", employee_id=ana["id"])
    )
    assert erased.erased

    again = await t.scim.post("/Users", json=ana_user)
    assert again.status_code == 409, again.text
    assert again.json()["scimType"] == "uniqueness"
    assert not any(n in again.text.lower() for n in ANA_NEEDLES)  # the answer names no value
    assert await holding(t.db, ANA_NEEDLES) == set()
    assert (await t.scim.get(f"/Users/{ana['id']}")).status_code == 404

    # The HR export's row for the same person meets the same tombstone.
    header = (
        "external_id,email,display_name,country,language,timezone,department,status,"
        "opted_in,auto_share,home_region"
    )
    row = (
        "HR-ANA-7731,anabel.lopezberg@acme.example,Anabel,ES,es,Europe/Madrid,HR,"
        f"active,true,false,{REGION}"
    )
    imported = await t.stub.ImportDirectory(
        pb.ImportDirectoryRequest(tenant_id="acme", csv=f"{header}\n{row}\n".encode())
    )
    assert [(e.line, e.reason) for e in imported.errors] == [
        (2, "external_id: this person was erased (GDPR)")
    ]
    assert await holding(t.db, ANA_NEEDLES) == set()
    # Anybody else is provisioned as before.
    await created(await t.scim.post("/Users", json={"schemas": [USER], "userName": "dora"}))
