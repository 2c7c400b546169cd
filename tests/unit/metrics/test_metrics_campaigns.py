"""A campaign's actuals from aggregated rows, and its input checks (pure domain)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from chorus_core.errors import InvalidArgument
from metrics_service.domain.campaigns import (
    NOT_MEASURED,
    CampaignRows,
    Period,
    Tally,
    campaign_posts,
    period,
    summarise_campaign,
)


def test_totals_are_sums_but_ambassadors_are_the_distinct_counts_given() -> None:
    rows = CampaignRows(
        shares=[("p1", "FR", 3), ("p1", "DE", 1), ("p2", "FR", 2)],
        clicks=[("p1", "FR", 5), ("p2", "ZZ", 1)],
        ambassadors_by_post={"p1": 3, "p2": 2},
        ambassadors_by_country={"FR": 3, "DE": 1},
        ambassadors=3,  # one FR person shared both posts: not 3 + 2
    )
    stats = summarise_campaign(["p2", "p1", "p3"], rows)
    assert stats.total == Tally(shares=6, clicks=6, active_ambassadors=3)
    assert stats.by_country == {
        "DE": Tally(1, 0, 1),
        "FR": Tally(5, 5, 3),
        "ZZ": Tally(0, 1, 0),  # clicks on a share of an unknown country
    }
    assert stats.by_post == [("p2", Tally(2, 1, 2)), ("p1", Tally(4, 5, 3)), ("p3", Tally())]
    assert stats.not_measured == NOT_MEASURED == ("reach", "earned_media_value")


def test_posts_keep_their_order_and_count_once() -> None:
    assert campaign_posts(["b", "a", "b"]) == ("b", "a")


@pytest.mark.parametrize("posts", [[], ["p"] * 501, ["p1", ""], ["p1", "\t"], ["x" * 101]])
def test_bad_post_lists_name_post_ids(posts: list[str]) -> None:
    with pytest.raises(InvalidArgument) as raised:
        campaign_posts(posts)
    assert raised.value.field == "post_ids"


def test_a_period_is_utc_and_either_end_may_be_open() -> None:
    naive = datetime(2026, 3, 1, 9, 0)
    assert period(naive, None) == Period(naive.replace(tzinfo=UTC), None)
    assert period(None, None) == Period()
    with pytest.raises(InvalidArgument) as raised:
        period(naive, naive.replace(tzinfo=UTC))
    assert raised.value.field == "until"
