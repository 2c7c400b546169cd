"""What the gamification use cases need from the outside world, as interfaces.

Adapters implement them (the ledger in the service's database, PointsAwarded
through the outbox, the board in Redis); main.py wires them in. The ledger is
opened on a transaction the caller holds (chorus_db.ports.Transaction), so an
award commits with whatever else the caller does in it (a Kafka handler's
inbox row).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Protocol

from chorus_db.ports import Transaction

from gamification_service.domain.points import Award, LedgerEntry

# How a caller hands over the transaction an award must run in: a Kafka
# handler's ctx.transaction (the inbox row commits with the ledger row). A
# callable, not an open transaction, because the board is told the new total
# only after that transaction has committed.
OpenTransaction = Callable[[], AbstractAsyncContextManager[Transaction]]


class RebuildAlreadyRecorded(Exception):
    """A concurrent RebuildLeaderboard with the same request_id recorded its
    result first."""


class Ledger(Protocol):
    """The points ledger and the running totals (the source of truth)."""

    async def known_facts(
        self, tenant_id: str, facts: Collection[tuple[str, str]]
    ) -> set[tuple[str, str]]:
        """Those of the (reason, source_id) facts that already earned points."""
        ...

    async def record_all(self, awards: Sequence[Award]) -> dict[str, int]:
        """Appends the awards (of one tenant, facts all new) and returns the
        new total of each employee among them. A concurrent duplicate of a
        fact fails here (the caller retries)."""
        ...

    async def total(self, tenant_id: str, employee_id: str) -> int: ...

    async def entries(self, tenant_id: str, employee_id: str, limit: int) -> list[LedgerEntry]:
        """The most recent entries, newest first."""
        ...

    async def sums_from_ledger(self, tenant_id: str) -> dict[str, int]:
        """Every employee's total recomputed from the ledger rows themselves."""
        ...

    async def running_totals(self, tenant_id: str) -> dict[str, int]: ...

    async def tenants(self) -> list[str]:
        """Tenants with any points."""
        ...

    async def rebuild_result(self, tenant_id: str, request_id: str) -> int | None: ...

    async def record_rebuild(self, tenant_id: str, request_id: str, employees: int) -> None:
        """Raises RebuildAlreadyRecorded when the request_id is already stored."""
        ...

    async def anonymise(self, tenant_id: str, employee_id: str, into: str) -> int:
        """Moves the employee's ledger rows and total to the pseudo-employee
        `into`; returns the points moved."""
        ...

    async def erased_among(self, tenant_id: str, employee_ids: Collection[str]) -> set[str]:
        """Those of the employees who were erased (the erasure hold kept with
        the ledger). Asked before their awards, in that transaction: an
        erasure of one of them in progress is waited for, and none starts
        before that transaction ends."""
        ...


# The ledger opened on a transaction (or read session) the caller holds.
Ledgers = Callable[[Transaction], Ledger]


class PointsEvents(Protocol):
    """PointsAwarded, written in the caller's transaction (the outbox): it
    commits with the ledger row, or neither does."""

    def awarded(self, transaction: Transaction, award: Award, total: int) -> None: ...


class LeaderboardUnavailable(Exception):
    """The board's store did not answer: worth retrying later. The ledger is
    unaffected (the board is a view of it)."""


class Leaderboard(Protocol):
    """Per-tenant boards of running totals. Every method raises
    LeaderboardUnavailable when the store cannot be reached."""

    async def raise_to(self, tenant_id: str, totals: Mapping[str, int]) -> None:
        """Sets each employee's score to their total unless it already shows more."""
        ...

    async def replace(self, tenant_id: str, totals: Mapping[str, int]) -> None:
        """Swaps in a board built from `totals`, atomically."""
        ...

    async def top(self, tenant_id: str, limit: int) -> list[tuple[str, int]]:
        """(employee, points) in leaderboard order (domain.leaderboard)."""
        ...

    async def remove(self, tenant_id: str, employee_id: str) -> None: ...
