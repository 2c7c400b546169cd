"""The editorial calendar (issue 10 §4): per region and channel, the
tenant's posts planned, scheduled and published in a period with their share
volume per day, the conflicts, and the same as iCalendar.

Which posts: those of the caller's tenant, with or without a campaign, whose
window (valid_from, else creation, to expires_at) or whose campaign's period
meets the period. A campaign's post is in the campaign's owning regions and
on its channels; any other post is in this deployment's region (content's
own: nothing else says where it goes) and on its targeting's channels; ""
when it names none.

The planned day of a post still to go out (not yet approved, held because
its campaign is a draft, or approved with no share in the period) is the UTC
day of, in this order: its valid_from (when it may first go out); its
campaign's start; for an approved post, its approval (an approved head only
changes by a transition, so its updated_at is the approval); else its
creation. Rejected, archived and expired posts are planned no more (nor
is an employee's proposal before moderation); shares they had still show
on their days.

Share volumes come from scheduling (ShareVolumeReader, with the caller's own
token), outside any transaction, only for posts approved at least once and
not held. When scheduling cannot be read, or a region's shares are kept by
another region's deployment, the calendar still answers: those entries
carry no volume (None, not zero) and `not_available` names their regions,
with a note saying why.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from chorus_core.clock import utcnow
from chorus_core.errors import DomainError, InvalidArgument
from chorus_core.validation import chorus_id
from chorus_core.validation import tenant_id as valid_tenant
from chorus_db.ports import UnitOfWork
from chorus_identity.principal import Principal
from opentelemetry import trace

from content_service.app import policy
from content_service.app.ports import RegionHolidays, ShareVolumeReader, Stores
from content_service.domain.calendar import (
    CalendarEntry,
    Conflict,
    DayVolume,
    PostPlan,
    calendar_period,
    conflicts,
    in_period,
    post_entries,
    to_ical,
)
from content_service.domain.campaigns import Campaign, Phase
from content_service.domain.posts import Post, PostKind, PostStatus

# Planned no more: whatever they had scheduled still shows from scheduling.
_DONE = frozenset({PostStatus.REJECTED, PostStatus.ARCHIVED, PostStatus.EXPIRED})


@dataclass(frozen=True)
class CalendarQuery:
    tenant_id: str  # empty = the caller's
    since_day: str  # YYYY-MM-DD, inclusive
    until_day: str  # YYYY-MM-DD, inclusive
    region: str = ""  # empty = every region
    channel_id: str = ""  # empty = every channel


@dataclass(frozen=True)
class Calendar:
    since: date
    until: date
    region: str
    channel_id: str
    entries: list[CalendarEntry]
    conflicts: list[Conflict]
    not_available: list[str] = field(default_factory=list)  # regions without share volumes
    notes: list[str] = field(default_factory=list)  # why, and what was not checked


@dataclass(frozen=True)
class CalendarExport:
    ical: str
    file_name: str
    calendar: Calendar


def _start(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def planned_day(post: Post, campaign: Campaign | None) -> date | None:
    """See the module doc; None for a post that no longer goes out, and for
    an employee's proposal not yet moderated (the moderation queue's, not
    the comms team's plan)."""
    if post.status in _DONE or (post.kind is PostKind.UGC and not post.approved_version):
        return None
    if post.valid_from is not None:
        moment = post.valid_from
    elif campaign is not None:
        moment = campaign.starts_at
    elif post.status is PostStatus.APPROVED:
        moment = post.updated_at
    else:
        moment = post.created_at
    return moment.astimezone(UTC).date()


def plan_of(post: Post, campaign: Campaign | None, own_region: str) -> PostPlan:
    held = campaign is not None and campaign.phase is Phase.DRAFT
    return PostPlan(
        post_id=post.post_id,
        title=post.title,
        campaign_id=campaign.campaign_id if campaign is not None else "",
        regions=campaign.regions if campaign is not None else (own_region,),
        channels=campaign.channels if campaign is not None else post.targeting.channel_ids,
        planned_day=planned_day(post, campaign),
        may_have_shares=post.approved_version > 0 and not held,
    )


class CalendarUseCases:
    def __init__(
        self,
        uow: UnitOfWork,
        stores: Stores,
        volumes: ShareVolumeReader,
        holidays: RegionHolidays,
        *,
        region: str,
        known_regions: frozenset[str],
    ) -> None:
        self.uow = uow
        self.stores = stores
        self.volumes = volumes
        self.holidays = holidays
        self.region = region
        self.known_regions = known_regions

    async def calendar(self, actor: Principal, query: CalendarQuery) -> Calendar:
        """For the comms team (comms managers, tenant admins): every post of
        the tenant, as ListPosts and ListCampaigns show them; a manager's
        scope bounds what they change, not what they read."""
        tenant_id = valid_tenant(policy.comms(actor, query.tenant_id))
        since, until = calendar_period(query.since_day, query.until_day)
        region, channel = query.region.strip(), query.channel_id.strip()
        if region and region not in self.known_regions:
            listed = ", ".join(sorted(self.known_regions))
            raise InvalidArgument("region", f"unknown region {region!r}; known: {listed}")
        if channel:
            chorus_id("channel_id", channel)
        trace.get_current_span().set_attribute("chorus.tenant_id", tenant_id)
        start, end = _start(since), _start(until + timedelta(days=1))
        async with self.uow.session() as reads:
            campaigns = self.stores.campaigns(reads)
            running = await campaigns.overlapping(tenant_id, start, end)
            posts = await self.stores.posts(reads).in_window(
                tenant_id, start, end, [c.campaign_id for c in running]
            )
            by_id = {c.campaign_id: c for c in running}
            missing = sorted({p.campaign_id for p in posts if p.campaign_id} - set(by_id))
            by_id |= {c.campaign_id: c for c in await campaigns.by_ids(tenant_id, missing)}
        plans = [plan_of(p, by_id.get(p.campaign_id), self.region) for p in posts]
        plans = [
            p
            for p in plans
            if (not region or region in p.regions)
            and (not channel or channel in p.channels)
            and (p.planned_day is not None or p.may_have_shares)
        ]
        # Outside the read session: scheduling is another service.
        days, known, failure = await self._volumes(tenant_id, plans, since, until, region)
        by_post: dict[str, list[DayVolume]] = defaultdict(list)
        for volume in days:
            by_post[volume.post_id].append(volume)
        entries = [e for plan in plans for e in post_entries(plan, by_post[plan.post_id], known)]
        entries = [
            e
            for e in in_period(entries, since, until)
            if (not region or e.region == region) and (not channel or e.channel_id == channel)
        ]
        notes: list[str] = []
        unknown = sorted({e.region for e in entries if e.shares is None})
        if unknown:
            notes.append(
                failure
                or f"share volumes of {', '.join(unknown)} are kept by that region's "
                f"deployment; scheduling here answered for {', '.join(sorted(known))}"
            )
        unchecked = sorted({e.region for e in entries if not self.holidays.countries_of(e.region)})
        if unchecked:
            notes.append(
                f"no countries are configured for {', '.join(unchecked)} "
                "(CHORUS_REGION_COUNTRIES): holidays there are not checked"
            )
        return Calendar(
            since,
            until,
            region,
            channel,
            entries,
            conflicts(entries, self.holidays),
            not_available=unknown,
            notes=notes,
        )

    async def _volumes(
        self,
        tenant_id: str,
        plans: Sequence[PostPlan],
        since: date,
        until: date,
        region: str,
    ) -> tuple[list[DayVolume], set[str], str]:
        """(the volumes, the regions they are complete for, why there are
        none when scheduling could not be read)."""
        wanted = [p.post_id for p in plans if p.may_have_shares]
        if not wanted:
            return [], set(), ""
        try:
            answer = await self.volumes.volumes(tenant_id, wanted, since, until, region)
        except DomainError as error:
            # The posts are content's and still the caller's to see; only the
            # volumes are missing, and the answer says so instead of zeros.
            return [], set(), f"share volumes are not available: {error.message}"
        return list(answer.days), {answer.region}, ""

    async def export(self, actor: Principal, query: CalendarQuery) -> CalendarExport:
        calendar = await self.calendar(actor, query)
        scope = [p for p in (calendar.region, calendar.channel_id) if p]
        file_name = "-".join(["chorus-calendar", str(calendar.since), str(calendar.until), *scope])
        name = f"Chorus editorial calendar {calendar.since} to {calendar.until}"
        if scope:
            name += f" ({', '.join(scope)})"
        ical = to_ical(calendar.entries, name, utcnow())
        return CalendarExport(ical, f"{file_name}.ics", calendar)
