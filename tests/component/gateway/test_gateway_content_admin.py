"""Approval chains, held translations and the approval trail as CSV through
the gateway over the real content server: the routes work, bad input is
named, retries are the first answer, tenants and roles are refused."""

from __future__ import annotations

from tests.component.gateway.conftest import Gateway
from tests.component.gateway.people import employee


async def test_chains_held_translations_and_the_csv(gw: Gateway) -> None:
    admin = gw.idp.token("ada", roles=("tenant_admin",))
    saved = await gw.client.put(
        "/v1/approval-chains/job_offer",
        json={"steps": ["comms", "legal"]},
        headers=gw.headers(admin),
    )
    assert saved.status_code == 200, saved.text
    assert saved.json() == {"kind": "job_offer", "steps": ["comms", "legal"]}
    chains = await gw.client.get("/v1/approval-chains", headers=gw.headers(key=None))
    assert {"kind": "job_offer", "steps": ["comms", "legal"]} in chains.json()["items"]
    held = await gw.client.get("/v1/held-translations", headers=gw.headers(key=None))
    assert held.status_code == 200 and held.json() == {"items": [], "next": None}
    post = await gw.create_post()
    await gw.client.post(f"/v1/posts/{post['post_id']}/submit", headers=gw.headers())
    csv = await gw.client.get("/v1/content-audit.csv", headers=gw.headers(key=None))
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert post["post_id"] in csv.text and "in_review" in csv.text
    one = await gw.client.get(
        "/v1/content-audit.csv", params={"post_id": post["post_id"]}, headers=gw.headers(key=None)
    )
    assert one.text.count("\n") >= 2


async def test_bad_input_names_the_field(gw: Gateway) -> None:
    admin = gw.idp.token("ada", roles=("tenant_admin",))
    kind = await gw.client.put(
        "/v1/approval-chains/poem", json={"steps": ["a"]}, headers=gw.headers(admin)
    )
    assert kind.status_code == 422 and kind.json()["errors"][0]["field"] == "path.kind"
    step = await gw.client.put(
        "/v1/approval-chains/ugc", json={"steps": [""]}, headers=gw.headers(admin)
    )
    assert step.status_code == 422 and step.json()["errors"][0]["field"] == "body.steps[0]"
    query = await gw.client.get(
        "/v1/held-translations", params={"tenant_id": "globex"}, headers=gw.headers(key=None)
    )
    assert query.status_code == 400 and query.json()["errors"][0]["field"] == "query.tenant_id"


async def test_a_retry_is_the_first_answer(gw: Gateway) -> None:
    admin = gw.idp.token("ada", roles=("tenant_admin",))
    headers = gw.headers(admin, key="chain-1")
    body = {"steps": ["comms"]}
    first = await gw.client.put("/v1/approval-chains/curated", json=body, headers=headers)
    again = await gw.client.put("/v1/approval-chains/curated", json=body, headers=headers)
    assert again.headers["idempotent-replayed"] == "true" and again.json() == first.json()
    changed = await gw.client.put(
        "/v1/approval-chains/curated", json={"steps": ["legal"]}, headers=headers
    )
    assert changed.status_code == 422  # another request under the same key


async def test_other_tenants_and_roles_are_refused(gw: Gateway) -> None:
    admin = gw.idp.token("ada", roles=("tenant_admin",))
    await gw.client.put(
        "/v1/approval-chains/job_offer", json={"steps": ["hr-check"]}, headers=gw.headers(admin)
    )
    post = await gw.create_post(title="Secret plans")
    eve = gw.idp.token("eve", "globex", roles=("tenant_admin",))
    chains = await gw.client.get("/v1/approval-chains", headers=gw.headers(eve, key=None))
    assert "hr-check" not in chains.text
    csv = await gw.client.get("/v1/content-audit.csv", headers=gw.headers(eve, key=None))
    assert post["post_id"] not in csv.text
    one = await gw.client.get(
        "/v1/content-audit.csv",
        params={"post_id": post["post_id"]},
        headers=gw.headers(eve, key=None),
    )
    assert one.status_code in (200, 404) and "Secret" not in one.text
    assert one.text.count("\n") <= 1  # the header at most
    manager = gw.idp.token("alice")
    refused = await gw.client.put(
        "/v1/approval-chains/job_offer", json={"steps": []}, headers=gw.headers(manager)
    )
    assert refused.status_code == 403
    ana, _ = await employee(gw, "E1")
    assert (
        await gw.client.get("/v1/content-audit.csv", headers=gw.headers(ana, key=None))
    ).status_code == 403
    assert (
        await gw.client.get("/v1/held-translations", headers=gw.headers(ana, key=None))
    ).status_code == 403
    still = await gw.client.get("/v1/approval-chains", headers=gw.headers(admin, key=None))
    assert {"kind": "job_offer", "steps": ["hr-check"]} in still.json()["items"]
