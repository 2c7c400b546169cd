"""Segments, channels and the audience preview. Saving a segment, creating
a channel, changing its managers and (un)subscribing are in the tenant's
audit log: versions, regions, flags and opaque ids, a digest of names and
rules people wrote."""

from __future__ import annotations

from collections.abc import Sequence

from chorus_core.clock import utcnow
from chorus_core.errors import FailedPrecondition, InvalidArgument, NotFound
from chorus_core.ids import new_id, stable_id
from chorus_core.validation import require
from chorus_core.validation import tenant_id as valid_tenant
from chorus_db.ports import Transaction, UnitOfWork
from chorus_identity.principal import Principal
from chorus_messaging.audit import AuditTrail, State, digest

from targeting_service.app import policy
from targeting_service.app.ports import Stores
from targeting_service.domain.audience import AudiencePreview, AudienceRule
from targeting_service.domain.channels import Channel, SavedSegment, channel_scope, new_channel
from targeting_service.domain.segments import attributes_of, parse_segment


async def build_rule(
    stores: Stores,
    transaction: Transaction,
    region: str,
    tenant_id: str,
    countries: Sequence[str],
    departments: Sequence[str],
    segment: str = "",
    segment_id: str = "",
    channel_ids: Sequence[str] = (),
) -> AudienceRule:
    """The post's countries/departments (the golden path), a rule or a saved
    segment, and channels, as one rule the repository turns into SQL."""
    base = AudienceRule.of(region, countries, departments)
    if segment and segment_id:
        raise InvalidArgument("segment_id", "give a rule or a saved segment, not both")
    if segment_id:
        segment = (await stores.segments(transaction).get(tenant_id, segment_id)).rule
    tree = parse_segment(segment) if segment else None
    scope = None
    if channel_ids:
        scope = channel_scope(
            await stores.channels(transaction).many(tenant_id, list(channel_ids)), region
        )
    return AudienceRule(base.region, base.countries, base.departments, tree, scope)


def channel_state(channel: Channel) -> State:
    """A channel in the audit log: its name as a digest (it says that it
    changed), its description only whether there is one."""
    return {
        "name": digest(channel.name),
        "description": bool(channel.description),
        "regions": sorted(channel.regions),
        "mandatory": channel.mandatory,
        "managers": sorted(channel.managers),
    }


class AudienceUseCases:
    def __init__(self, db: UnitOfWork, stores: Stores, region: str, audit: AuditTrail) -> None:
        self.db = db
        self.stores = stores
        self.region = region
        self.audit = audit

    async def preview(
        self,
        actor: Principal,
        tenant_id: str,
        countries: Sequence[str],
        departments: Sequence[str],
        segment: str = "",
        segment_id: str = "",
        channel_ids: Sequence[str] = (),
    ) -> AudiencePreview:
        """Comms managers: of the region, or of channels they manage."""
        tenant_id = valid_tenant(policy.comms_tenant(actor, tenant_id))
        async with self.db.session() as transaction:
            chosen = await self.stores.channels(transaction).many(tenant_id, list(channel_ids))
            policy.require_preview(actor, self.region, chosen)
            rule = await build_rule(
                self.stores,
                transaction,
                self.region,
                tenant_id,
                countries,
                departments,
                segment,
                segment_id,
                channel_ids,
            )
            return await self.stores.employees(transaction).audience_preview(tenant_id, rule)

    @staticmethod
    def validate(actor: Principal, rule: str) -> list[str]:
        policy.comms_tenant(actor, "")
        return sorted(attributes_of(parse_segment(rule)))

    async def save_segment(
        self,
        actor: Principal,
        tenant_id: str,
        request_id: str,
        segment_id: str,
        name: str,
        rule: str,
    ) -> SavedSegment:
        tenant_id = valid_tenant(policy.comms_tenant(actor, tenant_id))
        require("name", name)
        parse_segment(rule)
        given = bool(segment_id)
        segment_id = segment_id or (
            stable_id("segment", tenant_id, request_id) if request_id else new_id()
        )
        async with self.db.transaction() as transaction:
            segments = self.stores.segments(transaction)
            await segments.lock(tenant_id, segment_id)
            latest = await segments.latest_version(tenant_id, segment_id)
            if given and not latest:
                # A new segment's id is Chorus's to choose: one named is an
                # existing segment of this tenant, or nothing.
                raise NotFound("segment", segment_id)
            if latest:
                current = await segments.get(tenant_id, segment_id, latest)
                if (current.name, current.rule) == (name.strip(), rule):
                    return current  # a retry, or nothing changed: no new version
            saved = SavedSegment(segment_id, latest + 1, name.strip(), rule, utcnow())
            await segments.add(tenant_id, saved)
            # A rule may name a department or a group: the log keeps its digest.
            self.audit.record(
                transaction,
                tenant_id=tenant_id,
                action="segment.save",
                target_type="segment",
                target_id=segment_id,
                before={"version": latest} if latest else None,
                after={"version": saved.version, "name": digest(saved.name), "rule": digest(rule)},
                request_id=request_id,
            )
            return saved

    async def get_segment(
        self, actor: Principal, tenant_id: str, segment_id: str, version: int
    ) -> SavedSegment:
        tenant_id = valid_tenant(policy.comms_tenant(actor, tenant_id))
        require("segment_id", segment_id)
        async with self.db.session() as transaction:
            return await self.stores.segments(transaction).get(tenant_id, segment_id, version)

    async def list_segments(self, actor: Principal, tenant_id: str) -> list[SavedSegment]:
        tenant_id = valid_tenant(policy.comms_tenant(actor, tenant_id))
        async with self.db.session() as transaction:
            return await self.stores.segments(transaction).list(tenant_id)

    async def create_channel(
        self,
        actor: Principal,
        tenant_id: str,
        request_id: str,
        name: str,
        description: str,
        regions: Sequence[str],
        mandatory: bool,
        managers: Sequence[str],
    ) -> Channel:
        """Comms managers, in regions they manage."""
        tenant_id = valid_tenant(policy.comms_tenant(actor, tenant_id))
        channel_id = stable_id("channel", tenant_id, request_id) if request_id else new_id()
        channel = new_channel(channel_id, name, description, regions, mandatory, managers)
        policy.require_channel_regions(actor, channel.regions)
        async with self.db.transaction() as transaction:
            channels = self.stores.channels(transaction)
            try:
                return await channels.get(tenant_id, channel_id)  # a retried request
            except NotFound:
                pass
            for manager in channel.managers:
                await self.stores.employees(transaction).get(tenant_id, manager)
            await channels.add(tenant_id, channel, utcnow())
            self.audit.record(
                transaction,
                tenant_id=tenant_id,
                action="channel.create",
                target_type="channel",
                target_id=channel_id,
                before=None,
                after=channel_state(channel),
                request_id=request_id,
            )
            return await channels.get(tenant_id, channel_id)

    async def list_channels(self, actor: Principal, tenant_id: str) -> list[Channel]:
        """Everyone of the tenant: employees choose what to follow."""
        tenant_id = valid_tenant(policy.person_tenant(actor, tenant_id))
        async with self.db.session() as transaction:
            return await self.stores.channels(transaction).list(tenant_id)

    async def set_managers(
        self,
        actor: Principal,
        tenant_id: str,
        channel_id: str,
        managers: Sequence[str],
        request_id: str = "",
    ) -> Channel:
        """Comms managers of the channel."""
        tenant_id = valid_tenant(policy.comms_tenant(actor, tenant_id))
        async with self.db.transaction() as transaction:
            await self.stores.channels(transaction).lock(tenant_id, channel_id)
            before = await self.stores.channels(transaction).get(tenant_id, channel_id)
            policy.require_manages(actor, before)
            for manager in managers:
                await self.stores.employees(transaction).get(tenant_id, manager)
            channels = self.stores.channels(transaction)
            await channels.set_managers(tenant_id, channel_id, managers)
            after = await channels.get(tenant_id, channel_id)
            self.audit.record(
                transaction,
                tenant_id=tenant_id,
                action="channel.set_managers",
                target_type="channel",
                target_id=channel_id,
                before={"managers": sorted(before.managers)},
                after={"managers": sorted(after.managers)},
                request_id=request_id,
            )
            return after

    async def subscribe(
        self,
        actor: Principal,
        tenant_id: str,
        channel_id: str,
        employee_id: str,
        on: bool,
        request_id: str = "",
    ) -> Channel:
        """The employee themself (empty: the caller), or a tenant admin."""
        tenant_id = valid_tenant(policy.person_tenant(actor, tenant_id))
        employee_id = require("employee_id", policy.own_or(actor, employee_id))
        async with self.db.transaction() as transaction:
            channels = self.stores.channels(transaction)
            channel = await channels.get(tenant_id, channel_id)
            if not channel.visible_in(self.region):
                raise FailedPrecondition(
                    f"channel {channel_id!r} is not visible in region {self.region!r}"
                )
            if on:
                changed = await channels.subscribe(tenant_id, channel_id, employee_id)
            elif channel.mandatory:
                raise FailedPrecondition(
                    f"channel {channel_id!r} is mandatory: nobody can unsubscribe"
                )
            else:
                changed = await channels.unsubscribe(tenant_id, channel_id, employee_id)
            if changed:  # subscribing twice changes nothing and records nothing
                # The person's subscription to the channel begins or ends.
                subscription: State = {"channel_id": channel_id}
                self.audit.record(
                    transaction,
                    tenant_id=tenant_id,
                    action="channel.subscribe" if on else "channel.unsubscribe",
                    target_type="employee",
                    target_id=employee_id,
                    before=None if on else subscription,
                    after=subscription if on else None,
                    request_id=request_id,
                )
            return await channels.get(tenant_id, channel_id)
