"""A post's texts and their translations. Pure: no I/O."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace

SOURCE_PROVIDER = "source"  # the original text, for readers of the source language


@dataclass(frozen=True)
class PostTexts:
    """What content says a post version reads like (the source of every translation)."""

    tenant_id: str
    post_id: str
    version: int
    source_language: str
    title: str
    body: str
    link: str
    network_texts: dict[str, str] = field(default_factory=dict)
    # network -> the comms team's text variants for it (translated like
    # network_texts, each variant a text of its own).
    network_variants: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # The post's images (content's media drive ids): not text, the same in
    # every language; carried so that publishing can post them.
    media_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Translation:
    tenant_id: str
    post_id: str
    version: int
    language: str
    source_language: str
    title: str
    body: str
    link: str
    network_texts: dict[str, str]
    provider: str
    # Set when the texts are in this language, delivered for `language` because
    # the engine cannot produce it (the tenant's policy, domain.policy).
    fallback_language: str = ""
    network_variants: dict[str, tuple[str, ...]] = field(default_factory=dict)
    media_ids: tuple[str, ...] = ()


def as_fallback(text: Translation, language: str) -> Translation:
    """`text` (in its own language) delivered for `language`'s readers."""
    return replace(text, language=language, fallback_language=text.language)


def original(post: PostTexts, language: str) -> Translation:
    return Translation(
        tenant_id=post.tenant_id,
        post_id=post.post_id,
        version=post.version,
        language=language,
        source_language=post.source_language,
        title=post.title,
        body=post.body,
        link=post.link,
        network_texts=dict(post.network_texts),
        provider=SOURCE_PROVIDER,
        network_variants=dict(post.network_variants),
        media_ids=post.media_ids,
    )


def cache_key(provider: str, source: str, target: str, masked_html: str) -> str:
    """Same provider, languages and masked text -> same translation."""
    digest = hashlib.sha256(
        "\x1f".join((provider, source, target, masked_html)).encode()
    ).hexdigest()
    return f"chorus:translation:v1:{digest}"
