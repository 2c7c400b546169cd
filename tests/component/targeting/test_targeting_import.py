"""ImportDirectory against a real database: upserts, row errors, all-or-nothing."""

from __future__ import annotations

import csv
import io

import pytest
from chorus_core.errors import InvalidArgument, NotFound
from chorus_db import Database
from chorus_testing.directory import generate_directory_csv, inject_malformed_rows
from chorus_testing.identity import everything
from sqlalchemy import func, select
from sqlmodel import col
from targeting_service import composition
from targeting_service.adapters.tables import DirectoryImportRow, EmployeeRow
from targeting_service.domain.employees import employee_id_for


async def employee_count(db: Database, tenant_id: str) -> int:
    async with db.session() as session:
        query = (
            select(func.count())
            .select_from(EmployeeRow)
            .where(col(EmployeeRow.tenant_id) == tenant_id)
        )
        return int((await session.execute(query)).scalar_one())


async def test_import_creates_then_updates_and_reports_bad_lines(targeting_db: Database) -> None:
    uc = composition.build(targeting_db, "local").use_cases.directory
    text, broken = inject_malformed_rows(generate_directory_csv(1200, seed=7), 6, seed=1)
    first = await uc.import_directory(everything("acme"), "acme", "", text.encode())
    assert (first.created, first.updated) == (1194, 0)
    assert {e.line for e in first.errors} == set(broken)
    assert all(e.reason.startswith(f"{broken[e.line]}: ") for e in first.errors)
    assert await employee_count(targeting_db, "acme") == 1194

    # The fixed export: the six broken people are new, everyone else unchanged.
    second = await uc.import_directory(
        everything("acme"), "acme", "", generate_directory_csv(1200, seed=7).encode()
    )
    assert (second.created, second.updated, second.errors) == (6, 0, ())
    assert await employee_count(targeting_db, "acme") == 1200
    assert await employee_count(targeting_db, "other-tenant") == 0


async def test_update_changes_the_row_and_keeps_the_employee_id(targeting_db: Database) -> None:
    uc = composition.build(targeting_db, "local").use_cases.directory
    text = generate_directory_csv(3, seed=2)
    await uc.import_directory(everything("acme"), "acme", "", text.encode())
    rows = list(csv.DictReader(io.StringIO(text)))
    rows[0]["department"] = "Finance"
    rows[0]["opted_in"] = "false"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    result = await uc.import_directory(everything("acme"), "acme", "", out.getvalue().encode())
    assert (result.created, result.updated) == (0, 1)  # the two unchanged rows are not rewritten
    employee = await uc.get_employee(
        everything("acme"), "acme", employee_id_for("acme", rows[0]["external_id"])
    )
    assert (employee.department, employee.opted_in) == ("Finance", False)


async def test_a_broken_file_writes_nothing(targeting_db: Database) -> None:
    uc = composition.build(targeting_db, "local").use_cases.directory
    good = generate_directory_csv(700, seed=5)  # more than one upsert chunk before the break
    with pytest.raises(InvalidArgument) as caught:
        await uc.import_directory(
            everything("acme"), "acme", "", (good + 'E999,"never closed\n').encode()
        )
    assert caught.value.field == "csv"
    assert await employee_count(targeting_db, "acme") == 0


async def test_retried_request_returns_the_first_answer(targeting_db: Database) -> None:
    uc = composition.build(targeting_db, "local").use_cases.directory
    text, _ = inject_malformed_rows(generate_directory_csv(20, seed=1), 2, seed=1)
    first = await uc.import_directory(everything("acme"), "acme", "req-1", text.encode())
    again = await uc.import_directory(everything("acme"), "acme", "req-1", text.encode())
    assert again == first and first.created == 18
    other = await uc.import_directory(everything("acme"), "acme", "req-2", text.encode())
    assert (other.created, other.updated, len(other.errors)) == (0, 0, 2)


async def test_row_errors_keep_no_value_in_the_answer_the_log_or_the_replay(
    targeting_db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    """The reasons name the field and the rule: the bad e-mail and the social
    handle of a rejected row are neither answered, nor stored in
    targeting_directory_imports for a replay, nor logged."""
    uc = composition.build(targeting_db, "local").use_cases.directory
    header = (
        "external_id,email,display_name,country,language,timezone,department,status,"
        "opted_in,auto_share,home_region,social_accounts"
    )
    rest = "FR,fr,Europe/Paris,HR,active,true,false,local"
    text = "\n".join(
        [
            header,
            f"E1,ana.garcia.at.example,Ana García,{rest},",
            f"E2,ben@example.com,Ben Roy,{rest},bluesky:@ben.roy.example:ninety9",
            f"E3,cy@example.com,Cy Lee,{rest},bluesky",
        ]
    )
    personal = ("ana.garcia.at.example", "@ben.roy.example", "ninety9", "Ana García", "Ben Roy")
    caplog.set_level("DEBUG")
    first = await uc.import_directory(everything("acme"), "acme", "req-pii", text.encode())
    assert [(e.line, e.reason) for e in first.errors] == [
        (2, "email: not a valid address"),
        (3, "social_accounts: a follower count is not a whole number"),
        (4, "social_accounts: an account is not network:handle[:followers]"),
    ]
    async with targeting_db.session() as session:
        stored = await session.get(DirectoryImportRow, ("acme", "req-pii"))
    assert stored is not None
    assert stored.errors == [[e.line, e.reason] for e in first.errors]
    assert await uc.import_directory(everything("acme"), "acme", "req-pii", text.encode()) == first
    logged = caplog.text + "".join(repr(r.__dict__) for r in caplog.records)
    for value in personal:
        assert value not in repr(first.errors) and value not in logged


async def test_get_and_list_employees(targeting_db: Database) -> None:
    uc = composition.build(targeting_db, "local").use_cases.directory
    text = generate_directory_csv(120, seed=9)
    await uc.import_directory(everything("acme"), "acme", "", text.encode())
    people = list(csv.DictReader(io.StringIO(text)))
    seen: list[str] = []
    token = ""
    while True:
        page, token = await uc.list_employees(everything("acme"), "acme", False, 50, token)
        seen += [e.employee_id for e in page]
        if not token:
            break
    assert seen == sorted(employee_id_for("acme", p["external_id"]) for p in people)
    opted, _ = await uc.list_employees(everything("acme"), "acme", True, 500, "")
    assert len(opted) == sum(p["opted_in"] == "true" for p in people)
    with pytest.raises(NotFound):
        await uc.get_employee(everything("acme"), "acme", employee_id_for("acme", "nobody"))
    with pytest.raises(NotFound):
        await uc.get_employee(everything("other-tenant"), "other-tenant", seen[0])
    with pytest.raises(InvalidArgument):
        await uc.list_employees(everything("acme"), "acme", False, 501, "")
