"""Filling every language an audience needs, for one post version.

Two steps, because slow network calls must not hold a database transaction
(and its locks) open: `prepare` reads what is already stored, asks content for
the post and the provider for the translations; `record` then writes the rows
and the TranslationCompleted events in the caller's transaction (the Kafka
handler's, together with its inbox row).

The texts are those of the version the summary names, read as such from
content: the post may have been edited since it was approved (the edit is a
newer version, under review), and the approved version's shares still need
their languages.

Failure policy, kept deliberately simple:
  * provider unreachable -> TranslatorUnavailable escapes: the consumer retries
    the whole event later (nothing was written);
  * a language with no route -> the tenant's policy (domain.policy): a
    fallback is emitted as that language's TranslationCompleted carrying the
    text in the fallback language (fallback_language set); a hold is recorded
    and emitted as TranslationUnavailable. Either way its shares do not wait,
    unseen, until the post expires. Each decision is logged and traced;
  * an invalid language code -> logged and skipped (it names no language to
    serve); the languages that worked are stored and emitted;
  * no requested language could be produced or decided at all -> PermanentError:
    a retry cannot add a route, so the event goes to the DLQ where it is visible.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from chorus_core.clock import utcnow
from chorus_core.errors import InvalidArgument, PermanentError
from chorus_core.validation import language_code
from chorus_db.ports import Transaction, UnitOfWork
from opentelemetry import trace

from translation_service.app.ports import (
    ContentReader,
    PolicyReader,
    PostNotFound,
    Stores,
    TranslationEvents,
    VersionNotYet,
)
from translation_service.app.text_translator import TextTranslator
from translation_service.app.unproduced import BuiltInPolicy, Unproduced, decide
from translation_service.domain.languages import UnsupportedLanguagePair, same_language
from translation_service.domain.policy import DEFAULT_POLICY, Action
from translation_service.domain.translations import PostTexts, Translation, as_fallback, original

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
    translations: tuple[Translation, ...]  # fallbacks included (fallback_language set)
    unproduced: tuple[Unproduced, ...] = ()


class ContentBehind(Exception):
    """Content does not have the version the summary names yet, only older
    ones (a read from a lagging replica): retried."""


class PostTranslations:
    def __init__(
        self,
        db: UnitOfWork,
        stores: Stores,
        events: TranslationEvents,
        content: ContentReader,
        texts: TextTranslator,
        policies: PolicyReader | None = None,
    ) -> None:
        self.db = db
        self.stores = stores
        self.events = events
        self.content = content
        self.texts = texts
        self.policies: PolicyReader = policies or BuiltInPolicy()

    async def prepare(self, needed: Needed) -> Prepared:
        span = trace.get_current_span()
        span.set_attribute("chorus.tenant_id", needed.tenant_id)
        span.set_attribute("chorus.post_id", needed.post_id)
        async with self.db.session() as session:
            done = await self._decided(session, needed)
        todo = sorted(set(needed.languages) - done)
        if not todo:
            return Prepared(needed, ())
        post = await self._post(needed)
        translations: list[Translation] = []
        no_route: dict[str, str] = {}
        failed: list[str] = []
        for language in todo:
            try:
                translations.append(await self._translate(post, language))
            except UnsupportedLanguagePair as error:
                no_route[language] = error.message
            except InvalidArgument as error:
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
        unproduced = await self._apply_policy(post, no_route, translations)
        if not translations and not unproduced:
            raise PermanentError(
                f"no requested language could be translated for post {needed.post_id} "
                f"v{needed.version}: {', '.join(failed)}"
            )
        return Prepared(needed, tuple(translations), tuple(unproduced))

    async def record(self, transaction: Transaction, prepared: Prepared) -> list[str]:
        """Writes what is not stored yet, in the caller's transaction; returns
        the languages emitted."""
        needed = prepared.needed
        repository = self.stores.translations(transaction)
        decisions = self.stores.decisions(transaction)
        # Checked again inside the transaction: a concurrent summary for the
        # same version may have stored some languages since `prepare` looked;
        # the primary key turns a tighter race into a retry that lands here.
        done = await self._decided(transaction, needed)
        now = utcnow()
        emitted: list[str] = []
        unproduced = {u.language: u for u in prepared.unproduced}
        for translation in prepared.translations:
            if translation.language in done:
                continue
            repository.add(translation, now)
            self.events.completed(transaction, translation)
            emitted.append(translation.language)
            if translation.fallback_language:
                decisions.add(decide(needed, unproduced[translation.language], now))
        for held in unproduced.values():
            if held.fallback_language or held.language in done:
                continue
            decision = decide(needed, held, now)
            decisions.add(decision)
            self.events.unavailable(transaction, decision, needed.source_language)
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

    async def _apply_policy(
        self, post: PostTexts, no_route: dict[str, str], produced: list[Translation]
    ) -> list[Unproduced]:
        """Adds each fallback text to `produced`; returns every decision."""
        if not no_route:
            return []
        policy = await self.policies.policy(post.tenant_id) or DEFAULT_POLICY
        out: list[Unproduced] = []
        for language, reason in sorted(no_route.items()):
            rule = policy.rule_for(language)
            if rule.action is Action.HOLD:
                out.append(Unproduced(language, reason))
                continue
            text = await self._fallback_text(
                post, rule.fallback_for(post.source_language), produced
            )
            produced.append(as_fallback(text, language))
            out.append(Unproduced(language, reason, text.language))
        return out

    async def _fallback_text(
        self, post: PostTexts, fallback: str, produced: Sequence[Translation]
    ) -> Translation:
        if same_language(fallback, post.source_language):
            return original(post, post.source_language)
        for text in produced:
            if text.language == fallback and not text.fallback_language:
                return text
        try:
            return await self._translate(post, fallback)
        except InvalidArgument as error:
            # The policy was valid when set, but this post's source language
            # has no route to the chosen fallback: the source always exists.
            log.warning(
                "fallback language cannot be produced for this post; source used",
                extra={
                    "chorus": {
                        "tenant_id": post.tenant_id,
                        "post_id": post.post_id,
                        "fallback_language": fallback,
                        "reason": error.message,
                    }
                },
            )
            return original(post, post.source_language)

    async def _post(self, needed: Needed) -> PostTexts:
        try:
            return await self.content.get_post(needed.tenant_id, needed.post_id, needed.version)
        except PostNotFound:
            raise PermanentError(
                f"content does not know post {needed.post_id} v{needed.version}"
            ) from None
        except VersionNotYet as behind:
            raise ContentBehind(
                f"content has v{behind.latest}, summary names v{needed.version}"
            ) from None

    async def _decided(self, transaction: Transaction, needed: Needed) -> set[str]:
        """Languages of the version already emitted: translated, fallen back or held."""
        done = await self.stores.translations(transaction).languages_done(
            needed.tenant_id, needed.post_id, needed.version
        )
        held = await self.stores.decisions(transaction).held_languages(
            needed.tenant_id, needed.post_id, needed.version
        )
        return done | held

    async def _translate(self, post: PostTexts, language: str) -> Translation:
        language_code("language", language)
        if same_language(language, post.source_language):
            return original(post, language)
        fields = {"title": post.title, "body": post.body}
        fields.update({f"network_texts.{n}": t for n, t in post.network_texts.items()})
        # Each variant is a text of its own (masked, cached and translated
        # like the rest: its links, mentions and hashtags come back as written).
        fields.update(
            {
                f"network_variants.{n}[{i}]": t
                for n, texts in post.network_variants.items()
                for i, t in enumerate(texts)
            }
        )
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
            network_variants={
                n: tuple(out[f"network_variants.{n}[{i}]"] for i in range(len(texts)))
                for n, texts in post.network_variants.items()
            },
            media_ids=post.media_ids,
        )


def needed_languages(by_language: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(by_language)))
