"""Streaming parse of an HR export: line numbers, header checks, duplicates."""

from __future__ import annotations

import pytest
from chorus_core.errors import InvalidArgument
from chorus_testing.directory import generate_directory_csv, inject_malformed_rows
from targeting_service.domain.csv_rows import ParsedRow, RowError, parse_directory

HEADER = (
    "external_id,email,display_name,country,language,timezone,department,status,"
    "opted_in,auto_share,home_region"
)


def row(external_id: str, country: str = "FR", name: str = "Léa Martin") -> str:
    return (
        f"{external_id},{external_id.lower()}@example.com,{name},{country},"
        "fr,Europe/Paris,HR,active,true,false,local"
    )


def parse(text: str) -> list[ParsedRow | RowError]:
    return list(parse_directory("t1", text.encode()))


def test_errors_carry_the_physical_line_header_being_line_one() -> None:
    text = "\n".join([HEADER, row("E1"), row("E2", country="France"), row("E3")]) + "\n"
    results = parse(text)
    assert [r.line for r in results] == [2, 3, 4]
    error = results[1]
    assert isinstance(error, RowError)
    assert error.reason == "country: not an assigned ISO 3166-1 alpha-2 country code"


def test_quoted_field_spanning_lines_keeps_later_line_numbers_physical() -> None:
    multi = row("E2", name='"Léa\nMartin"')
    text = "\n".join([HEADER, row("E1"), multi, row("E3", country="XX")]) + "\n"
    results = parse(text)
    assert [r.line for r in results] == [2, 3, 5]
    assert isinstance(results[1], ParsedRow) and results[1].employee.display_name == "Léa\nMartin"
    assert isinstance(results[2], RowError) and results[2].reason.startswith("country: ")


def test_byte_order_mark_crlf_and_blank_lines_are_accepted() -> None:
    text = "\ufeff" + "\r\n".join([HEADER, row("E1"), "", row("E2")]) + "\r\n"
    results = parse(text)
    assert [(type(r).__name__, r.line) for r in results] == [("ParsedRow", 2), ("ParsedRow", 4)]


def test_duplicate_external_id_is_reported_on_the_second_line() -> None:
    results = parse("\n".join([HEADER, row("E1"), row("E1")]))
    assert isinstance(results[1], RowError)
    assert results[1].reason == "external_id: already appears on line 2"


def test_wrong_column_count_is_a_row_error() -> None:
    results = parse("\n".join([HEADER, "E1,e1@example.com,Someone"]))
    assert isinstance(results[0], RowError) and "expected 11 columns, found 3" in results[0].reason


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "empty"),
        (b"external_id,email\nE1,a@example.com\n", "header lacks column(s): display_name"),
        ((HEADER + ",email\n").encode(), "repeats column(s): email"),
        ((HEADER + "\n").encode() + b"E1,\xff\xfe,x\n", "not UTF-8"),
        ((HEADER + '\nE1,"unterminated\n').encode(), "malformed CSV"),
    ],
)
def test_unreadable_file_is_refused_whole(data: bytes, fragment: str) -> None:
    with pytest.raises(InvalidArgument) as caught:
        list(parse_directory("t1", data))
    assert caught.value.field == "csv"
    assert fragment in caught.value.message


def test_generated_directory_with_injected_errors_reports_exactly_those_lines() -> None:
    text, broken = inject_malformed_rows(generate_directory_csv(200, seed=3), 9, seed=4)
    results = parse(text)
    errors = {r.line: r.reason for r in results if isinstance(r, RowError)}
    assert set(errors) == set(broken)
    for line, column in broken.items():
        assert errors[line].startswith(f"{column}: ")
    assert sum(isinstance(r, ParsedRow) for r in results) == 191


SECRETS = {
    "email": "ana.secret.at.example",
    "country": "Secretland",
    "language": "secretish",
    "timezone": "Europe/Secret",
    "status": "secret-leave",
    "opted_in": "secretly",
    "home_region": "Secret Region",
    "social_accounts": "bluesky:@ana.secret.example:secret-count",
    "hire_date": "secret-date",
}


@pytest.mark.parametrize(("column", "value"), sorted(SECRETS.items()))
def test_a_row_error_names_the_field_and_the_rule_never_the_value(column: str, value: str) -> None:
    """Reasons are returned, stored for request_id replays and shown: a cell
    is personal data (an e-mail, a handle), so no reason repeats one."""
    header = f"{HEADER},social_accounts,hire_date"
    cells = dict(zip(HEADER.split(","), row("E1").split(","), strict=True))
    cells.update(social_accounts="", hire_date="")
    cells[column] = value
    (result,) = parse("\n".join([header, ",".join(cells.values())]))
    assert isinstance(result, RowError)
    assert result.reason.startswith(f"{column}: ")
    assert "secret" not in result.reason.lower(), result.reason
