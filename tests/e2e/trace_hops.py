"""The golden path as edges of one trace: for each hop, the consumer's span
is the child of (or linked to) the producer's span, with the span names and
the chorus.* attributes services/README.md ("Traces") defines.

* an event hop: `<prefix><topic> create` in the producer (the relay, under
  the context stored with the outbox row), `<prefix><topic> process` in the
  consumer, its child; both with chorus.event_type, chorus.event_id (the
  same on both sides), chorus.tenant_id and, where the event concerns them,
  chorus.post_id and chorus.share_id;
* a gRPC hop: the caller's client span `/<pkg>.<Service>/<Method>` and the
  server's span of the same name, its child; the ids are the server span's
  own or those of the event being handled when the call was made;
* the tracked link: publishing's `publishing.tracked_link` span of the share,
  which a `publishing.tracked_links` span (one call for the links of many
  shares, a trace of its own) links to; that call's CreateTrackedLinks client
  span has metrics' server span as its child;
* the click: metrics' `GET /l/{code}` request span (a trace of its own) is
  linked from `metrics.click`, a child of its share's `publishing.tracked_link`
  span, whose LinkClicked reaches gamification as an event hop.

Checks return problems (empty: the path is proven), so a test can wait for
late spans and print every gap at once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from chorus_cli.traces import Span
from chorus_messaging.topics import (
    AUDIENCE,
    CLICKS,
    POSTS,
    SHARES_PUBLISHED,
    SHARES_SCHEDULED,
    TRANSLATIONS,
)

SERVER, CLIENT = 2, 3  # OTLP span kinds
TENANT, POST, SHARE = "chorus.tenant_id", "chorus.post_id", "chorus.share_id"
EVENT_TYPE, EVENT_ID = "chorus.event_type", "chorus.event_id"
CLICK_SPAN = "metrics.click"  # metrics_service.app.use_cases.CLICK_SPAN
CLICK_REQUEST = "GET /l/{code}"
CREATE_TRACKED_LINKS = "/chorus.metrics.v1.MetricsService/CreateTrackedLinks"
TRACKED_LINK = "publishing.tracked_link"  # publishing_service.adapters.tracked_links
TRACKED_LINKS = "publishing.tracked_links"
INTERNAL = 1


@dataclass(frozen=True)
class EventHop:
    producer: str
    consumer: str
    topic: str
    event: str  # short name; the ce_type is chorus.<producer>.v1.<event>
    share: bool = False  # the event concerns one share (else: the post)

    @property
    def event_type(self) -> str:
        return f"chorus.{self.producer}.v1.{self.event}"


@dataclass(frozen=True)
class CallHop:
    caller: str
    server: str
    method: str  # /<pkg>.<Service>/<Method>
    share: bool = False


GOLDEN_PATH: tuple[EventHop | CallHop, ...] = (
    EventHop("content", "targeting", POSTS, "PostApproved"),
    EventHop("targeting", "translation", AUDIENCE, "AudienceSummary"),
    EventHop("targeting", "scheduling", AUDIENCE, "AudienceBatchResolved"),
    CallHop("translation", "content", "/chorus.content.v1.ContentService/GetPostVersion"),
    EventHop("translation", "scheduling", TRANSLATIONS, "TranslationCompleted"),
    EventHop("translation", "content", TRANSLATIONS, "TranslationCompleted"),
    EventHop("content", "scheduling", POSTS, "TranslationCleared"),
    EventHop("scheduling", "publishing", SHARES_SCHEDULED, "ShareDue", share=True),
    EventHop("publishing", "gamification", SHARES_PUBLISHED, "SharePublished", share=True),
    EventHop("publishing", "metrics", SHARES_PUBLISHED, "SharePublished", share=True),
)
CLICK_HOP = EventHop("metrics", "gamification", CLICKS, "LinkClicked", share=True)


@dataclass(frozen=True)
class Campaign:
    trace_id: str
    tenant_id: str
    post_id: str
    share_ids: frozenset[str]
    topic_prefix: str  # the stack's Kafka namespace


def service(name: str) -> str:
    return f"chorus-{name}"


class TraceView:
    """The campaign's trace, and every span by id (a click's request span
    lives in a trace of its own)."""

    def __init__(self, spans: Iterable[Span], campaign: Campaign) -> None:
        self.campaign = campaign
        self.by_id = {s.span_id: s for s in spans}
        self.trace = [s for s in self.by_id.values() if s.trace_id == campaign.trace_id]

    def named(self, service_name: str, name: str, kind: int | None = None) -> list[Span]:
        return [
            s
            for s in self.trace
            if s.service == service(service_name)
            and s.name == name
            and (kind is None or s.kind == kind)
        ]

    def children(self, parent: Span, service_name: str, name: str) -> list[Span]:
        return [s for s in self.named(service_name, name) if s.parent_id == parent.span_id]

    def described(self, span: Span) -> Span | None:
        """The span itself or its nearest ancestor naming a tenant."""
        current: Span | None = span
        while current is not None and TENANT not in current.attributes:
            current = self.by_id.get(current.parent_id)
        return current

    def ids_problems(self, span: Span, share: bool, what: str) -> list[str]:
        """The span names the campaign's tenant and post, and one of its shares."""
        campaign, attributes = self.campaign, span.attributes
        problems = []
        if attributes.get(TENANT) != campaign.tenant_id:
            problems.append(f"{what}: {TENANT}={attributes.get(TENANT)!r}")
        if attributes.get(POST) != campaign.post_id:
            problems.append(f"{what}: {POST}={attributes.get(POST)!r}")
        if share and attributes.get(SHARE) not in campaign.share_ids:
            problems.append(f"{what}: {SHARE}={attributes.get(SHARE)!r}, not a campaign share")
        return problems


def event_hop_problems(view: TraceView, hop: EventHop) -> list[str]:
    """Every `create` of the event in the trace reaches the consumer as a
    `process` child with the same event id and the campaign's ids."""
    topic = view.campaign.topic_prefix + hop.topic
    what = f"{hop.producer} -> {hop.consumer} ({hop.event})"
    creates = [
        s
        for s in view.named(hop.producer, f"{topic} create")
        if s.attributes.get(EVENT_TYPE) == hop.event_type
    ]
    if not creates:
        return [f"{what}: no '{topic} create' span in {service(hop.producer)}"]
    problems: list[str] = []
    for create in creates:
        problems += view.ids_problems(create, hop.share, f"{what} create")
        processes = view.children(create, hop.consumer, f"{topic} process")
        if not processes:
            problems.append(f"{what}: create {create.span_id} has no process child")
        for process in processes:
            if process.attributes.get(EVENT_TYPE) != hop.event_type:
                problems.append(f"{what}: process {process.span_id} has another event type")
            if process.attributes.get(EVENT_ID) != create.attributes.get(EVENT_ID):
                problems.append(f"{what}: process {process.span_id} names another event id")
            problems += view.ids_problems(process, hop.share, f"{what} process")
    return problems


def call_hop_problems(view: TraceView, hop: CallHop) -> list[str]:
    """Every client call in the trace has the server's span as its child,
    on behalf of the campaign's tenant, post (and share)."""
    what = f"{hop.caller} -> {hop.server} ({hop.method})"
    calls = view.named(hop.caller, hop.method, CLIENT)
    if not calls:
        return [f"{what}: no client span in {service(hop.caller)}"]
    problems: list[str] = []
    for call in calls:
        served = [s for s in view.children(call, hop.server, hop.method) if s.kind == SERVER]
        if len(served) != 1:
            problems.append(f"{what}: client {call.span_id} has {len(served)} server children")
            continue
        described = view.described(served[0])
        if described is None:
            problems.append(f"{what}: neither the call nor its cause names a tenant")
            continue
        problems += view.ids_problems(described, hop.share, f"{what} ({described.name})")
    return problems


def tracked_link_problems(view: TraceView) -> list[str]:
    """Each share's link: its `publishing.tracked_link` span in the campaign's
    trace, linked from exactly one `publishing.tracked_links` call span, whose
    CreateTrackedLinks client span has metrics' server span as its child."""
    links = [s for s in view.named("publishing", TRACKED_LINK) if s.kind == INTERNAL]
    if not links:
        return [f"tracked link: no {TRACKED_LINK} span in the trace"]
    everything = view.by_id.values()
    problems: list[str] = []
    for link in links:
        problems += view.ids_problems(link, True, "tracked link")
        calls = [
            s
            for s in everything
            if (s.service, s.name) == (service("publishing"), TRACKED_LINKS)
            and any(linked.span_id == link.span_id for linked in s.links)
        ]
        if len(calls) != 1:
            problems.append(f"tracked link {link.span_id}: linked from {len(calls)} calls")
            continue
        clients = [
            s
            for s in everything
            if s.parent_id == calls[0].span_id
            and (s.name, s.kind) == (CREATE_TRACKED_LINKS, CLIENT)
        ]
        served = [
            s
            for s in everything
            if clients
            and s.parent_id == clients[0].span_id
            and (s.service, s.name, s.kind) == (service("metrics"), CREATE_TRACKED_LINKS, SERVER)
        ]
        if len(clients) != 1 or len(served) != 1:
            problems.append(
                f"tracked link {link.span_id}: its call has {len(clients)} client and "
                f"{len(served)} server spans"
            )
    return problems


def click_problems(view: TraceView, expected_clicks: int) -> list[str]:
    """Each counted click is a `metrics.click` span in the campaign's trace,
    the child of its share's `publishing.tracked_link` span, linked to the
    request span that started a trace of its own; its LinkClicked reaches
    gamification (the click's points)."""
    clicks = view.named("metrics", CLICK_SPAN)
    problems: list[str] = []
    if len(clicks) != expected_clicks:
        problems.append(f"click: {len(clicks)} click spans in the trace, {expected_clicks} made")
    for click in clicks:
        problems += view.ids_problems(click, True, "click")
        parent = view.by_id.get(click.parent_id)
        if (
            parent is None
            or (parent.service, parent.name, parent.kind)
            != (service("publishing"), TRACKED_LINK, INTERNAL)
            or parent.attributes.get(SHARE) != click.attributes.get(SHARE)
        ):
            problems.append(f"click {click.span_id}: not a child of its link's creation")
        requests = [view.by_id.get(link.span_id) for link in click.links]
        if not any(
            r is not None
            and (r.service, r.name, r.kind) == (service("metrics"), CLICK_REQUEST, SERVER)
            and r.trace_id != click.trace_id
            for r in requests
        ):
            problems.append(f"click {click.span_id}: no link to its '{CLICK_REQUEST}' span")
    problems += event_hop_problems(view, CLICK_HOP)
    topic = view.campaign.topic_prefix + CLICK_HOP.topic
    click_ids = {c.span_id for c in clicks}
    for create in view.named("metrics", f"{topic} create"):
        if create.parent_id not in click_ids:
            problems.append(f"click: LinkClicked {create.span_id} not written in a click span")
    return problems


def golden_path_problems(spans: Iterable[Span], campaign: Campaign, clicks: int) -> list[str]:
    view = TraceView(spans, campaign)
    problems: list[str] = []
    for hop in GOLDEN_PATH:
        if isinstance(hop, EventHop):
            problems += event_hop_problems(view, hop)
        else:
            problems += call_hop_problems(view, hop)
    return problems + tracked_link_problems(view) + click_problems(view, clicks)
