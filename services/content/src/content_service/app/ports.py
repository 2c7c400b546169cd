"""What content's use cases need from the outside world, as interfaces.

Adapters implement them (the service's database, its outbox); composition.py
wires them in. A store is opened on a transaction the caller holds
(chorus_db.ports.Transaction): a Kafka handler's ctx.transaction(), so the
effects commit with the inbox row, or a transaction (or read session) the use
case opens on its UnitOfWork for a gRPC call.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import BinaryIO, Protocol

from chorus_db.ports import Transaction

from content_service.app.events import PostEvent
from content_service.app.records import (
    AuditEntry,
    Comment,
    Feed,
    HeldTranslation,
    MediaAsset,
    Proposal,
)
from content_service.domain.calendar import DayVolume
from content_service.domain.campaigns import Campaign, Kpi, Phase
from content_service.domain.charter import Charter, Violation
from content_service.domain.posts import Post, PostKind, PostStatus
from content_service.domain.search import SearchFilters


class PostStore(Protocol):
    """Posts (head and versions), their audit trail and comments, by tenant.
    A read of an unknown post (or one of another tenant) raises NotFound."""

    async def get(self, tenant_id: str, post_id: str, *, for_update: bool = False) -> Post:
        """for_update: the row stays locked until the transaction ends."""
        ...

    async def find_by_request(self, tenant_id: str, request_id: str) -> Post | None:
        """The post a CreatePost (or a proposal) with that request_id created."""
        ...

    async def add(self, post: Post, request_id: str | None) -> None:
        """A new post and its first version."""
        ...

    async def save(self, post: Post, *, new_version: bool = False) -> None:
        """The head; new_version also stores the post's content as a version."""
        ...

    async def audit(
        self, post: Post, before: PostStatus, actor_id: str, *, reason: str = "", step: str = ""
    ) -> None:
        """A transition from `before` to the post's status, in the audit trail."""
        ...

    async def version(self, tenant_id: str, post_id: str, version: int) -> Post:
        """The post as it was at that version (status and review state: the head's)."""
        ...

    async def versions(self, tenant_id: str, post_id: str) -> list[Post]: ...

    async def page(
        self,
        tenant_id: str,
        status: PostStatus | None,
        limit: int,
        after_id: str | None,
        kind: PostKind | None = None,
    ) -> list[Post]:
        """In post id order, after `after_id`."""
        ...

    async def expiring(self, now: datetime, limit: int) -> list[Post]:
        """Live posts (approved, in review) whose expiry has passed, soonest
        first -- across tenants: the expiry job serves them all, and every
        later write is scoped to the post's tenant."""
        ...

    async def by_author(self, tenant_id: str, author_id: str) -> list[Post]: ...

    async def in_window(
        self, tenant_id: str, since: datetime, until: datetime, campaign_ids: Sequence[str]
    ) -> list[Post]:
        """Posts whose window (valid_from, else created_at, to expires_at)
        meets [since, until), or that belong to one of `campaign_ids`; in
        post id order (the editorial calendar's candidates)."""
        ...

    async def redact(self, post: Post) -> None:
        """Overwrite the post's text in the head, in every stored version and
        in the search index."""
        ...

    async def audit_trail(self, tenant_id: str, post_id: str = "") -> list[AuditEntry]:
        """In the order written; every post of the tenant when post_id is empty."""
        ...

    async def add_comment(self, comment: Comment) -> None: ...

    async def comments(self, tenant_id: str, post_id: str) -> list[Comment]: ...


class PostSearch(Protocol):
    async def search(
        self, tenant_id: str, filters: SearchFilters, limit: int, after_id: str
    ) -> list[Post]:
        """Every word of the query (full text) and every filter, in post id order."""
        ...


class CharterStore(Protocol):
    """Charters are versioned: a save is a new version, old ones stay readable."""

    async def current_version(self, tenant_id: str) -> int:
        """0 when the tenant never saved a charter."""
        ...

    async def get(self, tenant_id: str, version: int = 0) -> Charter:
        """That version (0: the current one; an empty Charter when there is
        none). NotFound for a version never saved."""
        ...

    async def save(self, tenant_id: str, charter: Charter, now: datetime) -> Charter:
        """Stored as the next version; returned with its version number."""
        ...


class ChainStore(Protocol):
    """The approval chain of each post kind, per tenant (empty: one review)."""

    async def steps(self, tenant_id: str, kind: str) -> tuple[str, ...]: ...

    async def save(self, tenant_id: str, kind: str, steps: tuple[str, ...]) -> None: ...

    async def all(self, tenant_id: str) -> dict[str, tuple[str, ...]]: ...


class RequestStore(Protocol):
    """Mutating calls already applied, by request_id (empty: never recorded)."""

    async def seen(self, tenant_id: str, request_id: str) -> bool: ...

    async def record(
        self, tenant_id: str, request_id: str, operation: str, subject_id: str, now: datetime
    ) -> None: ...


class HeldTranslationStore(Protocol):
    async def hold(
        self,
        tenant_id: str,
        post_id: str,
        version: int,
        language: str,
        violations: list[Violation],
        now: datetime,
    ) -> bool:
        """Record the hold; False when it was already held (a re-delivered translation)."""
        ...

    async def release(self, tenant_id: str, post_id: str, version: int, language: str) -> None:
        """No hold (any more): nothing happens when there was none."""
        ...

    async def all(self, tenant_id: str, post_id: str = "") -> list[HeldTranslation]:
        """Oldest hold first; every post of the tenant when post_id is empty."""
        ...


class ProposalStore(Protocol):
    """The moderation side of UGC posts (the post itself is in PostStore)."""

    async def add(
        self,
        tenant_id: str,
        post_id: str,
        language: str,
        violations: list[Violation],
        now: datetime,
    ) -> None: ...

    async def get(self, tenant_id: str, post_id: str) -> Proposal:
        """NotFound when the post is no proposal."""
        ...

    async def pending(self, tenant_id: str, limit: int, after_id: str) -> list[Proposal]:
        """Undecided ones, in post id order, after `after_id`."""
        ...

    async def decide(self, tenant_id: str, post_id: str, decision: str, reason: str) -> None: ...


class FeedStore(Protocol):
    async def get(self, tenant_id: str, feed_id: str) -> Feed | None:
        """None too for another tenant's feed."""
        ...

    async def add(self, feed: Feed) -> None: ...

    async def of_tenant(self, tenant_id: str) -> list[Feed]: ...

    async def every(self) -> list[tuple[str, str]]:
        """(tenant_id, feed_id) of every feed of every tenant: the poller's round."""
        ...

    async def allowed_hosts(self, tenant_id: str) -> frozenset[str]: ...

    async def set_allowed_hosts(self, tenant_id: str, hosts: list[str]) -> None: ...

    async def imported(self, tenant_id: str, feed_id: str, item_key: str) -> bool: ...

    async def add_item(self, tenant_id: str, feed_id: str, item_key: str, post_id: str) -> None:
        """The item became that draft: never imported again."""
        ...

    async def polled(
        self, tenant_id: str, feed_id: str, at: datetime, error: str, imported: int
    ) -> None:
        """The outcome of a poll, on the feed ("" error: it worked)."""
        ...


class MediaCatalog(Protocol):
    """The assets' descriptions (their bytes are in the MediaStore)."""

    async def get(self, tenant_id: str, media_id: str) -> MediaAsset | None: ...

    async def put(self, asset: MediaAsset) -> None:
        """A new asset, or the new tags of a known one."""
        ...

    async def page(
        self, tenant_id: str, tag: str, text: str, limit: int, after_id: str
    ) -> list[MediaAsset]:
        """In media id order, after `after_id`; `tag` (lower case) among the
        asset's tags and `text` (lower case) in its file name or description,
        each when not empty."""
        ...


class EmployeeReferences(Protocol):
    """Every place content keeps an employee's id (see app/erasure.py)."""

    async def replace_everywhere(self, tenant_id: str, employee_id: str, by: str) -> None:
        """As author, approver, commenter, actor in the audit trail, feed
        subscriber and media uploader."""
        ...

    async def replace_in_approver_lists(self, tenant_id: str, employee_id: str, by: str) -> None:
        """In the approvers of a post's current review round."""
        ...


class CampaignStore(Protocol):
    """Campaigns, by tenant; an unknown one (or another tenant's) is NotFound."""

    async def get(
        self, tenant_id: str, campaign_id: str, *, for_update: bool = False
    ) -> Campaign: ...

    async def find_by_request(self, tenant_id: str, request_id: str) -> Campaign | None: ...

    async def add(self, campaign: Campaign, request_id: str | None, now: datetime) -> None: ...

    async def save(self, campaign: Campaign, now: datetime) -> None: ...

    async def page(
        self,
        tenant_id: str,
        phase: Phase | None,
        limit: int,
        after_id: str | None,
        region: str = "",
    ) -> list[Campaign]:
        """In campaign id order after `after_id`; region: those it runs in."""
        ...

    async def overlapping(self, tenant_id: str, since: datetime, until: datetime) -> list[Campaign]:
        """Campaigns whose period meets [since, until)."""
        ...

    async def by_ids(self, tenant_id: str, campaign_ids: Sequence[str]) -> list[Campaign]:
        """Those of the tenant among `campaign_ids` (an unknown id is skipped)."""
        ...


class ChannelDirectory(Protocol):
    """Targeting's channels of a tenant (a network call: made outside any
    transaction)."""

    async def channel_ids(self, tenant_id: str) -> set[str]: ...


@dataclass(frozen=True)
class CampaignActuals:
    """What metrics measured for a campaign's posts in its period, in the
    deployment that answered (`region`); `not_measured`: the KPIs it does
    not measure."""

    region: str
    values: Mapping[Kpi, float]
    not_measured: frozenset[Kpi]


class CampaignMetrics(Protocol):
    """Metrics' actuals (a network call: outside any transaction)."""

    async def actuals(
        self, tenant_id: str, post_ids: Sequence[str], since: datetime, until: datetime
    ) -> CampaignActuals: ...


@dataclass(frozen=True)
class ShareVolumes:
    """Scheduling's share volumes per post, region and day, as the
    deployment that answered (`region`) knows them."""

    region: str
    days: Sequence[DayVolume]


class ShareVolumeReader(Protocol):
    """Scheduling's volumes (a network call: outside any transaction). A
    failure is a DomainError (Unavailable when scheduling is down)."""

    async def volumes(
        self, tenant_id: str, post_ids: Sequence[str], since: date, until: date, region: str
    ) -> ShareVolumes:
        """`since`..`until` inclusive, UTC days; region "" = every region."""
        ...


class RegionHolidays(Protocol):
    """domain.calendar.HolidayOf, and which countries it looks at."""

    def __call__(self, region: str, day: date) -> str | None: ...

    def countries_of(self, region: str) -> tuple[str, ...]: ...


class Stores(Protocol):
    """The stores, opened on a transaction (or read session) the caller holds."""

    def campaigns(self, transaction: Transaction) -> CampaignStore: ...

    def posts(self, transaction: Transaction) -> PostStore: ...

    def search(self, transaction: Transaction) -> PostSearch: ...

    def charters(self, transaction: Transaction) -> CharterStore: ...

    def chains(self, transaction: Transaction) -> ChainStore: ...

    def requests(self, transaction: Transaction) -> RequestStore: ...

    def held_translations(self, transaction: Transaction) -> HeldTranslationStore: ...

    def proposals(self, transaction: Transaction) -> ProposalStore: ...

    def feeds(self, transaction: Transaction) -> FeedStore: ...

    def media(self, transaction: Transaction) -> MediaCatalog: ...

    def employee_references(self, transaction: Transaction) -> EmployeeReferences: ...


class PostEvents(Protocol):
    """Written in the caller's transaction (the outbox): the events commit
    with the rows, or neither does."""

    def emit(self, transaction: Transaction, event: PostEvent) -> None: ...


class Upload(Protocol):
    def write(self, chunk: bytes) -> None: ...

    @property
    def size(self) -> int: ...

    @property
    def sha256(self) -> str: ...


class MediaStore(Protocol):
    """Where media bytes live (adapters.media_store: a local directory; an
    S3-compatible store implements the same calls)."""

    def begin(self, tenant_id: str) -> Upload: ...

    def commit(self, upload: Upload, tenant_id: str, media_id: str) -> None:
        """Make the staged bytes the content of media_id (idempotent: the
        same content committed twice is stored once)."""

    def abort(self, upload: Upload) -> None:
        """Drop the staged bytes: nothing partial remains."""

    def exists(self, tenant_id: str, media_id: str) -> bool: ...

    def open(self, tenant_id: str, media_id: str) -> BinaryIO:
        """The stored bytes, for reading (an S3 store: the GET body stream).
        FileNotFoundError when nothing is stored under that id."""
        ...


class FeedFetchError(Exception):
    """The feed could not be fetched (network, status, size): recorded on the feed."""


# The body of a feed URL, or FeedFetchError; PermissionDenied for an address
# the SSRF policy refuses (domain.feeds), given the tenant's allowed hosts.
FeedFetcher = Callable[[str, frozenset[str]], Awaitable[bytes]]

# BCP 47 base language of a text, or "und" when unsure.
LanguageDetector = Callable[[str], str]
