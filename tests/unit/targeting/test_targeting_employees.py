"""One HR-export row -> one employee: every column checked, errors name it
and the rule it breaks, never the value (an export's cells are personal data)."""

from __future__ import annotations

import pytest
from chorus_core.errors import InvalidArgument
from targeting_service.domain.employees import (
    employee_from_row,
    employee_id_for,
    normalise_language,
)

GOOD = {
    "external_id": "E1",
    "email": "Ana.Garcia@Example.com",
    "display_name": "Ana García",
    "country": "es",
    "language": "ES",
    "timezone": "Europe/Madrid",
    "department": "Sales",
    "status": "active",
    "opted_in": "true",
    "auto_share": "no",
    "home_region": "eu-west",
}


def test_valid_row_is_normalised() -> None:
    e = employee_from_row("t1", GOOD)
    assert (e.country, e.language, e.email) == ("ES", "es", "ana.garcia@example.com")
    assert (e.active, e.opted_in, e.auto_share) == (True, True, False)
    assert e.employee_id == employee_id_for("t1", "E1")


@pytest.mark.parametrize(
    ("value", "stored"), [("", ""), ("md", "MD"), ("ES-MD", "MD"), (" es-ct ", "CT")]
)
def test_subdivision_is_the_part_after_the_dash(value: str, stored: str) -> None:
    """Optional: where known, the planner avoids its regional holidays."""
    assert employee_from_row("t1", {**GOOD, "subdivision": value}).subdivision == stored
    assert employee_from_row("t1", GOOD).subdivision == ""  # an export without the column


def test_employee_id_is_stable_per_tenant_and_external_id() -> None:
    assert employee_id_for("t1", "E1") == employee_id_for("t1", "E1")
    assert employee_id_for("t1", "E1") != employee_id_for("t2", "E1")
    assert employee_id_for("t1", "E1") != employee_id_for("t1", "E2")


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("country", "Spain", "not an assigned ISO 3166-1 alpha-2 country code"),
        ("country", "UK", "not an assigned ISO 3166-1 alpha-2 country code"),
        ("language", "english", "not a BCP 47 language code (e.g. 'en', 'pt-BR')"),
        ("timezone", "Europe/Atlantis", "not an IANA timezone"),
        ("email", "ana.garcia", "not a valid address"),
        ("status", "on-leave", "not one of active, inactive, leave"),
        ("opted_in", "maybe", "not true or false"),
        ("auto_share", "2", "not true or false"),
        ("home_region", "EU WEST", "not a region name like 'eu-west'"),
        ("display_name", "  ", "must not be empty"),
        ("department", "", "must not be empty"),
        ("subdivision", "Bavaria", "not an ISO 3166-2 subdivision code like 'BY' or 'DE-BY'"),
        ("subdivision", "FR-IDF", "an ISO 3166-2 code of another country than the employee's"),
    ],
)
def test_bad_column_is_named_with_its_rule_not_its_value(
    column: str, value: str, expected: str
) -> None:
    with pytest.raises(InvalidArgument) as caught:
        employee_from_row("t1", {**GOOD, column: value})
    assert caught.value.field == column
    assert caught.value.message == f"{column}: {expected}"


def test_missing_column_is_reported() -> None:
    row = {k: v for k, v in GOOD.items() if k != "timezone"}
    with pytest.raises(InvalidArgument) as caught:
        employee_from_row("t1", row)
    assert caught.value.field == "timezone"


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [("EN", "en"), ("pt_br", "pt-BR"), ("zh-hant-tw", "zh-Hant-TW"), (" ca ", "ca")],
)
def test_language_casing_is_canonical(raw: str, canonical: str) -> None:
    assert normalise_language(raw) == canonical
