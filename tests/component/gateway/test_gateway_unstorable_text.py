"""Text no service can keep is refused at the gateway, naming the field.

Found by the schemathesis run (tests/e2e/test_gateway_schemathesis.py): a
NUL character in a query parameter reached PostgreSQL (content's post
search, the gateway's own audit log query) and came back as a 5xx. Now a
NUL or an unpaired surrogate in a path or query parameter or in a JSON body
field is a 422 problem naming where it is, and nothing is called or
written."""

from __future__ import annotations

from tests.component.gateway.conftest import Gateway


def _fields(answer_json: dict[str, object]) -> list[object]:
    errors = answer_json.get("errors")
    assert isinstance(errors, list)
    return [e["field"] for e in errors if isinstance(e, dict)]


async def test_a_nul_in_a_query_parameter_is_422_naming_it(gw: Gateway) -> None:
    for path in ("/v1/posts/search", "/v1/audit"):
        params = {"q": "a\x00b"} if path.endswith("search") else {"action": "\x00"}
        answer = await gw.client.get(path, params=params, headers=gw.headers(key=None))
        assert answer.status_code == 422, (path, answer.text)
        assert answer.headers["content-type"] == "application/problem+json"
        assert _fields(answer.json()) == [f"query.{next(iter(params))}"]


async def test_a_nul_in_a_path_parameter_is_422_naming_it(gw: Gateway) -> None:
    answer = await gw.client.get("/v1/posts/p%00", headers=gw.headers(key=None))
    assert answer.status_code == 422, answer.text
    assert _fields(answer.json()) == ["path.post_id"]


async def test_nul_or_lone_surrogates_in_a_body_are_422_and_nothing_is_written(
    gw: Gateway,
) -> None:
    bodies = [
        b'{"title": "Launch\\u0000", "body": "b"}',
        b'{"title": "Launch", "body": "b", "network_texts": {"linkedin": "\\ud800"}}',
        b'{"title": "Launch", "body": "b", "hashtags": ["ok", "\\u0000"]}',
    ]
    expected = [["body.title"], ["body.network_texts.linkedin"], ["body.hashtags[1]"]]
    for body, fields in zip(bodies, expected, strict=True):
        answer = await gw.client.post(
            "/v1/posts",
            content=body,
            headers={**gw.headers(), "Content-Type": "application/json"},
        )
        assert answer.status_code == 422, answer.text
        assert _fields(answer.json()) == fields
    listed = await gw.client.get("/v1/posts", headers=gw.headers(key=None))
    assert listed.status_code == 200 and listed.json()["items"] == []


async def test_an_escaped_backslash_before_u0000_is_ordinary_text(gw: Gateway) -> None:
    answer = await gw.client.post(
        "/v1/posts",
        content=b'{"title": "C:\\\\u0000", "body": "a path, not a NUL", "source_language": "en"}',
        headers={**gw.headers(), "Content-Type": "application/json"},
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["title"] == "C:\\u0000"
