"""The editorial calendar (content's domain/calendar.py): a period's entries,
its conflicts, and the iCalendar export read back by an independent RFC 5545
parser (the icalendar package)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import icalendar
from content_service.domain.calendar import (
    CalendarEntry,
    ConflictKind,
    EntryStatus,
    conflicts,
    in_period,
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
