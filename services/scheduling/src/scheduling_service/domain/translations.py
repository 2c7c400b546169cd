"""The text a share posts. Pure: no I/O."""

from __future__ import annotations

import hashlib
import json
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

    def text_for(self, network: str) -> str:
        """The comms team may have written a text for this network (shorter
        for X, hashtags for LinkedIn...); otherwise the body is shared."""
        text = self.network_texts.get(network, "")
        return text if text.strip() else self.body

    def variants_for(self, network: str) -> tuple[str, ...]:
        return self.network_variants.get(network, ())


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
