"""domain.group_names: the delimited copy of a person's group names."""

from __future__ import annotations

import pytest
from targeting_service.domain.group_names import group_names_value, token


def test_the_value_is_sorted_delimited_and_empty_without_groups() -> None:
    assert group_names_value([]) == ""
    assert group_names_value(["Sales", "Contractors", "Sales"]) == "|Contractors|Sales|"
    assert group_names_value([""]) == "||"


@pytest.mark.parametrize(
    ("groups", "name", "member"),
    [
        (["Contractors"], "Contractors", True),
        (["Contractors"], "contractors", False),  # exact, as the members sub-query compared
        (["a", "b"], "a|b", False),  # the delimiter inside a name cannot join two names
        (["a|b"], "a", False),
        (["a|b"], "b", False),
        (["a|b"], "a|b", True),
        (["x%7Cy"], "x|y", False),  # "%" is encoded too: the encoding stays one-to-one
        (["x|y"], "x%7Cy", False),
        (["100%"], "100%", True),
        (["", "a"], "", True),
        (["a"], "", False),
        (["Sales EU"], "Sales", False),
    ],
)
def test_a_name_is_found_only_when_the_person_is_in_that_group(
    groups: list[str], name: str, member: bool
) -> None:
    assert (token(name) in group_names_value(groups)) is member
