"""Account tokens at rest: the shared SecretBox (chorus_identity.secrets,
AES-256-GCM bound to the row's identity, see domain.accounts.associated_data)
is the app's SecretCipher port; the key comes from
CHORUS_PUBLISHING_ENCRYPTION_KEY (settings)."""

from __future__ import annotations

from chorus_identity.secrets import KEY_HELP, SecretBox, decode_key

__all__ = ["KEY_HELP", "SecretBox", "decode_key"]
