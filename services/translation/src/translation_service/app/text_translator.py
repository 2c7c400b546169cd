"""One text from one language to another: mask -> cache -> provider -> unmask."""

from __future__ import annotations

from dataclasses import dataclass

from translation_service.app.ports import TranslationCache, Translator
from translation_service.domain.languages import same_language
from translation_service.domain.masking import mask, unmask
from translation_service.domain.translations import SOURCE_PROVIDER, cache_key


@dataclass(frozen=True)
class TranslatedText:
    text: str
    provider: str
    cached: bool


class TextTranslator:
    def __init__(self, translator: Translator, cache: TranslationCache, ttl_seconds: int) -> None:
        self.translator = translator
        self.cache = cache
        self.ttl_seconds = ttl_seconds

    @property
    def provider(self) -> str:
        return self.translator.name

    async def languages(self) -> frozenset[str]:
        """What the provider can write into (a policy's fallback must be one)."""
        return await self.translator.languages()

    async def translate(self, text: str, source: str, target: str) -> TranslatedText:
        if same_language(source, target):
            return TranslatedText(text, SOURCE_PROVIDER, False)
        if not text.strip():
            return TranslatedText(text, self.provider, False)
        masked = mask(text)
        key = cache_key(self.provider, source, target, masked.html)
        hit = await self.cache.get(key)
        if hit is not None:
            return TranslatedText(unmask(hit, masked.tokens), self.provider, True)
        translated = await self.translator.translate(masked.html, source, target)
        await self.cache.set(key, translated, self.ttl_seconds)
        return TranslatedText(unmask(translated, masked.tokens), self.provider, False)
