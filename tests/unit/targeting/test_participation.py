"""Taking part (active, opted in, consenting), the events a change of it
means, and the employee's own consent choice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import product

import pytest
from chorus_core.errors import InvalidArgument
from targeting_service.domain.participation import (
    ConsentChoice,
    ConsentState,
    Standing,
    Transition,
    apply_choice,
    standing_before,
    transition,
    valid_choice,
)

NOW = datetime(2026, 11, 21, 9, tzinfo=UTC)
EVERY = [Standing(*flags) for flags in product((False, True), repeat=3)]
IN = Standing(True, True, True)


@pytest.mark.parametrize("before", EVERY)
@pytest.mark.parametrize("after", EVERY)
def test_an_event_exactly_when_taking_part_changes(before: Standing, after: Standing) -> None:
    expected = {
        (True, False): Transition.OPTED_OUT,
        (False, True): Transition.OPTED_IN,
    }.get((before.takes_part, after.takes_part))
    assert transition(before, after) is expected


def test_withdrawing_consent_alone_is_an_opt_out() -> None:
    assert transition(IN, Standing(True, True, False)) is Transition.OPTED_OUT
    assert transition(Standing(True, True, False), IN) is Transition.OPTED_IN


@pytest.mark.parametrize("after", EVERY)
def test_the_standing_before_an_update_follows_from_the_changed_columns(after: Standing) -> None:
    assert standing_before(after, ["title"]) == after
    flipped = standing_before(after, ["opted_in", "consent", "email"])
    assert flipped == Standing(after.active, not after.opted_in, not after.consent)


def test_auto_share_ends_with_participation_or_consent() -> None:
    sharing = ConsentState(opted_in=True, consent=True, auto_share=True)
    assert apply_choice(sharing, ConsentChoice(False, NOW)) == ConsentState(False, True, False)
    withdrawn = apply_choice(sharing, ConsentChoice(True, NOW, consent=False))
    assert withdrawn == ConsentState(True, False, False)
    # Opting in only keeps consent and auto-share as they were.
    assert apply_choice(sharing, ConsentChoice(True, NOW)) == sharing
    fresh = ConsentState(False, False, False)
    full = ConsentChoice(True, NOW, consent=True, auto_share=True)
    assert apply_choice(fresh, full) == sharing


@pytest.mark.parametrize(
    ("choice", "field"),
    [
        (ConsentChoice(True, NOW, source="hr-portal"), "source"),
        (ConsentChoice(True, NOW + timedelta(minutes=5)), "decided_at"),
        (ConsentChoice(False, NOW, consent=True, auto_share=True), "auto_share"),
        (ConsentChoice(True, NOW, consent=False, auto_share=True), "auto_share"),
    ],
)
def test_a_choice_that_cannot_be_recorded_names_the_field(
    choice: ConsentChoice, field: str
) -> None:
    with pytest.raises(InvalidArgument) as refused:
        valid_choice(choice, NOW)
    assert refused.value.field == field


def test_a_choice_from_a_moment_ago_is_recorded_as_made() -> None:
    earlier = ConsentChoice(True, NOW - timedelta(days=2), "admin", True, True)
    assert valid_choice(earlier, NOW) is earlier
