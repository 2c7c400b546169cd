"""Leaderboard ordering and ranks. Pure: no I/O.

Order: most points first; equal points ordered by employee id ascending, so
the same data always gives the same page. Ranks are "standard competition"
ranks (1, 2, 2, 4): equal points share a rank, and the next rank counts the
people ahead.

Redis keeps a sorted set whose score is the NEGATED total: ZRANGE (ascending
score, then ascending member bytes for equal scores) then yields exactly this
order, which ZREVRANGE cannot (it orders ties by descending member).
Code-point order of str equals the byte order of their UTF-8 encoding, so
Python and Redis agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from chorus_core.errors import InvalidArgument

DEFAULT_LIMIT = 10
MAX_LIMIT = 1000


@dataclass(frozen=True)
class Standing:
    rank: int
    employee_id: str
    points: int


def score_of(points: int) -> float:
    return -float(points)


def points_of(score: float) -> int:
    return int(-score)


def limit_of(requested: int) -> int:
    if requested == 0:
        return DEFAULT_LIMIT
    if requested < 0 or requested > MAX_LIMIT:
        raise InvalidArgument(
            "limit", f"must be between 1 and {MAX_LIMIT} (0 means {DEFAULT_LIMIT})"
        )
    return requested


def ordered(totals: Mapping[str, int]) -> list[tuple[str, int]]:
    """The leaderboard order of a full set of totals (what Redis returns)."""
    return sorted(totals.items(), key=lambda item: (-item[1], item[0]))


def ranked(rows: Iterable[tuple[str, int]]) -> list[Standing]:
    """Ranks for rows already in leaderboard order, starting at the top."""
    standings: list[Standing] = []
    for position, (employee_id, points) in enumerate(rows, start=1):
        if standings and standings[-1].points == points:
            rank = standings[-1].rank
        else:
            rank = position
        standings.append(Standing(rank, employee_id, points))
    return standings
