"""The segment language: parsing, positions in errors, unknown attributes."""

from __future__ import annotations

from datetime import date

import pytest
from chorus_core.errors import InvalidArgument
from targeting_service.domain.segments import (
    And,
    Comparison,
    Not,
    Or,
    attributes_of,
    parse_segment,
    tokenize,
)


def test_the_example_from_the_issue_parses_into_the_expected_tree() -> None:
    tree = parse_segment(
        'country in ("FR", "BE") and department = "Sales" and not group = "Contractors" '
        'and language = "fr"'
    )
    assert tree == And(
        (
            Comparison("country", "in", ("FR", "BE")),
            Comparison("department", "=", ("Sales",)),
            Not(Comparison("group", "=", ("Contractors",))),
            Comparison("language", "=", ("fr",)),
        )
    )


def test_and_binds_tighter_than_or_and_parentheses_override() -> None:
    assert parse_segment('country = "FR" or country = "BE" and title = "CEO"') == Or(
        (
            Comparison("country", "=", ("FR",)),
            And((Comparison("country", "=", ("BE",)), Comparison("title", "=", ("CEO",)))),
        )
    )
    grouped = parse_segment('(country = "FR" or country = "BE") and title = "CEO"')
    assert isinstance(grouped, And) and isinstance(grouped.items[0], Or)


def test_dates_numbers_booleans_and_not_in() -> None:
    tree = parse_segment(
        "hire_date < 2024-01-01 AND followers >= 100 and auto_share = true "
        'and department not in ("HR")'
    )
    assert tree == And(
        (
            Comparison("hire_date", "<", (date(2024, 1, 1),)),
            Comparison("followers", ">=", (100,)),
            Comparison("auto_share", "=", (True,)),
            Comparison("department", "notin", ("HR",)),
        )
    )
    assert attributes_of(tree) == {"hire_date", "followers", "auto_share", "department"}


def test_country_values_are_normalised_and_checked() -> None:
    assert parse_segment('country = "fr"') == Comparison("country", "=", ("FR",))
    with pytest.raises(InvalidArgument, match=r"column 11: 'UK' is not an ISO 3166-1"):
        parse_segment('country = "UK"')


def test_escaped_quotes_in_strings() -> None:
    assert parse_segment(r'title = "the \"boss\""') == Comparison("title", "=", ('the "boss"',))


@pytest.mark.parametrize(
    ("rule", "where"),
    [
        ('country = "FR" and', "line 1, column 19: expected an attribute, found the end"),
        ('country = "FR"\n  and (department = "Sales"', "line 2, column 28: expected ')'"),
        ('country == "FR"', "line 1, column 10: 'country' compares with a string, found '='"),
        ('country = "FR" department = "X"', "line 1, column 16: expected 'and', 'or' or the end"),
        ('hire_date < "2024"', "line 1, column 13: 'hire_date' compares with a date"),
        ('country < "FR"', "line 1, column 9: '<' does not apply to 'country'"),
        ('title = "unterminated', "line 1, column 9: unterminated string"),
        ('title = "x" & country = "FR"', "line 1, column 13: unexpected character '&'"),
        ("hire_date < 2024-13-01", "line 1, column 13: '2024-13-01' is not a calendar date"),
        ('country not ("FR")', "line 1, column 13: expected 'in' after 'not'"),
    ],
)
def test_syntax_errors_say_line_and_column(rule: str, where: str) -> None:
    with pytest.raises(InvalidArgument) as caught:
        parse_segment(rule)
    assert caught.value.field == "segment"
    assert where in caught.value.reason


def test_an_unknown_attribute_is_named_with_its_position() -> None:
    with pytest.raises(InvalidArgument) as caught:
        parse_segment('country = "FR" and\n   salary > 100')
    assert "line 2, column 4: unknown attribute 'salary'" in caught.value.reason
    assert "department" in caught.value.reason  # the known ones are listed


def test_empty_rule_is_refused() -> None:
    with pytest.raises(InvalidArgument, match="must not be empty"):
        parse_segment("  \n ")


def test_tokens_carry_their_position_across_lines() -> None:
    tokens = tokenize('a\n  b = "c"')
    assert [(t.text, t.line, t.column) for t in tokens] == [
        ("a", 1, 1),
        ("b", 2, 3),
        ("=", 2, 5),
        ('"c"', 2, 7),
        ("", 2, 10),
    ]
