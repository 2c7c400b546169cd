"""Who is calling: every bad token kind is 401 (with WWW-Authenticate); a
good IdP token becomes a Chorus token the services accept; the first
sign-in links the account to its directory entry; Chorus role grants
(tenant admins only) add to the token's roles; /v1/me shows the result."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

import jwt
import pytest
from chorus.targeting.v1 import targeting_service_pb2 as tpb
from chorus.targeting.v1 import targeting_service_pb2_grpc as tpb_grpc
from chorus_grpc import insecure_channel
from chorus_identity.keys import SigningKey
from chorus_testing.identity import IDENTITY, admin
from targeting_service.domain.employees import employee_id_for

from tests.component.gateway.conftest import AUDIENCE, IDP_ISSUER, Gateway, TestIdp


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def claims(**changes: Any) -> dict[str, Any]:
    now = int(time.time())
    body = {"iss": IDP_ISSUER, "aud": AUDIENCE, "sub": "alice", "iat": now, "exp": now + 300}
    return {**body, "tenant": "acme", "roles": ["comms_manager"], **changes}


def hs256_with_public_key(idp: TestIdp) -> str:
    """The classic confusion attack: HMAC keyed with the RSA public key."""
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": idp.key.kid}).encode())
    payload = _b64(json.dumps(claims()).encode())
    secret = idp.key.public_pem()
    signature = hmac.new(secret, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64(signature)}"


def bad_tokens(gw: Gateway) -> dict[str, str]:
    now = time.time()
    other = SigningKey.generate("idp-1")  # same kid, another key
    return {
        "expired": gw.idp.token(issued=now - 3600, lifetime=600),
        "wrong audience": gw.idp.token(aud="someone-else"),
        "wrong issuer": TestIdp("http://evil-idp").token(),
        "alg none": jwt.encode(claims(), "", algorithm="none"),
        "hs256 with the public key": hs256_with_public_key(gw.idp),
        "bad signature": jwt.encode(
            claims(), other.private_pem, algorithm="RS256", headers={"kid": "idp-1"}
        ),
        "a Chorus token, not the IdP's": IDENTITY.token(admin("acme")),
        "garbage": "not.a.token",
        "issued in the future": gw.idp.token(issued=now + 3600),
    }


@pytest.mark.parametrize("kind", [None, "Basic", "Bearer "])
async def test_no_bearer_token_is_401(gw: Gateway, kind: str | None) -> None:
    headers = {} if kind is None else {"Authorization": kind + "x" * (kind == "Basic")}
    answer = await gw.client.get("/v1/me", headers=headers)
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"].startswith("Bearer")
    assert answer.headers["content-type"] == "application/problem+json"


async def test_every_bad_token_kind_is_401(gw: Gateway) -> None:
    for name, token in bad_tokens(gw).items():
        for method, path in (("GET", "/v1/me"), ("GET", "/v1/posts"), ("POST", "/v1/posts")):
            answer = await gw.client.request(
                method, path, json={"title": "T"}, headers=gw.headers(token)
            )
            assert answer.status_code == 401, (name, path, answer.text)
            assert answer.headers["www-authenticate"].startswith("Bearer"), name
    listed = await gw.client.get("/v1/posts", headers=gw.headers(key=None))
    assert listed.json()["items"] == []


async def test_a_machine_token_is_refused(gw: Gateway) -> None:
    answer = await gw.client.get("/v1/me", headers=gw.headers(gw.idp.token(chorus_service="bot")))
    assert answer.status_code == 403


async def test_token_exchange_gives_a_chorus_token_the_services_accept(gw: Gateway) -> None:
    answer = await gw.client.post("/v1/auth/token", headers=gw.headers(key=None))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["token_type"] == "Bearer" and 0 < body["expires_in"] <= 120
    principal = await IDENTITY.verifier.verify(body["access_token"])
    assert (principal.subject, principal.tenant_id) == ("alice", "acme")
    jwks = (await gw.client.get("/.well-known/jwks.json")).json()
    assert [k["kid"] for k in jwks["keys"]] == [IDENTITY.key.kid]
    assert all("d" not in k for k in jwks["keys"])  # public halves only


async def test_me_shows_the_tenant_and_scoped_roles(gw: Gateway) -> None:
    token = gw.idp.token(roles=("comms_manager", "reviewer", "offline_access"), email="")
    me = (await gw.client.get("/v1/me", headers=gw.headers(token, key=None))).json()
    assert me["tenant_id"] == "acme" and me["subject"] == "alice"
    assert {g["role"] for g in me["roles"]} == {"comms_manager", "reviewer"}
    assert me["employee_id"] == ""


async def test_the_first_sign_in_links_the_directory_entry(gw: Gateway) -> None:
    channel = insecure_channel(gw.address, 30, credentials=IDENTITY.credentials(admin("acme")))
    header = (
        "external_id,email,display_name,country,language,timezone,department,status,"
        "opted_in,auto_share,home_region\n"
    )
    row = "E7,ana@example.com,Ana,FR,fr,Europe/Paris,Sales,active,true,false,eu-west\n"
    await tpb_grpc.TargetingServiceStub(channel).ImportDirectory(
        tpb.ImportDirectoryRequest(tenant_id="acme", csv=(header + row).encode())
    )
    await channel.close()
    token = gw.idp.token("ana-sub", roles=("employee",), email="ANA@example.com")
    me = (await gw.client.get("/v1/me", headers=gw.headers(token, key=None))).json()
    assert me["employee_id"] == employee_id_for("acme", "E7")
    # Cached: the next request does not ask targeting again.
    assert gw.deps.auth.links.get(("acme", "ana-sub")) == me["employee_id"]


async def test_role_grants_add_to_the_token_roles(gw: Gateway) -> None:
    ada = gw.idp.token("ada", roles=("tenant_admin",))
    body = {"grants": [{"role": "reviewer", "steps": ["legal"]}]}
    put = await gw.client.put("/v1/role-grants/rita", json=body, headers=gw.headers(ada))
    assert put.status_code == 200, put.text
    shown = await gw.client.get("/v1/role-grants/rita", headers=gw.headers(ada, key=None))
    assert shown.json()["grants"][0] == {
        "role": "reviewer",
        "regions": [],
        "channels": [],
        "steps": ["legal"],
    }
    rita = gw.idp.token("rita", roles=("employee",))
    me = (await gw.client.get("/v1/me", headers=gw.headers(rita, key=None))).json()
    assert {g["role"] for g in me["roles"]} == {"employee", "reviewer"}
    # Not an admin: refused, nothing changed.
    refused = await gw.client.put(
        "/v1/role-grants/rita", json={"grants": []}, headers=gw.headers(rita)
    )
    assert refused.status_code == 403
    # Another tenant's admin sees nothing of acme's grants.
    eve = gw.idp.token("eve", "globex", roles=("tenant_admin",))
    other = await gw.client.get("/v1/role-grants/rita", headers=gw.headers(eve, key=None))
    assert other.json()["grants"] == []
    deleted = await gw.client.delete("/v1/role-grants/rita", headers=gw.headers(ada))
    assert deleted.status_code == 204
    me = (await gw.client.get("/v1/me", headers=gw.headers(rita, key=None))).json()
    assert {g["role"] for g in me["roles"]} == {"employee"}
    unknown = await gw.client.put(
        "/v1/role-grants/rita", json={"grants": [{"role": "owner"}]}, headers=gw.headers(ada)
    )
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "body.grants[0].role"
