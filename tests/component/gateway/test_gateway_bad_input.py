"""Bad input gets a 4xx problem+json naming the field, and nothing is
written: malformed JSON, wrong types, unknown fields (a tenant_id among
them, in the body or the query), missing fields, oversized bodies."""

from __future__ import annotations

from typing import Any

import pytest

from tests.component.gateway.conftest import Gateway, GatewayFactory

PROBLEM = "application/problem+json"


def problem_fields(answer: Any) -> list[str]:
    assert answer.headers["content-type"] == PROBLEM, answer.text
    body = answer.json()
    assert {"type", "title", "status", "detail", "instance"} <= set(body)
    assert body["status"] == answer.status_code
    return [e["field"] for e in body.get("errors", [])]


async def no_posts(gw: Gateway) -> None:
    listed = await gw.client.get("/v1/posts", headers=gw.headers(key=None))
    assert listed.status_code == 200 and listed.json()["items"] == []


async def test_malformed_json_is_400_naming_the_body(gw: Gateway) -> None:
    answer = await gw.client.post(
        "/v1/posts",
        content=b'{"title": "Launch",',
        headers={**gw.headers(), "Content-Type": "application/json"},
    )
    assert answer.status_code == 400
    assert problem_fields(answer) == ["body"]
    await no_posts(gw)


@pytest.mark.parametrize(
    ("body", "field", "reason"),
    [
        ({"title": 42}, "body.title", "Input should be a valid string"),
        ({"title": "T", "targeting": {"countries": "ES"}}, "body.targeting.countries", None),
        ({"title": "T", "tenant_id": "globex"}, "body.tenant_id", "unknown field"),
        ({"title": "T", "author_id": "mallory"}, "body.author_id", "unknown field"),
        ({"title": "T", "targeting": {"region": "x"}}, "body.targeting.region", "unknown field"),
        ({"body": "no title"}, "body.title", "required"),
        ({"title": "T", "kind": "press_release"}, "body.kind", None),
    ],
)
async def test_invalid_fields_are_422_naming_each_field(
    gw: Gateway, body: dict[str, Any], field: str, reason: str | None
) -> None:
    answer = await gw.client.post("/v1/posts", json=body, headers=gw.headers())
    assert answer.status_code == 422
    assert problem_fields(answer) == [field]
    if reason is not None:
        assert answer.json()["errors"][0]["reason"] == reason
    await no_posts(gw)


async def test_the_value_sent_is_never_repeated(gw: Gateway) -> None:
    answer = await gw.client.post(
        "/v1/posts",
        json={"title": "T", "campaign": {"secret": "ada@example.com"}},
        headers=gw.headers(),
    )
    assert answer.status_code == 422
    assert "ada@example.com" not in answer.text


async def test_a_tenant_in_the_query_is_refused_as_unknown(gw: Gateway) -> None:
    post = await gw.create_post()
    answer = await gw.client.get(
        f"/v1/posts/{post['post_id']}", params={"tenant_id": "globex"}, headers=gw.headers(key=None)
    )
    assert answer.status_code == 400
    assert problem_fields(answer) == ["query.tenant_id"]
    listed = await gw.client.get(
        "/v1/posts", params={"tenant_id": "acme"}, headers=gw.headers(key=None)
    )
    assert listed.status_code == 400 and problem_fields(listed) == ["query.tenant_id"]


async def test_a_service_refusal_names_its_field(gw: Gateway) -> None:
    answer = await gw.client.post(
        "/v1/posts",
        json={
            "title": "T",
            "body": "B",
            "source_language": "en",
            "targeting": {"segment_id": "Sales"},
        },
        headers=gw.headers(),
    )
    assert answer.status_code == 400
    assert problem_fields(answer) == ["body.targeting.segment_id"]
    await no_posts(gw)


async def test_a_bad_query_value_names_the_parameter(gw: Gateway) -> None:
    answer = await gw.client.get("/v1/posts", params={"limit": "0"}, headers=gw.headers(key=None))
    assert answer.status_code == 422 and problem_fields(answer) == ["query.limit"]
    answer = await gw.client.get(
        "/v1/posts", params={"status": "pending"}, headers=gw.headers(key=None)
    )
    assert answer.status_code == 422 and problem_fields(answer) == ["query.status"]


async def test_an_oversized_body_is_413(gateway_factory: GatewayFactory) -> None:
    gw = await gateway_factory(gateway_max_body_bytes=2048)
    big = {"title": "T", "body": "x" * 4096}
    answer = await gw.client.post("/v1/posts", json=big, headers=gw.headers())
    assert answer.status_code == 413
    assert answer.headers["content-type"] == PROBLEM
    await no_posts(gw)

    async def chunks() -> Any:  # no Content-Length: counted as it arrives
        yield b'{"title": "T", "body": "'
        for _ in range(8):
            yield b"x" * 512
        yield b'"}'

    streamed = await gw.client.post(
        "/v1/posts", content=chunks(), headers={**gw.headers(), "Content-Type": "application/json"}
    )
    assert streamed.status_code == 413
    assert streamed.headers["content-type"] == PROBLEM
    await no_posts(gw)


async def test_unknown_routes_and_methods_are_problems(gw: Gateway) -> None:
    missing = await gw.client.get("/v1/nothing-here", headers=gw.headers(key=None))
    assert missing.status_code == 404 and missing.headers["content-type"] == PROBLEM
    wrong = await gw.client.patch("/v1/charter", headers=gw.headers())
    assert wrong.status_code == 405 and wrong.headers["content-type"] == PROBLEM


async def test_a_missing_post_is_404(gw: Gateway) -> None:
    answer = await gw.client.get(
        "/v1/posts/0190a1b2-0000-7000-8000-000000000000", headers=gw.headers(key=None)
    )
    assert answer.status_code == 404
    problem_fields(answer)
