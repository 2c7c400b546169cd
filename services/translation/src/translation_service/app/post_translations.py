"""Filling every language an audience needs, for one post version.

Two steps, because slow network calls must not hold a database transaction
(and its locks) open: `prepare` reads what is already stored, asks content for
the post and the provider for the translations; `record` then writes the rows
and the TranslationCompleted events in the caller's transaction (the Kafka
handler's, together with its inbox row).

Failure policy, kept deliberately simple:
  * provider unreachable -> TranslatorUnavailable escapes: the consumer retries
    the whole event later (nothing was written);
  * a language with no route (or an invalid code) -> logged and skipped; the
    languages that worked are stored and emitted. Readers of a skipped language
    get nothing rather than text in a language they did not ask for;
  * no requested language could be produced at all -> PermanentError: a retry
    cannot add a route, so the event goes to the DLQ where it is visible.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from chorus_core.clock import utcnow
from chorus_core.errors import InvalidArgument, PermanentError
from chorus_core.validation import language_code
from chorus_db import Database
from chorus_messaging import Outbox
from chorus_messaging.topics import TRANSLATIONS
from opentelemetry import trace
from sqlalchemy.ext.asyncio import AsyncSession

from translation_service.adapters.messages import completed_event
from translation_service.adapters.repository import TranslationRepository
from translation_service.app.ports import ContentReader, PostNotFound
from translation_service.app.text_translator import TextTranslator
from translation_service.domain.languages import same_language
from translation_service.domain.translations import PostTexts, Translation, original

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Needed:
    """What an AudienceSummary asks for."""

    tenant_id: str
    post_id: str
    version: int
    source_language: str
    languages: tuple[str, ...]


@dataclass(frozen=True)
class Prepared:
    needed: Needed
    translations: tuple[Translation, ...]


class ContentBehind(Exception):
    """Content returned an older version than the summary names (a read from
    a lagging replica): retried."""


class PostTranslations:
    def __init__(
        self, db: Database, outbox: Outbox, content: ContentReader, texts: TextTranslator
    ) -> None:
        self.db = db
        self.outbox = outbox
        self.content = content
        self.texts = texts

    async def prepare(self, needed: Needed) -> Prepared:
        span = trace.get_current_span()
        span.set_attribute("chorus.tenant_id", needed.tenant_id)
        span.set_attribute("chorus.post_id", needed.post_id)
        async with self.db.session() as session:
            done = await TranslationRepository(session).languages_done(
                needed.tenant_id, needed.post_id, needed.version
            )
        todo = sorted(set(needed.languages) - done)
        if not todo:
            return Prepared(needed, ())
        post = await self._post(needed)
        if post is None:
            return Prepared(needed, ())
        translations: list[Translation] = []
        failed: list[str] = []
        for language in todo:
            try:
                translations.append(await self._translate(post, language))
            except InvalidArgument as error:  # includes UnsupportedLanguagePair
                failed.append(language)
                log.error(
                    "language skipped: cannot translate",
                    extra={
                        "chorus": {
                            "tenant_id": needed.tenant_id,
                            "post_id": needed.post_id,
                            "language": language,
                            "reason": error.message,
                        }
                    },
                )
        if not translations:
            raise PermanentError(
                f"no requested language could be translated for post {needed.post_id} "
                f"v{needed.version}: {', '.join(failed)}"
            )
        return Prepared(needed, tuple(translations))

    async def record(self, session: AsyncSession, prepared: Prepared) -> list[str]:
        """Writes what is not stored yet; returns the languages emitted."""
        needed = prepared.needed
        repository = TranslationRepository(session)
        # Checked again inside the transaction: a concurrent summary for the
        # same version may have stored some languages since `prepare` looked;
        # the primary key turns a tighter race into a retry that lands here.
        done = await repository.languages_done(needed.tenant_id, needed.post_id, needed.version)
        now = utcnow()
        emitted: list[str] = []
        for translation in prepared.translations:
            if translation.language in done:
                continue
            repository.add(translation, now)
            self.outbox.add(
                session,
                topic=TRANSLATIONS,
                key=translation.post_id,
                tenant_id=translation.tenant_id,
                event=completed_event(translation),
            )
            emitted.append(translation.language)
        if emitted:
            log.info(
                "translations completed",
                extra={
                    "chorus": {
                        "tenant_id": needed.tenant_id,
                        "post_id": needed.post_id,
                        "version": needed.version,
                        "languages": emitted,
                    }
                },
            )
        return emitted

    async def _post(self, needed: Needed) -> PostTexts | None:
        try:
            post = await self.content.get_post(needed.tenant_id, needed.post_id)
        except PostNotFound:
            raise PermanentError(f"content does not know post {needed.post_id}") from None
        if post.version < needed.version:
            raise ContentBehind(f"content has v{post.version}, summary names v{needed.version}")
        if post.version > needed.version:
            # The texts of the older version are gone; the newer version has
            # its own approval, audience and summary, which will be translated.
            log.warning(
                "summary for a superseded version ignored",
                extra={
                    "chorus": {
                        "tenant_id": needed.tenant_id,
                        "post_id": needed.post_id,
                        "version": needed.version,
                        "current": post.version,
                    }
                },
            )
            return None
        return post

    async def _translate(self, post: PostTexts, language: str) -> Translation:
        language_code("language", language)
        if same_language(language, post.source_language):
            return original(post, language)
        fields = {"title": post.title, "body": post.body}
        fields.update({f"network_texts.{n}": t for n, t in post.network_texts.items()})
        results = await asyncio.gather(
            *(
                self.texts.translate(text, post.source_language, language)
                for text in fields.values()
            )
        )
        out = dict(zip(fields, (r.text for r in results), strict=True))
        return Translation(
            tenant_id=post.tenant_id,
            post_id=post.post_id,
            version=post.version,
            language=language,
            source_language=post.source_language,
            title=out["title"],
            body=out["body"],
            link=post.link,
            network_texts={n: out[f"network_texts.{n}"] for n in post.network_texts},
            provider=self.texts.provider,
        )


def needed_languages(by_language: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(by_language)))
