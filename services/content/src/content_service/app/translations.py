"""Per-locale charter check: a translated text is checked against the charter
in its own language. A blocking violation holds that language back
(TranslationHeld: scheduling keeps its shares waiting, the comms team sees it
in ListHeldTranslations); a clean one is cleared (TranslationCleared: its
shares may fire). Every other language goes on untouched."""

from __future__ import annotations

from dataclasses import dataclass

from chorus.content.v1 import content_events_pb2 as events
from chorus_core.clock import utcnow
from chorus_core.prototime import to_timestamp
from chorus_messaging import Outbox
from chorus_messaging.topics import POSTS
from sqlalchemy.ext.asyncio import AsyncSession

from content_service.adapters.charters import HeldTranslationRepository
from content_service.adapters.messages import violation_to_pb
from content_service.app.charters import CharterService, texts_of
from content_service.domain.charter import blocking
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

    @property
    def text_language(self) -> str:
        return self.fallback_language or self.language


class TranslationCheck:
    def __init__(self, charters: CharterService, outbox: Outbox) -> None:
        self.charters = charters
        self.outbox = outbox

    async def apply(self, session: AsyncSession, text: TranslatedText) -> bool:
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
        engine = await self.charters.engine(session, text.tenant_id)
        violations = engine.check(
            texts_of(text.title, text.body, text.network_texts), text.text_language, text.link
        )
        found = blocking(violations)
        held = HeldTranslationRepository(session)
        now = utcnow()
        digest = text_digest(text.body, text.link, text.network_texts)
        if not found:
            # A corrected (human-overridden) translation releases the language.
            await held.release(text.tenant_id, text.post_id, text.version, text.language)
            self.outbox.add(
                session,
                topic=POSTS,
                key=text.post_id,
                tenant_id=text.tenant_id,
                event=events.TranslationCleared(
                    tenant_id=text.tenant_id,
                    post_id=text.post_id,
                    post_version=text.version,
                    language=text.language,
                    text_digest=digest,
                    cleared_at=to_timestamp(now),
                ),
            )
            return False
        await held.hold(text.tenant_id, text.post_id, text.version, text.language, found, now)
        self.outbox.add(
            session,
            topic=POSTS,
            key=text.post_id,
            tenant_id=text.tenant_id,
            event=events.TranslationHeld(
                tenant_id=text.tenant_id,
                post_id=text.post_id,
                post_version=text.version,
                language=text.language,
                violations=[violation_to_pb(v) for v in found],
                held_at=to_timestamp(now),
                text_digest=digest,
            ),
        )
        return True
