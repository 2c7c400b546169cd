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

import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from chorus_core.errors import InvalidArgument

# RFC 5545 §3.1: lines of at most 75 octets, continued with CRLF + one space.
_FOLD_OCTETS = 75
PRODID = "-//Chorus//Editorial calendar//EN"
# A year, leap day included: long enough for an annual plan, short enough
# that one answer stays one message.
MAX_PERIOD_DAYS = 366
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


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
    # The share volume that day (scheduled or published); None: not known
    # (scheduling could not be read), which is not zero.
    shares: int | None = 0


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


def calendar_day(field: str, value: str) -> date:
    """YYYY-MM-DD exactly (date.fromisoformat alone also takes 20260714 and
    week dates, which a typo could produce unnoticed)."""
    value = value.strip()
    if not value:
        raise InvalidArgument(field, "is required (YYYY-MM-DD)")
    try:
        if not _DAY.fullmatch(value):
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidArgument(field, f"{value!r} is not a day (YYYY-MM-DD)") from None


def calendar_period(since_day: str, until_day: str) -> tuple[date, date]:
    """Both days inclusive, until not before since, at most MAX_PERIOD_DAYS."""
    since = calendar_day("since_day", since_day)
    until = calendar_day("until_day", until_day)
    if until < since:
        raise InvalidArgument("until_day", "must not be before since_day")
    if (until - since).days + 1 > MAX_PERIOD_DAYS:
        raise InvalidArgument("until_day", f"a period is at most {MAX_PERIOD_DAYS} days")
    return since, until


@dataclass(frozen=True)
class DayVolume:
    """A post's shares in one region on one UTC day: still scheduled, and
    due (handed to publishing, which is what the calendar calls published)."""

    post_id: str
    region: str
    day: date
    scheduled: int
    due: int


@dataclass(frozen=True)
class PostPlan:
    """What the calendar needs of a post (the app derives it from the post
    and its campaign)."""

    post_id: str
    title: str
    campaign_id: str
    regions: tuple[str, ...]
    channels: tuple[str, ...]  # () = targeted without a channel
    planned_day: date | None  # None: it no longer goes out (rejected, archived, expired)
    may_have_shares: bool  # approved at least once and not held: scheduling may have shares


def post_entries(
    plan: PostPlan, volumes: Iterable[DayVolume], known_regions: Collection[str]
) -> list[CalendarEntry]:
    """Per region and channel ("" when none): a SCHEDULED and a PUBLISHED
    entry for each day with such shares; without any, a PLANNED entry on
    the planned day. `known_regions`: where scheduling answered, so no row
    means no share; elsewhere a post that may have shares has an unknown
    volume (None), never a zero."""
    mine = [v for v in volumes if v.post_id == plan.post_id]
    found: list[CalendarEntry] = []
    for region in plan.regions:
        rows = sorted((v for v in mine if v.region == region), key=lambda v: v.day)
        days: list[tuple[date, EntryStatus, int | None]] = []
        for row in rows:
            if row.scheduled > 0:
                days.append((row.day, EntryStatus.SCHEDULED, row.scheduled))
            if row.due > 0:
                days.append((row.day, EntryStatus.PUBLISHED, row.due))
        if not days and plan.planned_day is not None:
            known = not plan.may_have_shares or region in known_regions
            days.append((plan.planned_day, EntryStatus.PLANNED, 0 if known else None))
        found += [
            CalendarEntry(
                day, region, channel, plan.campaign_id, plan.post_id, plan.title, status, shares
            )
            for channel in plan.channels or ("",)
            for day, status, shares in days
        ]
    return found


def in_period(entries: Iterable[CalendarEntry], start: date, end: date) -> list[CalendarEntry]:
    """Entries from `start` to `end` inclusive, by day, region, channel, post."""
    chosen = [e for e in entries if start <= e.day <= end]
    order = list(EntryStatus)
    return sorted(
        chosen, key=lambda e: (e.day, e.region, e.channel_id, e.post_id, order.index(e.status))
    )


def conflicts(entries: Iterable[CalendarEntry], holiday_of: HolidayOf) -> list[Conflict]:
    """Campaigns sharing a channel on a day (whatever their entries' status),
    and PLANNED entries on a holiday. Scheduled and published shares are not
    checked: their slots were chosen by scheduling's planner, which already
    avoids each employee's own holidays, or by the employee; what the comms
    team can still move is what is planned."""
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
    region, channel, day, status: one day may have both scheduled and
    published shares), so re-importing an export updates events rather
    than duplicating them. `generated_at` must be UTC (DTSTAMP)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_escape(name)}",
    ]
    for e in entries:
        uid = f"{e.post_id}-{e.region}-{e.channel_id or 'none'}-{e.day:%Y%m%d}-{e.status}"
        summary = f"[{e.status}] {e.title}"
        shares = "not available" if e.shares is None else str(e.shares)
        description = f"region {e.region}; channel {e.channel_id or '-'}; shares {shares}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid}@chorus",
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
