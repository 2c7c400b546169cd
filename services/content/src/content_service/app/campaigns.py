"""Campaign use cases: create, read, start the pilot, widen, end, and goals
against actuals. Each change is one transaction with its audit entry and its
events (the outbox); the network calls (targeting's channels, metrics'
actuals) are made before or after it, never inside.

A phase change that changes the audience (StartPilot, WidenCampaign) emits
CampaignAudienceChanged with the campaign's approved posts, which targeting
resolves again: the pilot segment, then the full audience. Scheduling's share
ids derive from (post, employee, network), so the pilot's employees are not
served twice when the campaign widens."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from chorus_core.clock import utcnow
from chorus_core.errors import InvalidArgument
from chorus_core.ids import new_id, stable_id
from chorus_core.validation import chorus_id, require
from chorus_core.validation import tenant_id as valid_tenant
from chorus_db.ports import Transaction, UnitOfWork
from chorus_identity.principal import Principal
from chorus_messaging.audit import AuditTrail, State
from opentelemetry import trace

from content_service.app import events, policy
from content_service.app.ports import CampaignMetrics, ChannelDirectory, PostEvents, Stores
from content_service.domain.campaigns import (
    ALL_REGIONS,
    Campaign,
    GoalLine,
    Kpi,
    Phase,
    goals_against_actuals,
    new_campaign,
)
from content_service.domain.posts import Post, PostStatus

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


@dataclass(frozen=True)
class NewCampaign:
    tenant_id: str  # empty = the caller's
    name: str
    objective: str  # the domain's value ("visibility", ...); "" = not given
    starts_at: datetime | None
    ends_at: datetime | None
    regions: tuple[str, ...]
    channel_ids: tuple[str, ...] = ()
    segment_id: str = ""
    pilot_segment_id: str = ""
    targets: tuple[tuple[str, float, str], ...] = ()  # (kpi, target, region)
    request_id: str = ""


@dataclass(frozen=True)
class Goals:
    campaign: Campaign
    measured_region: str
    lines: list[GoalLine]
    notes: dict[tuple[Kpi, str], str] = field(default_factory=dict)  # why not measured


def campaign_state(campaign: Campaign) -> State:
    """What the audit log keeps of a campaign: its phase and reach, no text."""
    return {
        "phase": campaign.phase.value,
        "regions": sorted(campaign.regions),
        "channels": sorted(campaign.channels),
        "posts": len(campaign.post_ids),
    }


def _tag(campaign_id: str, tenant_id: str) -> None:
    span = trace.get_current_span()
    span.set_attribute("chorus.tenant_id", tenant_id)
    span.set_attribute("chorus.campaign_id", campaign_id)


class CampaignUseCases:
    def __init__(
        self,
        uow: UnitOfWork,
        stores: Stores,
        events: PostEvents,
        audit: AuditTrail,
        channels: ChannelDirectory,
        metrics: CampaignMetrics,
        *,
        region: str,
        known_regions: frozenset[str],
    ) -> None:
        self.uow = uow
        self.stores = stores
        self.events = events
        self.audit = audit
        self.channels = channels
        self.metrics = metrics
        self.region = region
        self.known_regions = known_regions

    async def create(self, actor: Principal, new: NewCampaign) -> Campaign:
        tenant_id = valid_tenant(policy.comms(actor, new.tenant_id))
        if new.starts_at is None:
            raise InvalidArgument("starts_at", "is required")
        if new.ends_at is None:
            raise InvalidArgument("ends_at", "is required")
        for name, value in (
            ("segment_id", new.segment_id),
            ("pilot_segment_id", new.pilot_segment_id),
        ):
            if value:
                chorus_id(name, value)
        for index, channel_id in enumerate(new.channel_ids):
            chorus_id(f"channel_ids[{index}]", channel_id)
        # Checked against targeting before the transaction: a campaign on a
        # channel that does not exist would reach nobody, silently.
        known_channels = await self.channels.channel_ids(tenant_id) if new.channel_ids else set()
        campaign = new_campaign(
            campaign_id=(
                stable_id("campaign", tenant_id, new.request_id) if new.request_id else new_id()
            ),
            tenant_id=tenant_id,
            name=new.name,
            objective=new.objective,
            starts_at=new.starts_at,
            ends_at=new.ends_at,
            regions=new.regions,
            channels=new.channel_ids,
            segment_id=new.segment_id,
            targets=new.targets,
            known_regions=self.known_regions,
            known_channels=known_channels,
            pilot_segment_id=new.pilot_segment_id,
        )
        policy.manages_campaign(actor, campaign.regions, campaign.channels)
        _tag(campaign.campaign_id, tenant_id)
        now = utcnow()
        async with self.uow.transaction() as transaction:
            store = self.stores.campaigns(transaction)
            if new.request_id:
                existing = await store.find_by_request(tenant_id, new.request_id)
                if existing is not None:
                    return existing
            await store.add(campaign, new.request_id, now)
            self._record(transaction, "campaign.create", None, campaign, new.request_id)
            return await store.get(tenant_id, campaign.campaign_id)

    async def get(self, actor: Principal, tenant_id: str, campaign_id: str) -> Campaign:
        tenant_id = valid_tenant(policy.staff(actor, tenant_id))
        require("campaign_id", campaign_id)
        async with self.uow.session() as reads:
            return await self.stores.campaigns(reads).get(tenant_id, campaign_id)

    async def page(
        self,
        actor: Principal,
        tenant_id: str,
        *,
        region: str = "",
        phase: Phase | None = None,
        page_size: int = 0,
        page_token: str = "",
    ) -> tuple[list[Campaign], str]:
        tenant_id = valid_tenant(policy.staff(actor, tenant_id))
        if page_size < 0 or page_size > MAX_PAGE_SIZE:
            raise InvalidArgument("page_size", f"must be between 0 and {MAX_PAGE_SIZE}")
        if region and region not in self.known_regions:
            raise InvalidArgument("region", f"unknown region {region!r}")
        limit = page_size or DEFAULT_PAGE_SIZE
        async with self.uow.session() as reads:
            page = await self.stores.campaigns(reads).page(
                tenant_id, phase, limit, page_token or None, region
            )
        return page, (page[-1].campaign_id if len(page) == limit else "")

    async def start_pilot(
        self, actor: Principal, tenant_id: str, campaign_id: str, request_id: str = ""
    ) -> Campaign:
        return await self._transition(
            actor, tenant_id, campaign_id, request_id, "campaign.pilot", Campaign.start_pilot
        )

    async def widen(
        self, actor: Principal, tenant_id: str, campaign_id: str, request_id: str = ""
    ) -> Campaign:
        return await self._transition(
            actor, tenant_id, campaign_id, request_id, "campaign.widen", Campaign.widen
        )

    async def end(
        self, actor: Principal, tenant_id: str, campaign_id: str, request_id: str = ""
    ) -> Campaign:
        return await self._transition(
            actor, tenant_id, campaign_id, request_id, "campaign.end", Campaign.end
        )

    async def _transition(
        self,
        actor: Principal,
        tenant_id: str,
        campaign_id: str,
        request_id: str,
        action: str,
        change: Callable[[Campaign], Campaign],
    ) -> Campaign:
        tenant_id = valid_tenant(policy.comms(actor, tenant_id))
        require("campaign_id", campaign_id)
        _tag(campaign_id, tenant_id)
        now = utcnow()
        async with self.uow.transaction() as transaction:
            store = self.stores.campaigns(transaction)
            before = await store.get(tenant_id, campaign_id, for_update=True)
            policy.manages_campaign(actor, before.regions, before.channels)
            after = change(before)
            if after == before:
                return before  # already there: a retry changes nothing, emits nothing
            await store.save(after, now)
            self._record(transaction, action, before, after, request_id)
            if after.phase in (Phase.PILOT, Phase.LIVE):
                posts = await self._approved_posts(transaction, after)
                self.events.emit(
                    transaction, events.CampaignAudienceChanged(after, tuple(posts), now)
                )
            return await store.get(tenant_id, campaign_id)

    async def _approved_posts(self, transaction: Transaction, campaign: Campaign) -> list[Post]:
        """Its posts with an approved version, each as that pinned version
        (the text employees share), with the head's campaign membership."""
        posts = self.stores.posts(transaction)
        approved = []
        for post_id in campaign.post_ids:
            head = await posts.get(campaign.tenant_id, post_id)
            if head.approved_version and head.status is PostStatus.APPROVED:
                approved.append(
                    await posts.version(campaign.tenant_id, post_id, head.approved_version)
                )
        return approved

    async def goals(self, actor: Principal, tenant_id: str, campaign_id: str) -> Goals:
        """For the comms team (reviewers do not see stats, as in metrics)."""
        tenant_id = valid_tenant(policy.comms(actor, tenant_id))
        require("campaign_id", campaign_id)
        async with self.uow.session() as reads:
            campaign = await self.stores.campaigns(reads).get(tenant_id, campaign_id)
        if not campaign.post_ids:
            nothing = "the campaign has no post yet"
            empty = {(g.kpi, g.region): nothing for g in campaign.targets}
            return Goals(campaign, self.region, goals_against_actuals(campaign, {}), empty)
        # Outside any transaction: metrics is another service.
        actuals = await self.metrics.actuals(
            campaign.tenant_id, campaign.post_ids, campaign.starts_at, campaign.ends_at
        )
        measured: dict[tuple[Kpi, str], float | None] = {}
        notes: dict[tuple[Kpi, str], str] = {}
        here_only = set(campaign.regions) == {actuals.region}
        for goal in campaign.targets:
            key = (goal.kpi, goal.region)
            if goal.kpi in actuals.not_measured:
                notes[key] = "metrics does not measure this KPI yet"
            elif goal.region not in (ALL_REGIONS, actuals.region):
                notes[key] = f"measured in the {goal.region} deployment, not in {actuals.region}"
            elif goal.region == ALL_REGIONS and not here_only:
                notes[key] = (
                    f"the campaign spans {', '.join(campaign.regions)}; "
                    f"only {actuals.region} is measured here"
                )
            elif goal.kpi not in actuals.values:
                notes[key] = "metrics gave no figure for this KPI"
            else:
                measured[key] = actuals.values[goal.kpi]
        return Goals(campaign, actuals.region, goals_against_actuals(campaign, measured), notes)

    def _record(
        self,
        transaction: Transaction,
        action: str,
        before: Campaign | None,
        after: Campaign,
        request_id: str,
    ) -> None:
        self.audit.record(
            transaction,
            tenant_id=after.tenant_id,
            action=action,
            target_type="campaign",
            target_id=after.campaign_id,
            before=campaign_state(before) if before is not None else None,
            after=campaign_state(after),
            request_id=request_id,
        )
