"""The gateway's signing key is checked at start (config fails fast, naming
the setting): a missing file, a file that is not a PEM private key, a key
that is not RSA, and an RSA key under 2048 bits are all refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from chorus_core.settings import ConfigError
from chorus_identity.keys import SigningKey
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from gateway_service.adapters.signing import load_signing_key

SETTING = "CHORUS_GATEWAY_SIGNING_KEY"


def pem(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def test_a_good_key_loads_and_signs_with_its_parsed_key(tmp_path: Path) -> None:
    path = tmp_path / "key.pem"
    path.write_bytes(SigningKey.generate("k").private_pem)
    key = load_signing_key(str(path), "k1", SETTING)
    assert key.kid == "k1" and key.private_key.key_size == 2048
    assert key.private_key is key.private_key  # parsed once


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no signing key"),
        (b"not a key", "not an unencrypted PEM private key"),
        (pem(ec.generate_private_key(ec.SECP256R1())), "not an unencrypted PEM private key"),
        (
            pem(rsa.generate_private_key(public_exponent=65537, key_size=1024)),
            "2048 bits or more",
        ),
    ],
    ids=["missing", "garbage", "not RSA", "too short"],
)
def test_a_bad_key_fails_at_start_naming_the_setting(
    tmp_path: Path, content: bytes | None, message: str
) -> None:
    path = tmp_path / "key.pem"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ConfigError) as refused:
        load_signing_key(str(path), "k1", SETTING)
    assert SETTING in str(refused.value) and message in str(refused.value)
