"""Masking URLs, @mentions and #hashtags: what is protected, and the exact round trip."""

from __future__ import annotations

import random
import string

import pytest
from translation_service.domain.masking import mask, placeholder, unmask


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        (
            "Read https://example.com/news?id=7&lang=en#top now",
            ("https://example.com/news?id=7&lang=en#top",),
        ),
        ("See https://example.com/a. Then go.", ("https://example.com/a",)),
        ("(details: https://example.com/x)", ("https://example.com/x",)),
        ("Visit www.example.com, today", ("www.example.com",)),
        ("Thanks @alice and @bob.bsky.social!", ("@alice", "@bob.bsky.social")),
        ("Mail ana@example.com, not a mention", ()),
        ("We are #hiring in #Barcelona2025 #café", ("#hiring", "#Barcelona2025", "#café")),
        ("C# and F# are languages; issue#4 is not a tag", ()),
        (
            "@team: https://x.example/p/@me/#tag #launch",
            ("@team", "https://x.example/p/@me/#tag", "#launch"),
        ),
    ],
)
def test_protected_spans(text: str, tokens: tuple[str, ...]) -> None:
    assert mask(text).tokens == tokens


def test_masked_form_is_an_escaped_html_fragment_with_placeholders() -> None:
    masked = mask('AT&T <3 "us" at https://example.com & @ops')
    assert masked.html == 'AT&amp;T &lt;3 "us" at <x i="0"/> &amp; <x i="1"/>'
    assert masked.tokens == ("https://example.com", "@ops")


def test_masked_form_does_not_depend_on_the_protected_values() -> None:
    assert mask("Read https://a.example/1 #x").html == mask("Read https://b.example/2 #y").html


@pytest.mark.parametrize(
    "text",
    [
        "",
        "plain text",
        "Big news from @acme: https://example.com/r?a=1&b=2 #launch #día\n\n"
        "Second line <b>bold</b> &amp; done",
        'Literal placeholder <x i="0"/> typed by the author, then https://example.com',
        "  leading and trailing spaces  ",
        "Emoji 🎉 and accents àéîõü with #ñandú",
    ],
)
def test_round_trip_without_translation_is_exact(text: str) -> None:
    masked = mask(text)
    assert unmask(masked.html, masked.tokens) == text


def test_round_trip_of_random_texts_is_exact() -> None:
    rng = random.Random(5)
    alphabet = string.ascii_letters + string.digits + " \n&<>\"'#@:/.?=_-éñ🎉"
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80)))
        masked = mask(text)
        assert unmask(masked.html, masked.tokens) == text


def test_unmask_restores_spans_in_translated_text_in_any_order() -> None:
    masked = mask("Follow @acme on https://example.com/a?b=c")
    translated = 'En <x i="1"/>, sigue a <x i="0"/>'
    assert unmask(translated, masked.tokens) == "En https://example.com/a?b=c, sigue a @acme"


def test_unmask_accepts_reserialised_placeholders_and_unescapes_text() -> None:
    masked = mask("Tom & Jerry #fun @x")
    translated = "Tom &amp; Jerry <x i='0' /> <x i=\"1\"></x>"
    assert unmask(translated, masked.tokens) == "Tom & Jerry #fun @x"


def test_a_dropped_placeholder_is_appended_not_lost() -> None:
    masked = mask("Read https://example.com today #news")
    assert unmask(f"Lee hoy {placeholder(1)}", masked.tokens) == "Lee hoy #news https://example.com"


def test_an_unknown_placeholder_index_is_dropped() -> None:
    assert unmask('Hola <x i="9"/>mundo', ()) == "Hola mundo"
