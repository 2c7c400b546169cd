"""Who receives a post, and how the answer is cut into events. Pure: no I/O.

The rule: active AND opted in AND living in this deployment's region (their
data and shares stay there) AND in one of the targeted countries and
departments (an empty list means "no restriction"). The repository turns the
rule into SQL; this module only states it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from chorus_core.errors import InvalidArgument
from chorus_core.ids import stable_id

from targeting_service.domain.countries import valid_country
from targeting_service.domain.segments import Node

MAX_BATCH = 1000  # members per AudienceBatchResolved (keeps an event well under 1 MB)


@dataclass(frozen=True)
class ChannelScope:
    """Who the post's channels reach in this region: everyone (one of them
    is mandatory here) or the subscribers of the listed ones."""

    everyone: bool = False
    channel_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class AudienceRule:
    region: str
    countries: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    segment: Node | None = None
    channels: ChannelScope | None = None  # None: the post names no channel

    @classmethod
    def of(cls, region: str, countries: Iterable[str], departments: Iterable[str]) -> AudienceRule:
        clean_countries: list[str] = []
        for country in countries:
            clean_countries.append(valid_country("targeting.countries", country.strip().upper()))
        clean_departments = [d.strip() for d in departments]
        if any(not d for d in clean_departments):
            raise InvalidArgument("targeting.departments", "must not contain an empty name")
        return cls(
            region, tuple(sorted(set(clean_countries))), tuple(sorted(set(clean_departments)))
        )


@dataclass(frozen=True)
class Member:
    employee_id: str
    language: str
    timezone: str
    country: str
    auto_share: bool
    # The directory's sharing preferences, carried for scheduling's planner.
    sharing_hours: str = ""  # "09:00-18:00" local; empty = any time
    max_shares_per_day: int = 0  # 0 = no limit
    home_region: str = ""
    subdivision: str = ""  # ISO 3166-2 after the dash: their regional holidays


@dataclass(frozen=True)
class Delivery:
    """What every batch of one resolution carries besides its members: the
    post's window (None = now / never) and its campaign (empty = none)."""

    valid_from: datetime | None = None
    expires_at: datetime | None = None
    campaign_id: str = ""
    round: str = ""  # a campaign round ("pilot", "live"); "" = the approval's


@dataclass(frozen=True)
class AudienceCounts:
    total: int = 0
    by_language: dict[str, int] = field(default_factory=dict)
    by_country: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_groups(cls, groups: Iterable[tuple[str, str, int]]) -> AudienceCounts:
        """Folds the (country, language, count) groups SQL returned; there are
        at most countries x languages of them, never one per employee."""
        by_language: dict[str, int] = {}
        by_country: dict[str, int] = {}
        total = 0
        for country, language, count in groups:
            total += count
            by_language[language] = by_language.get(language, 0) + count
            by_country[country] = by_country.get(country, 0) + count
        return cls(total, by_language, by_country)


@dataclass(frozen=True)
class AudiencePreview:
    total: int = 0
    by_country: dict[str, int] = field(default_factory=dict)
    by_language: dict[str, int] = field(default_factory=dict)
    by_timezone: dict[str, int] = field(default_factory=dict)
    # Employees with an account on each network (one person may count in several).
    by_network: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_groups(
        cls, groups: Iterable[tuple[str, str, str, int]], networks: Iterable[tuple[str, int]]
    ) -> AudiencePreview:
        """Folds (country, language, timezone, count) groups computed by SQL."""
        preview = cls(by_network=dict(networks))
        total = 0
        for country, language, timezone, count in groups:
            total += count
            for target, key in (
                (preview.by_country, country),
                (preview.by_language, language),
                (preview.by_timezone, timezone),
            ):
                target[key] = target.get(key, 0) + count
        return AudiencePreview(
            total, preview.by_country, preview.by_language, preview.by_timezone, preview.by_network
        )


def batch_count(total: int) -> int:
    return (total + MAX_BATCH - 1) // MAX_BATCH


def batch_id(tenant_id: str, post_id: str, version: int, index: int, round: str = "") -> str:
    """The same batch of the same post version (and campaign round) always
    has the same id, so a consumer can deduplicate on it too."""
    parts = (tenant_id, post_id, str(version), str(index), *((round,) if round else ()))
    return stable_id("audience-batch", *parts)


def batches(members: Iterable[Member], size: int = MAX_BATCH) -> Iterator[list[Member]]:
    chunk: list[Member] = []
    for member in members:
        chunk.append(member)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
