"""EmployeeRow.group_names, the copy of a person's group names the segment
SQL tests: it follows every kind of membership change (CSV import, SCIM
Group create/replace/PATCH/delete, a User created after a Group listed it),
and segments select exactly the people the members-table sub-query selects."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx2
import pytest
from chorus_core.clock import utcnow
from chorus_db import Database, migrate
from chorus_messaging import Outbox
from chorus_testing.fixtures import DatabaseFactory
from chorus_testing.identity import everything
from sqlalchemy import ColumnElement, and_, not_, select
from sqlmodel import col
from targeting_service import composition
from targeting_service.adapters.directory_tables import GroupMemberRow, GroupRow
from targeting_service.adapters.migrations import SCHEMA
from targeting_service.adapters.scim_storage import DatabaseScimStorage
from targeting_service.adapters.segment_sql import compile_segment
from targeting_service.adapters.tables import EmployeeRow
from targeting_service.domain.employees import employee_id_for
from targeting_service.domain.segments import parse_segment
from targeting_service.entrypoints.scim_http import (
    ScimHttpServer,
    TenantScimApplication,
    scim_provider,
)

SCIM = "application/scim+json"
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
HEADER = (
    "external_id,email,display_name,country,language,timezone,department,status,opted_in,auto_share,"
    "home_region,groups\n"
)
RULES = [
    'group = "Contractors"',
    'not group = "Contractors"',
    'group = "contractors"',
    'group = "a|b"',
    'group = "a"',
    'not group = "b"',
    'group in ("100%", "x%7Cy")',
    'group != "Sales"',
    'group = "Sales"',
    'group not in ("a", "Contractors")',
    'group = "x|y"',
    'group = "Sales" or not group = "a"',
]


def _row(external_id: str, groups: str) -> str:
    return (
        f"{external_id},{external_id.lower()}@x.com,{external_id},"
        f"FR,fr,Europe/Paris,Sales,active,true,false,local,{groups}"
    )


async def _column(db: Database, tenant_id: str) -> dict[str, str]:
    async with db.session() as session:
        rows = await session.execute(
            select(col(EmployeeRow.employee_id), col(EmployeeRow.group_names)).where(
                col(EmployeeRow.tenant_id) == tenant_id
            )
        )
        return {employee_id: names for employee_id, names in rows.all()}


async def _same_as_members_table(db: Database, tenant_id: str) -> None:
    """Every rule selects the same people as the sub-query over the members
    table (the form segments compiled to before group_names existed)."""
    async with db.session() as session:
        for rule in RULES:
            compiled = select(col(EmployeeRow.employee_id)).where(
                col(EmployeeRow.tenant_id) == tenant_id,
                compile_segment(tenant_id, parse_segment(rule)),
            )
            got = set((await session.execute(compiled)).scalars())
            expected = set(
                (
                    await session.execute(
                        select(col(EmployeeRow.employee_id)).where(
                            col(EmployeeRow.tenant_id) == tenant_id, _reference(tenant_id, rule)
                        )
                    )
                ).scalars()
            )
            assert got == expected, rule


def _reference(tenant_id: str, rule: str) -> ColumnElement[bool]:
    def member_of(*names: str) -> ColumnElement[bool]:
        members = (
            select(col(GroupMemberRow.employee_id))
            .join(
                GroupRow,
                and_(
                    col(GroupRow.tenant_id) == col(GroupMemberRow.tenant_id),
                    col(GroupRow.group_id) == col(GroupMemberRow.group_id),
                ),
            )
            .where(
                col(GroupMemberRow.tenant_id) == tenant_id, col(GroupRow.display_name).in_(names)
            )
        )
        return col(EmployeeRow.employee_id).in_(members)

    return {
        'group = "Contractors"': member_of("Contractors"),
        'not group = "Contractors"': not_(member_of("Contractors")),
        'group = "contractors"': member_of("contractors"),
        'group = "a|b"': member_of("a|b"),
        'group = "a"': member_of("a"),
        'not group = "b"': not_(member_of("b")),
        'group in ("100%", "x%7Cy")': member_of("100%", "x%7Cy"),
        'group != "Sales"': not_(member_of("Sales")),
        'group = "Sales"': member_of("Sales"),
        'group not in ("a", "Contractors")': not_(member_of("a", "Contractors")),
        'group = "x|y"': member_of("x|y"),
        'group = "Sales" or not group = "a"': member_of("Sales") | not_(member_of("a")),
    }[rule]


@pytest.fixture
async def targeting_db(any_database: DatabaseFactory) -> Database:
    db = await any_database()
    await migrate(db, SCHEMA)
    return db


async def test_csv_import_writes_and_rewrites_the_group_names(targeting_db: Database) -> None:
    directory = composition.build(targeting_db, "local").use_cases.directory
    first = [
        _row("E1", "Contractors;a|b"),
        _row("E2", "a;b"),
        _row("E3", "contractors;100%"),
        _row("E4", ""),
    ]
    result = await directory.import_directory(
        everything("t"), "t", "", (HEADER + "\n".join(first) + "\n").encode()
    )
    assert (result.errors, result.created) == ((), 4)
    e = {x: employee_id_for("t", x) for x in ("E1", "E2", "E3", "E4")}
    assert await _column(targeting_db, "t") == {
        e["E1"]: "|Contractors|a%7Cb|",
        e["E2"]: "|a|b|",
        e["E3"]: "|100%25|contractors|",
        e["E4"]: "",
    }
    await _same_as_members_table(targeting_db, "t")
    # A re-import replaces memberships (and counts the person as updated).
    second = [
        _row("E1", "Sales"),
        _row("E2", "a;b"),
        _row("E3", ""),
        _row("E4", "x%7Cy;Contractors"),
    ]
    again = await directory.import_directory(
        everything("t"), "t", "", (HEADER + "\n".join(second) + "\n").encode()
    )
    assert (again.created, again.updated) == (0, 3)
    assert await _column(targeting_db, "t") == {
        e["E1"]: "|Sales|",
        e["E2"]: "|a|b|",
        e["E3"]: "",
        e["E4"]: "|Contractors|x%257Cy|",
    }
    await _same_as_members_table(targeting_db, "t")


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


async def test_scim_group_writes_keep_the_group_names_in_step(
    scim: tuple[httpx2.AsyncClient, Database],
) -> None:
    http, db = scim
    ids = {}
    for name in ("ana", "bob", "cai"):
        created = await http.post(
            "/Users", json={"schemas": [USER], "userName": name, "externalId": name.upper()}
        )
        assert created.status_code == 201, created.text
        ids[name] = created.json()["id"]

    async def check(expected: dict[str, str]) -> None:
        column = await _column(db, "acme")
        assert {n: column[i] for n, i in ids.items()} == expected
        await _same_as_members_table(db, "acme")

    made = await http.post(
        "/Groups",
        json={
            "schemas": [GROUP],
            "displayName": "Contractors",
            "members": [{"value": ids["ana"]}, {"value": ids["bob"]}],
        },
    )
    assert made.status_code == 201, made.text
    group_id = made.json()["id"]
    other = await http.post(
        "/Groups",
        json={"schemas": [GROUP], "displayName": "a|b", "members": [{"value": ids["bob"]}]},
    )
    assert other.status_code == 201, other.text
    await check({"ana": "|Contractors|", "bob": "|Contractors|a%7Cb|", "cai": ""})
    # Replace: renamed, ana leaves, cai joins.
    replaced = await http.put(
        f"/Groups/{group_id}",
        json={
            "schemas": [GROUP],
            "displayName": "contractors",
            "members": [{"value": ids["bob"]}, {"value": ids["cai"]}],
        },
    )
    assert replaced.status_code == 200, replaced.text
    await check({"ana": "", "bob": "|a%7Cb|contractors|", "cai": "|contractors|"})
    patched = await http.patch(
        f"/Groups/{group_id}",
        json={
            "schemas": [PATCH],
            "Operations": [
                {"op": "add", "path": "members", "value": [{"value": ids["ana"]}]},
                {"op": "remove", "path": f'members[value eq "{ids["cai"]}"]'},
            ],
        },
    )
    assert patched.status_code in (200, 204), patched.text
    await check({"ana": "|contractors|", "bob": "|a%7Cb|contractors|", "cai": ""})
    renamed = await http.patch(
        f"/Groups/{group_id}",
        json={
            "schemas": [PATCH],
            "Operations": [{"op": "replace", "path": "displayName", "value": "Contractors"}],
        },
    )
    assert renamed.status_code in (200, 204), renamed.text
    await check({"ana": "|Contractors|", "bob": "|Contractors|a%7Cb|", "cai": ""})
    deleted = await http.delete(f"/Groups/{group_id}")
    assert deleted.status_code == 204, deleted.text
    await check({"ana": "", "bob": "|a%7Cb|", "cai": ""})


async def test_a_user_created_after_its_group_gets_the_names(
    scim: tuple[httpx2.AsyncClient, Database],
) -> None:
    http, db = scim
    # The memberships exist before the User (an IdP pushing Groups first).
    dan = employee_id_for("acme", "DAN")
    async with db.transaction() as session:
        session.add(
            GroupRow(
                tenant_id="acme",
                group_id="g1",
                display_name="Sales",
                external_id="",
                updated_at=utcnow(),
            )
        )
        session.add(GroupMemberRow(tenant_id="acme", group_id="g1", employee_id=dan))
    created = await http.post(
        "/Users", json={"schemas": [USER], "userName": "dan", "externalId": "DAN"}
    )
    assert created.status_code == 201, created.text
    assert created.json()["id"] == dan
    assert (await _column(db, "acme"))[dan] == "|Sales|"
    await _same_as_members_table(db, "acme")


async def test_a_scim_user_reads_its_groups(scim: tuple[httpx2.AsyncClient, Database]) -> None:
    """RFC 7643 §4.1.2: `groups` (read-only) lists the Groups holding the
    User, each with value, display and $ref, on GET and on list."""
    http, _ = scim
    ids = {}
    for name in ("ana", "bob"):
        created = await http.post("/Users", json={"schemas": [USER], "userName": name})
        assert created.status_code == 201, created.text
        ids[name] = created.json()["id"]
    made = {}
    for name in ("Sales", "Contractors"):
        group = await http.post(
            "/Groups",
            json={"schemas": [GROUP], "displayName": name, "members": [{"value": ids["ana"]}]},
        )
        assert group.status_code == 201, group.text
        made[name] = group.json()["id"]
    ana = (await http.get(f"/Users/{ids['ana']}")).json()
    assert [(g["value"], g["display"]) for g in ana["groups"]] == [
        (made["Contractors"], "Contractors"),
        (made["Sales"], "Sales"),
    ]
    assert ana["groups"][0]["$ref"].endswith(f"/scim/v2/Groups/{made['Contractors']}")
    assert ana["groups"][0]["$ref"].startswith("http://")
    assert "groups" not in (await http.get(f"/Users/{ids['bob']}")).json()
    listed = (await http.get("/Users", params={"filter": 'userName eq "ana"'})).json()["Resources"]
    assert [g["display"] for g in listed[0]["groups"]] == ["Contractors", "Sales"]
    # A membership change shows at once; a client cannot write the attribute.
    await http.delete(f"/Groups/{made['Sales']}")
    put = await http.put(
        f"/Users/{ids['bob']}",
        json={"schemas": [USER], "userName": "bob", "groups": [{"value": made["Contractors"]}]},
    )
    assert put.status_code == 200, put.text
    assert [g["display"] for g in (await http.get(f"/Users/{ids['ana']}")).json()["groups"]] == [
        "Contractors"
    ]
    assert "groups" not in (await http.get(f"/Users/{ids['bob']}")).json()
