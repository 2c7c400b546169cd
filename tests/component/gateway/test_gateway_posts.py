"""Posts through the gateway: ETags and If-Match on edits (428 missing, 412
stale), cursor pages through more than one page (tamper-evident, bound to
the list), the workflow and history routes, and the tenant from the token."""

from __future__ import annotations

from typing import Any

from tests.component.gateway.conftest import Gateway

CONTENT = {"title": "Launch", "body": "We opened the new plant", "source_language": "en"}


async def test_get_has_the_etag_and_edits_need_if_match(gw: Gateway) -> None:
    post = await gw.create_post()
    url = f"/v1/posts/{post['post_id']}"
    shown = await gw.client.get(url, headers=gw.headers(key=None))
    assert shown.headers["etag"] == '"v1"'

    missing = await gw.client.put(url, json={**CONTENT, "title": "New"}, headers=gw.headers())
    assert missing.status_code == 428
    assert missing.json()["errors"] == [{"field": "header.If-Match", "reason": "required"}]

    edited = await gw.client.put(
        url, json={**CONTENT, "title": "New"}, headers=gw.headers(if_match='"v1"')
    )
    assert edited.status_code == 200, edited.text
    assert edited.headers["etag"] == '"v2"' and edited.json()["title"] == "New"

    stale = await gw.client.put(
        url, json={**CONTENT, "title": "Lost"}, headers=gw.headers(if_match='"v1"')
    )
    assert stale.status_code == 412
    garbage = await gw.client.put(
        url, json={**CONTENT, "title": "Lost"}, headers=gw.headers(if_match="W/whatever")
    )
    assert garbage.status_code == 412
    now = await gw.client.get(url, headers=gw.headers(key=None))
    assert now.json()["title"] == "New" and now.json()["version"] == 2


async def pages(gw: Gateway, url: str, **params: Any) -> list[list[str]]:
    found: list[list[str]] = []
    answer = await gw.client.get(url, params=params, headers=gw.headers(key=None))
    while True:
        assert answer.status_code == 200, answer.text
        found.append([p["post_id"] for p in answer.json()["items"]])
        following = answer.json()["next"]
        if following is None:
            return found
        answer = await gw.client.get(following, headers=gw.headers(key=None))


async def test_cursor_pages_cover_every_post_once(gw: Gateway) -> None:
    created = [(await gw.create_post(title=f"Post {i}"))["post_id"] for i in range(5)]
    listed = await pages(gw, "/v1/posts", limit=2)
    assert [len(p) for p in listed] == [2, 2, 1]
    assert sorted(sum(listed, [])) == sorted(created)
    searched = await pages(gw, "/v1/posts/search", q="post", limit=3)
    assert [len(p) for p in searched] == [3, 2]


async def test_a_cursor_is_tamper_evident_and_bound_to_its_list(gw: Gateway) -> None:
    for i in range(3):
        await gw.create_post(title=f"Post {i}")
    first = await gw.client.get("/v1/posts", params={"limit": 1}, headers=gw.headers(key=None))
    following = first.json()["next"]
    cursor = following.split("cursor=", 1)[1]
    forged = cursor[:-2] + ("AA" if not cursor.endswith("AA") else "BB")
    cases: list[dict[str, str | int]] = [
        {"limit": 1, "cursor": forged},
        {"limit": 1, "cursor": cursor, "status": "draft"},  # another filter
        {"limit": 1, "cursor": "not-a-cursor"},
    ]
    for params in cases:
        answer = await gw.client.get("/v1/posts", params=params, headers=gw.headers(key=None))
        assert answer.status_code == 400, params
        assert answer.json()["errors"][0]["field"] == "query.cursor"
    other_tenant = await gw.client.get(
        following, headers=gw.headers(gw.idp.token("eve", "globex"), key=None)
    )
    assert other_tenant.status_code == 400


async def test_the_workflow_and_its_history(gw: Gateway) -> None:
    author = gw.idp.token("alice", roles=("comms_manager",))
    reviewer = gw.idp.token("rita", roles=("reviewer",))
    post = await gw.create_post(author)
    url = f"/v1/posts/{post['post_id']}"
    submitted = await gw.client.post(f"{url}/submit", headers=gw.headers(author))
    assert submitted.status_code == 200 and submitted.json()["status"] == "in_review"
    own = await gw.client.post(f"{url}/approve", json={}, headers=gw.headers(author))
    assert own.status_code == 403  # four eyes: never the author
    approved = await gw.client.post(
        f"{url}/approve", json={"comment": "ok"}, headers=gw.headers(reviewer)
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved" and approved.json()["approver_id"] == "rita"
    comment = await gw.client.post(
        f"{url}/comments", json={"text": "Nice"}, headers=gw.headers(reviewer)
    )
    assert comment.status_code == 201 and comment.json()["author_id"] == "rita"
    comments = await gw.client.get(f"{url}/comments", headers=gw.headers(author, key=None))
    assert [c["text"] for c in comments.json()["items"]] == ["ok", "Nice"]  # approval comment first
    audit = await gw.client.get(f"{url}/audit", headers=gw.headers(author, key=None))
    assert [e["to_status"] for e in audit.json()["items"]][-1] == "approved"
    versions = await gw.client.get(f"{url}/versions", headers=gw.headers(author, key=None))
    assert [v["version"] for v in versions.json()["items"]] == [1]
    one = await gw.client.get(f"{url}/versions/1", headers=gw.headers(author, key=None))
    assert one.headers["etag"] == '"v1"'
    archived = await gw.client.post(f"{url}/archive", headers=gw.headers(author))
    assert archived.status_code == 200 and archived.json()["status"] == "archived"


async def test_request_changes_and_reject(gw: Gateway) -> None:
    author, reviewer = gw.idp.token("alice"), gw.idp.token("rita", roles=("reviewer",))
    for action, body, status in (
        ("request-changes", {"comment": "Shorter"}, "changes_requested"),
        ("reject", {"reason": "Off topic"}, "rejected"),
    ):
        post = await gw.create_post(author)
        url = f"/v1/posts/{post['post_id']}"
        await gw.client.post(f"{url}/submit", headers=gw.headers(author))
        answer = await gw.client.post(f"{url}/{action}", json=body, headers=gw.headers(reviewer))
        assert answer.status_code == 200, answer.text
        assert answer.json()["status"] == status


async def test_another_tenant_sees_nothing_and_changes_nothing(gw: Gateway) -> None:
    post = await gw.create_post()
    url = f"/v1/posts/{post['post_id']}"
    eve = gw.idp.token("eve", "globex", roles=("tenant_admin",))
    assert (await gw.client.get(url, headers=gw.headers(eve, key=None))).status_code == 404
    edit = await gw.client.put(
        url, json={**CONTENT, "title": "Mine"}, headers=gw.headers(eve, if_match='"v1"')
    )
    assert edit.status_code == 404
    listed = await gw.client.get("/v1/posts", headers=gw.headers(eve, key=None))
    assert listed.json()["items"] == []
    shown = await gw.client.get(url, headers=gw.headers(key=None))
    assert shown.json()["title"] == "Launch" and shown.json()["version"] == 1


async def test_charter_and_compliance_check(gw: Gateway) -> None:
    admin = gw.idp.token("ada", roles=("tenant_admin",))
    saved = await gw.client.put(
        "/v1/charter", json={"blocked_phrases": ["guaranteed returns"]}, headers=gw.headers(admin)
    )
    assert saved.status_code == 200, saved.text
    assert saved.json()["version"] >= 1
    shown = await gw.client.get("/v1/charter", headers=gw.headers(admin, key=None))
    assert shown.json()["blocked_phrases"] == ["guaranteed returns"]
    manager = gw.idp.token("alice")
    refused = await gw.client.put(
        "/v1/charter", json={"blocked_phrases": []}, headers=gw.headers(manager)
    )
    assert refused.status_code == 403
    verdict = await gw.client.post(
        "/v1/compliance-check",
        json={"title": "Big news", "body": "Guaranteed returns for all", "language": "en"},
        headers=gw.headers(manager, key=None),
    )
    assert verdict.status_code == 200, verdict.text
    assert verdict.json()["blocking"] is True
