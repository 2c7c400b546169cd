"""Real Apertium output: every pair and pivot Chorus uses keeps URLs, @mentions
and #hashtags byte for byte and really changes the language."""

from __future__ import annotations

import uuid

import httpx
import pytest
from translation_service.adapters.apertium import ApertiumTranslator
from translation_service.adapters.redis_cache import RedisTranslationCache
from translation_service.app.ports import TranslatorUnavailable
from translation_service.app.text_translator import TextTranslator
from translation_service.domain.languages import UnsupportedLanguagePair
from translation_service.domain.masking import mask, unmask
from translation_service.domain.translations import cache_key

URL = "https://example.com/news/office?utm_source=chorus&id=42"
TEXT = (
    f"Our team is proud to announce the new office! Read more at {URL} "
    "and thank you @maria.lopez for the photos #NewOffice #proud"
)
PROTECTED = (URL, "@maria.lopez", "#NewOffice", "#proud")

# Words the English text cannot contain but a real translation does.
MARKERS = {
    "es": ("equipo", "oficina"),
    "fr": ("équipe", "bureau"),
    "pt": ("equipa", "escritório"),
    "it": ("ufficio", "nuovo"),
    "ca": ("equip", "oficina"),
}


@pytest.mark.parametrize("target", sorted(MARKERS))
async def test_translation_keeps_protected_spans_and_changes_language(
    apertium: ApertiumTranslator, redis_cache: RedisTranslationCache, target: str
) -> None:
    texts = TextTranslator(apertium, redis_cache, ttl_seconds=60)
    result = await texts.translate(TEXT, "en", target)
    assert result.provider == "apertium"
    for span in PROTECTED:
        assert result.text.count(span) == 1, (span, result.text)
    for word in MARKERS[target]:
        assert word in result.text, (word, result.text)
    assert "team" not in result.text and "proud to" not in result.text


@pytest.mark.parametrize(
    "chain",
    [
        ("en", "es"),
        ("en", "ca"),
        ("en", "fr"),
        ("en", "pt"),
        ("en", "it"),
        ("es", "en"),
        ("fr", "es"),
    ],
)
async def test_placeholders_survive_every_route(
    apertium: ApertiumTranslator, chain: tuple[str, str]
) -> None:
    text = "@lead: big news!\nSee https://example.com/a?b=1 & #launch, then #día (AT&T <3)."
    masked = mask(text)
    out = await apertium.translate(masked.html, *chain)
    for index in range(len(masked.tokens)):
        assert out.count(f'<x i="{index}"/>') == 1, out
    restored = unmask(out, masked.tokens)
    for token in ("@lead", "https://example.com/a?b=1", "#launch", "#día", "&", "<3"):
        assert token in restored


async def test_pivot_through_catalan_also_keeps_placeholders(apertium: ApertiumTranslator) -> None:
    # eng->fra pivots through spa by preference; the cat route must work too.
    via_catalan = ApertiumTranslator(apertium.base_url, apertium.client, pivots=("cat",))
    masked = mask("Welcome @new.hire to https://example.com/team #welcome")
    restored = unmask(await via_catalan.translate(masked.html, "en", "fr"), masked.tokens)
    assert restored == "Bienvenu @new.hire à https://example.com/team #welcome"


async def test_without_masking_apertium_rewrites_hashtags(apertium: ApertiumTranslator) -> None:
    # Why masking exists: the raw text comes back with a translated hashtag.
    raw = await apertium.translate("We are #proud", "en", "es")
    assert "#proud" not in raw


async def test_second_request_is_served_from_redis(
    apertium: ApertiumTranslator, redis_cache: RedisTranslationCache
) -> None:
    texts = TextTranslator(apertium, redis_cache, ttl_seconds=120)
    # A number in the sentence makes the text new to the shared Redis on every run.
    text = f"The meeting number {uuid.uuid4().int % 10**9} starts soon #update"
    first = await texts.translate(text, "en", "es")
    second = await texts.translate(text, "en", "es")
    assert (first.cached, second.cached) == (False, True)
    assert second.text == first.text and "#update" in first.text and "reunión" in first.text
    ttl = await redis_cache.client.ttl(cache_key("apertium", "en", "es", mask(text).html))
    assert 0 < ttl <= 120


async def test_no_route_and_unknown_language(apertium: ApertiumTranslator) -> None:
    with pytest.raises(UnsupportedLanguagePair) as caught:
        await apertium.translate("hello", "en", "de")
    assert caught.value.field == "target_language"
    with pytest.raises(UnsupportedLanguagePair):
        await apertium.translate("hola", "ca", "pt")  # no cat-spa pair to pivot through


async def test_unreachable_apertium_is_unavailable_not_unsupported() -> None:

    async with httpx.AsyncClient(timeout=2.0) as client:
        with pytest.raises(TranslatorUnavailable):
            await ApertiumTranslator("http://127.0.0.1:9", client).translate("hello", "en", "es")
