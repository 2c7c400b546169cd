"""What the targeting use cases need from the outside world, as interfaces.

Adapters implement them (the directory, channels, segments, consent records
and import log in the service's database; the employee and audience events
through the outbox); main.py wires them in (composition.build). Every store
is opened on a transaction (or read session) the caller holds
(chorus_db.ports.Transaction): a Kafka handler's, which carries the inbox
row, or the one a use case opens on its UnitOfWork. So a change, its record
and its events commit together, or none of them does.
"""

from __future__ import annotations

import builtins
from collections.abc import AsyncGenerator, Collection, Mapping, Sequence
from datetime import datetime
from typing import Protocol

from chorus_db.ports import Transaction

from targeting_service.domain.account_links import AccountLink
from targeting_service.domain.audience import (
    AudienceCounts,
    AudiencePreview,
    AudienceRule,
    Delivery,
    Member,
)
from targeting_service.domain.channels import Channel, SavedSegment
from targeting_service.domain.consent_records import ConsentRecord
from targeting_service.domain.employees import Employee, SocialAccount
from targeting_service.domain.imports import ImportResult
from targeting_service.domain.participation import ConsentState, Standing


class EmployeeStore(Protocol):
    """The directory's people. Raises NotFound for an unknown employee."""

    async def get(self, tenant_id: str, employee_id: str) -> Employee: ...

    async def list(
        self, tenant_id: str, opted_in_only: bool, limit: int, after_id: str | None
    ) -> builtins.list[Employee]:
        """In employee-id order, after `after_id` (keyset paging)."""
        ...

    async def audience_counts(self, tenant_id: str, rule: AudienceRule) -> AudienceCounts: ...

    async def audience_preview(self, tenant_id: str, rule: AudienceRule) -> AudiencePreview: ...

    def audience_pages(
        self, tenant_id: str, rule: AudienceRule, size: int
    ) -> AsyncGenerator[builtins.list[Member], None]:
        """Every member in employee-id order, in pages of `size`, from one
        streamed read (close it: contextlib.aclosing)."""
        ...

    async def changed_fields(
        self,
        employees: Sequence[Employee],
        networks: Mapping[str, str],
        group_names: Mapping[str, str],
    ) -> dict[str, builtins.list[str]]:
        """{external id: names of the fields a write would change} ("*" = new)."""
        ...

    async def write(
        self,
        employees: Sequence[Employee],
        changes: dict[str, builtins.list[str]],
        now: datetime,
        networks: Mapping[str, str],
        group_names: Mapping[str, str],
    ) -> tuple[int, int]:
        """Writes the people changed_fields found changed; (created, updated)."""
        ...


class DirectoryStore(Protocol):
    """Groups, social accounts, leavers and erasure tombstones."""

    async def erased(self, tenant_id: str, employee_ids: Collection[str]) -> set[str]:
        """Which of these ids were erased (GDPR): nobody may bring them back."""
        ...

    async def active_external_ids(self, tenant_id: str) -> dict[str, str]:
        """{external id: employee id} of everyone active."""
        ...

    async def deactivate(self, tenant_id: str, employee_ids: list[str], now: datetime) -> None: ...

    async def refresh_statistics(self) -> None:
        """Lets the database re-plan after a bulk import grew the directory."""
        ...

    async def lock_tenant(self, tenant_id: str) -> None:
        """Until the transaction ends, no other import of this tenant's
        directory runs: two would upsert the same rows (primary keys) and
        deactivate each other's people."""
        ...

    async def replace_groups(
        self,
        tenant_id: str,
        groups: Mapping[str, tuple[str, ...]],
        now: datetime,
        known: Collection[str],
    ) -> None:
        """{employee id: group names}: memberships become exactly these
        (`known`: the people who may have memberships already)."""
        ...

    async def replace_accounts(
        self,
        tenant_id: str,
        accounts: Mapping[str, tuple[SocialAccount, ...]],
        known: Collection[str],
    ) -> None: ...

    async def group_names(self, tenant_id: str, employee_id: str) -> list[str]: ...

    async def accounts(self, tenant_id: str, employee_id: str) -> list[SocialAccount]: ...

    async def erase(self, tenant_id: str, employee_id: str, now: datetime) -> bool:
        """Deletes every row about the person and keeps the tombstone; False
        if they were erased already; NotFound for an id the tenant never had."""
        ...


class ChannelStore(Protocol):
    """Raises NotFound for an unknown channel, AlreadyExists for a taken name."""

    async def add(self, tenant_id: str, channel: Channel, now: datetime) -> None: ...

    async def get(self, tenant_id: str, channel_id: str) -> Channel: ...

    async def list(self, tenant_id: str) -> builtins.list[Channel]: ...

    async def many(self, tenant_id: str, channel_ids: Sequence[str]) -> builtins.list[Channel]: ...

    async def lock(self, tenant_id: str, channel_id: str) -> None:
        """Until the transaction ends, no other change of this channel's
        managers runs (they are replaced: both would insert the same rows)."""
        ...

    async def set_managers(
        self, tenant_id: str, channel_id: str, employee_ids: Sequence[str]
    ) -> None: ...

    async def subscribe(self, tenant_id: str, channel_id: str, employee_id: str) -> bool:
        """True if the employee was not subscribed before."""
        ...

    async def unsubscribe(self, tenant_id: str, channel_id: str, employee_id: str) -> bool:
        """True if the employee was subscribed before."""
        ...


class SegmentStore(Protocol):
    async def lock(self, tenant_id: str, segment_id: str) -> None:
        """Until the transaction ends, no other save of this segment runs:
        both would write the same next version."""
        ...

    async def latest_version(self, tenant_id: str, segment_id: str) -> int:
        """0 when the segment has no version."""
        ...

    async def add(self, tenant_id: str, segment: SavedSegment) -> None:
        """A concurrent save of the same version fails here."""
        ...

    async def get(self, tenant_id: str, segment_id: str, version: int = 0) -> SavedSegment:
        """Version 0: the latest. Raises NotFound."""
        ...

    async def list(self, tenant_id: str) -> builtins.list[SavedSegment]:
        """The latest version of each segment."""
        ...


class ResolutionStore(Protocol):
    """Resolutions of a post version: its first (round "", from PostApproved)
    and each campaign round ("pilot", "live"), each at most once."""

    async def exists(self, tenant_id: str, post_id: str, version: int, round: str = "") -> bool: ...

    async def add(
        self,
        tenant_id: str,
        post_id: str,
        version: int,
        total: int,
        batch_count: int,
        now: datetime,
        *,
        segment_id: str = "",
        segment_version: int = 0,
        channel_ids: Sequence[str] = (),
        round: str = "",
    ) -> None:
        """A concurrent resolution of the same version fails here, before any
        event is written (its retry then finds this one)."""
        ...


class ConsentStore(Protocol):
    """The person's consent and the record of every decision about it."""

    async def lock(self, tenant_id: str, employee_id: str) -> tuple[Standing, ConsentState]:
        """Their current standing and consent, the person locked for the rest
        of the transaction (their decisions apply one after the other)."""
        ...

    async def apply(self, tenant_id: str, record: ConsentRecord, now: datetime) -> Standing:
        """Sets the person to the state the decision sets; their standing after it."""
        ...

    async def find(self, tenant_id: str, request_id: str) -> ConsentRecord | None: ...

    async def last_applied(self, tenant_id: str, employee_id: str) -> datetime | None: ...

    async def add(self, tenant_id: str, record: ConsentRecord, now: datetime) -> None:
        """Raises AlreadyExists when another decision took the request_id."""
        ...


class ImportLog(Protocol):
    """The result of each import that had a request_id, to answer its replays."""

    async def find(self, tenant_id: str, request_id: str) -> ImportResult | None: ...

    async def record(
        self, tenant_id: str, request_id: str, result: ImportResult, now: datetime
    ) -> None: ...


class ScimTokens(Protocol):
    """One SCIM bearer token per tenant, kept as its hash only."""

    async def replace(self, tenant_id: str, token_hash: str, now: datetime) -> bool:
        """True if it replaced (revoked) the tenant's previous token."""
        ...

    async def tenant_of(self, token_hash: str) -> str | None: ...


class AccountLinkStore(Protocol):
    """Identity-provider subjects linked to directory entries, and the
    entries a first sign-in may match."""

    async def of_subject(self, tenant_id: str, subject: str) -> AccountLink | None: ...

    async def of_employee(self, tenant_id: str, employee_id: str) -> AccountLink | None: ...

    async def by_external_id(self, tenant_id: str, external_id: str) -> Employee | None: ...

    async def by_email(self, tenant_id: str, email: str) -> builtins.list[Employee]:
        """Case-insensitive; at most two (enough to know it is not one)."""
        ...

    async def add(self, tenant_id: str, link: AccountLink) -> None:
        """Fails (Stores.is_duplicate) when the subject or the entry is linked already."""
        ...


class Stores(Protocol):
    """The stores, opened on a transaction (or read session) the caller holds."""

    def employees(self, transaction: Transaction) -> EmployeeStore: ...

    def directory(self, transaction: Transaction) -> DirectoryStore: ...

    def channels(self, transaction: Transaction) -> ChannelStore: ...

    def segments(self, transaction: Transaction) -> SegmentStore: ...

    def resolutions(self, transaction: Transaction) -> ResolutionStore: ...

    def consents(self, transaction: Transaction) -> ConsentStore: ...

    def imports(self, transaction: Transaction) -> ImportLog: ...

    def scim_tokens(self, transaction: Transaction) -> ScimTokens: ...

    def account_links(self, transaction: Transaction) -> AccountLinkStore: ...

    def is_duplicate(self, error: Exception) -> bool:
        """Whether a failed transaction lost to another that wrote the same
        unique key first (e.g. the same import request_id, sent twice at once)."""
        ...


class EmployeeEvents(Protocol):
    """EmployeeOptedOut / EmployeeOptedIn / EmployeeErased, written in the
    caller's transaction (the outbox): each commits with the change it tells
    of, or neither does. Keyed by the opaque employee id."""

    def opted_out(
        self, transaction: Transaction, tenant_id: str, employee_id: str, at: datetime
    ) -> None: ...

    def opted_in(
        self, transaction: Transaction, tenant_id: str, employee_id: str, at: datetime
    ) -> None: ...

    def erased(
        self,
        transaction: Transaction,
        tenant_id: str,
        employee_id: str,
        at: datetime,
        subjects: Sequence[str] = (),
    ) -> None:
        """`subjects`: the sign-ins linked to the person (erased with them)."""
        ...


class AudienceEvents(Protocol):
    """An approved post's audience: its batches, then the summary, written in
    the resolution's transaction."""

    def batch(
        self,
        transaction: Transaction,
        tenant_id: str,
        post_id: str,
        version: int,
        index: int,
        batches: int,
        members: Sequence[Member],
        delivery: Delivery,
    ) -> None: ...

    def summary(
        self,
        transaction: Transaction,
        tenant_id: str,
        post_id: str,
        version: int,
        source_language: str,
        counts: AudienceCounts,
        segment_id: str,
        segment_version: int,
    ) -> None: ...
