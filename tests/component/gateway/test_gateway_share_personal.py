"""Personalisation against the parrot effect (issue 9 §4) through the
gateway's HTTP app: the comms team gives a post text variants per network
(content's real server keeps and checks them), an employee chooses one or
writes their own words when scheduling their share (the real scheduling
server, which asks the gateway's content server about the edited text in
the share's language with the employee's own token). Refusals are
problem+json naming the field and, for the charter, the rule; nothing
refused is saved; the share shows its variant, whether it was edited, and
its text."""

from __future__ import annotations

from typing import Any

from tests.component.gateway.backends import Backends
from tests.component.gateway.conftest import Gateway
from tests.component.gateway.people import employee

DRAFT = {"title": "Launch", "body": "L'usine ouvre", "source_language": "fr"}
VARIANTS = ["Notre nouvelle usine ouvre", "Venez voir l'usine", "L'usine est ouverte"]


async def variants_post(gw: Gateway) -> dict[str, Any]:
    """A post with Bluesky variants, under a charter blocking "gratuit" in French."""
    admin = gw.idp.token("root", roles=("tenant_admin",))
    charter = {
        "blocked_terms": [{"term": "gratuit", "language": "fr", "suggestion": "dites 'offert'"}]
    }
    saved = await gw.client.put("/v1/charter", json=charter, headers=gw.headers(admin))
    assert saved.status_code == 200, saved.text
    return await gw.create_post(**DRAFT, network_variants={"bluesky": VARIANTS})


async def test_a_post_keeps_its_variants_and_content_names_a_bad_one(gw: Gateway) -> None:
    post = await variants_post(gw)
    assert post["network_variants"] == {"bluesky": VARIANTS}
    where = f"/v1/posts/{post['post_id']}"
    shown = await gw.client.get(where, headers=gw.headers(key=None))
    assert shown.json()["network_variants"] == {"bluesky": VARIANTS}
    edited = await gw.client.put(
        where,
        json={**DRAFT, "network_variants": {"bluesky": ["Un", "Deux"], "x": ["Trois"]}},
        headers=gw.headers(if_match=shown.headers["etag"]),
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["network_variants"] == {"bluesky": ["Un", "Deux"], "x": ["Trois"]}
    listed = await gw.client.get("/v1/posts", headers=gw.headers(key=None))
    assert [p["network_variants"] for p in listed.json()["items"]] == [
        {"bluesky": ["Un", "Deux"], "x": ["Trois"]}
    ]

    for variants, field in (
        ({"bluesky": ["Un", " "]}, "body.network_variants.bluesky[1]"),
        ({"myspace": ["Un"]}, "body.network_variants.myspace"),
        ({"bluesky": [f"Un{i}" for i in range(11)]}, "body.network_variants.bluesky"),
        ({"bluesky": ["Café gratuit"]}, "body.network_variants.bluesky[0]"),
    ):
        refused = await gw.client.post(
            "/v1/posts",
            json={**DRAFT, "network_variants": variants},
            headers=gw.headers(),
        )
        assert refused.status_code == 400, (variants, refused.text)
        assert refused.headers["content-type"] == "application/problem+json"
        assert [e["field"] for e in refused.json()["errors"]] == [field], refused.text
    malformed = await gw.client.post(
        "/v1/posts",
        json={**DRAFT, "network_variants": {"bluesky": "Un"}},
        headers=gw.headers(),
    )
    assert malformed.status_code == 422
    assert malformed.json()["errors"][0]["field"] == "body.network_variants.bluesky"

    checked = await gw.client.post(
        "/v1/compliance-check",
        json={"language": "fr", "network_variants": {"bluesky": ["Bien", "Café gratuit"]}},
        headers=gw.headers(key=None),
    )
    assert checked.status_code == 200, checked.text
    assert [(v["field"], v["severity"]) for v in checked.json()["violations"]] == [
        ("network_variants.bluesky[1]", "block")
    ]


async def test_an_employee_chooses_a_variant(gwb: Gateway, backends: Backends) -> None:
    post = await variants_post(gwb)
    ana, ana_id = await employee(gwb, "E1")
    (mine,) = await backends.suggest("acme", post["post_id"], ana_id)
    early = await gwb.client.post(
        "/v1/shares", json={"post_id": post["post_id"], "variant": 0}, headers=gwb.headers(ana)
    )
    assert early.status_code == 409, early.text  # the French text has not arrived yet
    assert "variant" in early.json()["detail"]
    await backends.texted("acme", post["post_id"], "fr", post["network_variants"])

    for variant, status in ((3, 400), (-1, 422), ("deux", 422)):
        refused = await gwb.client.post(
            "/v1/shares",
            json={"post_id": post["post_id"], "variant": variant},
            headers=gwb.headers(ana),
        )
        assert refused.status_code == status, (variant, refused.text)
        assert [e["field"] for e in refused.json()["errors"]] == ["body.variant"]
    untouched = await gwb.client.get(f"/v1/shares/{mine}", headers=gwb.headers(ana, key=None))
    assert (untouched.json()["status"], untouched.json()["variant"]) == ("suggested", None)

    chosen = await gwb.client.post(
        "/v1/shares", json={"post_id": post["post_id"], "variant": 2}, headers=gwb.headers(ana)
    )
    assert chosen.status_code == 201, chosen.text
    assert {k: chosen.json()[k] for k in ("share_id", "status", "variant", "edited")} == {
        "share_id": mine,
        "status": "scheduled",
        "variant": 2,
        "edited": False,
    }
    # Rescheduling without a variant keeps the one chosen.
    again = await gwb.client.post(
        "/v1/shares",
        json={"post_id": post["post_id"], "mode": "next_good_slot"},
        headers=gwb.headers(ana),
    )
    assert again.status_code == 201 and again.json()["variant"] == 2


async def test_an_edited_text_is_checked_against_the_charter_in_its_language(
    gwb: Gateway, backends: Backends
) -> None:
    post = await variants_post(gwb)
    ana, ana_id = await employee(gwb, "E1")
    (mine,) = await backends.suggest("acme", post["post_id"], ana_id)
    await backends.texted("acme", post["post_id"], "fr", post["network_variants"])
    share = {"post_id": post["post_id"]}

    refused = await gwb.client.post(
        "/v1/shares",
        json={**share, "variant": 1, "text": "Concert GRATUIT pour tous !"},
        headers=gwb.headers(ana),
    )
    assert refused.status_code == 400, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    (error,) = refused.json()["errors"]
    assert error["field"] == "body.text"
    assert "blocked-term.fr" in error["reason"] and "offert" in error["reason"]
    too_long = await gwb.client.post(
        "/v1/shares", json={**share, "text": "🇫🇷" * 301}, headers=gwb.headers(ana)
    )
    assert too_long.status_code == 400, too_long.text
    assert too_long.json()["errors"][0]["field"] == "body.text"
    assert "max-length.bluesky" in too_long.json()["errors"][0]["reason"]
    huge = await gwb.client.post(
        "/v1/shares", json={**share, "text": "a" * 65_537}, headers=gwb.headers(ana)
    )
    assert huge.status_code == 422 and huge.json()["errors"][0]["field"] == "body.text"
    # Nothing refused was saved, not even the variant sent with the text.
    kept = await gwb.client.get(f"/v1/shares/{mine}", headers=gwb.headers(ana, key=None))
    assert {k: kept.json()[k] for k in ("status", "variant", "edited", "edited_text")} == {
        "status": "suggested",
        "variant": None,
        "edited": False,
        "edited_text": "",
    }

    words = "Entrée offerte pour tous, venez voir notre usine !"
    made = await gwb.client.post(
        "/v1/shares", json={**share, "variant": 1, "text": words}, headers=gwb.headers(ana)
    )
    assert made.status_code == 201, made.text
    assert {k: made.json()[k] for k in ("variant", "edited", "edited_text")} == {
        "variant": 1,
        "edited": True,
        "edited_text": words,
    }
    own = await gwb.client.get("/v1/me/shares", headers=gwb.headers(ana, key=None))
    assert [(s["share_id"], s["edited_text"]) for s in own.json()["items"]] == [(mine, words)]
    comms = gwb.idp.token("alice")
    tenant = await gwb.client.get(
        "/v1/shares", params={"post_id": post["post_id"]}, headers=gwb.headers(comms, key=None)
    )
    assert [s["edited"] for s in tenant.json()["items"]] == [True]

    # A blank text is back to the comms team's words; the variant stays.
    back = await gwb.client.post(
        "/v1/shares", json={**share, "text": "  "}, headers=gwb.headers(ana)
    )
    assert back.status_code == 201, back.text
    assert {k: back.json()[k] for k in ("variant", "edited", "edited_text")} == {
        "variant": 1,
        "edited": False,
        "edited_text": "",
    }
    # A cancelled share's text can no longer change.
    await gwb.client.post(f"/v1/shares/{mine}/cancel", headers=gwb.headers(ana))
    late = await gwb.client.post(
        "/v1/shares", json={**share, "variant": 0}, headers=gwb.headers(ana)
    )
    assert late.status_code == 409 and late.headers["content-type"] == "application/problem+json"


async def test_nobody_personalises_someone_elses_share(gwb: Gateway, backends: Backends) -> None:
    post = await variants_post(gwb)
    _, ana_id = await employee(gwb, "E1")
    (mine,) = await backends.suggest("acme", post["post_id"], ana_id)
    await backends.texted("acme", post["post_id"], "fr", post["network_variants"])
    comms = gwb.idp.token("alice")
    refused = await gwb.client.post(
        "/v1/shares",
        json={"post_id": post["post_id"], "text": "Mon texte", "employee_id": ana_id},
        headers=gwb.headers(comms),
    )
    assert refused.status_code == 422  # identity is the token's, never a field
    forbidden = await gwb.client.post(
        "/v1/shares",
        json={"post_id": post["post_id"], "text": "Mon texte"},
        headers=gwb.headers(comms),
    )
    assert forbidden.status_code == 403, forbidden.text
    bob, _ = await employee(gwb, "E1", tenant="globex")
    other = await gwb.client.post(
        "/v1/shares",
        json={"post_id": post["post_id"], "variant": 0},
        headers=gwb.headers(bob),
    )
    assert other.status_code == 404, other.text  # bob has no share of acme's post
    shown = await gwb.client.get(f"/v1/shares/{mine}", headers=gwb.headers(comms, key=None))
    assert (shown.json()["edited"], shown.json()["variant"]) == (False, None)
