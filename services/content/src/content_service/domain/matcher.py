"""Blocked terms and phrases, matched without looping over the terms.

Every term is stored once, as its folded token sequence, in a hash map keyed
by (language, tokens). A check walks the text's tokens once and looks up the
n-grams starting at each token, for n up to the longest term: the cost is
tokens x longest-phrase hash look-ups, whatever the number of terms (500 or
50,000 cost the same). Token matching is word-boundary-aware by construction:
"total" never matches inside "totalmente". Terms written in an unsegmented
script (Chinese, Japanese, Korean) are matched inside running text instead,
by domain/cjk.py's prefix index, just as flat. Text and terms are compared
in their fully case-folded form (domain/text.py: "Scheiße" = "SCHEISSE"); the
spans reported point into the original text. Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

from content_service.domain.cjk import CjkTermIndex, has_cjk
from content_service.domain.text import FoldedText, fold, term_key, tokens

ANY_LANGUAGE = ""


@dataclass(frozen=True)
class Term:
    term: str
    language: str  # "" = every language
    severity: str  # "block" | "warn"
    suggestion: str = ""


@dataclass(frozen=True)
class TermHit:
    term: Term
    start: int
    end: int


def _base_language(language: str) -> str:
    return language.split("-", 1)[0].lower()


class TermMatcher:
    def __init__(self, terms: list[Term]) -> None:
        self._index: dict[tuple[str, tuple[str, ...]], Term] = {}
        self._longest = 0
        self._languages: set[str] = {ANY_LANGUAGE}
        self._cjk = CjkTermIndex()
        for term in terms:
            language = _base_language(term.language)
            if has_cjk(term.term):
                folded = fold(term.term).strip()
                if folded:
                    self._cjk.add(folded, language, term)
                    self._languages.add(language)
                continue
            key = term_key(term.term)
            if not key:
                continue
            existing = self._index.get((language, key))
            # Two entries for one phrase: the stricter one wins.
            if existing is None or (existing.severity != "block" and term.severity == "block"):
                self._index[(language, key)] = term
            self._longest = max(self._longest, len(key))
            self._languages.add(language)

    def __len__(self) -> int:
        return len(self._index) + len(self._cjk)

    def find(self, text: str, language: str) -> list[TermHit]:
        """Every blocked term of `language` (and of every language) in `text`;
        longest match first at each position, matches do not overlap. An
        empty language (not known yet) checks the terms of all languages."""
        if not self._index and not len(self._cjk):
            return []
        folded = FoldedText(text)
        words = tokens(folded.text)
        languages = {ANY_LANGUAGE, _base_language(language)} if language else self._languages
        cjk = [
            TermHit(term, *folded.span(start, end))
            for term, start, end in self._cjk.find(folded.text, languages)
        ]
        index = self._index
        hits: list[TermHit] = []
        i = 0
        count = len(words)
        while i < count:
            found: tuple[Term, int] | None = None
            for n in range(min(self._longest, count - i), 0, -1):
                key = tuple(w for w, _, _ in words[i : i + n])
                for lang in languages:
                    term = index.get((lang, key))
                    if term is not None:
                        found = (term, n)
                        break
                if found:
                    break
            if found:
                term, n = found
                hits.append(TermHit(term, *folded.span(words[i][1], words[i + n - 1][2])))
                i += n
            else:
                i += 1
        return sorted(hits + cjk, key=lambda hit: hit.start) if cjk else hits
