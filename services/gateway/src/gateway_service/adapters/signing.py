"""The gateway's signing key, from the file CHORUS_GATEWAY_SIGNING_KEY names,
and, for a developer machine, the first-start generation of it together with
the public key set (CHORUS_INTERNAL_JWKS) every service trusts."""

from __future__ import annotations

import json
import os
from pathlib import Path

from chorus_core.settings import ConfigError
from chorus_identity.keys import SigningKey, jwks_of
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def load_signing_key(path: str, kid: str, setting: str) -> SigningKey:
    file = Path(path)
    if not file.is_file():
        raise ConfigError(
            f"{setting}: no signing key at {path} (an RSA private key, PEM;"
            " `chorus stack` writes one locally, production mounts it from a secret)"
        )
    key = SigningKey.from_file(file, kid)
    try:
        private = serialization.load_pem_private_key(key.private_pem, password=None)
    except ValueError:
        raise ConfigError(f"{setting}: {path} is not an unencrypted PEM private key") from None
    if not isinstance(private, rsa.RSAPrivateKey) or private.key_size < 2048:
        raise ConfigError(f"{setting}: the key must be RSA, 2048 bits or more (RS256)")
    return key


def write_local_identity(key_path: str | Path, jwks_path: str | Path, kid: str) -> SigningKey:
    """A signing key and its public JWKS, made once per machine and kept:
    what a developer's stack needs before the services start (they read the
    JWKS at start-up)."""
    key_file, jwks_file = Path(key_path), Path(jwks_path)
    if key_file.is_file():
        key = SigningKey.from_file(key_file, kid)
    else:
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key = SigningKey.generate(kid)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(key.private_pem)
    jwks_file.parent.mkdir(parents=True, exist_ok=True)
    jwks_file.write_text(json.dumps(jwks_of(key), indent=2) + "\n")
    return key
