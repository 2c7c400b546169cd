"""Translation through the gateway over the real translation server (the
real Apertium engine, the cache in the real Redis): a post's translations
and language decisions, the language policy, a preview translation; named
fields, replays, tenants and roles."""

from __future__ import annotations

from tests.component.gateway.backends import Backends
from tests.component.gateway.conftest import Gateway
from tests.component.gateway.people import employee

HOLD_GERMAN = {"languages": {"de": {"action": "hold"}}}


async def test_translations_decisions_policy_and_preview(gwb: Gateway, backends: Backends) -> None:
    await backends.translated("acme", "p1", "es", "Hola")
    await backends.held("acme", "p1", "de")
    reviewer = gwb.idp.token("rita", roles=("reviewer",))
    texts = await gwb.client.get(
        "/v1/posts/p1/translations", headers=gwb.headers(reviewer, key=None)
    )
    assert texts.status_code == 200, texts.text
    assert [(t["language"], t["title"]) for t in texts.json()["items"]] == [("es", "Hola")]
    decided = await gwb.client.get(
        "/v1/posts/p1/language-decisions", headers=gwb.headers(reviewer, key=None)
    )
    assert {(d["language"], d["decision"]) for d in decided.json()["items"]} == {
        ("de", "held_for_human"),
        ("es", "translated"),
    }
    fresh = await gwb.client.get("/v1/language-policy", headers=gwb.headers(reviewer, key=None))
    assert fresh.json()["configured"] is False
    admin = gwb.idp.token("ada", roles=("tenant_admin",))
    saved = await gwb.client.put(
        "/v1/language-policy", json=HOLD_GERMAN, headers=gwb.headers(admin)
    )
    assert saved.status_code == 200, saved.text
    assert saved.json()["languages"]["de"]["action"] == "hold"
    shown = await gwb.client.get("/v1/language-policy", headers=gwb.headers(reviewer, key=None))
    assert (
        shown.json()["configured"] is True and shown.json()["languages"]["de"]["action"] == "hold"
    )
    preview = await gwb.client.post(
        "/v1/translate",
        json={"text": "The house is big", "source_language": "en", "target_language": "es"},
        headers=gwb.headers(reviewer, key=None),
    )
    assert preview.status_code == 200, preview.text
    assert "casa" in preview.json()["text"].lower() and preview.json()["provider"]


async def test_bad_input_names_the_field(gwb: Gateway) -> None:
    admin = gwb.idp.token("ada", roles=("tenant_admin",))
    action = await gwb.client.put(
        "/v1/language-policy",
        json={"languages": {"de": {"action": "drop"}}},
        headers=gwb.headers(admin),
    )
    assert action.status_code == 422
    assert action.json()["errors"][0]["field"] == "body.languages.de.action"
    fallback = await gwb.client.put(
        "/v1/language-policy",
        json={"default_rule": {"action": "fallback", "fallback_language": "tlh"}},
        headers=gwb.headers(admin),
    )
    assert fallback.status_code == 400, fallback.text
    assert fallback.json()["errors"][0]["field"].startswith("body.")
    assert "fallback_language" in fallback.json()["errors"][0]["field"]
    text = await gwb.client.post(
        "/v1/translate",
        json={"text": "", "source_language": "en", "target_language": "es"},
        headers=gwb.headers(admin, key=None),
    )
    assert text.status_code == 422 and text.json()["errors"][0]["field"] == "body.text"


async def test_a_retry_is_the_first_policy(gwb: Gateway) -> None:
    admin = gwb.idp.token("ada", roles=("tenant_admin",))
    headers = gwb.headers(admin, key="policy-1")
    first = await gwb.client.put("/v1/language-policy", json=HOLD_GERMAN, headers=headers)
    again = await gwb.client.put("/v1/language-policy", json=HOLD_GERMAN, headers=headers)
    assert again.headers["idempotent-replayed"] == "true" and again.json() == first.json()


async def test_other_tenants_and_roles_are_refused(gwb: Gateway, backends: Backends) -> None:
    await backends.translated("acme", "p1", "es", "Hola secreto")
    await backends.held("acme", "p1", "de")
    admin = gwb.idp.token("ada", roles=("tenant_admin",))
    await gwb.client.put("/v1/language-policy", json=HOLD_GERMAN, headers=gwb.headers(admin))
    eve = gwb.idp.token("eve", "globex", roles=("tenant_admin",))
    texts = await gwb.client.get("/v1/posts/p1/translations", headers=gwb.headers(eve, key=None))
    assert texts.json()["items"] == []
    decided = await gwb.client.get(
        "/v1/posts/p1/language-decisions", headers=gwb.headers(eve, key=None)
    )
    assert decided.json()["items"] == []
    policy = await gwb.client.get("/v1/language-policy", headers=gwb.headers(eve, key=None))
    assert policy.json()["configured"] is False
    comms = gwb.idp.token("alice")
    refused = await gwb.client.put("/v1/language-policy", json={}, headers=gwb.headers(comms))
    assert refused.status_code == 403  # a tenant-wide rule: the tenant admin's
    ana, _ = await employee(gwb, "E1")
    employee_read = await gwb.client.get(
        "/v1/posts/p1/translations", headers=gwb.headers(ana, key=None)
    )
    assert employee_read.status_code == 403
    still = await gwb.client.get("/v1/language-policy", headers=gwb.headers(admin, key=None))
    assert still.json()["languages"]["de"]["action"] == "hold"
