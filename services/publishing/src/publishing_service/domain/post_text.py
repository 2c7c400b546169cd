"""The text that goes out: the employee's text, ending with the tracked short
link, within the network's length. Pure: no I/O."""

from __future__ import annotations

from dataclasses import dataclass

# Bluesky allows 300 graphemes. We count code points, which are never fewer
# than graphemes, so a text within 300 code points is always accepted.
BLUESKY_MAX_LENGTH = 300
ELLIPSIS = "…"


@dataclass(frozen=True)
class LinkSpan:
    """Where the link sits in the text, in UTF-8 bytes (AT Protocol facets
    index bytes, not characters: 'ñ' counts 2, an emoji 4)."""

    uri: str
    byte_start: int
    byte_end: int


@dataclass(frozen=True)
class ComposedText:
    text: str
    link: LinkSpan | None


def compose(
    text: str, original_link: str, short_url: str, max_length: int = BLUESKY_MAX_LENGTH
) -> ComposedText:
    """`text` ending with `short_url` (the tracked link replaces the post's own
    link, which would bypass click counting), shortened with an ellipsis when
    the whole would not fit."""
    body = text.replace(original_link, " ") if original_link else text
    body = " ".join(body.split())  # also collapses the gap the removed link left
    if not short_url:
        return ComposedText(_shorten(body, max_length), None)
    separator = " " if body else ""
    room = max_length - len(short_url) - len(separator)
    if room < 0:
        raise ValueError(f"the short link alone exceeds {max_length} characters")
    body = _shorten(body, room)
    separator = " " if body else ""
    prefix = body + separator
    start = len(prefix.encode("utf-8"))
    return ComposedText(
        prefix + short_url, LinkSpan(short_url, start, start + len(short_url.encode("utf-8")))
    )


def _shorten(text: str, room: int) -> str:
    if len(text) <= room:
        return text
    if room <= len(ELLIPSIS):
        return ""
    return text[: room - len(ELLIPSIS)].rstrip() + ELLIPSIS
