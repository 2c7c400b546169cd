"""What a share's link card says (ShareDue's description): the first
sentence of the post's body, short enough for a card."""

from __future__ import annotations

from scheduling_service.domain.translations import DESCRIPTION_LIMIT, Translation, first_sentence


def test_the_description_is_the_bodys_first_sentence() -> None:
    body = "We opened our new plant in Valencia. Read more at https://example.com/x #chorus"
    assert first_sentence(body) == "We opened our new plant in Valencia."
    assert first_sentence("Wow! It is open.") == "Wow!"
    # A dot inside a URL or a number is no sentence end.
    assert first_sentence("Version 2.5 of example.com is out\nsee it") == (
        "Version 2.5 of example.com is out see it"
    )
    assert first_sentence("新しい工場。見てください") == "新しい工場。"
    assert first_sentence("") == ""
    translation = Translation("t1", "p1", 1, "en", body, "https://example.com/x", title="T")
    assert translation.description() == "We opened our new plant in Valencia."


def test_a_long_sentence_is_cut_at_a_word() -> None:
    long = "word " * 100
    cut = first_sentence(long)
    assert len(cut) <= DESCRIPTION_LIMIT and cut.endswith("word…")
    assert first_sentence("x" * 400) == "x" * (DESCRIPTION_LIMIT - 1) + "…"
