"""Secrets at rest, once for every service that keeps one: publishing's
network tokens, the gateway's webhook signing secrets.

AES-256-GCM with a random 96-bit nonce per value and the row's identity as
associated data (a value copied onto another row does not decrypt).

Stored form: version byte (1) | nonce (12) | ciphertext+tag. The version byte
leaves room for key rotation without guessing at old rows' format."""

from __future__ import annotations

import base64
import binascii
import os
import re

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_URLSAFE_B64 = re.compile(r"^[A-Za-z0-9_-]+={0,2}$")
_VERSION = b"\x01"
_NONCE_BYTES = 12
_HOW_TO = (
    'generate one with: python -c "import base64, os; '
    'print(base64.urlsafe_b64encode(os.urandom(32)).decode())"'
)
KEY_HELP = f"32 random bytes, URL-safe base64; {_HOW_TO}"


class SecretUnreadable(Exception):
    """Wrong key, wrong row, or tampered data. Never says which, by design."""


def decode_key(raw: object) -> bytes:
    """The 32-byte key from its URL-safe base64 form (a service's settings,
    e.g. CHORUS_PUBLISHING_ENCRYPTION_KEY); ValueError says what is wrong,
    never what the value was."""
    if not isinstance(raw, str):
        raise ValueError(f"must be text (URL-safe base64); {_HOW_TO}")
    raw = raw.strip()
    # b64decode would silently skip characters outside the alphabet.
    if not _URLSAFE_B64.match(raw):
        raise ValueError(f"is not URL-safe base64; {_HOW_TO}")
    try:
        key = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
    except (binascii.Error, ValueError):
        raise ValueError(f"is not URL-safe base64; {_HOW_TO}") from None
    if len(key) != 32:
        raise ValueError(f"must decode to 32 bytes, got {len(key)}; {_HOW_TO}")
    return key


class SecretBox:
    """encrypt/decrypt bound to associated data (a service's SecretCipher port)."""

    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise ValueError("AES-256-GCM needs a 32-byte key")
        self._aead = AESGCM(key)

    def __repr__(self) -> str:
        return "SecretBox(<key hidden>)"

    def encrypt(self, plaintext: str, associated_data: bytes) -> bytes:
        return self.seal(plaintext.encode("utf-8"), associated_data)

    def decrypt(self, stored: bytes, associated_data: bytes) -> str:
        return self.open(stored, associated_data).decode("utf-8")

    def seal(self, data: bytes, associated_data: bytes) -> bytes:
        """encrypt for bytes (e.g. a stored HTTP response body)."""
        nonce = os.urandom(_NONCE_BYTES)
        return _VERSION + nonce + self._aead.encrypt(nonce, data, associated_data)

    def open(self, stored: bytes, associated_data: bytes) -> bytes:
        if len(stored) < 1 + _NONCE_BYTES + 16 or stored[:1] != _VERSION:
            raise SecretUnreadable("stored secret has an unknown format")
        nonce, body = stored[1 : 1 + _NONCE_BYTES], stored[1 + _NONCE_BYTES :]
        try:
            return self._aead.decrypt(nonce, body, associated_data)
        except InvalidTag:
            raise SecretUnreadable(
                "stored secret cannot be decrypted with this key for this row"
            ) from None
