"""Languages and routes between them. Pure: no I/O.

Chorus speaks BCP 47 (en, pt-BR); Apertium names its pairs with ISO 639-3
codes (eng, por). Not every pair exists (Debian has no eng-fra), so a
translation may pivot through a third language that has both halves.
"""

from __future__ import annotations

from collections.abc import Collection

from chorus_core.errors import InvalidArgument

# BCP 47 primary subtag -> Apertium (ISO 639-3) code.
APERTIUM_CODES: dict[str, str] = {
    "en": "eng",
    "es": "spa",
    "fr": "fra",
    "pt": "por",
    "it": "ita",
    "ca": "cat",
}
# Pivots in order of preference: Spanish has pairs with every language we
# serve; Catalan is the alternative (eng-cat and fra-cat are strong pairs).
PIVOTS: tuple[str, ...] = ("spa", "cat")

Pair = tuple[str, str]


class UnsupportedLanguagePair(InvalidArgument):
    """No provider route between two (valid) languages."""

    def __init__(self, source: str, target: str) -> None:
        super().__init__("target_language", f"no translation route from {source!r} to {target!r}")
        self.source = source
        self.target = target


def primary(language: str) -> str:
    return language.split("-", 1)[0].lower()


def same_language(a: str, b: str) -> bool:
    """en and en-GB read the same text: no translation between them."""
    return primary(a) == primary(b)


def apertium_code(language: str) -> str | None:
    return APERTIUM_CODES.get(primary(language))


def route(
    source: str, target: str, pairs: Collection[Pair], pivots: tuple[str, ...] = PIVOTS
) -> tuple[str, ...] | None:
    """The chain of Apertium codes to go through: (src, tgt) when the pair is
    installed, else (src, pivot, tgt) through the first pivot with both
    halves, else None."""
    if (source, target) in pairs:
        return (source, target)
    for pivot in pivots:
        if pivot not in (source, target) and (source, pivot) in pairs and (pivot, target) in pairs:
            return (source, pivot, target)
    return None


def producible(pairs: Collection[Pair]) -> frozenset[str]:
    """The languages (BCP 47 primary subtags) the engine can write: every
    language with an installed pair into it (a pivot needs that last pair too)."""
    by_code = {code: language for language, code in APERTIUM_CODES.items()}
    return frozenset(by_code[target] for _, target in pairs if target in by_code)
