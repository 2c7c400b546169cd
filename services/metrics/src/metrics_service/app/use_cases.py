"""Metrics use cases: tracked links, following a link, counting shares, stats."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime

from chorus_core.clock import utcnow
from chorus_core.errors import DomainError, FailedPrecondition, InvalidArgument, NotFound
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
from metrics_service.app.ports import ClickEvents, LinkStore, LinkTaken, PublishedShare, Stores
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
    # The share's trace, kept with the link (a click joins it); empty: the
    # call's own context.
    trace: TraceCarrier = TraceCarrier()


# A batch of CreateTrackedLinks: a bound on one transaction's size.
MAX_LINKS_PER_CALL = 500


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
        [outcome] = await self.create_tracked_links(actor, [new])
        if isinstance(outcome, DomainError):
            raise outcome
        _trace(outcome)
        return outcome

    async def create_tracked_links(
        self, actor: Principal, news: Sequence[NewTrackedLink]
    ) -> list[TrackedLink | DomainError]:
        """Many links in one transaction (publishing's shares in flight):
        one outcome per request, in order; a request that cannot be served
        gets its error and does not fail the others. Each link keeps the
        trace its request names (or the call's own)."""
        policy.require_link_maker(actor)
        if len(news) > MAX_LINKS_PER_CALL:
            raise InvalidArgument("links", f"at most {MAX_LINKS_PER_CALL} per call")
        outcomes: list[TrackedLink | DomainError | None] = [None] * len(news)
        wanted: list[tuple[int, TrackedLink, TraceCarrier]] = []
        call_trace = capture()
        for i, new in enumerate(news):
            try:
                link = link_rules.new_link(
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
            except DomainError as error:
                outcomes[i] = error
                continue
            wanted.append((i, link, new.trace if new.trace.traceparent else call_trace))
        attempt = 1
        while True:
            try:
                made = await self._create_all([(link, carrier) for _, link, carrier in wanted])
                break
            except LinkTaken:
                if attempt >= _CREATE_ATTEMPTS:
                    raise
                attempt += 1
        for (i, _, _), outcome in zip(wanted, made, strict=True):
            outcomes[i] = outcome
        trace.get_current_span().set_attribute("chorus.links", len(news))
        return [outcome for outcome in outcomes if outcome is not None]

    async def _create_all(
        self, wanted: Sequence[tuple[TrackedLink, TraceCarrier]]
    ) -> list[TrackedLink | DomainError]:
        """One transaction: the links the shares have already (a redelivered
        share), then new ones under the first free code of each. A share
        asked for twice in one call gets one link."""
        if not wanted:
            return []
        async with self.db.transaction() as unit:
            links = self.stores.links(unit)
            existing = await links.by_shares([(w.tenant_id, w.share_id) for w, _ in wanted])
            erased = await self._erased_among(unit, [w for w, _ in wanted])
            fresh = {
                (w.tenant_id, w.share_id): (w, carrier)
                for w, carrier in wanted
                if (w.tenant_id, w.share_id) not in existing
            }
            codes = await self._free_codes(links, [w for w, _ in fresh.values()])
            added: dict[tuple[str, str], TrackedLink] = {}
            for key, (w, _) in fresh.items():
                owner = ERASED if (w.tenant_id, w.employee_id) in erased else w.employee_id
                added[key] = replace(w, code=codes[key], employee_id=owner)
            await links.add_all([(link, fresh[key][1]) for key, link in added.items()])
        outcomes: list[TrackedLink | DomainError] = []
        for w, _ in wanted:
            key = (w.tenant_id, w.share_id)
            link = existing.get(key) or added[key]
            if link.target_url != w.target_url:
                outcomes.append(
                    FailedPrecondition(
                        f"share {w.share_id!r} already has tracked link {link.code!r} "
                        "to a different target_url; a share's link never changes"
                    )
                )
            else:
                outcomes.append(link)
        return outcomes

    async def _free_codes(
        self, links: LinkStore, wanted: Sequence[TrackedLink]
    ) -> dict[tuple[str, str], str]:
        """Each share's first candidate code that is free (one query for the
        first candidates; a collision, astronomically rare, looks further)."""
        candidates = {
            (w.tenant_id, w.share_id): link_rules.candidate_codes(w.tenant_id, w.share_id)
            for w in wanted
        }
        first = {key: next(codes) for key, codes in candidates.items()}
        taken = await links.codes_taken(list(first.values()))
        chosen: dict[tuple[str, str], str] = {}
        for key, code in first.items():
            while code in taken:
                code = next(candidates[key], "")
                if not code:
                    raise RuntimeError("no free link code after every candidate; widen CODE_LENGTH")
                if await links.code_taken(code):
                    taken.add(code)
            chosen[key] = code
            taken.add(code)  # not for another share of this batch
        return chosen

    async def _erased_among(
        self, unit: Transaction, wanted: Sequence[TrackedLink]
    ) -> set[tuple[str, str]]:
        """(tenant, employee) pairs erased already: their links name nobody."""
        by_tenant: dict[str, set[str]] = {}
        for w in wanted:
            if w.employee_id != ERASED:
                by_tenant.setdefault(w.tenant_id, set()).add(w.employee_id)
        erased = {(w.tenant_id, w.employee_id) for w in wanted if w.employee_id == ERASED}
        for tenant_id, employees in by_tenant.items():
            erased |= {
                (tenant_id, e)
                for e in await self.stores.holds(unit).erased_among(tenant_id, sorted(employees))
            }
        return erased

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

    async def count_shares(self, unit: Transaction, shares: Sequence[PublishedShare]) -> list[bool]:
        """shares+1 for each share's (post, country), once per share, in
        `unit` (a Kafka batch's transaction: the inbox rows commit with the
        counts), a few statements per tenant whatever the number. Returns
        whether each was counted now: False when counted already (a re-sent
        event under another ce_id, or twice in this batch). A share of an
        employee erased before it arrived counts all the same, for nobody:
        the counters name no one, and app.erasure keeps them exact for past
        shares too. The sharer is kept for counting a campaign's active
        ambassadors; `published_at` None (an event without it) is now."""
        for share in shares:
            valid_tenant(share.tenant_id)
            require("share_id", share.share_id)
            require("post_id", share.post_id)
        counted = [False] * len(shares)
        by_tenant: dict[str, list[int]] = {}
        for i, share in enumerate(shares):
            by_tenant.setdefault(share.tenant_id, []).append(i)
        for tenant_id, indexes in by_tenant.items():
            stats = self.stores.stats(unit)
            seen = await stats.counted_among(tenant_id, [shares[i].share_id for i in indexes])
            new = []
            for i in indexes:
                if shares[i].share_id not in seen:
                    seen.add(shares[i].share_id)
                    new.append(i)
            sharers = await self._sharers(unit, tenant_id, [shares[i] for i in new])
            await stats.count_shares(
                [
                    replace(
                        shares[i],
                        country=link_rules.country_or_unknown(shares[i].country),
                        employee_id=sharers.get(shares[i].employee_id or ""),
                    )
                    for i in new
                ]
            )
            for i in new:
                counted[i] = True
        return counted

    async def _sharers(
        self, unit: Transaction, tenant_id: str, shares: Sequence[PublishedShare]
    ) -> dict[str, str]:
        """The counted shares' sharers, by employee id: nobody for an unknown
        one, nor for an erased employee (their erasure's token is gone with
        it, and the shared ERASED marker would make every erased person one
        ambassador), so such a share counts as a share and not as an
        ambassador."""
        known = {e for s in shares if (e := s.employee_id or "").strip() and e != ERASED}
        if not known:
            return {}
        erased = await self.stores.holds(unit).erased_among(tenant_id, sorted(known))
        return {e: e for e in known - erased}

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
