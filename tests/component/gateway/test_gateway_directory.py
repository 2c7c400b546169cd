"""The directory through the gateway over the real targeting server: the
CSV import (streamed, dry run, column mapping), the SCIM token, employees,
the caller's own entry, consent and participation, erasure; named fields,
replays, tenants and roles."""

from __future__ import annotations

from typing import Any

from targeting_service.domain.employees import employee_id_for

from tests.component.gateway.conftest import Gateway
from tests.component.gateway.people import HEADER, employee, row

ADMIN = ("tenant_admin",)


def csv_headers(gw: Gateway, token: str, key: str | None = "auto") -> dict[str, str]:
    return gw.headers(token, key=key, **{"Content-Type": "text/csv"})


async def test_import_list_read_and_erase(gw: Gateway) -> None:
    admin = gw.idp.token("ada", roles=ADMIN)
    # More rows than one 256 KiB chunk: the import streams.
    rows = "".join(row(f"E{i}") for i in range(3000))
    dry = await gw.client.post(
        "/v1/directory/import",
        params={"dry_run": "true"},
        content=HEADER + rows,
        headers=csv_headers(gw, admin),
    )
    assert dry.status_code == 200, dry.text
    assert dry.json()["created"] == 3000 and len(dry.json()["changes"]) == 1000
    done = await gw.client.post(
        "/v1/directory/import", content=HEADER + rows, headers=csv_headers(gw, admin)
    )
    assert done.json()["created"] == 3000 and done.json()["errors"] == []
    mapped = HEADER.replace("external_id", "Personnel no") + row("X1")
    renamed = await gw.client.post(
        "/v1/directory/import",
        params={"map": "Personnel no:external_id"},
        content=mapped,
        headers=csv_headers(gw, admin),
    )
    assert renamed.json()["created"] == 1, renamed.text
    manager = gw.idp.token("alice")
    first = await gw.client.get(
        "/v1/employees", params={"limit": 2}, headers=gw.headers(manager, key=None)
    )
    assert len(first.json()["items"]) == 2 and first.json()["next"]
    x1 = employee_id_for("acme", "X1")
    one = await gw.client.get(f"/v1/employees/{x1}", headers=gw.headers(manager, key=None))
    assert one.json()["external_id"] == "X1" and one.json()["country"] == "FR"
    erased = await gw.client.delete(f"/v1/employees/{x1}", headers=gw.headers(admin))
    assert erased.status_code == 200 and erased.json() == {"erased": True}
    gone = await gw.client.get(f"/v1/employees/{x1}", headers=gw.headers(manager, key=None))
    assert gone.status_code == 404 or gone.json()["email"] == ""
    issued = await gw.client.post("/v1/scim-token", headers=gw.headers(admin))
    assert issued.status_code == 201 and len(issued.json()["token"]) >= 32
    assert issued.headers["cache-control"] == "no-store"


async def test_the_directory_import_has_its_own_body_limit(gateway_factory: Any) -> None:
    gw = await gateway_factory(
        gateway_max_body_bytes=10_000, gateway_directory_max_body_bytes=400_000
    )
    admin = gw.idp.token("ada", roles=ADMIN)
    rows = "".join(row(f"L{i}") for i in range(1000))
    assert 10_000 < len(HEADER + rows) < 400_000
    done = await gw.client.post(
        "/v1/directory/import", content=HEADER + rows, headers=csv_headers(gw, admin)
    )
    assert done.status_code == 200 and done.json()["created"] == 1000, done.text
    huge = "".join(row(f"H{i}") for i in range(5000))
    refused = await gw.client.post(
        "/v1/directory/import", content=HEADER + huge, headers=csv_headers(gw, admin)
    )
    assert refused.status_code == 413, refused.text
    # The default limit still holds everywhere else.
    big = await gw.client.put(
        "/v1/charter", json={"blocked_phrases": ["x" * 20_000]}, headers=gw.headers(admin)
    )
    assert big.status_code == 413


async def test_my_entry_consent_and_participation(gw: Gateway) -> None:
    ana, ana_id = await employee(gw, "E1")
    mine = await gw.client.get("/v1/me/employee", headers=gw.headers(ana, key=None))
    assert mine.status_code == 200 and mine.json()["employee_id"] == ana_id
    consent = await gw.client.put(
        "/v1/me/consent",
        json={"opted_in": True, "consent": True, "auto_share": True},
        headers=gw.headers(ana),
    )
    assert consent.status_code == 200, consent.text
    assert consent.json()["consent"] is True and consent.json()["auto_share"] is True
    out = await gw.client.put(
        "/v1/me/participation", json={"opted_in": False}, headers=gw.headers(ana)
    )
    assert out.json()["opted_in"] is False and out.json()["consent"] is True
    assert out.json()["auto_share"] is False  # opting out ends auto-share


async def test_bad_input_names_the_field(gw: Gateway) -> None:
    admin = gw.idp.token("ada", roles=ADMIN)
    empty = await gw.client.post("/v1/directory/import", content="", headers=csv_headers(gw, admin))
    assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "body"
    mapping = await gw.client.post(
        "/v1/directory/import",
        params={"map": "no-colon"},
        content=HEADER + row("E1"),
        headers=csv_headers(gw, admin),
    )
    assert mapping.status_code == 422
    assert mapping.json()["errors"][0]["field"] == "query.map[0]"
    bad_row = await gw.client.post(
        "/v1/directory/import",
        content=HEADER + row("E1") + "E2,not-an-email\n",
        headers=csv_headers(gw, admin),
    )
    assert bad_row.status_code == 200 and bad_row.json()["errors"][0]["line"] == 3
    ana, _ = await employee(gw, "E1")
    consent = await gw.client.put(
        "/v1/me/consent", json={"opted_in": True}, headers=gw.headers(ana)
    )
    assert consent.status_code == 422
    assert consent.json()["errors"] == [{"field": "body.consent", "reason": "required"}]
    someone = await gw.client.put(
        "/v1/me/participation",
        json={"opted_in": False, "employee_id": "x"},
        headers=gw.headers(ana),
    )
    assert someone.status_code == 422
    assert someone.json()["errors"][0]["field"] == "body.employee_id"


async def test_a_retry_is_the_first_answer(gw: Gateway) -> None:
    ana, _ = await employee(gw, "E1")
    headers = gw.headers(ana, key="consent-1")
    body = {"opted_in": True, "consent": True}
    first = await gw.client.put("/v1/me/consent", json=body, headers=headers)
    again = await gw.client.put("/v1/me/consent", json=body, headers=headers)
    assert again.headers["idempotent-replayed"] == "true" and again.json() == first.json()
    admin = gw.idp.token("ada", roles=ADMIN)
    key = csv_headers(gw, admin, key="import-1")
    one = await gw.client.post("/v1/directory/import", content=HEADER + row("N1"), headers=key)
    two = await gw.client.post("/v1/directory/import", content=HEADER + row("N1"), headers=key)
    assert one.json()["created"] == 1 and two.json() == one.json()


async def test_other_tenants_and_roles_are_refused(gw: Gateway) -> None:
    _, ana_id = await employee(gw, "E1")
    eve = gw.idp.token("eve", "globex", roles=ADMIN)
    for answer in (
        await gw.client.get(f"/v1/employees/{ana_id}", headers=gw.headers(eve, key=None)),
        await gw.client.delete(f"/v1/employees/{ana_id}", headers=gw.headers(eve)),
    ):
        assert answer.status_code == 404 and "e1@example.com" not in answer.text
    listed = await gw.client.get("/v1/employees", headers=gw.headers(eve, key=None))
    assert listed.json()["items"] == []
    manager = gw.idp.token("alice")
    for refused in (
        await gw.client.post(
            "/v1/directory/import", content=HEADER + row("Z1"), headers=csv_headers(gw, manager)
        ),
        await gw.client.post("/v1/scim-token", headers=gw.headers(manager)),
        await gw.client.delete(f"/v1/employees/{ana_id}", headers=gw.headers(manager)),
    ):
        assert refused.status_code == 403
    # Consent is the employee's own: nobody records it for them.
    admin = gw.idp.token("ada", roles=ADMIN)
    nobody = await gw.client.put(
        "/v1/me/consent", json={"opted_in": True, "consent": True}, headers=gw.headers(admin)
    )
    assert nobody.status_code == 403
    still = await gw.client.get(f"/v1/employees/{ana_id}", headers=gw.headers(manager, key=None))
    assert still.json()["email"] == "e1@example.com"
