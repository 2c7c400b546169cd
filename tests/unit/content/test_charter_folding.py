"""Blocked terms match under full case folding (ß = ss, ligatures, Turkish İ,
Greek final sigma), accents still do not matter, words still have
boundaries, and every span points at the characters the author typed."""

from __future__ import annotations

import pytest
from content_service.domain.charter import Charter, CharterEngine
from content_service.domain.matcher import Term, TermMatcher
from content_service.domain.text import FoldedText, fold


def found(term: str, text: str, language: str = "") -> list[str]:
    """The original substrings the matcher highlights for one blocked term."""
    hits = TermMatcher([Term(term, "", "block")]).find(text, language)
    return [text[hit.start : hit.end] for hit in hits]


@pytest.mark.parametrize(
    ("term", "text", "highlighted"),
    [
        ("Scheiße", "so eine scheisse!", ["scheisse"]),
        ("Scheiße", "SO EINE SCHEISSE!", ["SCHEISSE"]),
        ("scheisse", "So eine Scheiße, echt.", ["Scheiße"]),  # the reverse direction
        ("Scheiße", "SO EINE SCHEIẞE", ["SCHEIẞE"]),  # capital sharp s
        ("SCHEIẞE", "scheiße und scheisse", ["scheiße", "scheisse"]),
        ("finance", "ﬁnance team", ["ﬁnance"]),  # ﬁ ligature: one character, two letters
        ("office", "the oﬃce", ["oﬃce"]),  # ﬃ: one character, three letters
        ("ﬁnance", "FINANCE", ["FINANCE"]),  # a ligature in the term folds the same way
        ("İzmir", "izmir, IZMIR, İZMİR", ["izmir", "IZMIR", "İZMİR"]),  # dotted capital I
        ("λόγος", "ΛΟΓΟΣ και λογοσ", ["ΛΟΓΟΣ", "λογοσ"]),  # final ς = σ = Σ
        ("ΛΟΓΟΣ", "ο λόγος.", ["λόγος"]),
        ("garantía total", "GARANTIA-TOTAL", ["GARANTIA-TOTAL"]),  # accents, as before
        ("garantía", "garanti\u0301a", ["garanti\u0301a"]),  # decomposed accent kept in span
        ("cafe", "cafe\u0301 noir", ["cafe\u0301"]),  # trailing decomposed accent included
        # One character dropped, one expanded: as long as the original, still mapped.
        ("gift", "cafe\u0301 gift Straße", ["gift"]),
    ],
)
def test_full_case_folding_highlights_the_original_characters(
    term: str, text: str, highlighted: list[str]
) -> None:
    assert found(term, text) == highlighted


@pytest.mark.parametrize(
    ("term", "text"),
    [
        ("Scheiße", "scheissegal"),  # still whole words: no match inside a longer word
        ("Scheiße", "Scheißegal"),
        ("strasse", "strass e"),
        ("sık", "sik"),  # Turkish dotless ı is a letter of its own, not an i
        ("gift", "gifts"),
    ],
)
def test_folding_keeps_word_boundaries_and_distinct_letters(term: str, text: str) -> None:
    assert found(term, text) == []


def test_folded_spans_map_back_to_whole_original_characters() -> None:
    folded = FoldedText("Straße!")
    assert folded.text == "strasse!"
    # A span starting inside ß's "ss" (its second s) starts at the ß ...
    assert folded.span(5, 7) == (4, 6)
    # ... one ending inside it ends after the ß ...
    assert folded.span(0, 5) == (0, 5)
    # ... and one lying wholly inside it is the ß itself.
    assert folded.span(4, 5) == (4, 5)
    assert folded.span(0, 8) == (0, 7)
    ascii_text = FoldedText("Plain ASCII")
    assert (ascii_text.text, ascii_text.span(6, 11)) == ("plain ascii", (6, 11))


def test_a_match_inside_an_expanded_character_highlights_that_character() -> None:
    # ㈱ folds to "(株)": the CJK term 株 is found inside the expansion, and
    # the editor highlights the one character that holds it.
    text = "弊社は㈱です"
    [hit] = TermMatcher([Term("株", "ja", "block")]).find(text, "ja")
    assert (hit.start, hit.end, text[hit.start : hit.end]) == (3, 4, "㈱")


def test_fold_expands_and_drops_characters() -> None:
    assert fold("Scheiße") == fold("SCHEISSE") == fold("SCHEIẞE") == "scheisse"
    assert fold("ΟΔΟΣ") == fold("οδος") == "οδοσ"
    assert fold("İ") == "i" and fold("ı") == "ı"
    assert fold("e\u0301") == fold("é") == "e"


def test_engine_violation_spans_point_into_the_checked_field() -> None:
    engine = CharterEngine(
        Charter(
            blocked_phrases=("Scheiße",),
            blocked_terms=(Term("ﬁnanz tipp", "de", "warn", "keine Finanztipps"),),
        )
    )
    body = "Voll STRAẞE: SCHEIẞE! Finanz-Tipp gefällig?"
    found_ = {v.rule_id: v for v in engine.check({"body": body}, language="de-AT")}
    assert set(found_) == {"blocked-phrase", "blocked-term.de"}
    phrase, term = found_["blocked-phrase"], found_["blocked-term.de"]
    assert body[phrase.start : phrase.end] == "SCHEIẞE"
    assert body[term.start : term.end] == "Finanz-Tipp"
    assert term.suggestion == "keine Finanztipps"
