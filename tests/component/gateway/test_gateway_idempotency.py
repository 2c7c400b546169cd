"""Idempotency-Key on every mutating request: required; a retry returns the
first response exactly and creates nothing new; the same key with another
body is 422; a duplicate while the first still runs is 409; keys are the
caller's own; the key is the services' request_id."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from chorus_core.clock import utcnow
from gateway_service.domain.idempotency import fingerprint

from tests.component.gateway.conftest import Gateway

BODY = {"title": "Launch", "body": "We opened the new plant", "source_language": "en"}


async def count_posts(gw: Gateway) -> int:
    listed = await gw.client.get("/v1/posts", headers=gw.headers(key=None))
    return len(listed.json()["items"])


async def test_a_mutation_without_a_key_is_refused_naming_the_header(gw: Gateway) -> None:
    answer = await gw.client.post("/v1/posts", json=BODY, headers=gw.headers(key=None))
    assert answer.status_code == 400
    assert [e["field"] for e in answer.json()["errors"]] == ["header.Idempotency-Key"]
    assert await count_posts(gw) == 0


async def test_a_retry_returns_the_first_response_and_creates_nothing(gw: Gateway) -> None:
    token = gw.idp.token()
    first = await gw.client.post("/v1/posts", json=BODY, headers=gw.headers(token, key="k-1"))
    again = await gw.client.post("/v1/posts", json=BODY, headers=gw.headers(token, key="k-1"))
    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert again.headers["etag"] == first.headers["etag"]
    assert again.headers["location"] == first.headers["location"]
    assert again.headers["idempotent-replayed"] == "true"
    assert await count_posts(gw) == 1
    # A new key is a new request.
    other = await gw.client.post("/v1/posts", json=BODY, headers=gw.headers(token, key="k-2"))
    assert other.json()["post_id"] != first.json()["post_id"]
    assert await count_posts(gw) == 2


async def test_the_same_key_with_another_body_is_422(gw: Gateway) -> None:
    token = gw.idp.token()
    await gw.client.post("/v1/posts", json=BODY, headers=gw.headers(token, key="k-1"))
    reused = await gw.client.post(
        "/v1/posts", json={**BODY, "title": "Other"}, headers=gw.headers(token, key="k-1")
    )
    assert reused.status_code == 422
    assert reused.headers["content-type"] == "application/problem+json"
    assert reused.json()["errors"] == [
        {"field": "header.Idempotency-Key", "reason": "used for another request"}
    ]
    assert await count_posts(gw) == 1


async def test_keys_are_per_caller(gw: Gateway) -> None:
    alice, bob = gw.idp.token("alice"), gw.idp.token("bob")
    first = await gw.client.post("/v1/posts", json=BODY, headers=gw.headers(alice, key="same"))
    second = await gw.client.post("/v1/posts", json=BODY, headers=gw.headers(bob, key="same"))
    assert first.status_code == second.status_code == 201
    assert first.json()["post_id"] != second.json()["post_id"]
    assert second.json()["author_id"] == "bob"


async def test_a_duplicate_while_the_first_runs_is_409(gw: Gateway) -> None:
    token = gw.idp.token()
    # The first request holds its claim (as if still running).
    principal = (await gw.deps.auth.authenticate(token)).principal
    print_ = fingerprint("POST", "/v1/posts", "", b'{"title":"Launch"}')
    await gw.deps.idempotency.begin(principal.tenant_id, principal.subject, "busy", print_)
    answer = await gw.client.post(
        "/v1/posts",
        content=b'{"title":"Launch"}',
        headers={**gw.headers(token, key="busy"), "Content-Type": "application/json"},
    )
    assert answer.status_code == 409
    assert answer.headers["retry-after"] == "1"
    assert await count_posts(gw) == 0


async def test_concurrent_duplicates_create_one_post(gw: Gateway) -> None:
    token = gw.idp.token()
    answers = await asyncio.gather(
        *(
            gw.client.post("/v1/posts", json=BODY, headers=gw.headers(token, key="race"))
            for _ in range(5)
        )
    )
    statuses = sorted(a.status_code for a in answers)
    assert statuses.count(201) >= 1 and set(statuses) <= {201, 409}
    assert await count_posts(gw) == 1
    created = {a.json()["post_id"] for a in answers if a.status_code == 201}
    assert len(created) == 1


async def test_a_failed_request_frees_its_key(gw: Gateway) -> None:
    token = gw.idp.token()
    refused = await gw.client.post(
        "/v1/posts", json={"title": "T"}, headers=gw.headers(token, key="k-9")
    )
    assert refused.status_code == 400  # content wants a body and a language
    fixed = await gw.client.post(
        "/v1/posts", json={"title": "T"}, headers=gw.headers(token, key="k-9")
    )
    assert fixed.status_code == 400  # the same request runs again (not a stored answer)
    assert "idempotent-replayed" not in fixed.headers


async def test_the_key_is_the_services_request_id(gw: Gateway) -> None:
    """Even when the gateway has forgotten a key (its record purged), the
    retry reaches content with the same request_id and content dedupes it."""
    token = gw.idp.token()
    first = await gw.client.post("/v1/posts", json=BODY, headers=gw.headers(token, key="k-1"))
    assert await gw.deps.idempotency.store.purge(utcnow() + timedelta(days=2)) == 1
    again = await gw.client.post("/v1/posts", json=BODY, headers=gw.headers(token, key="k-1"))
    assert "idempotent-replayed" not in again.headers
    assert again.json()["post_id"] == first.json()["post_id"]
    assert await count_posts(gw) == 1
