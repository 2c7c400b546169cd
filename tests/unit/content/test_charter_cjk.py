"""Blocked terms in Chinese, Japanese and Korean are found inside running text
(no spaces between words), per language, longest first, with exact spans."""

from __future__ import annotations

import pytest
from content_service.domain.charter import Charter, CharterEngine
from content_service.domain.matcher import Term, TermMatcher
from content_service.domain.text import fold

TERMS = [
    Term("保证收益", "zh", "block"),
    Term("保证", "zh", "warn"),
    Term("內部消息", "zh-TW", "block"),
    Term("がん", "ja", "block"),
    Term("ﾘｰｸ", "ja", "block"),
    Term("원금 보장", "ko", "block"),
    Term("수익", "ko", "warn"),
    Term("機密", "", "block"),  # every language
    Term("gift", "de", "block"),
]


def found(text: str, language: str) -> list[tuple[str, str]]:
    return [(h.term.term, text[h.start : h.end]) for h in TermMatcher(TERMS).find(text, language)]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        (
            "我们保证收益翻倍",
            "zh",
            [("保证收益", "保证收益")],
        ),  # longest first: not the shorter "保证"
        ("我们保证质量", "zh", [("保证", "保证")]),
        ("這是內部消息。", "zh-TW", [("內部消息", "內部消息")]),
        ("保证收益", "ja", []),  # a Chinese term does not apply to Japanese text
        ("かんが好きです", "ja", []),  # か is not が: voicing marks are not folded away
        ("早期のがんは治る", "ja", [("がん", "がん")]),
        ("情報をリークした", "ja", [("ﾘｰｸ", "リーク")]),  # half-width term, full-width text
        ("이 상품은 원금 보장과 높은 수익을", "ko", [("원금 보장", "원금 보장"), ("수익", "수익")]),
        ("수학", "ko", []),  # a Hangul syllable is not reduced to its first jamo
        ("Projekt 機密 und ein Gift", "de", [("機密", "機密"), ("gift", "Gift")]),
    ],
)
def test_cjk_terms_inside_running_text(
    text: str, language: str, expected: list[tuple[str, str]]
) -> None:
    assert found(text, language) == expected


def test_folding_keeps_one_character_per_character() -> None:
    for text in ("한국어 수익", "ｲﾝｻｲﾀﾞｰ", "ﾘｰｸ", "がんばって", "保证收益"):
        assert len(fold(text)) == len(text)


def test_engine_reports_cjk_spans_for_the_editor() -> None:
    engine = CharterEngine(
        Charter(blocked_terms=(Term("保证收益", "zh", "block", "不要承诺收益"),))
    )
    [violation] = engine.check({"body": "本基金保证收益！"}, language="zh-CN")
    assert (violation.start, violation.end, violation.field) == (3, 7, "body")
    assert violation.rule_id == "blocked-term.zh"
