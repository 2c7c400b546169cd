"""Account links: a person's identity-provider subject tied to their
directory entry (just in time, on first sign-in). Pure: no I/O."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from chorus_core.errors import FailedPrecondition, InvalidArgument, NotFound

from targeting_service.domain.employees import Employee

MAX_SUBJECT = 255  # OIDC `sub` is at most 255 ASCII characters (OIDC Core 1.0 §2)


@dataclass(frozen=True)
class AccountLink:
    subject: str
    employee_id: str
    linked_at: datetime


@dataclass(frozen=True)
class LinkedAccount:
    """A link with what the gateway puts in the tokens it mints for the person."""

    link: AccountLink
    employee: Employee


def valid_subject(subject: str) -> str:
    subject = subject.strip()
    if not subject:
        raise InvalidArgument("subject", "must not be empty")
    if len(subject) > MAX_SUBJECT:
        raise InvalidArgument("subject", f"is longer than {MAX_SUBJECT} characters")
    return subject


def chosen_entry(by_external_id: Employee | None, by_email: Sequence[Employee]) -> Employee:
    """The externalId's entry, else the one entry with the e-mail. Two
    entries sharing an e-mail are not guessed between (either could be
    someone else's)."""
    if by_external_id is not None:
        return by_external_id
    if len(by_email) > 1:
        raise FailedPrecondition("several directory entries have this e-mail")
    if not by_email:
        raise NotFound("directory entry", "matching this account")
    return by_email[0]


def check_free(employee_id: str, holder: AccountLink | None, subject: str) -> None:
    """An entry belongs to one account: a second one is refused, not moved."""
    if holder is not None and holder.subject != subject:
        raise FailedPrecondition(f"directory entry {employee_id!r} is linked to another account")
