"""Best local hours per region and network (scheduling's domain/best_hours.py):
the prior with no data, the data taking over as it accumulates, the data
count shown, bad input refused."""

from __future__ import annotations

import pytest
from chorus_core.errors import InvalidArgument
from scheduling_service.domain.best_hours import MIN_CLICKS, PRIOR, estimate


def test_without_data_the_estimate_is_the_prior_weekday_mornings() -> None:
    found = estimate("eu-west", "bluesky", {})
    assert found.shares == pytest.approx(PRIOR) and sum(found.shares) == pytest.approx(1)
    assert found.clicks == 0 and not found.enough_data
    assert found.best(3) == [9, 10, 11]  # mornings first
    assert found.best(2, allowed=range(17, 21)) == [17, 18]  # within someone's hours


def test_data_takes_over_as_it_accumulates() -> None:
    # This audience clicks in the evening, whatever the prior says.
    few = estimate("us-east", "linkedin", {20: 20})
    assert few.best(1) == [9] and few.clicks == 20  # a little data only nudges the prior
    many = estimate("us-east", "linkedin", {20: 900, 9: 100})
    assert many.best(2) == [20, 9] and many.enough_data and many.clicks == 1000
    assert sum(many.shares) == pytest.approx(1)
    assert many.shares[20] > few.shares[20] > PRIOR[20]


def test_enough_data_is_a_documented_threshold() -> None:
    assert not estimate("r", "x", {9: MIN_CLICKS - 1}).enough_data
    assert estimate("r", "x", {9: MIN_CLICKS}).enough_data


def test_bad_input_names_the_field() -> None:
    with pytest.raises(InvalidArgument) as refused:
        estimate("r", "x", {24: 1})
    assert refused.value.field == "hour"
    with pytest.raises(InvalidArgument) as refused:
        estimate("r", "x", {9: -1})
    assert refused.value.field == "clicks"


def test_the_basis_says_what_the_estimate_rests_on() -> None:
    prior = estimate("r", "x", {})
    assert prior.prior_only and prior.basis == "prior: weekday mornings local time, 0 clicks"
    nudged = estimate("r", "x", {9: 1})
    assert not nudged.prior_only and nudged.basis == (
        f"prior (weekday mornings local time) nudged by 1 click ({MIN_CLICKS} needed to learn)"
    )
    assert estimate("r", "x", {9: 700}).basis == "learned from 700 clicks"
