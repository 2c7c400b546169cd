"""The people of the content tests, as verified principals: the use cases
take the caller first, so each test says who does what (the role matrix
itself is tests/authz/test_content_authz.py)."""

from __future__ import annotations

from collections.abc import Iterable

from chorus_identity.principal import ANY, Grant, Principal, Role, user
from chorus_testing.identity import admin


def comms(
    tenant: str = "t1",
    subject: str = "alice",
    channels: Iterable[str] = (ANY,),
    regions: Iterable[str] = (),
) -> Principal:
    """A comms manager (every channel unless told)."""
    return user(subject, tenant, Grant.of(Role.COMMS_MANAGER, regions=regions, channels=channels))


def reviewer(tenant: str = "t1", subject: str = "bob", steps: Iterable[str] = (ANY,)) -> Principal:
    """A reviewer (of every step unless told)."""
    return user(subject, tenant, Grant.of(Role.REVIEWER, steps=steps))


def moderator(tenant: str = "t1", subject: str = "mod-1", employee_id: str = "") -> Principal:
    return user(subject, tenant, Role.MODERATOR, employee_id=employee_id)


def employee(tenant: str = "t1", employee_id: str = "emp-1", subject: str = "") -> Principal:
    """An employee linked to their directory entry."""
    return user(subject or f"sub-{employee_id}", tenant, Role.EMPLOYEE, employee_id=employee_id)


ALICE = comms()  # writes the posts
BOB = reviewer()  # reviews them
ADMIN = admin()

__all__ = ["ADMIN", "ALICE", "BOB", "admin", "comms", "employee", "moderator", "reviewer"]
