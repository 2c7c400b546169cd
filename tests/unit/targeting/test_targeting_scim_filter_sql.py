"""SCIM filter → SQL translation (adapters.scim_filter_sql) on SQLite: each
filter of the table selects exactly the expected users, the same ones as
scim2-models' reference evaluator; filters outside the translation are
refused (Untranslatable) so the storage answers them in memory."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from chorus_db import Database, migrate
from chorus_testing.fixtures import DatabaseFactory
from scim2_models import ResourceType, ScimFilter, SearchRequest, User
from scim2_models.resources.enterprise_user import EnterpriseUser
from sqlalchemy import select
from sqlmodel import col
from targeting_service.adapters.directory_tables import ScimResourceRow
from targeting_service.adapters.migrations import SCHEMA
from targeting_service.adapters.scim_filter_sql import FilterTranslator, Untranslatable
from targeting_service.adapters.scim_search import sql_search

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
MODEL = User[EnterpriseUser]


def _user(uid: str, created: datetime, **data: Any) -> dict[str, Any]:
    schemas = ["urn:ietf:params:scim:schemas:core:2.0:User"] + (
        [ENTERPRISE] if ENTERPRISE in data else []
    )
    doc = {
        "schemas": schemas,
        "id": uid,
        **data,
        "meta": {
            "resourceType": "User",
            "created": created.isoformat(),
            "lastModified": created.isoformat(),
            "version": 'W/"1"',
        },
    }
    return MODEL.model_validate(doc).model_dump(mode="json")


USERS = [
    _user(
        "u1",
        datetime(2024, 1, 1, tzinfo=UTC),
        userName="Alice",
        externalId="E-1",
        displayName="Alice Martin",
        name={"givenName": "Alice", "familyName": "Martin"},
        active=True,
        title="Engineer",
        emails=[{"value": "alice@Acme.com", "type": "work", "primary": True}],
        **{ENTERPRISE: {"department": "Sales"}},
    ),
    _user(
        "u2",
        datetime(2024, 6, 1, 12, 0, 0, 500000, tzinfo=UTC),
        userName="bob",
        externalId="e-2",
        name={"givenName": "Bob"},
        active=False,
        emails=[
            {"value": "bob@home.org", "type": "home"},
            {"value": "bob@acme.com", "type": "work"},
        ],
        **{ENTERPRISE: {"department": "Engineering"}},
    ),
    _user(
        "u3",
        datetime(2024, 6, 1, 12, 0, 0, tzinfo=UTC),
        userName="carol",
        title="",
        **{ENTERPRISE: {"department": "sales"}},
    ),
    _user(
        "u4",
        datetime(2025, 3, 1, tzinfo=UTC),
        userName="dave",
        displayName="Dave",
        active=True,
        emails=[{"value": "dave@other.net"}],
    ),
]

CASES = [
    ('userName eq "alice"', {"u1"}),
    ('username EQ "ALICE"', {"u1"}),
    ('userName ne "alice"', {"u2", "u3", "u4"}),
    ('userName co "A"', {"u1", "u3", "u4"}),
    ('userName sw "b"', {"u2"}),
    ('userName ew "OL"', {"u3"}),
    ('userName gt "bob"', {"u3", "u4"}),
    ('userName le "bob"', {"u1", "u2"}),
    ('externalId eq "e-1"', set()),  # caseExact
    ('externalId eq "E-1"', {"u1"}),
    ('externalId sw "e"', {"u2"}),
    ("externalId pr", {"u1", "u2"}),
    ("not (externalId pr)", {"u3", "u4"}),
    ("displayName pr", {"u1", "u4"}),
    ('displayName co "mart"', {"u1"}),
    ('name.givenName eq "bob"', {"u2"}),
    ("name.familyName pr", {"u1"}),
    ("active eq true", {"u1", "u4"}),
    ("active eq false", {"u2"}),
    ("not (active eq true)", {"u2", "u3"}),
    ("active pr", {"u1", "u2", "u4"}),
    ("title pr", {"u1"}),
    ('title eq "engineer"', {"u1"}),
    ('title ne "engineer"', {"u2", "u3", "u4"}),
    (f'{ENTERPRISE}:department eq "sales"', {"u1", "u3"}),
    (f'{ENTERPRISE}:department ne "sales"', {"u2", "u4"}),
    ('emails.value eq "ALICE@acme.com"', {"u1"}),
    ('emails.value co "acme"', {"u1", "u2"}),
    ('emails.value ew ".net"', {"u4"}),
    ('emails.value ne "bob@acme.com"', {"u1", "u3", "u4"}),
    ("emails pr", None),
    ("emails.value pr", {"u1", "u2", "u4"}),
    ('emails[value eq "bob@acme.com"]', {"u2"}),
    ('emails[type eq "work" and value co "bob"]', {"u2"}),
    ('emails[type eq "home" and value co "acme"]', set()),
    ('meta.created gt "2024-06-01T12:00:00Z"', {"u2", "u4"}),
    ('meta.created ge "2024-06-01T12:00:00Z"', {"u2", "u3", "u4"}),
    ('meta.created lt "2024-06-01T12:00:00.5Z"', {"u1", "u3"}),
    ('meta.created le "2024-06-01T14:00:00.500000+02:00"', {"u1", "u2", "u3"}),
    ('meta.lastModified eq "2024-01-01T00:00:00Z"', {"u1"}),
    ('meta.lastModified lt "2024-01-01T00:00:00Z"', set()),
    ('userName sw "a" or userName sw "d"', {"u1", "u4"}),
    ('(userName sw "a" or active eq false) and not (emails.value co "home")', {"u1"}),
    (f'not ({ENTERPRISE}:department eq "sales" or emails[type eq "work"])', {"u4"}),
]


@pytest.fixture
async def db(sqlite_database: DatabaseFactory) -> Database:
    database = await sqlite_database()
    await migrate(database, SCHEMA)
    async with database.transaction() as session:
        for data in USERS:
            session.add(
                ScimResourceRow(
                    tenant_id="acme",
                    resource_type="User",
                    resource_id=data["id"],
                    data=data,
                    updated_at=datetime.now(UTC),
                )
            )
        # Another tenant's user matching everything: never selected.
        session.add(
            ScimResourceRow(
                tenant_id="other",
                resource_type="User",
                resource_id="x1",
                data=USERS[0],
                updated_at=datetime.now(UTC),
            )
        )
    return database


def _reference(expression: str) -> set[str]:
    parsed = ScimFilter[MODEL](expression)
    return {u["id"] for u in USERS if parsed.match(MODEL.model_validate(u))}


@pytest.mark.parametrize(("expression", "expected"), CASES, ids=[c[0] for c in CASES])
async def test_filter_selects_what_the_reference_selects(
    db: Database, expression: str, expected: set[str] | None
) -> None:
    translator = FilterTranslator("User", "sqlite")
    if expected is None:
        with pytest.raises(Untranslatable):
            translator.where(ScimFilter(expression).ast)
        return
    where = translator.where(ScimFilter(expression).ast)
    async with db.session() as session:
        found = set(
            (
                await session.execute(
                    select(col(ScimResourceRow.resource_id)).where(
                        col(ScimResourceRow.tenant_id) == "acme", where
                    )
                )
            ).scalars()
        )
    assert found == expected
    assert _reference(expression) == expected


@pytest.mark.parametrize(
    "expression",
    [
        "emails[primary eq true]",
        "userName eq null",
        'userName eq "élise"',
        'active eq "yes"',
        'meta.created co "2024"',
        'meta.created gt "yesterday"',
        'meta.created gt "2024-01-01T00:00:00"',
        'phoneNumbers.value eq "1"',
        'groups.display eq "x"',
        'name.formatted eq "x"',
    ],
)
def test_untranslated_filters_are_refused_not_guessed(expression: str) -> None:
    with pytest.raises(Untranslatable):
        FilterTranslator("User", "sqlite").where(ScimFilter(expression).ast)


async def test_pages_in_the_reference_order_with_the_total(db: Database) -> None:
    users = [
        ResourceType(
            name="User", endpoint="/Users", schema_="urn:ietf:params:scim:schemas:core:2.0:User"
        )
    ]
    for sort_by, order in (
        ("userName", "descending"),
        ("meta.lastModified", "ascending"),
        (None, "ascending"),
    ):
        request: SearchRequest[Any] = SearchRequest(
            filter='userName ne "zed"', sort_by=sort_by, sort_order=order, start_index=2, count=2
        )
        async with db.session() as session:
            total, rows = await sql_search(session, "acme", users, request, dialect="sqlite")
        reference = (
            request.sort([MODEL.model_validate(u) for u in USERS])
            if sort_by
            else sorted((MODEL.model_validate(u) for u in USERS), key=lambda u: str(u.id))
        )
        assert total == 4
        assert [r.resource_id for r in rows] == [u.id for u in reference[1:3]]
