"""The editorial calendar (content's domain/calendar.py): a period's entries
and its bad input, the entries of a post from its shares (or its planned
day), its conflicts, and the iCalendar export read back by an independent
RFC 5545 parser (the icalendar package)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import icalendar
import pytest
from chorus_core.errors import InvalidArgument
from content_service.domain.calendar import (
    CalendarEntry,
    ConflictKind,
    DayVolume,
    EntryStatus,
    PostPlan,
    calendar_period,
    conflicts,
    in_period,
    post_entries,
    to_ical,
)

PLANNED, SCHEDULED, PUBLISHED = EntryStatus.PLANNED, EntryStatus.SCHEDULED, EntryStatus.PUBLISHED
BASTILLE = date(2026, 7, 14)


def entry(
    day: date, post: str, campaign: str = "", channel: str = "ch-news", **kw: object
) -> CalendarEntry:
    fields: dict[str, object] = {"region": "eu-west", "title": f"Post {post}", "status": PLANNED}
    fields.update(kw)
    return CalendarEntry(day, channel_id=channel, campaign_id=campaign, post_id=post, **fields)  # type: ignore[arg-type]


def holiday_of(region: str, day: date) -> str | None:
    return "Fête nationale (FR)" if (region, day) == ("eu-west", BASTILLE) else None


def test_two_campaigns_on_one_channel_the_same_day_conflict() -> None:
    day = date(2026, 7, 13)
    found = conflicts(
        [
            entry(day, "p1", "spring"),
            entry(day, "p2", "spring"),  # one campaign, two posts: no conflict
            entry(day, "p3", "hiring"),
            entry(day, "p4", "hiring", channel="ch-jobs"),  # another channel
            entry(date(2026, 7, 15), "p5", "other"),  # another day
            entry(day, "p6", "hiring", region="us-east"),  # another region
        ],
        holiday_of,
    )
    assert [(c.kind, c.day, c.channel_id, c.ids) for c in found] == [
        (ConflictKind.CAMPAIGNS_SHARE_A_CHANNEL, day, "ch-news", ("hiring", "spring"))
    ]


def test_a_post_planned_on_a_holiday_conflicts_once() -> None:
    found = conflicts(
        [
            entry(BASTILLE, "p1"),
            entry(BASTILLE, "p1", channel="ch-jobs"),  # the same post on two channels: once
            entry(BASTILLE, "p2", status=PUBLISHED),  # done already: nothing to move
            entry(BASTILLE, "p3", region="us-east"),  # not a holiday there
        ],
        holiday_of,
    )
    assert [(c.kind, c.ids, c.detail) for c in found] == [
        (ConflictKind.PLANNED_ON_A_HOLIDAY, ("p1",), "Fête nationale (FR)")
    ]


def test_a_period() -> None:
    entries = [entry(date(2026, 7, d), f"p{d}") for d in (20, 1, 31, 15)]
    assert [e.post_id for e in in_period(entries, date(2026, 7, 1), date(2026, 7, 20))] == [
        "p1",
        "p15",
        "p20",
    ]


def test_the_export_is_valid_icalendar_that_round_trips() -> None:
    title = "Ünë «campagne», très; longue \\ " + "é" * 60 + "\nligne deux"
    entries = [
        entry(date(2026, 7, 13), "p1", "spring", title=title, status=SCHEDULED, shares=1200),
        entry(date(2026, 7, 14), "p2", channel="", title="Holiday post"),
    ]
    text = to_ical(entries, "Acme EU", datetime(2026, 7, 1, 8, 30, tzinfo=UTC))
    raw = text.encode()
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # folded, by octets
    calendar = icalendar.Calendar.from_ical(text)
    assert str(calendar["VERSION"]) == "2.0" and str(calendar["X-WR-CALNAME"]) == "Acme EU"
    events = calendar.walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == [f"[scheduled] {title}", "[planned] Holiday post"]
    first = events[0]
    assert first.decoded("DTSTART") == date(2026, 7, 13)
    assert first.decoded("DTEND") == date(2026, 7, 14)
    assert first.decoded("DTSTAMP") == datetime(2026, 7, 1, 8, 30, tzinfo=UTC)
    assert str(first["DESCRIPTION"]) == "region eu-west; channel ch-news; shares 1200"
    categories = first["CATEGORIES"]
    assert isinstance(categories, icalendar.prop.vCategory)
    assert [str(c) for c in categories.cats] == ["scheduled", "eu-west"]
    # Stable UIDs: the same entry exported again is the same event.
    again = icalendar.Calendar.from_ical(to_ical(entries, "x", datetime(2026, 8, 1, tzinfo=UTC)))
    assert [str(e["UID"]) for e in again.walk("VEVENT")] == [str(e["UID"]) for e in events]
    assert len({str(e["UID"]) for e in events}) == 2


def test_one_day_with_scheduled_and_published_shares_has_distinct_uids() -> None:
    day = date(2026, 7, 13)
    entries = [
        entry(day, "p1", status=SCHEDULED, shares=3),
        entry(day, "p1", status=PUBLISHED, shares=5),
        entry(day, "p1", status=PLANNED, shares=None),
    ]
    calendar = icalendar.Calendar.from_ical(to_ical(entries, "x", datetime(2026, 7, 1, tzinfo=UTC)))
    events = calendar.walk("VEVENT")
    assert len({str(e["UID"]) for e in events}) == 3
    # An unknown volume is said to be unknown, never written as 0.
    assert [str(e["DESCRIPTION"]).rsplit("; ", 1)[1] for e in events] == [
        "shares 3",
        "shares 5",
        "shares not available",
    ]


@pytest.mark.parametrize(
    ("since", "until", "field", "said"),
    [
        ("", "2026-07-31", "since_day", "is required"),
        ("2026-7-1", "2026-07-31", "since_day", "is not a day"),
        ("20260701", "2026-07-31", "since_day", "is not a day"),
        ("2026-02-30", "2026-07-31", "since_day", "is not a day"),
        ("2026-07-01", "", "until_day", "is required"),
        ("2026-07-01", "2026-W27-1", "until_day", "is not a day"),
        ("2026-07-01", "2026-06-30", "until_day", "must not be before since_day"),
        ("2026-07-01", "2027-07-02", "until_day", "at most 366 days"),
    ],
)
def test_a_bad_period_names_its_field(since: str, until: str, field: str, said: str) -> None:
    with pytest.raises(InvalidArgument) as refused:
        calendar_period(since, until)
    assert refused.value.field == field
    assert said in refused.value.reason


def test_a_period_is_one_to_366_days_inclusive() -> None:
    assert calendar_period("2026-07-14", "2026-07-14") == (BASTILLE, BASTILLE)
    assert calendar_period(" 2028-01-01", "2028-12-31 ") == (date(2028, 1, 1), date(2028, 12, 31))


def plan(**fields: object) -> PostPlan:
    values: dict[str, object] = {
        "post_id": "p1",
        "title": "Hiring",
        "campaign_id": "spring",
        "regions": ("eu-west", "us-east"),
        "channels": ("ch-news", "ch-jobs"),
        "planned_day": BASTILLE,
        "may_have_shares": True,
    }
    values.update(fields)
    return PostPlan(**values)  # type: ignore[arg-type]


def shape(entries: list[CalendarEntry]) -> list[tuple[object, ...]]:
    return [(e.day.day, e.region, e.channel_id, e.status.value, e.shares) for e in entries]


def test_shares_make_scheduled_and_published_days_per_region_and_channel() -> None:
    volumes = [
        DayVolume("p1", "eu-west", date(2026, 7, 15), scheduled=4, due=0),
        DayVolume("p1", "eu-west", date(2026, 7, 14), scheduled=2, due=7),
        DayVolume("p2", "eu-west", date(2026, 7, 14), scheduled=9, due=9),  # another post
    ]
    found = post_entries(plan(regions=("eu-west",)), volumes, {"eu-west"})
    assert shape(found) == [
        (14, "eu-west", "ch-news", "scheduled", 2),
        (14, "eu-west", "ch-news", "published", 7),
        (15, "eu-west", "ch-news", "scheduled", 4),
        (14, "eu-west", "ch-jobs", "scheduled", 2),
        (14, "eu-west", "ch-jobs", "published", 7),
        (15, "eu-west", "ch-jobs", "scheduled", 4),
    ]


def test_without_shares_a_post_is_planned_and_an_unknown_volume_is_none() -> None:
    # Scheduling answered for eu-west only: us-east's volume is unknown.
    found = post_entries(plan(channels=()), [], {"eu-west"})
    assert shape(found) == [(14, "eu-west", "", "planned", 0), (14, "us-east", "", "planned", None)]
    # Never approved (or held): nothing can be scheduled, so 0 is known.
    unapproved = post_entries(plan(channels=(), may_have_shares=False), [], set())
    assert [e.shares for e in unapproved] == [0, 0]
    # No longer going out and no share: nothing at all.
    assert post_entries(plan(planned_day=None), [], {"eu-west", "us-east"}) == []
    # An archived post's past shares still show.
    past = [DayVolume("p1", "us-east", date(2026, 6, 1), scheduled=0, due=3)]
    gone = post_entries(plan(planned_day=None, channels=()), past, {"us-east"})
    assert shape(gone) == [(1, "us-east", "", "published", 3)]
