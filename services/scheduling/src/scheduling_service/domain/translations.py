"""The text a share posts. Pure: no I/O."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Translation:
    """One post version in one language, as translation delivered it."""

    tenant_id: str
    post_id: str
    version: int
    language: str
    body: str
    link: str
    network_texts: dict[str, str] = field(default_factory=dict)
    # Set when the text is in this language: the engine cannot produce
    # `language` and the tenant's policy fell back (see translation's events).
    fallback_language: str = ""
    # network -> the comms team's text variants, translated (domain.personal
    # gives each employee one of them).
    network_variants: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # What a link card shows (ShareDue's title and description) and the
    # post's images (content's media drive ids), which ShareDue carries on.
    title: str = ""
    media_ids: tuple[str, ...] = ()

    def text_for(self, network: str) -> str:
        """The comms team may have written a text for this network (shorter
        for X, hashtags for LinkedIn...); otherwise the body is shared."""
        text = self.network_texts.get(network, "")
        return text if text.strip() else self.body

    def variants_for(self, network: str) -> tuple[str, ...]:
        return self.network_variants.get(network, ())

    def description(self) -> str:
        """The link card's description: the body's first sentence."""
        return first_sentence(self.body)


# A sentence ends at . ! ? before a space or the end (not inside a URL or a
# number), or at a full-width 。！？ (no space follows those).
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|[\u3002\uff01\uff1f]")
# Bluesky's card shows a few lines; a body without a full stop is cut here.
DESCRIPTION_LIMIT = 300


def first_sentence(body: str, limit: int = DESCRIPTION_LIMIT) -> str:
    """The first sentence of `body`, whitespace collapsed, at most `limit`
    characters (cut at a word, with an ellipsis, when it is longer)."""
    text = " ".join(body.split())
    end = _SENTENCE_END.search(text)
    sentence = text[: end.end()] if end else text
    if len(sentence) <= limit:
        return sentence
    cut = sentence[: limit - 1].rsplit(" ", 1)[0] or sentence[: limit - 1]
    return cut.rstrip() + "\u2026"


def text_digest(
    body: str,
    link: str,
    network_texts: dict[str, str],
    network_variants: Mapping[str, Sequence[str]] | None = None,
) -> str:
    """Names the text content's verdict (TranslationCleared/TranslationHeld)
    was given on: a share fires only when the verdict's digest is the digest
    of the text stored here. Must stay identical to content's
    content_service.domain.text.text_digest (a component test chains them).
    Variants count only when there are some (older texts keep their digest)."""
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
