"""The slot planner at campaign scale (part of make bench).

100,000 employees across 20 timezones and 10 countries (holidays, weekends,
sharing hours of their own, some with shares on other campaigns already),
one post, planned two ways in the same run:

  baseline  the naive planner: everyone in the first minute that is not
            full, in UTC, ignoring every local rule (what "share now, but
            not all at once" does)
  planner   scheduling_service.domain.slots.plan: each person's next good
            local slot (DST, holidays, hours, daily cap, window), then the
            spread (a gap between colleagues of one region and network, a
            cap on any one minute's share of the campaign)

Prints the time of each, their ratio, and the largest share of the campaign
in any single minute. Goals: planning 100k in <= 10 s here, and no minute
above the configured share.

    uv run python bench/slots.py [--employees 100000]
"""

from __future__ import annotations

import argparse
import random
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

from scheduling_service.domain.slots import (
    Person,
    SharingHours,
    SlotRequest,
    Spread,
    Window,
    WorkingDays,
    local_day,
    next_good_slot,
    plan,
    zone_of,
)

# (country, subdivision, timezone): 10 countries, 20 timezones.
PLACES = [
    ("FR", "", "Europe/Paris"),
    ("DE", "BY", "Europe/Berlin"),
    ("GB", "", "Europe/London"),
    ("ES", "", "Europe/Madrid"),
    ("ES", "", "Atlantic/Canary"),
    ("US", "", "America/New_York"),
    ("US", "", "America/Chicago"),
    ("US", "", "America/Denver"),
    ("US", "", "America/Los_Angeles"),
    ("US", "", "America/Anchorage"),
    ("US", "", "Pacific/Honolulu"),
    ("BR", "", "America/Sao_Paulo"),
    ("BR", "", "America/Manaus"),
    ("IN", "", "Asia/Kolkata"),
    ("JP", "", "Asia/Tokyo"),
    ("AU", "NSW", "Australia/Sydney"),
    ("AU", "WA", "Australia/Perth"),
    ("AU", "QLD", "Australia/Brisbane"),
    ("IL", "", "Asia/Jerusalem"),
    ("CA", "ON", "America/Toronto"),
]
HOURS = ["", "08:00-12:00", "12:00-14:00", "17:00-21:00", "09:00-18:00"]
SPREAD = Spread(min_gap=timedelta(seconds=1), max_minute_share=0.002)
START = datetime(2026, 3, 27, 6, 0, tzinfo=UTC)  # a Friday; the EU changes clocks on Sunday


def people(count: int) -> list[SlotRequest]:
    rng = random.Random(7)
    requests = []
    for i in range(count):
        country, subdivision, zone = PLACES[i % len(PLACES)]
        person = Person(
            f"e{i:06}",
            zone,
            country,
            subdivision,
            SharingHours.parse(rng.choice(HOURS)),
            daily_cap=rng.choice([1, 2, 3, 3, 5]),
        )
        today = local_day(START, zone_of(zone))
        used = {today: rng.choice([0, 0, 0, 1, 3])}  # shares on other campaigns
        requests.append(SlotRequest(person, f"{zone}/bluesky", used))
    return requests


def naive(requests: list[SlotRequest], per_minute: int) -> dict[str, datetime]:
    slots, minute, taken = {}, START, 0
    for request in requests:
        if taken == per_minute:
            minute, taken = minute + timedelta(minutes=1), 0
        slots[request.person.employee_id] = minute
        taken += 1
    return slots


def largest_minute(slots: dict[str, datetime | None]) -> int:
    minutes = Counter(s.replace(second=0, microsecond=0) for s in slots.values() if s)
    return max(minutes.values())


def not_good(
    requests: list[SlotRequest], slots: dict[str, datetime | None], days: WorkingDays
) -> int:
    """Slots that are not a good time for their person (the planner's own rule)."""
    return sum(
        1
        for r in requests
        if (s := slots[r.person.employee_id]) is not None
        and next_good_slot(r.person, s, Window(), r.used, days) != s
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--employees", type=int, default=100_000)
    count = parser.parse_args().employees
    requests = people(count)
    per_minute = SPREAD.per_minute(count)

    started = time.perf_counter()
    baseline = naive(requests, per_minute)
    naive_s = time.perf_counter() - started

    started = time.perf_counter()
    days = WorkingDays()
    slots = plan(requests, START, Window(end=START + timedelta(days=30)), SPREAD, days)
    planner_s = time.perf_counter() - started

    planned = [s for s in slots.values() if s is not None]
    outside = not_good(requests, slots, days)
    naive_outside = not_good(requests, dict(baseline), days)
    last = max(planned)
    print(f"\nSlot planning, {count:,} employees, {len(PLACES)} timezones, 10 countries")
    print(f"  baseline   {naive_s:8.3f} s   first free minute, UTC, no local rules")
    print(f"  planner    {planner_s:8.3f} s   next good local slot + spread")
    print(f"  ratio planner/baseline: {planner_s / naive_s:.1f}x")
    print(
        f"  planned {len(planned):,} of {count:,}; the last at {last.isoformat()}"
        f" ({(last - START) / timedelta(hours=1):.0f} h after the start)"
    )
    print(
        f"  outside the person's good time (hours, working day, cap): planner {outside:,},"
        f" baseline {naive_outside:,}"
    )
    share = largest_minute(slots) / count
    naive_share = largest_minute(dict(baseline)) / count
    print(
        f"  largest minute: {largest_minute(slots):,} shares = {share:.3%} of the campaign"
        f" (limit {SPREAD.max_minute_share:.3%}; baseline {naive_share:.3%})"
    )
    time_goal = "met" if planner_s <= 10 else "NOT met"
    spread_goal = "met" if share <= SPREAD.max_minute_share else "NOT met"
    print(f"  goal <= 10 s for {count:,}: {time_goal}; no minute above the share: {spread_goal}")


if __name__ == "__main__":
    main()
