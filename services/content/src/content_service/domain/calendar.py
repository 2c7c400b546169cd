"""The editorial calendar: per region and channel, what is planned, scheduled
and published each day with its share volume; its conflicts; and its export
as iCalendar (RFC 5545) for the comms team's own calendar. Pure: no I/O.

Conflicts a comms team wants to see before they happen:
  * two campaigns on one channel on the same day (they compete for the same
    people's attention and daily caps);
  * a post planned on a public holiday of its region's countries (who has
    a holiday is a port: the caller knows the countries of a region).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

# RFC 5545 §3.1: lines of at most 75 octets, continued with CRLF + one space.
_FOLD_OCTETS = 75
PRODID = "-//Chorus//Editorial calendar//EN"


class EntryStatus(StrEnum):
    PLANNED = "planned"  # in a campaign, not yet approved or not yet due
    SCHEDULED = "scheduled"  # shares waiting for their slots
    PUBLISHED = "published"


@dataclass(frozen=True)
class CalendarEntry:
    day: date
    region: str
    channel_id: str  # "" when the post is targeted without a channel
    campaign_id: str  # "" outside any campaign
    post_id: str
    title: str
    status: EntryStatus
    shares: int = 0  # the share volume that day (scheduled or published)


class ConflictKind(StrEnum):
    CAMPAIGNS_SHARE_A_CHANNEL = "campaigns_share_a_channel"
    PLANNED_ON_A_HOLIDAY = "planned_on_a_holiday"


@dataclass(frozen=True)
class Conflict:
    kind: ConflictKind
    day: date
    region: str
    channel_id: str
    ids: tuple[str, ...]  # the campaigns sharing the channel, or the post on the holiday
    detail: str = ""  # the holiday's name


# (region, day) -> the name of a public holiday there that day, or None.
HolidayOf = Callable[[str, date], str | None]


def in_period(entries: Iterable[CalendarEntry], start: date, end: date) -> list[CalendarEntry]:
    """Entries from `start` to `end` inclusive, by day, region, channel, post."""
    chosen = [e for e in entries if start <= e.day <= end]
    return sorted(chosen, key=lambda e: (e.day, e.region, e.channel_id, e.post_id))


def conflicts(entries: Iterable[CalendarEntry], holiday_of: HolidayOf) -> list[Conflict]:
    entries = list(entries)
    found: list[Conflict] = []
    by_channel_day: dict[tuple[date, str, str], set[str]] = defaultdict(set)
    for e in entries:
        if e.channel_id and e.campaign_id:
            by_channel_day[(e.day, e.region, e.channel_id)].add(e.campaign_id)
    for (day, region, channel), campaigns in sorted(by_channel_day.items()):
        if len(campaigns) > 1:
            found.append(
                Conflict(
                    ConflictKind.CAMPAIGNS_SHARE_A_CHANNEL,
                    day,
                    region,
                    channel,
                    tuple(sorted(campaigns)),
                )
            )
    seen: set[tuple[date, str, str]] = set()
    for e in sorted(entries, key=lambda e: (e.day, e.region, e.post_id)):
        if e.status is not EntryStatus.PLANNED or (e.day, e.region, e.post_id) in seen:
            continue
        seen.add((e.day, e.region, e.post_id))
        name = holiday_of(e.region, e.day)
        if name:
            found.append(
                Conflict(
                    ConflictKind.PLANNED_ON_A_HOLIDAY,
                    e.day,
                    e.region,
                    e.channel_id,
                    (e.post_id,),
                    name,
                )
            )
    return found


def _escape(text: str) -> str:
    """TEXT values (RFC 5545 §3.3.11): backslash, semicolon, comma, newline."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _fold(line: str) -> list[str]:
    """Split at 75 octets without cutting a UTF-8 character in two."""
    parts: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode())
        limit = _FOLD_OCTETS if not parts else _FOLD_OCTETS - 1  # the leading space counts
        if size + width > limit:
            parts.append(current)
            current, size = "", 0
        current += char
        size += width
    parts.append(current)
    return [parts[0], *(" " + p for p in parts[1:])]


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%SZ")


def to_ical(entries: Sequence[CalendarEntry], name: str, generated_at: datetime) -> str:
    """One all-day VEVENT per entry. UIDs are derived from the entry (post,
    region, channel, day), so re-importing an export updates events rather
    than duplicating them. `generated_at` must be UTC (DTSTAMP)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_escape(name)}",
    ]
    for e in entries:
        summary = f"[{e.status}] {e.title}"
        description = f"region {e.region}; channel {e.channel_id or '-'}; shares {e.shares}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:{e.post_id}-{e.region}-{e.channel_id or 'none'}-{e.day:%Y%m%d}@chorus",
            f"DTSTAMP:{_stamp(generated_at)}",
            f"DTSTART;VALUE=DATE:{e.day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{e.day + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_escape(summary)}",
            f"DESCRIPTION:{_escape(description)}",
            f"CATEGORIES:{_escape(e.status.value)},{_escape(e.region)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(part + "\r\n" for line in lines for part in _fold(line))
