"""Who is calling: a verified person or service, in one tenant, with roles.

A Principal is only ever built from a verified token (chorus_identity.tokens);
nothing in a request body or path can create one. Services read it from the
call context (chorus_identity.context) and hand it to their use cases, whose
policies decide what it may do.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

PrincipalKind = Literal["user", "service"]

# A scope value meaning "every region / channel / step".
ANY = "*"


class Role(StrEnum):
    TENANT_ADMIN = "tenant_admin"
    COMMS_MANAGER = "comms_manager"  # scoped to regions and/or channels
    REVIEWER = "reviewer"  # scoped to approval steps
    MODERATOR = "moderator"  # UGC moderation
    EMPLOYEE = "employee"  # an ambassador linked to a directory entry


def _scope(values: Iterable[str]) -> frozenset[str]:
    return frozenset(v for v in values if v)


@dataclass(frozen=True)
class Grant:
    """One role with its scope. An empty scope covers nothing; ANY covers all."""

    role: Role
    regions: frozenset[str] = frozenset()
    channels: frozenset[str] = frozenset()
    steps: frozenset[str] = frozenset()

    @classmethod
    def of(
        cls,
        role: Role | str,
        regions: Iterable[str] = (),
        channels: Iterable[str] = (),
        steps: Iterable[str] = (),
    ) -> Grant:
        return cls(Role(role), _scope(regions), _scope(channels), _scope(steps))

    def covers_region(self, region: str) -> bool:
        return ANY in self.regions or region in self.regions

    def covers_channel(self, channel: str) -> bool:
        return ANY in self.channels or channel in self.channels

    def covers_step(self, step: str) -> bool:
        return ANY in self.steps or step in self.steps


@dataclass(frozen=True)
class Principal:
    """subject: the identity provider's opaque id (never an e-mail).
    tenant_id: the user's tenant; empty for a service, which acts for the
    tenant of the work it is doing (an event's tenant) and is limited to the
    calls its callee allows services to make.
    employee_id: the directory entry this account is linked to, if any."""

    subject: str
    kind: PrincipalKind
    tenant_id: str = ""
    grants: tuple[Grant, ...] = ()
    employee_id: str = ""
    service: str = ""
    # The issuer that vouched for it, for the audit log.
    issuer: str = field(default="", compare=False)

    @property
    def is_service(self) -> bool:
        return self.kind == "service"

    @property
    def ref(self) -> str:
        """Opaque reference for headers and audit rows: no personal data."""
        return f"service:{self.service}" if self.is_service else f"user:{self.subject}"

    def grants_of(self, role: Role) -> tuple[Grant, ...]:
        return tuple(g for g in self.grants if g.role == role)

    def has(self, role: Role) -> bool:
        return any(g.role == role for g in self.grants)

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(g.role for g in self.grants)


def user(
    subject: str,
    tenant_id: str,
    *grants: Grant | Role,
    employee_id: str = "",
    issuer: str = "",
) -> Principal:
    """A user principal; a bare Role is an unscoped grant of it."""
    expanded = tuple(g if isinstance(g, Grant) else Grant(g) for g in grants)
    return Principal(subject, "user", tenant_id, expanded, employee_id, issuer=issuer)


def service(name: str, issuer: str = "") -> Principal:
    return Principal(f"service:{name}", "service", service=name, issuer=issuer)
