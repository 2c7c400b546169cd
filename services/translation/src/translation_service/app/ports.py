"""What the use cases need from the outside world, as interfaces.

Adapters (Apertium, Redis, content over gRPC, the service's database and its
outbox) implement them; main.py wires them in. A store is opened on a
transaction the caller holds (chorus_db.ports.Transaction), so the use case's
writes commit with whatever else the caller does in it (a Kafka handler's
inbox row).
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from chorus_db.ports import Transaction

from translation_service.domain.policy import LanguageDecision, LanguagePolicy
from translation_service.domain.translations import PostTexts, Translation


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
    """Content does not know the post (in this tenant), or that version of it."""


class VersionNotYet(Exception):
    """Content knows the post, but only up to an older version than the one
    asked for (a read from a lagging replica): worth retrying later."""

    def __init__(self, latest: int) -> None:
        super().__init__(f"content has v{latest}")
        self.latest = latest


class ContentReader(Protocol):
    async def get_post(self, tenant_id: str, post_id: str, version: int) -> PostTexts:
        """The texts of exactly that version, even when the post has been
        edited since (the approved version is the one that goes out).
        Raises PostNotFound or VersionNotYet."""
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


class TranslationReader(Protocol):
    async def for_post(self, tenant_id: str, post_id: str) -> list[Translation]:
        """Every stored text of the post, fallbacks marked, by version and language."""
        ...


class TranslationStore(Protocol):
    async def languages_done(self, tenant_id: str, post_id: str, version: int) -> set[str]: ...

    def add(self, translation: Translation, now: datetime) -> None: ...


class DecisionStore(Protocol):
    """The exceptions only (fallback, held); see adapters.decisions."""

    def add(self, decision: LanguageDecision) -> None: ...

    async def held_languages(self, tenant_id: str, post_id: str, version: int) -> set[str]: ...


class Stores(Protocol):
    """The stores, opened on a transaction (or read session) the caller holds."""

    def translations(self, transaction: Transaction) -> TranslationStore: ...

    def decisions(self, transaction: Transaction) -> DecisionStore: ...


class TranslationEvents(Protocol):
    """TranslationCompleted / TranslationUnavailable, written in the caller's
    transaction (the outbox): they commit with the rows, or neither does."""

    def completed(self, transaction: Transaction, translation: Translation) -> None: ...

    def unavailable(
        self, transaction: Transaction, decision: LanguageDecision, source_language: str
    ) -> None: ...
