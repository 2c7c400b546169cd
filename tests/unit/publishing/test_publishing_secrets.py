"""Secrets at rest (AES-256-GCM) and the key's start-up validation."""

from __future__ import annotations

import base64
import os

import pytest
from chorus_core.settings import ConfigError
from publishing_service.adapters.secrets import SecretBox
from publishing_service.app.ports import SecretUnreadable
from publishing_service.domain.accounts import associated_data
from publishing_service.settings import PublishingSettings

KEY = os.urandom(32)
AAD = associated_data("t1", "e1", "bluesky")
KEY_VARIABLE = "CHORUS_PUBLISHING_ENCRYPTION_KEY"


def key_of(environ: dict[str, str]) -> bytes:
    return PublishingSettings.from_env(environ).publishing_encryption_key.get_secret_value()


def test_round_trip_and_random_nonce() -> None:
    box = SecretBox(KEY)
    first, second = box.encrypt("app-password-1234", AAD), box.encrypt("app-password-1234", AAD)
    assert first != second  # a fresh nonce per value
    assert b"app-password-1234" not in first
    assert box.decrypt(first, AAD) == box.decrypt(second, AAD) == "app-password-1234"


def test_wrong_key_or_wrong_row_cannot_decrypt() -> None:
    stored = SecretBox(KEY).encrypt("app-password-1234", AAD)
    with pytest.raises(SecretUnreadable):
        SecretBox(os.urandom(32)).decrypt(stored, AAD)
    with pytest.raises(SecretUnreadable):  # copied onto another employee's row
        SecretBox(KEY).decrypt(stored, associated_data("t1", "e2", "bluesky"))
    with pytest.raises(SecretUnreadable):  # or another tenant's
        SecretBox(KEY).decrypt(stored, associated_data("t2", "e1", "bluesky"))


def test_tampered_or_truncated_data_cannot_decrypt() -> None:
    stored = bytearray(SecretBox(KEY).encrypt("app-password-1234", AAD))
    stored[-1] ^= 1
    with pytest.raises(SecretUnreadable):
        SecretBox(KEY).decrypt(bytes(stored), AAD)
    with pytest.raises(SecretUnreadable):
        SecretBox(KEY).decrypt(b"\x01short", AAD)


def test_the_key_setting_accepts_urlsafe_base64_of_32_bytes() -> None:
    encoded = base64.urlsafe_b64encode(KEY).decode()
    assert key_of({KEY_VARIABLE: encoded}) == KEY
    assert key_of({KEY_VARIABLE: encoded.rstrip("=")}) == KEY  # padding optional


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", "is required"),
        ("not base64 !!", "not URL-safe base64"),
        (base64.urlsafe_b64encode(os.urandom(16)).decode(), "32 bytes, got 16"),
    ],
)
def test_the_key_setting_fails_fast_naming_the_variable(value: str, expected: str) -> None:
    with pytest.raises(ConfigError) as error:
        key_of({KEY_VARIABLE: value} if value else {})
    assert KEY_VARIABLE in str(error.value) and expected in str(error.value)
    if value:
        assert value not in str(error.value)  # a key, even a wrong one, is never shown


def test_the_box_and_the_settings_never_show_the_key() -> None:
    assert KEY.hex() not in repr(SecretBox(KEY))
    encoded = base64.urlsafe_b64encode(KEY).decode()
    settings = PublishingSettings.from_env({KEY_VARIABLE: encoded})
    assert encoded not in repr(settings) and KEY.hex() not in repr(settings)
