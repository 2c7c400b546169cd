"""Leaderboard order and ranks (pure domain)."""

from __future__ import annotations

import pytest
from chorus_core.errors import InvalidArgument
from gamification_service.domain.leaderboard import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    Standing,
    limit_of,
    ordered,
    points_of,
    ranked,
    score_of,
)


def test_order_is_points_descending_then_employee_id_ascending() -> None:
    totals = {"carol": 12, "bob": 20, "alice": 12, "dave": 2, "Zed": 12}
    assert ordered(totals) == [("bob", 20), ("Zed", 12), ("alice", 12), ("carol", 12), ("dave", 2)]


def test_ties_share_a_rank_and_the_next_rank_counts_everyone_ahead() -> None:
    rows = [("bob", 20), ("alice", 12), ("carol", 12), ("dave", 2)]
    assert ranked(rows) == [
        Standing(1, "bob", 20),
        Standing(2, "alice", 12),
        Standing(2, "carol", 12),
        Standing(4, "dave", 2),
    ]


def test_ranked_of_nothing_is_empty() -> None:
    assert ranked([]) == []


def test_scores_are_negated_points_and_round_trip() -> None:
    # Ascending score order (ZRANGE) must be descending points order.
    assert score_of(30) < score_of(10)
    for value in (0, 2, 10, 123_456_789):
        assert points_of(score_of(value)) == value


@pytest.mark.parametrize(
    ("requested", "expected"), [(0, DEFAULT_LIMIT), (1, 1), (MAX_LIMIT, MAX_LIMIT)]
)
def test_limit_defaults_and_bounds(requested: int, expected: int) -> None:
    assert limit_of(requested) == expected


@pytest.mark.parametrize("requested", [-1, MAX_LIMIT + 1])
def test_limit_out_of_range_names_the_field(requested: int) -> None:
    with pytest.raises(InvalidArgument) as raised:
        limit_of(requested)
    assert raised.value.field == "limit"
