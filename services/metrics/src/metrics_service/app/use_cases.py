"""Metrics use cases: tracked links, following a link, counting shares, stats."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractAsyncContextManager, contextmanager
from dataclasses import dataclass, replace
from datetime import datetime

from chorus_core.clock import utcnow
from chorus_core.errors import FailedPrecondition, NotFound
from chorus_core.ids import new_id
from chorus_core.settings import DEFAULT_REGION
from chorus_core.validation import require
from chorus_core.validation import tenant_id as valid_tenant
from chorus_db.ports import Transaction, UnitOfWork
from chorus_identity.policy import tenant_for
from chorus_identity.principal import Principal
from chorus_telemetry.propagation import TraceCarrier, capture, context_from
from opentelemetry import trace
from opentelemetry.trace import Link, Tracer

from metrics_service.app import policy
from metrics_service.app.erasure import ERASED, anonymise_employee
from metrics_service.app.ports import ClickEvents, LinkTaken, Stores
from metrics_service.domain import campaigns as campaign_rules
from metrics_service.domain import links as link_rules
from metrics_service.domain.campaigns import CampaignStats
from metrics_service.domain.clicks import counts_as_click
from metrics_service.domain.links import TrackedLink
from metrics_service.domain.stats import Stats, summarise

# A concurrent CreateTrackedLink for the same share (or, astronomically
# rarely, another share landing on the same code) loses at the unique key;
# running again finds the winner's row.
_CREATE_ATTEMPTS = 3


@dataclass(frozen=True)
class NewTrackedLink:
    tenant_id: str
    share_id: str
    post_id: str
    employee_id: str
    country: str
    network: str
    target_url: str
    campaign: str = ""
    request_id: str = ""


@dataclass(frozen=True)
class Redirect:
    url: str
    counted: bool
    link: TrackedLink


def _trace(link: TrackedLink) -> None:
    span = trace.get_current_span()
    span.set_attribute("chorus.tenant_id", link.tenant_id)
    span.set_attribute("chorus.post_id", link.post_id)
    span.set_attribute("chorus.share_id", link.share_id)


CLICK_SPAN = "metrics.click"


class MetricsUseCases:
    def __init__(
        self,
        db: UnitOfWork,
        stores: Stores,
        events: ClickEvents,
        public_url: str,
        tracer: Tracer | None = None,
        region: str = DEFAULT_REGION,
    ) -> None:
        self.db = db
        self.stores = stores
        self.events = events
        self.public_url = public_url.rstrip("/")
        self.tracer = tracer or trace.get_tracer(__name__)
        # The deployment's region (CHORUS_REGION): its shares are the shares
        # of this region's employees, which a campaign's actuals say.
        self.region = region

    @contextmanager
    def _in_link_trace(self, origin: TraceCarrier) -> Iterator[None]:
        """Records a click in the trace that created its link (the share's
        publish, so the campaign's), linked to the request's own span: the
        HTTP server starts a new trace per visitor, which would cut the click
        and its LinkClicked off the campaign. A link stored without a trace
        keeps the click under the request."""
        request = trace.get_current_span().get_span_context()
        with self.tracer.start_as_current_span(
            CLICK_SPAN,
            context=context_from(origin) if origin.traceparent else None,
            links=[Link(request)] if origin.traceparent and request.is_valid else None,
        ):
            yield

    def short_url(self, code: str) -> str:
        return f"{self.public_url}/l/{code}"

    async def create_tracked_link(self, actor: Principal, new: NewTrackedLink) -> TrackedLink:
        """Idempotent per share: the share id is the natural idempotency key,
        so any retry (same request_id or not) gets the same code and no row."""
        policy.require_link_maker(actor)
        wanted = link_rules.new_link(
            code="",
            tenant_id=valid_tenant(tenant_for(actor, new.tenant_id)),
            share_id=new.share_id,
            post_id=new.post_id,
            employee_id=new.employee_id,
            country_value=new.country,
            network=new.network,
            target=new.target_url,
            campaign=new.campaign,
        )
        attempt = 1
        while True:
            try:
                link = await self._create_once(wanted)
            except LinkTaken:
                if attempt >= _CREATE_ATTEMPTS:
                    raise
                attempt += 1
                continue
            _trace(link)
            return link

    async def _create_once(self, wanted: TrackedLink) -> TrackedLink:
        async with self.db.transaction() as unit:
            links = self.stores.links(unit)
            existing = await links.by_share(wanted.tenant_id, wanted.share_id)
            if existing is not None:
                if existing.target_url != wanted.target_url:
                    raise FailedPrecondition(
                        f"share {wanted.share_id!r} already has tracked link {existing.code!r} "
                        "to a different target_url; a share's link never changes"
                    )
                return existing
            owner = await self._owner(unit, wanted)
            for code in link_rules.candidate_codes(wanted.tenant_id, wanted.share_id):
                if not await links.code_taken(code):
                    link = replace(wanted, code=code, employee_id=owner)
                    await links.add(link, capture())
                    return link
        raise RuntimeError("no free link code after every candidate; widen CODE_LENGTH")

    async def _owner(self, unit: Transaction, link: TrackedLink) -> str:
        """The employee id to store with the link or its click: the ERASED
        marker once they are erased, as app.erasure leaves their past rows.
        Publishing may still ask for a link (or a visitor click one) after
        this service heard of the erasure: the link works all the same, it
        just names nobody."""
        if link.employee_id == ERASED:
            return ERASED
        if await self.stores.holds(unit).erased(link.tenant_id, link.employee_id):
            return ERASED
        return link.employee_id

    async def follow_link(self, code: str, method: str, user_agent: str) -> Redirect:
        """Resolves a short link. A GET by a person records the click, its
        LinkClicked event and the post's click counter in one transaction;
        HEAD and known preview fetchers only get the redirect."""
        if not link_rules.is_code(code):
            raise NotFound("link", code)
        if not counts_as_click(method, user_agent):
            async with self.db.session() as unit:
                link = await self.stores.links(unit).by_code(code)
            if link is None:
                raise NotFound("link", code)
            _trace(link)
            return Redirect(link_rules.redirect_url(link), counted=False, link=link)
        async with self.db.transaction() as unit:
            links = self.stores.links(unit)
            link = await links.by_code(code)
            if link is None:
                raise NotFound("link", code)
            # Read before an erasure in progress committed, the link may
            # still name the person: the click is recorded under the marker.
            link = replace(link, employee_id=await self._owner(unit, link))
            _trace(link)
            with self._in_link_trace(await links.trace_of(code)):
                _trace(link)
                click_id, now = new_id(), utcnow()
                await self.stores.clicks(unit).add(click_id, link, now)
                await self.stores.stats(unit).count_click(
                    link.tenant_id, link.post_id, link.country
                )
                # Written inside the click's span: LinkClicked carries its trace on.
                self.events.clicked(unit, link, click_id, now)
        return Redirect(link_rules.redirect_url(link), counted=True, link=link)

    async def count_share(
        self,
        tenant_id: str,
        share_id: str,
        post_id: str,
        country: str,
        transaction: Callable[[], AbstractAsyncContextManager[Transaction]],
        *,
        employee_id: str = "",
        published_at: datetime | None = None,
    ) -> bool:
        """shares+1 for (post, country) once per share; False when already
        counted. `transaction` is the consumer's ctx.transaction. A share of
        an employee erased before it arrived counts all the same, for nobody:
        the counters name no one, and app.erasure keeps them exact for past
        shares too. The sharer is kept for counting a campaign's active
        ambassadors; `published_at` None (an event without it) is now."""
        valid_tenant(tenant_id)
        require("share_id", share_id)
        require("post_id", post_id)
        async with transaction() as unit:
            stats = self.stores.stats(unit)
            if await stats.share_counted(tenant_id, share_id):
                return False  # the inbox row still commits: this event is done
            await stats.count_share(
                tenant_id,
                share_id,
                post_id,
                link_rules.country_or_unknown(country),
                await self._sharer(unit, tenant_id, employee_id),
                published_at,
            )
        return True

    async def _sharer(self, unit: Transaction, tenant_id: str, employee_id: str) -> str | None:
        """The counted share's sharer: None for nobody known, and for an
        erased employee (their erasure's token is gone with it, and the
        shared ERASED marker would make every erased person one ambassador),
        so such a share counts as a share and not as an ambassador."""
        if not employee_id.strip() or employee_id == ERASED:
            return None
        if await self.stores.holds(unit).erased(tenant_id, employee_id):
            return None
        return employee_id

    async def post_stats(self, actor: Principal, tenant_id: str, post_id: str) -> Stats:
        """A post nobody shared yet has zero counts, not NOT_FOUND: this service
        does not own posts and cannot tell "unknown" from "not shared yet"."""
        tenant_id = valid_tenant(tenant_for(actor, tenant_id))
        policy.require_stats_reader(actor)
        trace.get_current_span().set_attribute("chorus.tenant_id", tenant_id)
        require("post_id", post_id)
        async with self.db.session() as unit:
            return summarise(await self.stores.stats(unit).for_post(tenant_id, post_id))

    async def tenant_stats(self, actor: Principal, tenant_id: str) -> Stats:
        tenant_id = valid_tenant(tenant_for(actor, tenant_id))
        policy.require_stats_reader(actor)
        trace.get_current_span().set_attribute("chorus.tenant_id", tenant_id)
        async with self.db.session() as unit:
            return summarise(await self.stores.stats(unit).for_tenant(tenant_id))

    async def campaign_stats(
        self,
        actor: Principal,
        tenant_id: str,
        post_ids: Sequence[str],
        since: datetime | None,
        until: datetime | None,
    ) -> CampaignStats:
        """The actuals a campaign's goals are compared with (content holds the
        campaign and its posts). As post_stats, a post nobody shared has zero
        counts; the KPIs not measured here are listed, not zeroed."""
        tenant_id = valid_tenant(tenant_for(actor, tenant_id))
        policy.require_stats_reader(actor)
        trace.get_current_span().set_attribute("chorus.tenant_id", tenant_id)
        posts = campaign_rules.campaign_posts(post_ids)
        window = campaign_rules.period(since, until)
        async with self.db.session() as unit:
            rows = await self.stores.stats(unit).for_campaign(tenant_id, posts, window)
        return campaign_rules.summarise_campaign(posts, rows)

    async def ready(self) -> None:
        """Raises when the database cannot answer (the HTTP readiness probe)."""
        async with self.db.session() as unit:
            await self.stores.links(unit).ping()

    async def erase_employee(
        self, transaction: Transaction, tenant_id: str, employee_id: str
    ) -> int:
        """EmployeeErased, in the event's transaction (chorus_messaging.privacy
        opens it): see app.erasure. Returns the rows anonymised."""
        return await anonymise_employee(self.stores, transaction, tenant_id, employee_id)
