"""The slot planner on stored shares: domain/slots.py's rules, fed with what
the share store knows. An employee's cap counts their held times on every
post (ShareStore.employee_slots); a post's spread starts from the times its
shares already hold (ShareStore.post_slots), so it holds across audience
batches. Batches of one post arrive in order on its partition (the key is
the post id), so two of them are never planned at the same time.

With an HourEstimates source (main.py gives it app.engagement's), each
person's slot on their first good day prefers the best local hours learned
for their region and network, inside their sharing hours
(domain.best_hours.preferred_hours: the prior, weekday mornings, until
there is data). The estimate is read once per (region, network) per call. Without a
source the planner is what it always was: the earliest good instant."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

from chorus_core.errors import FailedPrecondition, InvalidArgument

from scheduling_service.app.ports import HeldSlot, HourEstimates, ShareStore
from scheduling_service.domain.best_hours import HourEstimate, preferred_hours
from scheduling_service.domain.shares import Share
from scheduling_service.domain.slots import (
    HORIZON_DAYS,
    Person,
    SlotRequest,
    Spread,
    WorkingDays,
    is_good_slot,
    local_day,
    next_good_slot,
    plan,
    zone_of,
)

# Local days start up to 14 hours before or after UTC's: a day more on each
# side of the horizon catches every held time on a local day in it.
_MARGIN = timedelta(days=1)


class SlotPlanner:
    def __init__(
        self,
        spread: Spread | None = None,
        days: WorkingDays | None = None,
        hours: HourEstimates | None = None,
    ) -> None:
        self.spread = spread or Spread()
        # Holiday calendars are loaded once per country and year: one per process.
        self.days = days or WorkingDays()
        self.hours = hours

    async def plan_post(
        self, store: ShareStore, shares: Sequence[Share], now: datetime
    ) -> dict[str, datetime | None]:
        """Slots for one post's shares (same tenant, post and window), by
        share id; None: no good slot, or a person the planner cannot use
        (a timezone or sharing hours that do not parse)."""
        if not shares:
            return {}
        first = shares[0]
        planning = {s.share_id for s in shares}
        used = await self._used(store, first.tenant_id, shares, now, planning)
        taken = await store.post_slots(first.tenant_id, first.post_id, planning)
        requests: list[SlotRequest] = []
        by_request: dict[str, str] = {}  # plan's key (employee id) -> share id
        estimates: dict[tuple[str, str], HourEstimate] = {}
        for share in shares:
            person = _person(share)
            if person is None:
                continue
            prefer = await self._prefer(share, person, estimates)
            # plan() keys by employee id: one share per employee per call
            # (the audience names one network), so the share id is unique too.
            requests.append(SlotRequest(person, share.group, used.get(share.share_id, {}), prefer))
            by_request[person.employee_id] = share.share_id
        slots = plan(requests, now, first.planning.window, self.spread, self.days, taken)
        found: dict[str, datetime | None] = {s.share_id: None for s in shares}
        for employee_id, slot in slots.items():
            found[by_request[employee_id]] = slot
        return found

    async def still_good(
        self, store: ShareStore, shares: Sequence[Share], now: datetime
    ) -> set[str]:
        """Of these planned shares (a new post version), the ids of those whose
        slot is still good for the employee (window, hours, cap counted
        without the share itself, working day): they keep it."""
        if not shares:
            return set()
        ids = {s.share_id for s in shares}
        used = await self._used(store, shares[0].tenant_id, shares, now, ids)
        kept: set[str] = set()
        for share in shares:
            person = _person(share)
            # A slot already past (its text is not ready yet) is still its
            # slot: it goes out as soon as it can, as it would have.
            if person is None or share.due_at is None:
                continue
            if is_good_slot(
                person, share.due_at, share.planning.window, used.get(share.share_id, {}), self.days
            ):
                kept.add(share.share_id)
        return kept

    async def next_slot(self, store: ShareStore, share: Share, now: datetime) -> datetime:
        """The employee's own "next good slot": the same rules, no spread
        (one share); it counts toward their cap once scheduled. It prefers
        the learned best hours as auto-share does: the employee asked for a
        good slot, not the first free instant, and one planner gives both
        the same meaning of good (without enough data, nothing changes)."""
        try:
            person = share.person()
        except InvalidArgument as refused:
            raise FailedPrecondition(f"no slot can be planned: {refused.message}") from refused
        used = await self._used(store, share.tenant_id, [share], now, {share.share_id})
        prefer = await self._prefer(share, person, {})
        slot = next_good_slot(
            person, now, share.planning.window, used.get(share.share_id, {}), self.days, prefer
        )
        if slot is None:
            raise FailedPrecondition(
                f"no good slot within {HORIZON_DAYS} days and the post's window "
                "(sharing hours, daily cap, working days)"
            )
        return slot

    async def _prefer(
        self, share: Share, person: Person, estimates: dict[tuple[str, str], HourEstimate]
    ) -> tuple[int, ...]:
        """The person's preferred hours; `estimates` keeps each (region,
        network) read once for the call."""
        if self.hours is None:
            return ()
        key = (share.planning.region, share.network)
        if key not in estimates:
            estimates[key] = await self.hours.estimate(share.tenant_id, *key)
        return preferred_hours(estimates[key], person.hours)

    async def _used(
        self,
        store: ShareStore,
        tenant_id: str,
        shares: Iterable[Share],
        now: datetime,
        excluding: set[str],
    ) -> dict[str, dict[date, int]]:
        """Per share, its employee's held times per local day (their zone),
        on every post, leaving out the shares being planned."""
        wanted = list(shares)
        employees = sorted({s.employee_id for s in wanted})
        held = await store.employee_slots(
            tenant_id, employees, now - _MARGIN, now + timedelta(days=HORIZON_DAYS) + _MARGIN
        )
        times: dict[str, list[HeldSlot]] = defaultdict(list)
        for h in held:
            if h.share_id not in excluding:
                times[h.employee_id].append(h)
        used: dict[str, dict[date, int]] = {}
        for share in wanted:
            try:
                zone = zone_of(share.timezone)
            except InvalidArgument:
                continue  # _person leaves this one unplanned
            used[share.share_id] = dict(
                Counter(local_day(h.due_at, zone) for h in times[share.employee_id])
            )
        return used


def _person(share: Share) -> Person | None:
    try:
        return share.person()
    except InvalidArgument:
        return None
