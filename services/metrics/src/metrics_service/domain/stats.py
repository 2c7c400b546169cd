"""KPI aggregates per post and country. Pure: no I/O."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Counts:
    shares: int = 0
    clicks: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.shares + other.shares, self.clicks + other.clicks)


@dataclass(frozen=True)
class Stats:
    """Totals and the per-country breakdown they are the sum of."""

    total: Counts = Counts()
    by_country: dict[str, Counts] = field(default_factory=dict)


def summarise(rows: Iterable[tuple[str, int, int]]) -> Stats:
    """rows: (country, shares, clicks), several rows per country allowed."""
    by_country: dict[str, Counts] = {}
    for country, shares, clicks in rows:
        by_country[country] = by_country.get(country, Counts()) + Counts(shares, clicks)
    total = sum(by_country.values(), Counts())
    return Stats(total, by_country)
