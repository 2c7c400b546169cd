"""The next good slot and a campaign's spread (domain/slots.py): DST in Paris
and New York, public holidays (national, observed, regional), the country's
own weekend, sharing hours, the daily cap across campaigns, the post's
window, and the spreading rules."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from chorus_core.errors import InvalidArgument
from scheduling_service.domain.slots import (
    ANY_TIME,
    DEFAULT_HOURS,
    Person,
    SharingHours,
    SlotRequest,
    Spread,
    Taken,
    Window,
    WorkingDays,
    at_local,
    directory_hours,
    is_good_slot,
    next_good_slot,
    plan,
)

PARIS, NEW_YORK = ZoneInfo("Europe/Paris"), ZoneInfo("America/New_York")
DAYS = WorkingDays()
OPEN = Window()


def local(zone: ZoneInfo, year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=zone).astimezone(UTC)


def slot(person: Person, after: datetime, window: Window = OPEN, **used: int) -> datetime | None:
    # d2026_06_02=3: three shares on that day already.
    counts = {date.fromisoformat(d[1:].replace("_", "-")): n for d, n in used.items()}
    return next_good_slot(person, after, window, counts, DAYS)


def paris(hours: str = "", country: str = "FR", **changes: object) -> Person:
    return Person("e1", "Europe/Paris", country, hours=SharingHours.parse(hours), **changes)  # type: ignore[arg-type]


# --- DST -----------------------------------------------------------------------


def test_a_time_in_the_skipped_hour_moves_forward_by_the_gap() -> None:
    # Paris, 29 March 2026: 02:00 CET jumps to 03:00 CEST.
    assert at_local(date(2026, 3, 29), time(2, 30), PARIS) == datetime(
        2026, 3, 29, 1, 30, tzinfo=UTC
    )
    assert at_local(date(2026, 3, 29), time(2, 30), PARIS).astimezone(PARIS).time() == time(3, 30)
    # New York, 8 March 2026: 02:00 EST jumps to 03:00 EDT.
    assert at_local(date(2026, 3, 8), time(2, 15), NEW_YORK).astimezone(NEW_YORK).time() == time(
        3, 15
    )


def test_a_repeated_hour_is_its_first_occurrence_only() -> None:
    # Paris, 25 October 2026: 03:00 CEST goes back to 02:00 CET; 02:30 happens twice.
    first = at_local(date(2026, 10, 25), time(2, 30), PARIS)
    assert first == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # CEST, +02:00
    # New York, 1 November 2026: 01:30 happens twice; the first is EDT.
    assert at_local(date(2026, 11, 1), time(1, 30), NEW_YORK) == datetime(
        2026, 11, 1, 5, 30, tzinfo=UTC
    )


def test_sharing_hours_across_the_spring_change_start_after_the_gap() -> None:
    # Israel's weekend is Friday and Saturday: the Sunday of the change is a
    # working day there (a person of that country living on Paris time).
    night = paris("02:30-06:00", country="IL")
    found = slot(night, local(PARIS, 2026, 3, 29, 0, 0))
    assert found is not None and found.astimezone(PARIS).time() == time(3, 30)
    # A day later, no change: 02:30 as asked.
    found = slot(night, local(PARIS, 2026, 3, 30, 0, 0))
    assert found is not None and found.astimezone(PARIS).time() == time(2, 30)


def test_no_slot_is_planned_twice_in_the_repeated_hour() -> None:
    night = Person("e", "Europe/Paris", "IL", hours=SharingHours.parse("02:00-03:00"))
    requests = [
        SlotRequest(Person(f"e{i}", "Europe/Paris", "IL", hours=night.hours), "g")
        for i in range(150)
    ]
    after = local(PARIS, 2026, 10, 25, 0, 0)
    slots = plan(requests, after, OPEN, Spread(min_gap=timedelta(seconds=60)), DAYS)
    planned = sorted(s for s in slots.values() if s is not None)
    assert len(planned) == len(set(planned)) == 150
    # 02:00-03:00 local is two real hours that day: 120 slots a minute apart, the rest the next day.
    that_day = [s for s in planned if s.astimezone(PARIS).date() == date(2026, 10, 25)]
    assert len(that_day) == 120
    assert min(that_day) == datetime(2026, 10, 25, 0, 0, tzinfo=UTC)
    assert max(that_day) == datetime(2026, 10, 25, 1, 59, tzinfo=UTC)


# --- working days -------------------------------------------------------------


def test_bastille_day_is_skipped_in_france() -> None:
    found = slot(paris(), local(PARIS, 2026, 7, 14, 8, 0))  # a Tuesday
    assert found == local(PARIS, 2026, 7, 15, 9, 0)


def test_independence_day_observed_and_the_weekend_are_skipped_in_the_us() -> None:
    # 4 July 2026 is a Saturday: observed on Friday 3 July.
    person = Person("e1", "America/New_York", "US")
    assert slot(person, local(NEW_YORK, 2026, 7, 3, 8, 0)) == local(NEW_YORK, 2026, 7, 6, 9, 0)
    assert slot(person, local(NEW_YORK, 2026, 7, 2, 17, 30)) == local(NEW_YORK, 2026, 7, 2, 17, 30)


def test_a_regional_holiday_applies_in_its_subdivision_only() -> None:
    # Epiphany (6 January 2026, a Tuesday) is a holiday in Bavaria, not in Berlin.
    after = local(ZoneInfo("Europe/Berlin"), 2026, 1, 6, 8, 0)
    bavaria = Person("e1", "Europe/Berlin", "DE", subdivision="BY")
    berlin = Person("e2", "Europe/Berlin", "DE", subdivision="BE")
    assert slot(bavaria, after) == local(ZoneInfo("Europe/Berlin"), 2026, 1, 7, 9, 0)
    assert slot(berlin, after) == local(ZoneInfo("Europe/Berlin"), 2026, 1, 6, 9, 0)


def test_the_countrys_own_weekend() -> None:
    # Israel: Friday and Saturday off, Sunday a working day.
    person = Person("e1", "Asia/Jerusalem", "IL")
    jerusalem = ZoneInfo("Asia/Jerusalem")
    friday = local(jerusalem, 2026, 5, 15, 8, 0)
    assert slot(person, friday) == local(jerusalem, 2026, 5, 17, 9, 0)


def test_a_country_without_a_calendar_has_a_saturday_sunday_weekend() -> None:
    person = Person("e1", "Europe/Paris", "XX")
    assert DAYS.is_working(date(2026, 7, 14), "XX") and not DAYS.is_working(date(2026, 7, 18), "XX")
    assert slot(person, local(PARIS, 2026, 7, 18, 8, 0)) == local(PARIS, 2026, 7, 20, 9, 0)


# --- hours, caps, window --------------------------------------------------------


def test_sharing_hours_and_the_daily_cap_across_campaigns() -> None:
    early = paris("07:30-08:30")
    assert slot(early, local(PARIS, 2026, 6, 2, 8, 0)) == local(PARIS, 2026, 6, 2, 8, 0)
    assert slot(early, local(PARIS, 2026, 6, 2, 8, 30)) == local(PARIS, 2026, 6, 3, 7, 30)
    # Three shares already on Tuesday (other campaigns): Wednesday.
    capped = paris(daily_cap=3)
    after = local(PARIS, 2026, 6, 2, 10, 0)
    assert slot(capped, after, d2026_06_02=3) == local(PARIS, 2026, 6, 3, 9, 0)
    assert slot(capped, after, d2026_06_02=2) == after
    assert slot(paris(daily_cap=0), after) is None  # no share at all, ever


def test_the_posts_window() -> None:
    person = paris()
    later = Window(start=local(PARIS, 2026, 6, 10, 11, 0))
    assert slot(person, local(PARIS, 2026, 6, 2, 10, 0), later) == local(PARIS, 2026, 6, 10, 11, 0)
    closing = Window(end=local(PARIS, 2026, 6, 2, 20, 0))
    assert slot(person, local(PARIS, 2026, 6, 2, 10, 0), closing) == local(PARIS, 2026, 6, 2, 10, 0)
    assert slot(person, local(PARIS, 2026, 6, 2, 18, 30), closing) is None  # next slot is too late
    with pytest.raises(InvalidArgument, match="expires_at"):
        Window(start=local(PARIS, 2026, 6, 2, 10, 0), end=local(PARIS, 2026, 6, 1, 10, 0))


def test_bad_input_names_the_field() -> None:
    assert SharingHours.parse("") == DEFAULT_HOURS
    assert SharingHours.parse("00:00-24:00").end == time.max
    for bad in ("9-18", "18:00-09:00", "09:00-09:00", "25:00-26:00", "09:61-10:00"):
        with pytest.raises(InvalidArgument) as refused:
            SharingHours.parse(bad)
        assert refused.value.field == "sharing_hours"
    with pytest.raises(InvalidArgument) as refused:
        Person("e1", "Mars/Olympus", "FR")
    assert refused.value.field == "timezone"
    for spread in ({"min_gap": timedelta(seconds=-1)}, {"max_minute_share": 0.0}):
        with pytest.raises(InvalidArgument):
            Spread(**spread)


# --- spread ---------------------------------------------------------------------


def test_colleagues_are_spaced_and_no_minute_holds_more_than_its_share() -> None:
    spread = Spread(min_gap=timedelta(seconds=20), max_minute_share=0.01)
    people = [
        SlotRequest(Person(f"e{i:03}", "Europe/Paris", "FR"), f"eu-west/{'ab'[i % 2]}")
        for i in range(600)
    ]
    after = local(PARIS, 2026, 6, 2, 9, 0)
    slots = plan(people, after, OPEN, spread, DAYS)
    assert all(s is not None for s in slots.values())
    per_minute = Counter(s.replace(second=0) for s in slots.values() if s is not None)
    assert max(per_minute.values()) <= spread.per_minute(600) == 6
    for group in ("eu-west/a", "eu-west/b"):
        times = sorted(s for r in people if r.group == group and (s := slots[r.person.employee_id]))
        assert all(b - a >= spread.min_gap for a, b in zip(times, times[1:], strict=False))
        assert times[0] == after
    # Every slot is still a good one for its person (inside 09:00-18:00 on a working day).
    for s in slots.values():
        assert s is not None and time(9) <= s.astimezone(PARIS).time() < time(18)


def test_a_share_pushed_past_the_end_of_the_day_moves_to_the_next_good_day() -> None:
    spread = Spread(min_gap=timedelta(minutes=10), max_minute_share=1.0)
    short = SharingHours.parse("17:00-17:30")
    people = [
        SlotRequest(Person(f"e{i}", "Europe/Paris", "FR", hours=short), "g") for i in range(5)
    ]
    slots = plan(people, local(PARIS, 2026, 7, 13, 12, 0), OPEN, spread, DAYS)  # a Monday
    got = sorted(s.astimezone(PARIS).replace(tzinfo=None) for s in slots.values() if s)
    assert got == [
        datetime(2026, 7, 13, 17, 0),
        datetime(2026, 7, 13, 17, 10),
        datetime(2026, 7, 13, 17, 20),
        datetime(2026, 7, 15, 17, 0),  # 14 July is a holiday
        datetime(2026, 7, 15, 17, 10),
    ]


def test_slots_already_taken_fill_their_minute_and_space_their_group() -> None:
    """A later batch of the same post: the earlier one's slots count."""
    spread = Spread(min_gap=timedelta(minutes=5), max_minute_share=0.5)
    after = local(PARIS, 2026, 6, 2, 9, 0)  # a Tuesday
    taken = [Taken("g", after), Taken("other", after + timedelta(minutes=1))]
    people = [SlotRequest(Person(f"e{i}", "Europe/Paris", "FR"), "g") for i in range(2)]
    slots = plan(people, after, OPEN, spread, DAYS, taken)
    # Group "g" last held 09:00: its next is 09:05, then 09:10.
    assert sorted(s for s in slots.values() if s) == [
        after + timedelta(minutes=5),
        after + timedelta(minutes=10),
    ]
    # The minute limit counts the whole post: 4 shares at 50% = 2 a minute.
    crowd = [SlotRequest(Person(f"c{i}", "Europe/Paris", "FR"), f"c{i}") for i in range(2)]
    full = [Taken("x", after), Taken("y", after + timedelta(seconds=30))]
    got = plan(crowd, after, OPEN, spread, DAYS, full)
    assert set(got.values()) == {after + timedelta(minutes=1)}


def test_a_summary_of_taken_slots_counts_as_the_slots_themselves() -> None:
    """Taken per group and minute (count, latest): the store's summary of a
    large campaign plans exactly as its slots one by one would."""
    spread = Spread(min_gap=timedelta(seconds=1), max_minute_share=0.25)
    after = local(PARIS, 2026, 6, 2, 9, 0)  # a Tuesday
    one_by_one = [Taken("g", after + timedelta(seconds=s)) for s in range(3)]
    one_by_one += [Taken("h", after + timedelta(seconds=10))]
    summary = [
        Taken("g", after + timedelta(seconds=2), count=3),
        Taken("h", after + timedelta(seconds=10)),
    ]
    people = [SlotRequest(Person(f"e{i}", "Europe/Paris", "FR"), "g") for i in range(12)]
    expected = plan(people, after, OPEN, spread, DAYS, one_by_one)
    assert plan(people, after, OPEN, spread, DAYS, summary) == expected
    # 16 shares at 25%: 4 a minute; 09:00 already holds 4, so nobody gets it.
    assert min(s for s in expected.values() if s) == after + timedelta(minutes=1)


def test_directory_hours_empty_is_any_time() -> None:
    assert directory_hours("") == ANY_TIME == SharingHours(time(0), time.max)
    assert directory_hours("08:00-10:00") == SharingHours.parse("08:00-10:00")
    assert SharingHours.parse("") == DEFAULT_HOURS  # the planner's own default is unchanged
    late = Person("e1", "Europe/Paris", "FR", hours=ANY_TIME)
    night = local(PARIS, 2026, 6, 2, 23, 30)
    assert slot(late, night) == night
    assert is_good_slot(late, night, OPEN, {}, DAYS)
    assert not is_good_slot(paris("09:00-18:00"), night, OPEN, {}, DAYS)
