"""What the use cases need from the outside world, as interfaces.

Adapters (Apertium, Redis, content over gRPC) implement them; tests may too.
"""

from __future__ import annotations

from typing import Protocol

from translation_service.domain.translations import PostTexts


class TranslatorUnavailable(Exception):
    """The provider did not answer (down, timeout, 5xx): worth retrying later."""


class Translator(Protocol):
    """Machine translation of an HTML fragment (see domain.masking) between
    two BCP 47 languages. Raises UnsupportedLanguagePair when there is no
    route, TranslatorUnavailable when the provider cannot be reached."""

    name: str

    async def translate(self, html: str, source: str, target: str) -> str: ...


class TranslationCache(Protocol):
    """Best effort: a cache that fails answers None / drops the write."""

    async def get(self, key: str) -> str | None: ...

    async def set(self, key: str, value: str, ttl_seconds: int) -> None: ...


class PostNotFound(Exception):
    pass


class ContentReader(Protocol):
    async def get_post(self, tenant_id: str, post_id: str) -> PostTexts:
        """Raises PostNotFound if content does not know the post."""
        ...
