"""Preferred local hours in the slot planner (domain/slots.py, `prefer`): a
preferred hour inside the sharing hours is taken, one outside them is
ignored, one already past today gives way to the next preferred or the
earliest good instant, the clock changes stay safe, the window and the
spread still rule; and without preferences nothing changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from chorus_core.errors import InvalidArgument
from scheduling_service.domain.best_hours import estimate, preferred_hours
from scheduling_service.domain.slots import (
    ANY_TIME,
    Person,
    SharingHours,
    SlotRequest,
    Spread,
    Window,
    WorkingDays,
    next_good_slot,
    plan,
)

PARIS = ZoneInfo("Europe/Paris")
DAYS = WorkingDays()
OPEN = Window()


def local(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS).astimezone(UTC)


def person(hours: str = "09:00-18:00", country: str = "FR") -> Person:
    return Person("e1", "Europe/Paris", country, hours=SharingHours.parse(hours))


def slot(
    who: Person, after: datetime, prefer: tuple[int, ...], window: Window = OPEN
) -> datetime | None:
    return next_good_slot(who, after, window, {}, DAYS, prefer)


TUESDAY_7 = local(2026, 6, 2, 7)  # before the sharing hours


def test_a_preferred_hour_inside_the_hours_is_taken() -> None:
    assert slot(person(), TUESDAY_7, (10, 9)) == local(2026, 6, 2, 10)
    assert slot(person(), TUESDAY_7, (17,)) == local(2026, 6, 2, 17)


def test_hours_outside_the_sharing_hours_are_ignored() -> None:
    assert slot(person(), TUESDAY_7, (20, 8, 11)) == local(2026, 6, 2, 11)
    # None of them fits: the earliest good instant, as without preferences.
    assert slot(person(), TUESDAY_7, (20, 18, 6)) == local(2026, 6, 2, 9)


def test_a_partly_covered_hour_counts_from_where_the_hours_begin() -> None:
    assert slot(person("09:30-18:15"), TUESDAY_7, (9,)) == local(2026, 6, 2, 9, 30)
    assert slot(person("09:30-18:15"), TUESDAY_7, (18,)) == local(2026, 6, 2, 18)


def test_an_hour_already_past_today_gives_way() -> None:
    after = local(2026, 6, 2, 12, 30)
    # 10:00 has gone: the next preferred hour that is still ahead.
    assert slot(person(), after, (10, 14)) == local(2026, 6, 2, 14)
    # Every preferred hour has gone: the earliest good instant (now).
    assert slot(person(), after, (10, 11)) == after
    # The current hour still has time left: from now.
    assert slot(person(), after, (12, 14)) == after


def test_the_first_good_day_is_the_day_preferences_apply_to() -> None:
    # After Tuesday's hours: Wednesday is the first good day.
    assert slot(person(), local(2026, 6, 2, 18, 30), (10,)) == local(2026, 6, 3, 10)
    # Bastille Day (Tuesday 14 July 2026) is no good day in France: Wednesday.
    assert slot(person(), local(2026, 7, 14, 7), (10,)) == local(2026, 7, 15, 10)


def test_the_window_still_rules() -> None:
    # valid_from inside the preferred hour: from valid_from.
    opens = Window(start=local(2026, 6, 2, 10, 20))
    assert slot(person(), TUESDAY_7, (10,), opens) == local(2026, 6, 2, 10, 20)
    # expires_at before the preferred hour: the earliest good instant instead.
    closes = Window(end=local(2026, 6, 2, 10))
    assert slot(person(), TUESDAY_7, (10, 11), closes) == local(2026, 6, 2, 9)


def test_the_spring_change_skips_an_hour_that_does_not_exist() -> None:
    # Paris, 29 March 2026: 02:00-03:00 does not exist (02:00 CET -> 03:00 CEST).
    # Israel's weekend is Friday-Saturday: that Sunday is a working day there.
    night = Person("e1", "Europe/Paris", "IL", hours=ANY_TIME)
    after = local(2026, 3, 29, 0)
    assert slot(night, after, (2, 3)) == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)  # 03:00 CEST
    assert slot(night, after, (2,)) == after  # only the missing hour: the earliest


def test_the_autumn_change_gives_the_repeated_hour_once() -> None:
    # Paris, 25 October 2026: 02:00-03:00 happens twice; from its first start.
    night = Person("e1", "Europe/Paris", "IL", hours=ANY_TIME)
    found = slot(night, local(2026, 10, 25, 0), (2,))
    assert found == datetime(2026, 10, 25, 0, 0, tzinfo=UTC)  # 02:00 CEST
    # Inside the second 02:00-03:00 (CET): still that hour, from now.
    second = datetime(2026, 10, 25, 1, 10, tzinfo=UTC)
    assert second.astimezone(PARIS).hour == 2
    assert slot(night, second, (2, 9)) == second
    # Hour 23 runs to the next day's midnight.
    assert slot(night, local(2026, 10, 25, 22, 30), (23,)) == local(2026, 10, 25, 23)


def test_without_preferences_nothing_changes() -> None:
    for after in (TUESDAY_7, local(2026, 6, 2, 12, 30), local(2026, 6, 2, 18, 30)):
        assert slot(person(), after, ()) == next_good_slot(person(), after, OPEN, {}, DAYS)


def test_an_hour_that_is_no_hour_is_refused() -> None:
    with pytest.raises(InvalidArgument) as refused:
        slot(person(), TUESDAY_7, (24,))
    assert refused.value.field == "prefer"


def test_the_spread_applies_after_the_preference() -> None:
    people = [
        SlotRequest(
            Person(f"e{i}", "Europe/Paris", "FR", hours=SharingHours.parse("09:00-18:00")),
            "eu-west/bluesky",
            prefer=(10,),
        )
        for i in range(3)
    ]
    spread = Spread(min_gap=timedelta(minutes=20), max_minute_share=1.0)
    slots = plan(people, TUESDAY_7, OPEN, spread, DAYS)
    assert sorted(s for s in slots.values() if s) == [
        local(2026, 6, 2, 10),
        local(2026, 6, 2, 10, 20),
        local(2026, 6, 2, 10, 40),
    ]


def test_local_hours_of_sharing_hours() -> None:
    assert SharingHours.parse("09:30-18:15").local_hours() == range(9, 19)
    assert SharingHours.parse("09:00-18:00").local_hours() == range(9, 18)
    assert ANY_TIME.local_hours() == range(24)


def test_preferred_hours_are_the_priors_until_the_data_says_otherwise() -> None:
    hours = SharingHours.parse("08:00-20:00")
    # No data: the prior's weekday mornings (09 and 10 tie, the earlier first).
    assert preferred_hours(estimate("eu-west", "bluesky", {}), hours) == (9, 10, 11)
    assert preferred_hours(estimate("eu-west", "bluesky", {}), ANY_TIME) == (9, 10, 11)
    assert preferred_hours(
        estimate("eu-west", "bluesky", {}), SharingHours.parse("13:00-17:00")
    ) == (13, 14, 15)
    evening = estimate("eu-west", "bluesky", {19: 900, 22: 2000, 8: 100})
    # 22:00 is outside these hours; the best three inside them, best first.
    assert preferred_hours(evening, hours) == (19, 8, 9)
