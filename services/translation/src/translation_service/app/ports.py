"""What the use cases need from the outside world, as interfaces.

Adapters (Apertium, Redis, content over gRPC) implement them; tests may too.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from translation_service.domain.policy import LanguageDecision, LanguagePolicy
from translation_service.domain.translations import PostTexts


class TranslatorUnavailable(Exception):
    """The provider did not answer (down, timeout, 5xx): worth retrying later."""


class Translator(Protocol):
    """Machine translation of an HTML fragment (see domain.masking) between
    two BCP 47 languages. Raises UnsupportedLanguagePair when there is no
    route, TranslatorUnavailable when the provider cannot be reached."""

    name: str

    async def translate(self, html: str, source: str, target: str) -> str: ...

    async def languages(self) -> frozenset[str]:
        """The languages (BCP 47 primary subtags) it can write into."""
        ...


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


class PolicyReader(Protocol):
    async def policy(self, tenant_id: str) -> LanguagePolicy | None:
        """The tenant's policy for languages the engine cannot produce; None
        when the tenant never set one."""
        ...


class PolicyStore(PolicyReader, Protocol):
    async def replace(
        self, tenant_id: str, request_id: str, policy: LanguagePolicy, now: datetime
    ) -> LanguagePolicy:
        """Stores `policy` in one transaction, unless `request_id` was already
        applied for the tenant; returns the policy in force afterwards."""
        ...


class DecisionReader(Protocol):
    async def for_post(self, tenant_id: str, post_id: str) -> list[LanguageDecision]:
        """Every (version, language) of the post: translated, fallback or held."""
        ...
