"""Post length, counted the way each network counts it. Pure: no I/O.

* X: weighted length (twitter-text v3): code points in the Latin, general
  punctuation ranges weigh 1, everything else (CJK, emoji...) weighs 2, an
  emoji sequence counts once (as 2), and every URL counts 23;
* Bluesky: 300 graphemes (user-perceived characters, `regex`'s \\X);
* Mastodon: 500 characters, every URL counts 23;
* LinkedIn 3,000, Instagram 2,200 (and 30 hashtags), Facebook 63,206:
  characters (code points).
"""

from __future__ import annotations

import re

import regex

URL = re.compile(r"https?://[^\s]+", re.IGNORECASE)
GRAPHEME = regex.compile(r"\X")
HASHTAG = re.compile(r"(?<![\w#])#(\w+)")
URL_WEIGHT = 23

DEFAULT_MAX_LENGTH: dict[str, int] = {
    "x": 280,
    "bluesky": 300,
    "linkedin": 3000,
    "instagram": 2200,
    "mastodon": 500,
    "facebook": 63206,
}
INSTAGRAM_MAX_HASHTAGS = 30

# twitter-text v3 ranges whose characters weigh 1 (everything else weighs 2).
_LIGHT_RANGES = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))


def _weight(grapheme: str) -> int:
    cp = ord(grapheme[0])
    if len(grapheme) == 1 and any(lo <= cp <= hi for lo, hi in _LIGHT_RANGES):
        return 1
    return 2


def x_length(text: str) -> int:
    total = 0
    last = 0
    for m in URL.finditer(text):
        total += sum(_weight(g) for g in GRAPHEME.findall(text[last : m.start()])) + URL_WEIGHT
        last = m.end()
    return total + sum(_weight(g) for g in GRAPHEME.findall(text[last:]))


def graphemes(text: str) -> int:
    return len(GRAPHEME.findall(text))


def url_weighted_chars(text: str) -> int:
    total = len(text)
    for m in URL.finditer(text):
        total += URL_WEIGHT - len(m.group())
    return total


def network_length(network: str, text: str) -> int:
    if network == "x":
        return x_length(text)
    if network == "bluesky":
        return graphemes(text)
    if network == "mastodon":
        return url_weighted_chars(text)
    return len(text)


def hashtags(text: str) -> list[tuple[str, int, int]]:
    """(tag without '#', start, end of '#tag')."""
    return [(m.group(1), m.start(), m.end()) for m in HASHTAG.finditer(text)]
