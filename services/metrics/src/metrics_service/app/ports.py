"""What the metrics use cases need from the outside world, as interfaces.

Adapters implement them (links, clicks and counters in the service's
database, LinkClicked through the outbox); main.py wires them in. Every store
is opened on a transaction (or read session) the caller holds
(chorus_db.ports.Transaction), so a click, its counter and its event commit
together, and a counted share commits with the Kafka handler's inbox row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from chorus_db.ports import Transaction
from chorus_telemetry.propagation import TraceCarrier

from metrics_service.domain.campaigns import CampaignRows, Period
from metrics_service.domain.links import TrackedLink

# (country, shares, clicks) rows, as domain.stats.summarise takes them.
StatsRows = list[tuple[str, int, int]]


@dataclass(frozen=True)
class PublishedShare:
    """A share to count (SharePublished). `employee_id`: the sharer, None
    when nobody is known; `published_at` None: now."""

    tenant_id: str
    share_id: str
    post_id: str
    country: str
    employee_id: str | None
    published_at: datetime | None


class LinkTaken(Exception):
    """A concurrent create stored a link for the same share, or took the same
    code, first: running again finds the winner's row."""


class LinkStore(Protocol):
    async def by_share(self, tenant_id: str, share_id: str) -> TrackedLink | None: ...

    async def by_shares(
        self, shares: Sequence[tuple[str, str]]
    ) -> dict[tuple[str, str], TrackedLink]:
        """The links of these (tenant, share) pairs that exist, by pair."""
        ...

    async def by_code(self, code: str) -> TrackedLink | None:
        """The public redirect's lookup: a code is unique across tenants."""
        ...

    async def code_taken(self, code: str) -> bool: ...

    async def codes_taken(self, codes: Sequence[str]) -> set[str]:
        """Which of these codes a link has already."""
        ...

    async def trace_of(self, code: str) -> TraceCarrier:
        """The W3C context the link was created in (empty when it has none)."""
        ...

    async def add_all(self, links: Sequence[tuple[TrackedLink, TraceCarrier]]) -> None:
        """Each link with the trace it was made in, in one flush. Raises
        LinkTaken when a share or a code already has a row."""
        ...

    async def anonymise(self, tenant_id: str, employee_id: str, into: str) -> int:
        """Rewrites the employee's links to the pseudo-employee `into`; returns
        the rows changed."""
        ...

    async def ping(self) -> None:
        """Raises when the database cannot answer (the readiness probe)."""
        ...


class ClickStore(Protocol):
    async def add(self, click_id: str, link: TrackedLink, clicked_at: datetime) -> None: ...

    async def anonymise(self, tenant_id: str, employee_id: str, into: str) -> int:
        """As LinkStore.anonymise, for the clicks on the employee's links."""
        ...


class StatsStore(Protocol):
    async def counted_among(self, tenant_id: str, share_ids: Sequence[str]) -> set[str]:
        """Those of the shares counted already."""
        ...

    async def count_shares(self, shares: Sequence[PublishedShare]) -> None:
        """Marks the shares counted (with their sharer and publish time) and
        adds each to its (post, country). A concurrent duplicate fails here,
        before the counters move (the caller retries)."""
        ...

    async def count_click(self, tenant_id: str, post_id: str, country: str) -> None: ...

    async def for_post(self, tenant_id: str, post_id: str) -> StatsRows: ...

    async def for_tenant(self, tenant_id: str) -> StatsRows: ...

    async def for_campaign(
        self, tenant_id: str, post_ids: Sequence[str], period: Period
    ) -> CampaignRows:
        """Shares (by publish time) and clicks (by click time) of these posts
        in the period, per post and country, and their distinct sharers."""
        ...

    async def anonymise_shares(self, tenant_id: str, employee_id: str, into: str) -> int:
        """Rewrites the employee's counted shares to the sharer `into`."""
        ...


class HoldStore(Protocol):
    async def erased(self, tenant_id: str, employee_id: str) -> bool:
        """Whether the employee was erased (the erasure hold kept with the
        links). Asked before writing their id, in that transaction: an erasure
        of the same employee in progress is waited for, and none starts before
        that transaction ends."""
        ...

    async def erased_among(self, tenant_id: str, employee_ids: Sequence[str]) -> set[str]:
        """Which of these employees were erased (as `erased`, for many)."""
        ...


class Stores(Protocol):
    """The stores, opened on a transaction (or read session) the caller holds."""

    def links(self, transaction: Transaction) -> LinkStore: ...

    def clicks(self, transaction: Transaction) -> ClickStore: ...

    def stats(self, transaction: Transaction) -> StatsStore: ...

    def holds(self, transaction: Transaction) -> HoldStore: ...


class ClickEvents(Protocol):
    """LinkClicked, written in the caller's transaction (the outbox): it
    commits with the click and its counter, or none of them does."""

    def clicked(
        self, transaction: Transaction, link: TrackedLink, click_id: str, clicked_at: datetime
    ) -> None: ...
