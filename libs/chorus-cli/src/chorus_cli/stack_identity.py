"""The local stack's identity material: the gateway's signing key and the
public key set the services trust, and each service's client secret at the
local identity provider.

The key pair is made once per var dir and kept (`signing-key.pem`, mode
0600, next to `jwks.json`): restarting the stack must not invalidate the
Chorus tokens a signed-in CLI holds. The key id is the key's RFC 7638
thumbprint, so it is stable for the key and changes exactly when the key
does (a verifier that sees a new kid knows to look it up).

The client secrets come from the realm file the local Keycloak imports
(deploy/keycloak/chorus-realm.json): one source for the local dev secrets,
never a copy in code. Production injects both through the same variables
from its secret store.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chorus_identity.keys import SigningKey, jwks_of

SIGNING_KEY_FILE = "signing-key.pem"
JWKS_FILE = "jwks.json"
REALM_FILE = Path("deploy") / "keycloak" / "chorus-realm.json"


def thumbprint(public_jwk: dict[str, Any]) -> str:
    """RFC 7638 JWK thumbprint (SHA-256) of an RSA key: the required members
    in lexicographic order, no whitespace, base64url without padding."""
    required = {name: public_jwk[name] for name in ("e", "kty", "n")}
    digest = hashlib.sha256(json.dumps(required, separators=(",", ":")).encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def kid_of(private_pem: bytes) -> str:
    """The key id of a PEM private key (its thumbprint; the provisional kid
    only serves to build the public JWK)."""
    return thumbprint(SigningKey("provisional", private_pem).public_jwk())


@dataclass(frozen=True)
class LocalKeys:
    signing_key: Path
    jwks: Path
    kid: str


def ensure_keys(identity_dir: Path) -> LocalKeys:
    """The stack's signing key and key set, created on first use; the key
    set is rewritten from the key each time, so the two never disagree."""
    identity_dir.mkdir(parents=True, exist_ok=True)
    key_path = identity_dir / SIGNING_KEY_FILE
    if not key_path.exists():
        generated = SigningKey.generate("provisional")
        # Created 0600 from the start: the key is never world-readable, not
        # even between a write and a chmod.
        fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(generated.private_pem)
    key_path.chmod(0o600)
    pem = key_path.read_bytes()
    key = SigningKey(kid_of(pem), pem)
    jwks_path = identity_dir / JWKS_FILE
    text = json.dumps(jwks_of(key), indent=2, sort_keys=True) + "\n"
    if not jwks_path.exists() or jwks_path.read_text() != text:
        partial = jwks_path.with_suffix(".tmp")
        partial.write_text(text)
        partial.replace(jwks_path)  # atomic: a service never reads half a key set
    return LocalKeys(key_path, jwks_path, key.kid)


def realm_client_secrets(root: Path) -> dict[str, str]:
    """{client id: secret} of the confidential clients of the local realm
    (empty if the realm file is absent: then the environment must say)."""
    path = root / REALM_FILE
    if not path.is_file():
        return {}
    realm = json.loads(path.read_text())
    return {
        str(client["clientId"]): str(client["secret"])
        for client in realm.get("clients", [])
        if not client.get("publicClient") and client.get("secret")
    }


def service_secret_env(root: Path, services: list[str]) -> dict[str, str]:
    """CHORUS_<SVC>_OIDC_CLIENT_SECRET for each service with a client in the
    local realm (client id chorus-<service>, the settings' default)."""
    secrets = realm_client_secrets(root)
    return {
        f"CHORUS_{name.upper()}_OIDC_CLIENT_SECRET": secrets[f"chorus-{name}"]
        for name in services
        if f"chorus-{name}" in secrets
    }
