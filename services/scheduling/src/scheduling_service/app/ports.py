"""What the scheduling use cases need from the outside world, as interfaces.

Adapters implement them (the service's database, the events through its
outbox); main.py wires them in. A store is opened on a transaction the caller
holds (chorus_db.ports.Transaction): a Kafka handler's ctx.transaction(), so
the effects commit with the inbox row, or a transaction the use case opens on
its UnitOfWork for a gRPC call. Events are written in that same transaction
(the outbox): they commit with the rows, or neither does.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from chorus_db.ports import Transaction
from chorus_telemetry.propagation import TraceCarrier

from scheduling_service.domain.best_hours import HourEstimate
from scheduling_service.domain.personal import CharterFinding
from scheduling_service.domain.shares import Share, ShareStatus
from scheduling_service.domain.slots import Taken
from scheduling_service.domain.translations import Translation
from scheduling_service.domain.volume import DayVolume, VolumeQuery
from scheduling_service.domain.waiting import TextState


@dataclass(frozen=True)
class DueShare:
    """A share the timer claimed, the text it posts, and the trace that
    scheduled it (its ShareDue joins that trace)."""

    share: Share
    translation: Translation
    trace: TraceCarrier


@dataclass(frozen=True)
class AppliedRequest:
    """A request_id already applied: what it did, to which share."""

    operation: str
    share_id: str


@dataclass(frozen=True)
class OpenShareRef:
    share_id: str
    post_id: str


@dataclass(frozen=True)
class Cancellation:
    """A share cancelled because its employee withdrew (ShareCancelled)."""

    tenant_id: str
    share_id: str
    post_id: str
    employee_id: str
    reason: str
    at: datetime


@dataclass(frozen=True)
class HeldSlot:
    """A share holding a time (scheduled or due): it counts toward its
    employee's daily cap and fills its minute and its group's spacing."""

    share_id: str
    employee_id: str
    group: str  # domain.shares.spread_group
    due_at: datetime


@dataclass(frozen=True)
class DeliveryNews:
    """Publishing's latest word on a due share: deferred (until when),
    held for a reconnection (since when), with `reason`; neither: out
    (published or failed), the note before it cleared."""

    tenant_id: str
    share_id: str
    deferred_until: datetime | None = None
    held_since: datetime | None = None
    reason: str = ""


class ShareStore(Protocol):
    async def get(self, tenant_id: str, share_id: str, *, for_update: bool = False) -> Share:
        """Raises chorus_core.errors.NotFound. `for_update` locks the row
        where the database can."""
        ...

    async def existing(self, tenant_id: str, share_ids: list[str]) -> dict[str, Share]: ...

    async def note_delivery(self, news: DeliveryNews) -> bool:
        """Publishing's news on a due share, replacing the one before: deferred
        until, held since, or neither (out). False: no such share."""
        ...

    async def clear_notes(self, tenant_id: str, share_ids: Sequence[str]) -> None:
        """Publishing's news that these shares are out: any deferral or
        hold noted on them is cleared (shares not held here: nothing)."""
        ...

    async def add(self, share: Share, trace: TraceCarrier | None) -> None:
        """`trace`: the context a scheduled share's ShareDue will join."""
        ...

    async def add_all(self, shares: Sequence[tuple[Share, TraceCarrier | None]]) -> None:
        """`add` for many shares at once (an audience batch's new ones)."""
        ...

    async def update(self, before: Share, after: Share, trace: TraceCarrier | None) -> bool:
        """Writes `after` only while the stored share is still in `before`'s
        state (the timer may have fired it meanwhile); False when it was not."""
        ...

    async def employee_slots(
        self, tenant_id: str, employee_ids: list[str], since: datetime, until: datetime
    ) -> list[HeldSlot]:
        """These employees' held times in [since, until), across every post."""
        ...

    async def post_slots(
        self, tenant_id: str, post_id: str, excluding: Collection[str]
    ) -> list[Taken]:
        """The times one post's shares hold (earlier batches' included),
        leaving out the shares `excluding` names: per spread group and
        minute, how many and the latest (domain.slots.Taken)."""
        ...

    async def page(
        self,
        tenant_id: str,
        *,
        post_id: str,
        employee_id: str,
        status: ShareStatus | None,
        limit: int,
        after_id: str,
    ) -> list[Share]:
        """In share id order, after `after_id`; empty filters match everything."""
        ...

    async def claim_due(self, now: datetime, limit: int) -> tuple[int, list[DueShare]]:
        """Scheduled shares whose time has come and whose text is ready and
        cleared, marked due in the caller's transaction, every tenant's.
        Returns (rows scanned, rows claimed): a share someone else claimed
        is not returned, so each one fires once."""
        ...


class EmployeeShares(Protocol):
    """Every share of one employee (opt-out, erasure)."""

    async def cancel_open(
        self, tenant_id: str, employee_id: str, now: datetime
    ) -> list[OpenShareRef]:
        """Cancels their suggested and scheduled shares; returns those."""
        ...

    async def delete_all(self, tenant_id: str, employee_id: str) -> int: ...


class TranslationStore(Protocol):
    async def save(self, translation: Translation, now: datetime) -> None:
        """Insert, or replace the text (a human override re-delivers a language)."""
        ...

    async def get(
        self, tenant_id: str, post_id: str, version: int, language: str
    ) -> Translation | None: ...


class CharterCheck(Protocol):
    """Content's charter, asked about a text an employee wrote for a share."""

    async def check_text(
        self, tenant_id: str, network: str, language: str, text: str
    ) -> list[CharterFinding]:
        """The violations of `text` as the network text of a share in
        `language` (lengths counted the network's way), asked with the
        caller's own token. Raises a DomainError when content refuses the
        caller or cannot answer."""
        ...


class RequestStore(Protocol):
    async def find(self, tenant_id: str, request_id: str) -> AppliedRequest | None: ...

    async def add(
        self, tenant_id: str, request_id: str, operation: str, share_id: str, now: datetime
    ) -> None: ...


class VolumeStore(Protocol):
    async def day_volumes(self, tenant_id: str, query: VolumeQuery) -> list[DayVolume]:
        """The scheduled and due shares of the query's posts whose due_at is
        in [since, until), per (UTC day, region, post), in that order."""
        ...


class EngagementStore(Protocol):
    """Clicks by the local hour of the share, per region and network."""

    async def count_click(
        self,
        tenant_id: str,
        click_id: str,
        region: str,
        network: str,
        hour: int,
        now: datetime,
    ) -> bool:
        """One click more in that hour; False (nothing counted) when this
        click_id was counted already."""
        ...

    async def clicks_by_hour(self, tenant_id: str, region: str, network: str) -> dict[int, int]: ...


class HourEstimates(Protocol):
    """The best local hours learned for a region and network (the planner's
    preference; app.engagement reads them from the EngagementStore)."""

    async def estimate(self, tenant_id: str, region: str, network: str) -> HourEstimate: ...


class Stores(Protocol):
    """The stores, opened on a transaction (or read session) the caller holds."""

    def shares(self, transaction: Transaction) -> ShareStore: ...

    def employee_shares(self, transaction: Transaction) -> EmployeeShares: ...

    def translations(self, transaction: Transaction) -> TranslationStore: ...

    def requests(self, transaction: Transaction) -> RequestStore: ...

    def volumes(self, transaction: Transaction) -> VolumeStore: ...

    def engagement(self, transaction: Transaction) -> EngagementStore: ...


class ShareEvents(Protocol):
    """SharesScheduled, ShareDue and ShareCancelled, in the caller's transaction."""

    def scheduled(self, transaction: Transaction, shares: Sequence[Share]) -> None:
        """Shares given a time, announced together (per post)."""
        ...

    def due(self, transaction: Transaction, due: DueShare) -> None: ...

    def cancelled(self, transaction: Transaction, cancellation: Cancellation) -> None: ...


# (share_id, post_version, language)
OpenShare = tuple[str, int, str]


class HoldStore(Protocol):
    """Languages held for a human translation, inside the event's transaction."""

    async def hold(
        self,
        tenant_id: str,
        post_id: str,
        version: int,
        language: str,
        reason: str,
        now: datetime,
    ) -> None: ...

    async def open_count(
        self, tenant_id: str, post_id: str, version: int, language: str
    ) -> int: ...


class WaitingReader(Protocol):
    async def snapshot(
        self, tenant_id: str, post_id: str
    ) -> tuple[list[OpenShare], dict[tuple[int, str], TextState]]:
        """A post's open shares (in id order) and its text states."""
        ...
