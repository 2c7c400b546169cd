"""Which directory entry a first sign-in links to, and when it is refused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from chorus_core.errors import FailedPrecondition, InvalidArgument, NotFound
from targeting_service.domain.account_links import (
    MAX_SUBJECT,
    AccountLink,
    check_free,
    chosen_entry,
    valid_subject,
)
from targeting_service.domain.employees import Employee

NOW = datetime(2026, 12, 2, 9, tzinfo=UTC)


def person(employee_id: str) -> Employee:
    return Employee(
        employee_id, "t", f"X-{employee_id}", f"{employee_id}@example.com", "P", "FR", "fr",
        "Europe/Paris", "Sales", True, True, False, "eu-west",
    )  # fmt: skip


def test_the_external_id_wins_over_the_email() -> None:
    assert chosen_entry(person("a"), [person("b"), person("c")]).employee_id == "a"


def test_one_entry_by_email_is_chosen_two_are_not_guessed_none_is_not_found() -> None:
    assert chosen_entry(None, [person("b")]).employee_id == "b"
    with pytest.raises(FailedPrecondition, match="several"):
        chosen_entry(None, [person("b"), person("c")])
    with pytest.raises(NotFound) as missing:
        chosen_entry(None, [])
    assert "@" not in str(missing.value)  # the message names no address


def test_an_entry_has_one_account() -> None:
    check_free("a", None, "sub-1")
    check_free("a", AccountLink("sub-1", "a", NOW), "sub-1")  # the same account again
    with pytest.raises(FailedPrecondition, match="another account"):
        check_free("a", AccountLink("sub-1", "a", NOW), "sub-2")


@pytest.mark.parametrize("subject", ["", "   ", "s" * (MAX_SUBJECT + 1)])
def test_a_subject_is_required_and_bounded(subject: str) -> None:
    with pytest.raises(InvalidArgument, match="subject"):
        valid_subject(subject)
    assert valid_subject(" sub-1 ") == "sub-1"
