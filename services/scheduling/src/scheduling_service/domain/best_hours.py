"""The best local hours to share, per region and network, learned from the
engagement Chorus measures (clicks by the local hour of the share), starting
from a documented prior. Pure: no I/O.

The prior: weekday mornings, local time. Advocacy programme guides and the
networks' own advice agree that professional audiences engage most early in
the working day, less after lunch, little in the evening and at night. As
weights over the 24 local hours (PRIOR_WEIGHTS), normalised.

The estimate is the mean of a Dirichlet posterior: each hour's share of the
engagement is (clicks in that hour + k * prior share) / (all clicks + k),
with k = PRIOR_STRENGTH clicks' worth of belief in the prior. With no data
it is the prior; as clicks accumulate they dominate. Estimates are shown
with their data count, and say whether the data is enough (MIN_CLICKS) to
be more than the prior nudged.

The planner (domain/slots.py, `prefer`) always follows the estimate
(preferred_hours): with no data that is the prior, so an auto-share of
someone who gave no sharing hours goes out on a weekday morning of theirs,
not at 03:00 local because the post was approved then; as clicks come in,
the learned hours take over. An hour already past on the first good day is
skipped; when all are past, the earliest good instant that day stays.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from chorus_core.errors import InvalidArgument

from scheduling_service.domain.slots import SharingHours

# Relative engagement by local hour (0-23): the prior, before any data.
PRIOR_WEIGHTS: tuple[float, ...] = (
    0.2, 0.1, 0.1, 0.1, 0.1, 0.3,  # 00-05: night
    1.0, 3.0, 6.0, 8.0, 8.0, 7.0,  # 06-11: the morning peak
    5.0, 4.0, 4.0, 3.5, 3.0, 2.5,  # 12-17: lunch, afternoon
    2.0, 1.5, 1.0, 0.8, 0.5, 0.3,  # 18-23: evening
)  # fmt: skip
PRIOR_STRENGTH = 200.0
MIN_CLICKS = 500
PREFERRED = 3  # hours the planner tries, best first


def _normalised(weights: tuple[float, ...]) -> tuple[float, ...]:
    total = sum(weights)
    return tuple(w / total for w in weights)


PRIOR: tuple[float, ...] = _normalised(PRIOR_WEIGHTS)


@dataclass(frozen=True)
class HourEstimate:
    region: str
    network: str
    shares: tuple[float, ...]  # per local hour, summing to 1
    clicks: int  # the data behind it

    @property
    def enough_data(self) -> bool:
        return self.clicks >= MIN_CLICKS

    @property
    def prior_only(self) -> bool:
        return self.clicks == 0

    @property
    def basis(self) -> str:
        """What the estimate rests on, in one sentence for people."""
        clicks = "1 click" if self.clicks == 1 else f"{self.clicks} clicks"
        if self.prior_only:
            return "prior: weekday mornings local time, 0 clicks"
        if not self.enough_data:
            return (
                f"prior (weekday mornings local time) nudged by {clicks} "
                f"({MIN_CLICKS} needed to learn)"
            )
        return f"learned from {clicks}"

    def best(self, count: int = 3, allowed: range = range(24)) -> list[int]:
        """The `count` best hours among `allowed` (e.g. someone's sharing
        hours), best first; ties go to the earlier hour."""
        return sorted(allowed, key=lambda h: (-self.shares[h], h))[:count]


def estimate(region: str, network: str, clicks_by_hour: Mapping[int, int]) -> HourEstimate:
    """`clicks_by_hour`: clicks on shares made in each local hour (0-23)."""
    counts = [0] * 24
    for hour, clicks in clicks_by_hour.items():
        if hour not in range(24):
            raise InvalidArgument("hour", f"{hour} is not an hour of the day (0-23)")
        if clicks < 0:
            raise InvalidArgument("clicks", "must not be negative")
        counts[hour] += clicks
    total = sum(counts)
    shares = tuple(
        (counts[h] + PRIOR_STRENGTH * PRIOR[h]) / (total + PRIOR_STRENGTH) for h in range(24)
    )
    return HourEstimate(region, network, shares, total)


def preferred_hours(found: HourEstimate, hours: SharingHours) -> tuple[int, ...]:
    """The hours the planner prefers for someone with these sharing hours:
    the PREFERRED best among the hours they touch, best first: the prior's
    until the data says otherwise (module docstring)."""
    return tuple(found.best(PREFERRED, allowed=hours.local_hours()))
