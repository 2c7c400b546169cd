"""What full-text search sees of a post, and how a query is read. Pure.

Both databases index the same text: the folded (case- and accent-free)
alphanumeric words of the post, space-separated. SQLite's FTS5 (unicode61)
and PostgreSQL's 'simple' text-search configuration split that text into the
same tokens, so a query behaves the same on both: every query word must
appear as a whole word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from content_service.domain.posts import Post, PostKind, PostStatus
from content_service.domain.text import fold

SEARCH_WORD = re.compile(r"[^\W_]+")
MAX_QUERY_WORDS = 16


def words(text: str) -> list[str]:
    return SEARCH_WORD.findall(fold(text))


def search_text(post: Post) -> str:
    variants = [t for texts in post.network_variants.values() for t in texts]
    parts = [
        post.title,
        post.body,
        *post.network_texts.values(),
        *variants,
        *post.hashtags,
        post.campaign,
    ]
    return " ".join(w for part in parts for w in words(part))


@dataclass(frozen=True)
class SearchFilters:
    query_words: tuple[str, ...] = ()
    status: PostStatus | None = None
    channel: str = ""
    campaign: str = ""
    language: str = ""
    kind: PostKind | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None


def query_words(query: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(words(query)))[:MAX_QUERY_WORDS]
