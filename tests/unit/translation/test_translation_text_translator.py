"""mask -> cache -> provider -> unmask, with in-memory stand-ins for the ports."""

from __future__ import annotations

from translation_service.app.text_translator import TextTranslator


class UpperTranslator:
    """Stands in for a provider: 'translates' by upper-casing text outside tags."""

    name = "upper"

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, str]] = []

    async def translate(self, html: str, source: str, target: str) -> str:
        self.calls.append((html, source, target))
        return html.replace("x i=", "\0").upper().replace("\0", "x i=")

    async def languages(self) -> frozenset[str]:
        return frozenset({"es", "fr"})


class DictCache:
    def __init__(self) -> None:
        self.values: dict[str, tuple[str, int]] = {}

    async def get(self, key: str) -> str | None:
        hit = self.values.get(key)
        return hit[0] if hit else None

    async def set(self, key: str, value: str, ttl_seconds: int) -> None:
        self.values[key] = (value, ttl_seconds)


async def test_protected_spans_are_not_sent_and_come_back_unchanged() -> None:
    provider = UpperTranslator()
    texts = TextTranslator(provider, DictCache(), ttl_seconds=60)
    result = await texts.translate("hi @ana see https://example.com/a #tag & more", "en", "es")
    assert result.text == "HI @ana SEE https://example.com/a #tag & MORE"
    assert (result.provider, result.cached) == ("upper", False)
    sent = provider.calls[0][0]
    assert "@ana" not in sent and "example.com" not in sent and "#tag" not in sent


async def test_cache_hit_skips_the_provider_even_for_other_links() -> None:
    provider, cache = UpperTranslator(), DictCache()
    texts = TextTranslator(provider, cache, ttl_seconds=60)
    await texts.translate("read https://a.example/1", "en", "fr")
    again = await texts.translate("read https://b.example/2", "en", "fr")
    assert (again.text, again.cached) == ("READ https://b.example/2", True)
    assert len(provider.calls) == 1
    assert [ttl for _, ttl in cache.values.values()] == [60]


async def test_same_language_and_blank_text_never_reach_the_provider() -> None:
    provider = UpperTranslator()
    texts = TextTranslator(provider, DictCache(), ttl_seconds=60)
    same = await texts.translate("Hello", "en", "en-GB")
    blank = await texts.translate("  ", "en", "es")
    assert (same.text, same.provider) == ("Hello", "source")
    assert blank.text == "  " and provider.calls == []
