"""The REST tenant-isolation matrix: every /v1 route of the app (from
app.routes; a route missing here fails the coverage test, so nothing slips
through) called by tenant B on tenant A's objects, over the real services.

Two kinds of route:
* HIDDEN: the route names one of A's objects; B (an admin of B, who passes
  every role check of B, or a linked employee of B for the caller's own
  routes) gets 403 or 404 as problem+json;
* OWN: the route names none; B gets B's own view (or a 4xx), never A's.
For both, no answer contains anything only A's data contains (A's ids
unless B sent them, names, texts, subjects, its tenant id), and A's objects
read the same before and after all of B's requests."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.routing import iter_route_contexts
from gateway_service.entrypoints.http_app import build_app
from gateway_service.entrypoints.routers import ROUTERS

from tests.component.gateway.backends import Backends
from tests.component.gateway.conftest import Gateway, GatewayFactory
from tests.component.gateway.isolation_world import World, build
from tests.component.gateway.people import HEADER, row
from tests.component.gateway.test_gateway_media import png

HIDDEN, OWN = "hidden", "own"


@dataclass
class Case:
    kind: str
    url: str
    who: str = "b_admin"
    kwargs: dict[str, Any] = field(default_factory=dict)


C = Callable[[World], Case]


def hidden(url: Callable[[dict[str, str]], str], who: str = "b_admin", **kw: Any) -> C:
    return lambda w: Case(HIDDEN, url(w.ids), who, kw)


def own(url: Callable[[dict[str, str]], str], who: str = "b_admin", **kw: Any) -> C:
    return lambda w: Case(OWN, url(w.ids), who, kw)


def at(path: str) -> Callable[[dict[str, str]], str]:
    return lambda ids: path.format(**ids)


POST_EDIT: dict[str, Any] = {
    "json": {"title": "Mine", "body": "b"},
    "headers": {"If-Match": '"v1"'},
}
CSV: dict[str, Any] = {"content": HEADER + row("B9"), "headers": {"Content-Type": "text/csv"}}

MATRIX: dict[tuple[str, str], C] = {
    ("POST", "/v1/auth/token"): own(at("/v1/auth/token")),
    ("GET", "/v1/me"): own(at("/v1/me")),
    ("GET", "/v1/role-grants/{subject}"): own(at("/v1/role-grants/rita")),
    ("PUT", "/v1/role-grants/{subject}"): own(
        at("/v1/role-grants/rita"), json={"grants": [{"role": "moderator"}]}
    ),
    ("DELETE", "/v1/role-grants/{subject}"): own(at("/v1/role-grants/rita")),
    ("GET", "/v1/audit"): own(at("/v1/audit")),
    ("GET", "/v1/audit.csv"): own(at("/v1/audit.csv")),
    ("GET", "/v1/webhooks"): own(at("/v1/webhooks")),
    ("POST", "/v1/webhooks"): own(
        at("/v1/webhooks"), json={"url": "https://127.0.0.1/b", "event_types": ["share.published"]}
    ),
    ("GET", "/v1/webhooks/{webhook_id}"): hidden(at("/v1/webhooks/{webhook}")),
    ("DELETE", "/v1/webhooks/{webhook_id}"): hidden(at("/v1/webhooks/{webhook}")),
    ("POST", "/v1/webhooks/{webhook_id}/rotate-secret"): hidden(
        at("/v1/webhooks/{webhook}/rotate-secret")
    ),
    ("POST", "/v1/webhooks/{webhook_id}/enable"): hidden(at("/v1/webhooks/{webhook}/enable")),
    ("GET", "/v1/webhooks/{webhook_id}/deliveries"): hidden(
        at("/v1/webhooks/{webhook}/deliveries")
    ),
    ("GET", "/v1/webhook-allowed-hosts"): own(at("/v1/webhook-allowed-hosts")),
    ("PUT", "/v1/webhook-allowed-hosts"): own(
        at("/v1/webhook-allowed-hosts"), json={"hosts": ["b.example"]}
    ),
    ("POST", "/v1/posts"): own(at("/v1/posts"), json={"title": "B news"}),
    ("GET", "/v1/posts"): own(at("/v1/posts")),
    ("GET", "/v1/posts/search"): own(at("/v1/posts/search?q=launch")),
    ("GET", "/v1/posts/{post_id}"): hidden(at("/v1/posts/{post}")),
    ("PUT", "/v1/posts/{post_id}"): hidden(at("/v1/posts/{post}"), **POST_EDIT),
    ("POST", "/v1/posts/{post_id}/submit"): hidden(at("/v1/posts/{post}/submit")),
    ("POST", "/v1/posts/{post_id}/approve"): hidden(at("/v1/posts/{post}/approve"), json={}),
    ("POST", "/v1/posts/{post_id}/request-changes"): hidden(
        at("/v1/posts/{post}/request-changes"), json={"comment": "no"}
    ),
    ("POST", "/v1/posts/{post_id}/reject"): hidden(
        at("/v1/posts/{post}/reject"), json={"reason": "no"}
    ),
    ("POST", "/v1/posts/{post_id}/archive"): hidden(at("/v1/posts/{post}/archive")),
    ("GET", "/v1/posts/{post_id}/versions"): hidden(at("/v1/posts/{post}/versions")),
    ("GET", "/v1/posts/{post_id}/versions/{version}"): hidden(at("/v1/posts/{post}/versions/1")),
    ("GET", "/v1/posts/{post_id}/comments"): hidden(at("/v1/posts/{post}/comments")),
    ("POST", "/v1/posts/{post_id}/comments"): hidden(
        at("/v1/posts/{post}/comments"), json={"text": "B was here"}
    ),
    ("GET", "/v1/posts/{post_id}/audit"): hidden(at("/v1/posts/{post}/audit")),
    ("GET", "/v1/charter"): own(at("/v1/charter")),
    ("PUT", "/v1/charter"): own(at("/v1/charter"), json={"blocked_phrases": ["b phrase"]}),
    ("POST", "/v1/compliance-check"): own(at("/v1/compliance-check"), json={"title": "x"}),
    ("POST", "/v1/proposals"): own(at("/v1/proposals"), "b_employee", json={"title": "B idea"}),
    ("GET", "/v1/moderation-queue"): own(at("/v1/moderation-queue")),
    ("POST", "/v1/proposals/{post_id}/moderate"): hidden(
        at("/v1/proposals/{proposal}/moderate"), json={"approve": True}
    ),
    ("POST", "/v1/media"): own(at("/v1/media"), files={"file": ("b.png", png(9, 9), "image/png")}),
    ("GET", "/v1/media"): own(at("/v1/media")),
    ("GET", "/v1/media/{media_id}"): hidden(at("/v1/media/{media}")),
    ("GET", "/v1/media/{media_id}/content"): hidden(at("/v1/media/{media}/content")),
    ("PUT", "/v1/media/{media_id}/tags"): hidden(at("/v1/media/{media}/tags"), json={"tags": []}),
    ("POST", "/v1/feeds"): own(at("/v1/feeds"), json={"url": "https://b.example/feed"}),
    ("GET", "/v1/feeds"): own(at("/v1/feeds")),
    ("POST", "/v1/feeds/{feed_id}/poll"): hidden(at("/v1/feeds/{feed}/poll")),
    ("PUT", "/v1/feed-allowed-hosts"): own(at("/v1/feed-allowed-hosts"), json={"hosts": ["b"]}),
    ("GET", "/v1/approval-chains"): own(at("/v1/approval-chains")),
    ("PUT", "/v1/approval-chains/{kind}"): own(
        at("/v1/approval-chains/job_offer"), json={"steps": ["b-step"]}
    ),
    ("GET", "/v1/held-translations"): own(at("/v1/held-translations?post_id={post}")),
    ("GET", "/v1/content-audit.csv"): own(at("/v1/content-audit.csv?post_id={post}")),
    ("POST", "/v1/directory/import"): own(at("/v1/directory/import"), **CSV),
    ("POST", "/v1/scim-token"): own(at("/v1/scim-token")),
    ("GET", "/v1/employees"): own(at("/v1/employees")),
    ("GET", "/v1/employees/{employee_id}"): hidden(at("/v1/employees/{employee}")),
    ("DELETE", "/v1/employees/{employee_id}"): hidden(at("/v1/employees/{employee}")),
    ("GET", "/v1/me/employee"): own(at("/v1/me/employee"), "b_employee"),
    ("PUT", "/v1/me/consent"): own(
        at("/v1/me/consent"), "b_employee", json={"opted_in": True, "consent": True}
    ),
    ("PUT", "/v1/me/participation"): own(
        at("/v1/me/participation"), "b_employee", json={"opted_in": True}
    ),
    ("POST", "/v1/channels"): own(at("/v1/channels"), json={"name": "B chan"}),
    ("GET", "/v1/channels"): own(at("/v1/channels")),
    ("PUT", "/v1/channels/{channel_id}/managers"): hidden(
        at("/v1/channels/{channel}/managers"), json={"manager_ids": []}
    ),
    ("PUT", "/v1/channels/{channel_id}/subscription"): hidden(
        at("/v1/channels/{channel}/subscription"), "b_employee"
    ),
    ("DELETE", "/v1/channels/{channel_id}/subscription"): hidden(
        at("/v1/channels/{channel}/subscription"), "b_employee"
    ),
    ("POST", "/v1/segments"): own(at("/v1/segments"), json={"name": "B", "rule": 'country = "BE"'}),
    ("GET", "/v1/segments"): own(at("/v1/segments")),
    ("GET", "/v1/segments/{segment_id}"): hidden(at("/v1/segments/{segment}")),
    ("PUT", "/v1/segments/{segment_id}"): hidden(
        at("/v1/segments/{segment}"), json={"name": "B", "rule": 'country = "BE"'}
    ),
    ("POST", "/v1/segments/validate"): own(at("/v1/segments/validate"), json={"rule": "x = 1"}),
    ("POST", "/v1/audience-preview"): hidden(
        at("/v1/audience-preview"), json={"segment_id": "{segment}"}
    ),
    ("POST", "/v1/shares"): own(at("/v1/shares"), "b_employee", json={"post_id": "{post}"}),
    ("POST", "/v1/shares/{share_id}/cancel"): hidden(at("/v1/shares/{share}/cancel")),
    ("GET", "/v1/shares/{share_id}"): hidden(at("/v1/shares/{share}")),
    ("GET", "/v1/shares"): own(at("/v1/shares?post_id={post}")),
    ("GET", "/v1/me/shares"): own(at("/v1/me/shares"), "b_employee"),
    ("GET", "/v1/posts/{post_id}/waiting-shares"): own(at("/v1/posts/{post}/waiting-shares")),
    ("POST", "/v1/me/accounts"): own(
        at("/v1/me/accounts"), "b_employee", json={"handle": "b.test", "secret": "b-secret"}
    ),
    ("DELETE", "/v1/me/accounts/{network}"): own(at("/v1/me/accounts/bluesky"), "b_employee"),
    ("GET", "/v1/shares/{share_id}/publication"): hidden(at("/v1/shares/{published}/publication")),
    ("GET", "/v1/posts/{post_id}/published"): own(at("/v1/posts/{post}/published")),
    ("GET", "/v1/leaderboard"): own(at("/v1/leaderboard")),
    ("POST", "/v1/leaderboard/rebuild"): own(at("/v1/leaderboard/rebuild")),
    ("GET", "/v1/me/profile"): own(at("/v1/me/profile"), "b_employee"),
    ("GET", "/v1/employees/{employee_id}/profile"): own(at("/v1/employees/{employee}/profile")),
    ("GET", "/v1/posts/{post_id}/stats"): own(at("/v1/posts/{post}/stats")),
    ("GET", "/v1/stats"): own(at("/v1/stats")),
    ("GET", "/v1/posts/{post_id}/translations"): own(at("/v1/posts/{post}/translations")),
    ("GET", "/v1/posts/{post_id}/language-decisions"): own(
        at("/v1/posts/{post}/language-decisions")
    ),
    ("GET", "/v1/language-policy"): own(at("/v1/language-policy")),
    ("PUT", "/v1/language-policy"): own(at("/v1/language-policy"), json={}),
    ("POST", "/v1/translate"): own(
        at("/v1/translate"),
        json={"text": "The house", "source_language": "en", "target_language": "es"},
    ),
}


@pytest.fixture
async def gwb(gateway_factory: GatewayFactory, backends: Backends) -> Gateway:
    """conftest's gwb with room for the matrix: B's admin sends it about 80
    requests in a few seconds, past the default user burst (40) on a fast
    run, and a 429 would stand in for the answer under test. Rate limits
    have their own tests (test_gateway_edges.py)."""
    return await gateway_factory(services=backends.addresses, gateway_user_burst=1000)


def routes_of_the_app(gw: Gateway) -> set[tuple[str, str]]:
    app = build_app(gw.deps, ROUTERS)
    # app.routes holds the included routers; iter_route_contexts flattens them.
    return {
        (method, route.path)
        for route in iter_route_contexts(app.routes)
        if route.path is not None and route.path.startswith("/v1")
        for method in route.methods or ()
    }


async def test_every_v1_route_is_in_the_matrix(gw: Gateway) -> None:
    routes = routes_of_the_app(gw)
    assert sorted(routes - MATRIX.keys()) == [], "routes missing from the isolation matrix"
    assert sorted(MATRIX.keys() - routes) == [], "matrix rows of routes that do not exist"


def _filled(value: Any, ids: dict[str, str]) -> Any:
    """A JSON body naming A's objects by "{name}"."""
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids.get(value[1:-1], value)
    if isinstance(value, dict):
        return {k: _filled(v, ids) for k, v in value.items()}
    return value


async def test_tenant_b_gets_nothing_of_tenant_a_and_changes_nothing(
    gwb: Gateway, backends: Backends
) -> None:
    world = await build(gwb, backends)
    before = await world.snapshot()
    # The markers are A's data indeed: A's own reads show them.
    shown = json.dumps(before)
    assert all(m in shown for m in world.markers), sorted(
        m for m in world.markers if m not in shown
    )
    failures: list[str] = []
    for (method, template), make in MATRIX.items():
        case = make(world)
        kwargs = dict(case.kwargs)
        if "json" in kwargs:
            kwargs["json"] = _filled(kwargs["json"], world.ids)
        answer = await world.call(case.who, method, case.url, **kwargs)
        sent = case.url + json.dumps(kwargs.get("json", ""))
        leaked = sorted(m for m in world.markers if m not in sent and m in answer.text)
        if leaked:
            failures.append(f"{method} {template}: answer shows {leaked}")
        if case.kind == HIDDEN:
            problem = answer.headers.get("content-type", "").startswith("application/problem")
            if answer.status_code not in (403, 404) or not problem:
                failures.append(f"{method} {template}: {answer.status_code} {answer.text[:200]}")
        elif answer.status_code >= 500:
            failures.append(f"{method} {template}: {answer.status_code} {answer.text[:200]}")
    assert failures == []
    assert await world.snapshot() == before
    # No route reads an account back: B's disconnect left A's in place.
    assert await backends.connected(world.a, world.ids["employee"])
