"""Segments and the audience preview through the gateway over the real
targeting server: save, versions, list, validate (a rule error names
body.rule), preview; replays, tenants and roles."""

from __future__ import annotations

from tests.component.gateway.conftest import Gateway
from tests.component.gateway.people import employee, import_people

FRENCH = 'country in ("FR")'


async def test_save_version_list_validate_and_preview(gw: Gateway) -> None:
    await import_people(gw, "acme", "E1", "E2")
    made = await gw.client.post(
        "/v1/segments", json={"name": "France", "rule": FRENCH}, headers=gw.headers()
    )
    assert made.status_code == 201, made.text
    segment = made.json()
    assert segment["version"] == 1
    url = f"/v1/segments/{segment['segment_id']}"
    changed = await gw.client.put(
        url, json={"name": "France", "rule": 'country = "BE"'}, headers=gw.headers()
    )
    assert changed.json()["version"] == 2
    old = await gw.client.get(url, params={"version": 1}, headers=gw.headers(key=None))
    assert old.json()["rule"] == FRENCH
    listed = await gw.client.get("/v1/segments", headers=gw.headers(key=None))
    assert [s["segment_id"] for s in listed.json()["items"]] == [segment["segment_id"]]
    checked = await gw.client.post(
        "/v1/segments/validate", json={"rule": FRENCH}, headers=gw.headers(key=None)
    )
    assert checked.status_code == 200 and checked.json()["attributes"] == ["country"]
    preview = await gw.client.post(
        "/v1/audience-preview", json={"segment": FRENCH}, headers=gw.headers(key=None)
    )
    assert preview.status_code == 200, preview.text
    assert preview.json()["count"] == 2 and preview.json()["by_country"] == {"FR": 2}
    saved = await gw.client.post(
        "/v1/audience-preview",
        json={"segment_id": segment["segment_id"]},
        headers=gw.headers(key=None),
    )
    assert saved.json()["count"] == 0  # version 2: Belgium


async def test_a_bad_rule_names_the_field(gw: Gateway) -> None:
    for url, body in (
        ("/v1/segments", {"name": "Broken", "rule": "country in ("}),
        ("/v1/segments/validate", {"rule": "country in ("}),
    ):
        answer = await gw.client.post(url, json=body, headers=gw.headers())
        assert answer.status_code == 400, answer.text
        error = answer.json()["errors"][0]
        assert error["field"] == "body.rule" and "line 1" in error["reason"]
    preview = await gw.client.post(
        "/v1/audience-preview", json={"segment": "country in ("}, headers=gw.headers(key=None)
    )
    assert preview.json()["errors"][0]["field"] == "body.segment"
    unknown = await gw.client.put(
        "/v1/segments/00000000-0000-0000-0000-000000000000",
        json={"name": "x", "rule": FRENCH},
        headers=gw.headers(),
    )
    assert unknown.status_code == 404


async def test_a_retry_is_the_first_segment(gw: Gateway) -> None:
    headers = gw.headers(key="segment-1")
    body = {"name": "France", "rule": FRENCH}
    first = await gw.client.post("/v1/segments", json=body, headers=headers)
    again = await gw.client.post("/v1/segments", json=body, headers=headers)
    assert again.headers["idempotent-replayed"] == "true" and again.json() == first.json()
    listed = await gw.client.get("/v1/segments", headers=gw.headers(key=None))
    assert len(listed.json()["items"]) == 1


async def test_other_tenants_and_roles_are_refused(gw: Gateway) -> None:
    await import_people(gw, "acme", "E1")
    made = await gw.client.post(
        "/v1/segments", json={"name": "Secret", "rule": FRENCH}, headers=gw.headers()
    )
    segment_id = made.json()["segment_id"]
    eve = gw.idp.token("eve", "globex", roles=("tenant_admin",))
    for answer in (
        await gw.client.get(f"/v1/segments/{segment_id}", headers=gw.headers(eve, key=None)),
        await gw.client.put(
            f"/v1/segments/{segment_id}",
            json={"name": "x", "rule": FRENCH},
            headers=gw.headers(eve),
        ),
        await gw.client.post(
            "/v1/audience-preview",
            json={"segment_id": segment_id},
            headers=gw.headers(eve, key=None),
        ),
    ):
        assert answer.status_code == 404 and "Secret" not in answer.text
    listed = await gw.client.get("/v1/segments", headers=gw.headers(eve, key=None))
    assert listed.json()["items"] == []
    counted = await gw.client.post(
        "/v1/audience-preview", json={"segment": FRENCH}, headers=gw.headers(eve, key=None)
    )
    assert counted.json()["count"] == 0
    ana, _ = await employee(gw, "E2")
    refused = await gw.client.post(
        "/v1/segments", json={"name": "x", "rule": FRENCH}, headers=gw.headers(ana)
    )
    assert refused.status_code == 403
    peek = await gw.client.post(
        "/v1/audience-preview", json={"segment": FRENCH}, headers=gw.headers(ana, key=None)
    )
    assert peek.status_code == 403
    still = await gw.client.get(f"/v1/segments/{segment_id}", headers=gw.headers(key=None))
    assert still.json()["name"] == "Secret" and still.json()["version"] == 1
