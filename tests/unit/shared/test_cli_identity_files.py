"""The CLI's identity files: the local stack's signing key and key set
(stable kid, 0600, the key set always matching the key), the realm's dev
secrets handed to each service, and the per-user token cache (0600 in a
0700 directory, one directory per provider, names that cannot escape it)."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from chorus_cli.demo_people import PEOPLE_ROWS, directory_csv, realm_users
from chorus_cli.oauth import Tokens
from chorus_cli.stack import GATEWAY, SERVICES, Stack
from chorus_cli.stack_identity import ensure_keys, kid_of, realm_client_secrets, thumbprint
from chorus_cli.token_cache import CacheError, Session, TokenCache
from chorus_identity.keys import SigningKey, StaticJwks

ROOT = Path(__file__).resolve().parents[3]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_the_stack_key_is_made_once_private_and_published_with_its_thumbprint(
    tmp_path: Path,
) -> None:
    first = ensure_keys(tmp_path / "identity")
    assert mode(first.signing_key) == 0o600
    jwks = json.loads(first.jwks.read_text())
    assert [k["kid"] for k in jwks["keys"]] == [first.kid]
    assert "d" not in jwks["keys"][0]  # the public half only
    assert first.kid == thumbprint(jwks["keys"][0]) == kid_of(first.signing_key.read_bytes())
    # A restart keeps the key (signed-in CLIs keep working) and its kid.
    second = ensure_keys(tmp_path / "identity")
    assert second == first
    # A verifier reading the key set finds the key by the kid a token names.
    key = SigningKey(first.kid, first.signing_key.read_bytes())
    found = await StaticJwks.from_file(first.jwks).key(first.kid)
    assert found.key_id == key.kid
    # A damaged key set is rewritten from the key.
    first.jwks.write_text("{}")
    ensure_keys(tmp_path / "identity")
    assert json.loads(first.jwks.read_text()) == jwks


def test_rfc7638_thumbprint_of_the_rfc_example_key() -> None:
    # RFC 7638 §3.1's example.
    n = (
        "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_"
        "BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_"
        "FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4"
        "vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
    )
    jwk = {"kty": "RSA", "n": n, "e": "AQAB", "alg": "RS256", "kid": "2011-04-29"}
    assert thumbprint(jwk) == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"


def test_every_service_gets_its_client_secret_from_the_realm_file(tmp_path: Path) -> None:
    secrets = realm_client_secrets(ROOT)
    stack = Stack(tmp_path / "var")
    for spec in SERVICES:
        env = stack.identity_env(spec)
        assert (
            env[f"CHORUS_{spec.name.upper()}_OIDC_CLIENT_SECRET"] == secrets[f"chorus-{spec.name}"]
        )
        assert env["CHORUS_INTERNAL_JWKS"] == str(tmp_path / "var" / "identity" / "jwks.json")
    gateway = stack.identity_env(GATEWAY)
    assert Path(gateway["CHORUS_GATEWAY_SIGNING_KEY"]) == stack.identity().signing_key
    assert gateway["CHORUS_GATEWAY_SIGNING_KID"] == stack.identity().kid


def test_the_demo_directory_holds_every_realm_employee_the_gateway_links() -> None:
    """Each employee of the realms (and of the SAML IdP realm) has a row with
    their external id, so their first sign-in links them just in time."""
    external_ids = set()
    for realm in ("chorus-realm.json", "enterprise-idp-realm.json"):
        for entry in json.loads((ROOT / "deploy" / "keycloak" / realm).read_text())["users"]:
            external_ids.update(entry.get("attributes", {}).get("external_id", []))
    assert {"E-1001", "E-1002", "E-2001"} <= external_ids
    text = directory_csv(4, seed=1, region="eu-west")
    assert external_ids <= {row[0] for row in PEOPLE_ROWS}
    for external_id, email, *_ in PEOPLE_ROWS:
        assert f"\n{external_id},{email}," in text
    users = realm_users(ROOT)
    assert all(u.password == f"{u.username}-pass" for u in users.values())


def session(name: str) -> Session:
    return Session(name, Tokens("access", 100.0, "refresh", 200.0, "id"), "chorus", 50.0)


def test_the_token_cache_is_private_per_provider_and_per_user(tmp_path: Path) -> None:
    local = TokenCache("http://127.0.0.1:8180/realms/chorus", tmp_path)
    other = TokenCache("https://login.example.com/", tmp_path)
    assert local.dir != other.dir
    local.save(session("comms.acme"))
    local.set_current("comms.acme")
    assert mode(local.dir) == 0o700 and mode(local.dir / "comms.acme.json") == 0o600
    assert local.load("comms.acme") == session("comms.acme")
    assert other.load("comms.acme") is None
    assert local.names() == ["comms.acme"] and local.current() == "comms.acme"
    # A refresh without a new refresh token keeps the old one.
    renewed = session("comms.acme").with_idp(Tokens("access-2", 300.0))
    assert renewed.idp.refresh_token == "refresh" and renewed.idp.access_token == "access-2"
    assert local.remove("comms.acme") and local.current() == ""
    assert not local.remove("comms.acme")


@pytest.mark.parametrize("name", ["../x", "a/b", "", "current", ".."])
def test_a_user_name_cannot_leave_the_cache(tmp_path: Path, name: str) -> None:
    with pytest.raises(CacheError):
        TokenCache("http://idp", tmp_path).save(session(name))


def test_a_damaged_cache_file_is_a_signed_out_user(tmp_path: Path) -> None:
    cache = TokenCache("http://idp", tmp_path)
    cache.save(session("a"))
    (cache.dir / "a.json").write_text("{not json")
    assert cache.load("a") is None
