"""BCP 47 -> Apertium codes and routes (direct, or through a pivot)."""

from __future__ import annotations

import pytest
from translation_service.domain.languages import apertium_code, route, same_language
from translation_service.domain.translations import cache_key

# What Debian's pairs install (apertium-eng-spa, -fr-es, -es-pt, -spa-ita, -eng-cat, -fra-cat).
DEBIAN_PAIRS = {
    ("eng", "spa"),
    ("spa", "eng"),
    ("eng", "cat"),
    ("cat", "eng"),
    ("fra", "cat"),
    ("cat", "fra"),
    ("spa", "fra"),
    ("fra", "spa"),
    ("spa", "por"),
    ("por", "spa"),
    ("spa", "ita"),
    ("ita", "spa"),
}


@pytest.mark.parametrize(
    ("bcp47", "code"),
    [
        ("en", "eng"),
        ("en-GB", "eng"),
        ("es", "spa"),
        ("fr", "fra"),
        ("pt-BR", "por"),
        ("it", "ita"),
        ("ca", "cat"),
        ("de", None),
    ],
)
def test_apertium_codes(bcp47: str, code: str | None) -> None:
    assert apertium_code(bcp47) == code


@pytest.mark.parametrize(
    ("source", "target", "chain"),
    [
        ("eng", "spa", ("eng", "spa")),
        ("eng", "cat", ("eng", "cat")),
        ("eng", "fra", ("eng", "spa", "fra")),
        ("eng", "por", ("eng", "spa", "por")),
        ("eng", "ita", ("eng", "spa", "ita")),
        ("por", "ita", ("por", "spa", "ita")),
        ("cat", "por", None),  # no cat-spa pair in Debian: no pivot has both halves
        ("ita", "eng", ("ita", "spa", "eng")),
        ("eng", "deu", None),
    ],
)
def test_routes_over_debian_pairs(source: str, target: str, chain: tuple[str, ...] | None) -> None:
    assert route(source, target, DEBIAN_PAIRS) == chain


def test_catalan_is_the_pivot_when_spanish_lacks_a_half() -> None:
    pairs = {("eng", "cat"), ("cat", "fra"), ("eng", "spa")}
    assert route("eng", "fra", pairs) == ("eng", "cat", "fra")


def test_same_language_ignores_the_region() -> None:
    assert same_language("en", "en-GB") and not same_language("es", "ca")


def test_cache_key_covers_every_part() -> None:
    base = cache_key("apertium", "en", "es", "hello")
    assert base == cache_key("apertium", "en", "es", "hello")
    others = {
        cache_key("deepl", "en", "es", "hello"),
        cache_key("apertium", "en", "fr", "hello"),
        cache_key("apertium", "fr", "es", "hello"),
        cache_key("apertium", "en", "es", "hello!"),
    }
    assert base not in others and len(others) == 4
