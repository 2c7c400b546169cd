"""Protecting what must not be translated. Pure: no I/O.

Machine translation rewrites URLs ("https://example.com/news" -> "https://ejemplo.com/noticias"
with some systems), @mentions and #hashtags (Apertium turns "#hiring" into
"#contratación"). Each protected span is replaced by an empty HTML element
`<x i="N"/>` and the rest of the text is HTML-escaped, so the masked form is an
HTML fragment: providers asked to translate HTML (Apertium format=html, DeepL
tag_handling=html, LibreTranslate format=html) carry tags through untouched.
Unmasking restores each span byte for byte and unescapes the text around it.

Positional placeholders also make the masked form independent of the protected
values, so two posts that differ only in their link share one cache entry.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

# URLs first (they may contain '@' and '#'). Trailing punctuation is not part
# of a URL in running text ("see https://x.com/a." ends the sentence).
_URL = r"(?:https?://|www\.)[^\s<>\"']*[^\s<>\"'.,;:!?)\]}]"
# @alice, @alice.bsky.social; not the middle of an e-mail address.
_MENTION = r"(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?"
# #hiring, #Café2025 (any script); not '&#39;' or 'C#'.
_HASHTAG = r"(?<![\w#&])#\w+"
PROTECTED = re.compile(f"{_URL}|{_MENTION}|{_HASHTAG}")

# What providers hand back: the element as sent, or reserialised with other
# spacing/quotes, or as an open/close pair.
_PLACEHOLDER = re.compile(r"""<x\s+i\s*=\s*["']?(\d+)["']?\s*/?>(?:</x>)?""")


@dataclass(frozen=True)
class Masked:
    html: str  # what is sent to the provider (and hashed for the cache)
    tokens: tuple[str, ...]  # the protected spans, by placeholder index


def placeholder(index: int) -> str:
    return f'<x i="{index}"/>'


def mask(text: str) -> Masked:
    parts: list[str] = []
    tokens: list[str] = []
    position = 0
    for match in PROTECTED.finditer(text):
        parts.append(html.escape(text[position : match.start()], quote=False))
        parts.append(placeholder(len(tokens)))
        tokens.append(match.group(0))
        position = match.end()
    parts.append(html.escape(text[position:], quote=False))
    return Masked("".join(parts), tuple(tokens))


def unmask(translated_html: str, tokens: tuple[str, ...]) -> str:
    """Restores the spans in the provider's output.

    The text between placeholders is unescaped separately, so a literal
    '<x i="0"/>' typed by the author (sent escaped) can never be mistaken for a
    placeholder. A span the provider dropped is appended rather than lost: a
    post without its link is worse than a link in an odd place."""
    out: list[str] = []
    used: set[int] = set()
    position = 0
    for match in _PLACEHOLDER.finditer(translated_html):
        out.append(html.unescape(translated_html[position : match.start()]))
        index = int(match.group(1))
        if index < len(tokens):
            out.append(tokens[index])
            used.add(index)
        position = match.end()
    out.append(html.unescape(translated_html[position:]))
    missing = [tokens[i] for i in range(len(tokens)) if i not in used]
    if missing:
        text = "".join(out)
        return text + ("" if not text or text[-1].isspace() else " ") + " ".join(missing)
    return "".join(out)
