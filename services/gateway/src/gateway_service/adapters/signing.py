"""The gateway's signing key, from the file CHORUS_GATEWAY_SIGNING_KEY names
(locally `chorus stack` makes it with the key set the services trust,
chorus_cli.stack_identity; production mounts it from a secret store)."""

from __future__ import annotations

from pathlib import Path

from chorus_core.settings import ConfigError
from chorus_identity.keys import SigningKey


def load_signing_key(path: str, kid: str, setting: str) -> SigningKey:
    file = Path(path)
    if not file.is_file():
        raise ConfigError(
            f"{setting}: no signing key at {path} (an RSA private key, PEM;"
            " `chorus stack` writes one locally, production mounts it from a secret)"
        )
    key = SigningKey.from_file(file, kid)
    try:
        private = key.private_key
    except (ValueError, TypeError):
        raise ConfigError(
            f"{setting}: {path} is not an unencrypted PEM private key (RSA, RS256)"
        ) from None
    if private.key_size < 2048:
        raise ConfigError(f"{setting}: the key must be RSA, 2048 bits or more (RS256)")
    return key
