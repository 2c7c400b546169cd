"""Blocked terms in unsegmented scripts (Chinese, Japanese, Korean).

These scripts do not put spaces between words (Korean puts them between
phrases, with particles glued to the noun), so a term is a run of characters
to find anywhere inside running text: "保证收益" must be caught in
"我们保证收益翻倍". Word tokens cannot do that (the whole sentence is one
token), so terms containing such characters are matched character by
character instead.

Still flat in the number of terms: every term is indexed by its first two
characters (one-character terms by their single character); a check looks
up the text's own bigrams (nothing for a text without CJK), then compares
only the few terms sharing a prefix that occurs. 500 or 50,000 terms cost
the same unless thousands of them share one two-character prefix.
Pure: no I/O.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from content_service.domain.matcher import Term

# Han (with extension A, compatibility ideographs and the supplementary
# planes), kana, Hangul syllables and jamo, CJK punctuation and symbols.
_RANGES = (
    (0x1100, 0x11FF),
    (0x2E80, 0x2FDF),
    (0x3000, 0x30FF),
    (0x3130, 0x318F),
    (0x31F0, 0x31FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xA960, 0xA97F),
    (0xAC00, 0xD7FF),
    (0xF900, 0xFAFF),
    (0xFF65, 0xFFDC),
    (0x20000, 0x3134F),
)


def is_cjk(ch: str) -> bool:
    code = ord(ch)
    return any(low <= code <= high for low, high in _RANGES)


def has_cjk(text: str) -> bool:
    return not text.isascii() and any(is_cjk(ch) for ch in text)


class CjkTermIndex:
    """Folded CJK terms by first two characters (one for one-character terms),
    then by language, each bucket longest first."""

    def __init__(self) -> None:
        self._by_prefix: dict[str, dict[str, list[tuple[str, Term]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def add(self, folded: str, language: str, term: Term) -> None:
        bucket = self._by_prefix[folded[:2]][language]
        for i, (existing, known) in enumerate(bucket):
            if existing == folded:
                # Two entries for one term: the stricter one wins.
                if known.severity != "block" and term.severity == "block":
                    bucket[i] = (folded, term)
                return
        bucket.append((folded, term))
        bucket.sort(key=lambda entry: -len(entry[0]))
        self._count += 1

    def find(self, folded: str, languages: set[str]) -> list[tuple[Term, int, int]]:
        """(term, start, end) of every match in the folded text: longest match
        first at each position, matches do not overlap.

        The text's distinct characters and bigrams are intersected with the
        indexed prefixes (a set operation bounded by the text's size), so
        only prefixes that occur are located (str.find) and compared."""
        if not self._count or not has_cjk(folded):
            return []
        grams = {folded[i : i + 2] for i in range(len(folded) - 1)}
        grams.update(folded)
        found: list[tuple[int, int, Term]] = []
        index = self._by_prefix
        # Walk the text's grams (bounded by the text), never the index's keys.
        for prefix in [gram for gram in grams if gram in index]:
            by_language = index[prefix]
            buckets = [by_language[lang] for lang in languages if lang in by_language]
            if not buckets:
                continue
            at = folded.find(prefix)
            while at >= 0:
                for bucket in buckets:
                    for term_text, term in bucket:
                        if folded.startswith(term_text, at):
                            found.append((at, len(term_text), term))
                            break  # longest first: the rest of the bucket is shorter
                at = folded.find(prefix, at + 1)
        hits: list[tuple[Term, int, int]] = []
        covered = 0
        for start, length, term in sorted(found, key=lambda f: (f[0], -f[1])):
            if start >= covered:
                hits.append((term, start, start + length))
                covered = start + length
        return hits
