"""Text folding and word tokens shared by the charter rules. Pure: no I/O."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from functools import lru_cache

from content_service.domain.cjk import is_cjk

WORD = re.compile(r"\w+")


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if is_cjk(ch):
        # NFKD would split a Hangul syllable into jamo and strip the kana
        # voicing marks (が -> か): different words. NFKC only unifies forms
        # (half-width ｶ -> カ), which is what a Japanese author expects.
        composed = unicodedata.normalize("NFKC", ch)
        return composed if len(composed) == 1 else ch
    base = unicodedata.normalize("NFKD", ch)
    base = "".join(c for c in base if not unicodedata.combining(c)) or ch
    return base[0].lower()


def fold(text: str) -> str:
    """Case- and accent-insensitive form with exactly one character per input
    character, so every offset found in the folded text points into the
    original (the editor highlights the span the author typed)."""
    if text.isascii():
        return text.lower()  # the common case, without the per-character walk
    return "".join(_fold_char(ch) for ch in text)


def tokens(folded: str) -> list[tuple[str, int, int]]:
    """Word tokens (word, start, end) of a folded text."""
    return [(m.group(), m.start(), m.end()) for m in WORD.finditer(folded)]


def term_key(term: str) -> tuple[str, ...]:
    """The token sequence a blocked term matches: punctuation and spacing
    between words do not matter, so "guaranteed-returns" is caught too."""
    return tuple(WORD.findall(fold(term)))


def text_digest(body: str, link: str, network_texts: dict[str, str]) -> str:
    """Names one translated text in TranslationHeld/TranslationCleared (hex
    SHA-256 of the fields a share publishes). Scheduling computes the same
    digest of the text it stores (scheduling_service.domain.translations);
    the two must stay byte-for-byte identical, a component test feeds content's
    verdicts to scheduling to prove it."""
    canonical = json.dumps(
        {"body": body, "link": link, "network_texts": dict(sorted(network_texts.items()))},
        ensure_ascii=False,
        separators=(",", ":"),
        sort_keys=True,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
