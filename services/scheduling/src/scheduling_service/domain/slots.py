"""The next good slot for an employee's share, and a campaign's slots spread
out so that it never looks like a flood. Pure: no I/O (the calendars of
public holidays are data the `holidays` package ships).

A good slot, for one employee:

  * in their own timezone (zoneinfo), DST-safe. A wall-clock time the clock
    skipped (02:30 on the spring change in Paris) moves forward by the
    length of the gap, as the clocks did (03:30); a repeated hour (the
    autumn change) is only ever its first occurrence: a local time maps to
    one instant, never two;
  * on a working day of their country: not a weekend day (the country's
    own: Friday and Saturday in some), not a public holiday of the country
    or, where the package knows it, of their subdivision;
  * inside their sharing hours (local), default DEFAULT_HOURS;
  * on a day where their shares, counted across every campaign, are under
    their daily cap;
  * inside the post's window: from `valid_from`, before `expires_at`.

Preferred hours (`prefer`, the best local hours learned for the person's
region and network, best first: domain/best_hours.py): on the first good
day, the slot is the first of those hours that still has time left inside
the sharing hours and the window, instead of the earliest good instant; the
earliest good instant when none has. Without them (the default), the
earliest good instant, as always. The rules above are the same either way.

A campaign's slots (`plan`): each person's earliest good slot, then two
spreading rules: colleagues of one group (region and network) on one post
are at least `Spread.min_gap` apart, and no minute holds more than
`Spread.max_minute_share` of the campaign. A share pushed past its person's
good time moves to their next good slot, never outside the rules.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays
from chorus_core.errors import InvalidArgument
from chorus_core.validation import timezone_name

_HOURS = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")
# How far ahead a slot is looked for: beyond it (a cap of 0, a window that
# never opens on a working day) the share has no good slot.
HORIZON_DAYS = 62
DEFAULT_DAILY_CAP = 3
MINUTE = timedelta(minutes=1)


@dataclass(frozen=True)
class SharingHours:
    """Local wall-clock hours, start inclusive, end exclusive, within one day."""

    start: time
    end: time

    @classmethod
    def parse(cls, text: str, field_name: str = "sharing_hours") -> SharingHours:
        """ "09:00-18:00"; empty: DEFAULT_HOURS."""
        text = text.strip()
        if not text:
            return DEFAULT_HOURS
        found = _HOURS.match(text)
        if not found:
            raise InvalidArgument(field_name, "not a range like 09:00-18:00")
        h1, m1, h2, m2 = (int(g) for g in found.groups())
        if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59 or (h2 == 24 and m2):
            raise InvalidArgument(field_name, f"{text!r} is not a time of day")
        start, end = time(h1, m1), time.max if h2 == 24 else time(h2, m2)
        if end <= start:
            raise InvalidArgument(field_name, "must end after it starts, within one day")
        return cls(start, end)

    def local_hours(self) -> range:
        """The hours of the day (0-23) these hours touch: 09:30-18:15 is 9 to 18."""
        partial = (self.end.minute, self.end.second, self.end.microsecond) != (0, 0, 0)
        return range(self.start.hour, self.end.hour + (1 if partial else 0))


DEFAULT_HOURS = SharingHours(time(9, 0), time(18, 0))
# The directory's "no preference": its empty sharing hours mean any time of day.
ANY_TIME = SharingHours(time(0, 0), time.max)


def directory_hours(text: str, field_name: str = "sharing_hours") -> SharingHours:
    """The directory's sharing hours: empty is ANY_TIME (as the directory
    documents it), not the planner's own DEFAULT_HOURS."""
    return SharingHours.parse(text, field_name) if text.strip() else ANY_TIME


def zone_of(name: str, field_name: str = "timezone") -> ZoneInfo:
    return _zone(timezone_name(field_name, name))


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


@dataclass(frozen=True)
class Person:
    employee_id: str
    timezone: str  # IANA, e.g. Europe/Paris
    country: str  # ISO 3166-1 alpha-2
    subdivision: str = ""  # ISO 3166-2 part after the dash (e.g. "BY"), where known
    hours: SharingHours = DEFAULT_HOURS
    daily_cap: int = DEFAULT_DAILY_CAP  # shares a day, across every campaign

    def __post_init__(self) -> None:
        zone_of(self.timezone)
        if self.daily_cap < 0:
            raise InvalidArgument("daily_cap", "must not be negative")


@dataclass(frozen=True)
class Window:
    """The post's: shares go out from `start` (valid_from), before `end` (expires_at)."""

    start: datetime | None = None
    end: datetime | None = None

    def __post_init__(self) -> None:
        if self.start is not None and self.end is not None and self.end <= self.start:
            raise InvalidArgument("expires_at", "must be after valid_from")


class WorkingDays:
    """Weekends and public holidays per country (and subdivision), from the
    `holidays` package, loaded once per country and year. A country the
    package does not know has a Saturday-Sunday weekend and no holidays."""

    def __init__(self) -> None:
        self._calendars: dict[tuple[str, str, int], holidays.HolidayBase | None] = {}

    def is_working(self, day: date, country: str, subdivision: str = "") -> bool:
        calendar = self._calendar(country, subdivision, day.year)
        if calendar is None:
            return day.weekday() < 5
        return day.weekday() not in calendar.weekend and day not in calendar

    def _calendar(self, country: str, subdivision: str, year: int) -> holidays.HolidayBase | None:
        key = (country.upper(), subdivision.upper(), year)
        if key not in self._calendars:
            self._calendars[key] = _load(*key)
        return self._calendars[key]


def _load(country: str, subdivision: str, year: int) -> holidays.HolidayBase | None:
    try:
        return holidays.country_holidays(country, subdiv=subdivision or None, years=year)
    except NotImplementedError:  # a country the package has no calendar for
        return None
    except ValueError:  # a subdivision it does not know: the country's own days
        return _load(country, "", year) if subdivision else None


def at_local(day: date, wall: time, zone: ZoneInfo) -> datetime:
    """The instant (UTC) of `wall` on `day` in `zone`: a skipped time moves
    forward by the gap, a repeated one is its first occurrence (fold=0)."""
    return datetime.combine(day, wall, tzinfo=zone).astimezone(UTC)


def local_day(instant: datetime, zone: ZoneInfo) -> date:
    return instant.astimezone(zone).date()


def next_good_slot(
    person: Person,
    after: datetime,
    window: Window,
    used: Mapping[date, int],
    days: WorkingDays,
    prefer: Sequence[int] = (),
) -> datetime | None:
    """The first instant at or after `after` that is good for `person`
    (module docstring); None if there is none within HORIZON_DAYS or the
    window. `used`: their shares per local day, across every campaign.
    `prefer`: local hours (0-23), best first, tried on the first good day
    before its earliest instant (module docstring)."""
    if any(hour not in range(24) for hour in prefer):
        raise InvalidArgument("prefer", "hours of the day are 0 to 23")
    zone = _zone(person.timezone)
    start = max(after, window.start) if window.start is not None else after
    day = local_day(start, zone)
    for _ in range(HORIZON_DAYS):
        slot = max(at_local(day, person.hours.start, zone), start)
        if window.end is not None and slot >= window.end:
            return None  # every later day is later still
        if (
            slot < at_local(day, person.hours.end, zone)
            and used.get(day, 0) < person.daily_cap
            and days.is_working(day, person.country, person.subdivision)
        ):
            return _preferred(day, slot, person.hours, window, zone, prefer)
        day += timedelta(days=1)
    return None


def _preferred(
    day: date,
    earliest: datetime,
    hours: SharingHours,
    window: Window,
    zone: ZoneInfo,
    prefer: Sequence[int],
) -> datetime:
    """On a good `day` whose earliest good instant is `earliest`: the first
    preferred hour with time left inside the sharing hours and the window
    (from its start, or from `earliest` when that is inside it), else
    `earliest`. An hour is the instants between its local start and the
    next hour's, so an hour the clock skipped is empty and is passed over,
    and a repeated hour is one stretch of real time: DST-safe as the rest."""
    end = at_local(day, hours.end, zone)
    if window.end is not None:
        end = min(end, window.end)
    for hour in prefer:
        begins = at_local(day, time(hour), zone)
        if hour == 23:
            ends = at_local(day + timedelta(days=1), time(0), zone)
        else:
            ends = at_local(day, time(hour + 1), zone)
        slot = max(begins, earliest)
        if slot < min(ends, end):
            return slot
    return earliest


def is_good_slot(
    person: Person, slot: datetime, window: Window, used: Mapping[date, int], days: WorkingDays
) -> bool:
    """`slot` is itself good for `person` (a kept slot: `used` without it)."""
    return next_good_slot(person, slot, window, used, days) == slot


@dataclass(frozen=True)
class Spread:
    min_gap: timedelta = timedelta(seconds=1)  # within a group, on one post
    max_minute_share: float = 0.02  # of the campaign's shares, in any one minute

    def __post_init__(self) -> None:
        if self.min_gap < timedelta(0):
            raise InvalidArgument("min_gap", "must not be negative")
        if not 0 < self.max_minute_share <= 1:
            raise InvalidArgument("max_minute_share", "must be in (0, 1]")

    def per_minute(self, total: int) -> int:
        """At least one: a campaign of 10 at 2% still gets out, one a minute."""
        return max(1, math.floor(total * self.max_minute_share))


@dataclass(frozen=True)
class SlotRequest:
    person: Person
    group: str  # colleagues spaced apart: region and network, e.g. "eu-west/bluesky"
    used: Mapping[date, int] = field(default_factory=dict)
    # Local hours to prefer on the first good day, best first (next_good_slot).
    prefer: tuple[int, ...] = ()


@dataclass(frozen=True)
class Taken:
    """Slots the campaign already holds (planned earlier, e.g. from an
    earlier audience batch of the same post): `count` slots of `group` in
    the minute of `slot`, the latest of them at `slot`. They fill that
    minute and the group's spacing as slots planned in this call would;
    a summary per group and minute is all the rules need, so a campaign of
    100,000 is as cheap to continue as one of ten."""

    group: str
    slot: datetime
    count: int = 1


def plan(
    requests: Iterable[SlotRequest],
    after: datetime,
    window: Window,
    spread: Spread,
    days: WorkingDays,
    taken: Iterable[Taken] = (),
) -> dict[str, datetime | None]:
    """Every request's slot (None: no good slot), by employee id. Greedy in
    the order of each person's earliest good slot, so a group's last slot
    and the minutes only move forward: one pass. The minute limit counts
    the campaign as `taken` plus `requests`: as batches arrive it grows
    with the campaign, and no minute ever holds more than the whole
    campaign's share. A request's preferred hours choose its first slot;
    the spreading rules then push it forward as any other."""
    wanted, held = list(requests), list(taken)
    per_minute = spread.per_minute(len(wanted) + sum(t.count for t in held))
    earliest = {
        r.person.employee_id: next_good_slot(r.person, after, window, r.used, days, r.prefer)
        for r in wanted
    }
    order = sorted(
        (r for r in wanted if earliest[r.person.employee_id] is not None),
        key=lambda r: (earliest[r.person.employee_id], r.person.employee_id),
    )
    slots: dict[str, datetime | None] = {r.person.employee_id: None for r in wanted}
    in_minute: dict[datetime, int] = {}
    group_next: dict[str, datetime] = {}
    for t in held:
        minute = t.slot.replace(second=0, microsecond=0)
        in_minute[minute] = in_minute.get(minute, 0) + t.count
        group_next[t.group] = max(group_next.get(t.group, t.slot), t.slot + spread.min_gap)
    for request in order:
        person = request.person
        slot = earliest[person.employee_id]
        while slot is not None:
            slot = max(slot, group_next.get(request.group, slot))
            slot = next_good_slot(person, slot, window, request.used, days)
            if slot is None:
                break
            minute = slot.replace(second=0, microsecond=0)
            if in_minute.get(minute, 0) < per_minute:
                in_minute[minute] = in_minute.get(minute, 0) + 1
                group_next[request.group] = slot + spread.min_gap
                break
            slot = minute + MINUTE  # this minute is full: the next one
        slots[person.employee_id] = slot
    return slots
