"""Per-locale charter check: a translated text is checked against the charter
in its own language. A blocking violation holds that language back
(TranslationHeld: scheduling keeps its shares waiting, the comms team sees it
in ListHeldTranslations); a clean one is cleared (TranslationCleared: its
shares may fire). Every other language goes on untouched."""

from __future__ import annotations

from dataclasses import dataclass, field

from chorus_core.clock import utcnow
from chorus_db.ports import Transaction

from content_service.app import events
from content_service.app.charters import CharterService, texts_of
from content_service.app.ports import PostEvents, Stores
from content_service.domain.charter import blocking
from content_service.domain.posts import Variants
from content_service.domain.text import text_digest


@dataclass(frozen=True)
class TranslatedText:
    tenant_id: str
    post_id: str
    version: int
    language: str
    title: str
    body: str
    link: str
    network_texts: dict[str, str]
    # Set when the texts are in this language, delivered for `language`
    # (translation's policy fell back): they are checked as what they are.
    fallback_language: str = ""
    # The post's variants, translated: checked like network_texts (a
    # translation grown over the network's limit holds the language).
    network_variants: Variants = field(default_factory=dict)

    @property
    def text_language(self) -> str:
        return self.fallback_language or self.language


class TranslationCheck:
    def __init__(self, charters: CharterService, stores: Stores, events: PostEvents) -> None:
        self.charters = charters
        self.stores = stores
        self.events = events

    async def apply(self, transaction: Transaction, text: TranslatedText) -> bool:
        """Check one translation in the handler's transaction; True when held.

        Always emits exactly one verdict (TranslationHeld or TranslationCleared):
        scheduling waits for it before firing any share in the language, so a
        translation that got no verdict would wait forever. The handler runs in
        ctx.transaction(), so a redelivered TranslationCompleted is a no-op (the
        inbox) and cannot emit a second, possibly different, verdict. The
        verdict is given against the charter in force when the text arrives; a
        re-delivered or corrected text is checked again against the charter
        current then, and the newest verdict is the one scheduling obeys. A
        fallback text is checked in its own language (the charter's terms for
        that locale); the verdict is for `language`, whose shares carry it."""
        engine = await self.charters.engine(transaction, text.tenant_id)
        violations = engine.check(
            texts_of(text.title, text.body, text.network_texts, text.network_variants),
            text.text_language,
            text.link,
        )
        found = blocking(violations)
        held = self.stores.held_translations(transaction)
        now = utcnow()
        digest = text_digest(text.body, text.link, text.network_texts, text.network_variants)
        if not found:
            # A corrected (human-overridden) translation releases the language.
            await held.release(text.tenant_id, text.post_id, text.version, text.language)
            self.events.emit(
                transaction,
                events.TranslationCleared(
                    text.tenant_id, text.post_id, text.version, text.language, digest, now
                ),
            )
            return False
        await held.hold(text.tenant_id, text.post_id, text.version, text.language, found, now)
        self.events.emit(
            transaction,
            events.TranslationHeld(
                text.tenant_id,
                text.post_id,
                text.version,
                text.language,
                tuple(found),
                digest,
                now,
            ),
        )
        return True
