"""Text folding and word tokens shared by the charter rules. Pure: no I/O."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from functools import lru_cache
from itertools import accumulate

from content_service.domain.cjk import is_cjk

WORD = re.compile(r"\w+")


# Combining accents that Latin, Greek and Cyrillic text may carry as separate
# characters (decomposed input, e.g. "e" + U+0301): folded away like the accent
# of a precomposed letter. Marks of other scripts (Indic viramas, Hebrew points)
# are kept: they are part of the letter, not an accent on it.
_ACCENTS = (
    (0x0300, 0x036F),
    (0x1AB0, 0x1AFF),
    (0x1DC0, 0x1DFF),
    (0x20D0, 0x20FF),
    (0xFE20, 0xFE2F),
)


class _UnevenCharacters:
    """The characters seen so far that fold to no character or to several (ß,
    ﬁ, a decomposed accent). A text holding none of them folds one character
    per character, so its offsets need no map: one search, at C speed, instead
    of building the map for every text with a match."""

    def __init__(self) -> None:
        self.seen: set[str] = set()
        self._pattern: re.Pattern[str] | None = None
        self._size = 0

    def found_in(self, text: str) -> bool:
        if len(self.seen) != self._size:  # new ones since the last search
            self._size = len(self.seen)
            self._pattern = re.compile("[" + "".join(map(re.escape, sorted(self.seen))) + "]")
        return self._pattern is not None and self._pattern.search(text) is not None


_UNEVEN = _UnevenCharacters()


@lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    if is_cjk(ch):
        # NFKD would split a Hangul syllable into jamo and strip the kana
        # voicing marks (が -> か): different words. NFKC only unifies forms
        # (half-width ｶ -> カ), which is what a Japanese author expects.
        composed = unicodedata.normalize("NFKC", ch)
        return composed if len(composed) == 1 else ch
    code = ord(ch)
    if any(low <= code <= high for low, high in _ACCENTS):
        folded = ""
    else:
        # Compatibility caseless form (Unicode's NFKD(casefold(NFKD(x)))): full
        # case folding, so ß and ẞ become "ss", ς and Σ become σ, the ligature
        # ﬁ becomes "fi" and İ becomes "i" once its dot (an accent) is stripped.
        base = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", ch).casefold())
        folded = "".join(c for c in base if not unicodedata.combining(c)) or ch
    if len(folded) != 1:
        _UNEVEN.seen.add(ch)
    return folded


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a text. Not one character per
    character (ß folds to "ss", a decomposed accent to nothing): to map an
    offset back into the original, use FoldedText."""
    if text.isascii():
        return text.lower()  # the common case, without the per-character walk
    return "".join(map(_fold_char, text))


class FoldedText:
    """A text's folded form and the way back from folded offsets to the
    original's, so a match found in the folded text highlights the span the
    author typed."""

    __slots__ = ("_pieces", "_starts", "text")

    def __init__(self, original: str) -> None:
        self._pieces: list[str] | None = None  # what each original character folded to
        self._starts: list[int] | None = None  # folded offset of each original character
        if original.isascii():
            self.text = original.lower()  # one character per character
        else:
            pieces = list(map(_fold_char, original))
            self.text = "".join(pieces)
            if len(self.text) != len(original) or _UNEVEN.found_in(original):
                self._pieces = pieces

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of the folded span [start, end): whole original
        characters (a span starting or ending inside the "ss" of ß covers the
        ß), including the accents that folded away after its last one."""
        pieces = self._pieces
        if pieces is None:
            return start, end
        starts = self._starts
        if starts is None:
            # Built on the first match only: a text without one never pays.
            starts = self._starts = list(accumulate(map(len, pieces), initial=0))
        first = bisect_right(starts, start) - 1
        last = bisect_left(starts, end)
        while last < len(pieces) and not pieces[last]:
            last += 1
        return first, last


def tokens(folded: str) -> list[tuple[str, int, int]]:
    """Word tokens (word, start, end) of a folded text."""
    return [(m.group(), m.start(), m.end()) for m in WORD.finditer(folded)]


def term_key(term: str) -> tuple[str, ...]:
    """The token sequence a blocked term matches: punctuation and spacing
    between words do not matter, so "guaranteed-returns" is caught too."""
    return tuple(WORD.findall(fold(term)))


def text_digest(
    body: str,
    link: str,
    network_texts: dict[str, str],
    network_variants: Mapping[str, Sequence[str]] | None = None,
) -> str:
    """Names one translated text in TranslationHeld/TranslationCleared (hex
    SHA-256 of the fields a share publishes). Scheduling computes the same
    digest of the text it stores (scheduling_service.domain.translations);
    the two must stay byte-for-byte identical, a component test feeds content's
    verdicts to scheduling to prove it. Variants count only when there are
    some, so a text without any keeps the digest it always had."""
    document: dict[str, object] = {
        "body": body,
        "link": link,
        "network_texts": dict(sorted(network_texts.items())),
    }
    variants = {n: list(v) for n, v in sorted((network_variants or {}).items()) if v}
    if variants:
        document["network_variants"] = variants
    canonical = json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
