"""Campaigns: what a comms team runs, with an objective, a period, regions,
channels, a segment, its posts and KPI targets. Pure: no I/O.

    draft --start_pilot--> pilot --widen--> live --end--> ended
      \\__________________widen_______________/

A pilot runs the campaign on a pilot segment first; widening serves the full
audience, minus everyone the pilot served already (nobody gets a post
twice). Goals are compared with actuals per KPI and region; what metrics does
not measure is "not measured", never zero (a zero would read as a failure
the numbers do not show).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import TypeVar

from chorus_core.errors import FailedPrecondition, InvalidArgument
from chorus_core.validation import require

from content_service.domain.posts import Targeting

MAX_TARGETS = 50
ALL_REGIONS = ""  # a target over the whole campaign


class Objective(StrEnum):
    VISIBILITY = "visibility"
    RECRUITMENT = "recruitment"
    LEAD_GENERATION = "lead_generation"
    EMPLOYER_BRAND = "employer_brand"
    INTERNAL = "internal"


class Kpi(StrEnum):
    SHARES = "shares"
    ACTIVE_AMBASSADORS = "active_ambassadors"
    CLICKS = "clicks"
    REACH = "reach"
    EARNED_MEDIA_VALUE = "earned_media_value"


class Phase(StrEnum):
    DRAFT = "draft"
    PILOT = "pilot"
    LIVE = "live"
    ENDED = "ended"


@dataclass(frozen=True)
class KpiTarget:
    kpi: Kpi
    target: float
    region: str = ALL_REGIONS


@dataclass(frozen=True)
class Delivery:
    """The targeting a campaign gives its posts when they are approved or
    its audience changes (what targeting resolves)."""

    segment_id: str
    channel_ids: tuple[str, ...]
    regions: tuple[str, ...]
    held: bool


@dataclass(frozen=True)
class Campaign:
    campaign_id: str
    tenant_id: str
    name: str
    objective: Objective
    starts_at: datetime
    ends_at: datetime
    regions: tuple[str, ...]
    channels: tuple[str, ...]
    segment_id: str
    targets: tuple[KpiTarget, ...]
    pilot_segment_id: str = ""
    post_ids: tuple[str, ...] = ()
    phase: Phase = Phase.DRAFT
    created_at: datetime | None = None  # None until stored
    updated_at: datetime | None = None

    # Each transition returns the campaign itself when it is already there
    # (a retried command changes nothing and emits nothing).
    def start_pilot(self) -> Campaign:
        if self.phase is Phase.PILOT:
            return self
        if self.phase is not Phase.DRAFT:
            raise FailedPrecondition(f"a {self.phase} campaign cannot start a pilot")
        if not self.pilot_segment_id:
            raise FailedPrecondition("the campaign has no pilot segment")
        return replace(self, phase=Phase.PILOT)

    def widen(self) -> Campaign:
        """To the full audience: from the pilot, or from a draft without one."""
        if self.phase is Phase.LIVE:
            return self
        if self.phase not in (Phase.DRAFT, Phase.PILOT):
            raise FailedPrecondition(f"a {self.phase} campaign cannot be widened")
        return replace(self, phase=Phase.LIVE)

    def with_post(self, post_id: str) -> Campaign:
        if self.phase is Phase.ENDED:
            raise FailedPrecondition("the campaign has ended; it takes no new post")
        if post_id in self.post_ids:
            return self
        return replace(self, post_ids=(*self.post_ids, post_id))

    def delivery(self) -> Delivery:
        """How its posts are delivered now: held until the campaign starts,
        then to the phase's segment, on its channels, in its regions."""
        return Delivery(
            segment_id=self.audience_segment,
            channel_ids=self.channels,
            regions=self.regions,
            held=self.phase is Phase.DRAFT,
        )

    def end(self) -> Campaign:
        if self.phase is Phase.ENDED:
            return self
        return replace(self, phase=Phase.ENDED)

    @property
    def audience_segment(self) -> str:
        """Whom the campaign serves now: the pilot's segment during the pilot."""
        return self.pilot_segment_id if self.phase is Phase.PILOT else self.segment_id


E = TypeVar("E", bound=StrEnum)


def _choice(kind: type[E], field: str, value: str, what: str) -> E:
    try:
        return kind(value)
    except ValueError:
        known = ", ".join(member.value for member in kind)
        raise InvalidArgument(field, f"unknown {what} {value!r}; known: {known}") from None


def _known(field: str, values: Sequence[str], known: Collection[str], what: str) -> tuple[str, ...]:
    cleaned = []
    for index, value in enumerate(values):
        value = value.strip()
        if value not in known:
            raise InvalidArgument(f"{field}[{index}]", f"unknown {what} {value!r}")
        if value not in cleaned:
            cleaned.append(value)
    return tuple(cleaned)


def new_campaign(
    *,
    campaign_id: str,
    tenant_id: str,
    name: str,
    objective: str,
    starts_at: datetime,
    ends_at: datetime,
    regions: Sequence[str],
    channels: Sequence[str],
    segment_id: str,
    targets: Sequence[tuple[str, float, str]],
    known_regions: Collection[str],
    known_channels: Collection[str],
    pilot_segment_id: str = "",
) -> Campaign:
    """Validated, or InvalidArgument naming the field. `targets`: (kpi,
    target, region), region "" for the whole campaign."""
    require("name", name)
    if ends_at <= starts_at:
        raise InvalidArgument("ends_at", "must be after starts_at")
    if not regions:
        raise InvalidArgument("regions", "a campaign runs in at least one region")
    owned = _known("regions", regions, known_regions, "region")
    chosen = _known("channels", channels, known_channels, "channel")
    if pilot_segment_id and pilot_segment_id == segment_id:
        raise InvalidArgument("pilot_segment_id", "a pilot runs on a segment of its own")
    if len(targets) > MAX_TARGETS:
        raise InvalidArgument("targets", f"at most {MAX_TARGETS}")
    goals: list[KpiTarget] = []
    for index, (kpi, target, region) in enumerate(targets):
        goal = KpiTarget(
            _choice(Kpi, f"targets[{index}].kpi", kpi, "KPI"), float(target), region.strip()
        )
        if not goal.target > 0:
            raise InvalidArgument(f"targets[{index}].target", "must be greater than 0")
        if goal.region and goal.region not in owned:
            raise InvalidArgument(
                f"targets[{index}].region", f"{goal.region!r} is not one of the campaign's regions"
            )
        if any((g.kpi, g.region) == (goal.kpi, goal.region) for g in goals):
            raise InvalidArgument(
                f"targets[{index}]", "a second target for the same KPI and region"
            )
        goals.append(goal)
    return Campaign(
        campaign_id=require("campaign_id", campaign_id),
        tenant_id=require("tenant_id", tenant_id),
        name=name.strip(),
        objective=_choice(Objective, "objective", objective, "objective"),
        starts_at=starts_at,
        ends_at=ends_at,
        regions=owned,
        channels=chosen,
        segment_id=segment_id,
        targets=tuple(goals),
        pilot_segment_id=pilot_segment_id,
    )


def campaign_targeting(targeting: Targeting) -> None:
    """A campaign's post takes its segment and channels from the campaign;
    naming its own would be silently overridden, so it is refused."""
    if targeting.segment_id:
        raise InvalidArgument("targeting.segment_id", "a campaign's post takes its campaign's")
    if targeting.channel_ids:
        raise InvalidArgument("targeting.channel_ids", "a campaign's post takes its campaign's")


def widened_audience(full: Iterable[str], served_in_pilot: Collection[str]) -> list[str]:
    """The full audience minus everyone the pilot served, in the audience's
    order: widening never gives anyone the posts twice."""
    return [employee for employee in full if employee not in served_in_pilot]


class GoalStatus(StrEnum):
    MET = "met"
    BEHIND = "behind"
    NOT_MEASURED = "not_measured"


@dataclass(frozen=True)
class GoalLine:
    kpi: Kpi
    region: str
    target: float
    actual: float | None  # None: not measured
    status: GoalStatus

    @property
    def progress(self) -> float | None:
        """actual / target; None when not measured."""
        return None if self.actual is None else self.actual / self.target


def goals_against_actuals(
    campaign: Campaign, actuals: Mapping[tuple[Kpi, str], float | None]
) -> list[GoalLine]:
    """One line per target. `actuals`: what metrics measured per (KPI,
    region); a pair it does not have, or None, is not measured."""
    lines = []
    for goal in campaign.targets:
        actual = actuals.get((goal.kpi, goal.region))
        if actual is None:
            status = GoalStatus.NOT_MEASURED
        else:
            status = GoalStatus.MET if actual >= goal.target else GoalStatus.BEHIND
        lines.append(GoalLine(goal.kpi, goal.region, goal.target, actual, status))
    return lines
