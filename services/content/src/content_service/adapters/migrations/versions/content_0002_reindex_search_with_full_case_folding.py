"""Re-index every post's search text with full case folding (ß = ss, ligatures,
final sigma, decomposed accents): rows indexed with the old fold would not
match a query folded the new way.

The words are computed by the running code's own `domain.search.words` on
purpose: an index must be folded exactly as the queries that read it, so a
frozen copy of the old fold here would re-create the mismatch this fixes.

Revision ID: content_0002
Revises: content_0001
Create Date: 2026-12-01 23:26:00
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from content_service.domain.search import words

revision: str = "content_0002"
down_revision: str | Sequence[str] | None = "content_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _texts(value: object) -> list[str]:
    """The strings of a JSON column (network_texts is an object, hashtags a
    list); raw SQLite rows hand JSON back as text. Lenient on purpose: a data
    migration must not stop on one odd row."""
    decoded = value
    if isinstance(value, str):
        try:
            decoded = json.loads(value)
        except ValueError:
            return [value]
    if isinstance(decoded, dict):
        decoded = list(decoded.values())
    return [str(v) for v in decoded] if isinstance(decoded, list) else []


def _search_text(title: str, body: str, texts: object, tags: object, campaign: str) -> str:
    parts = [title, body, *_texts(texts), *_texts(tags), campaign]
    return " ".join(w for part in parts for w in words(part or ""))


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT tenant_id, post_id, title, body, network_texts, hashtags, campaign"
            " FROM content_posts"
        )
    ).all()
    sqlite = bind.dialect.name == "sqlite"
    for tenant_id, post_id, title, body, texts, tags, campaign in rows:
        text = _search_text(title, body, texts, tags, campaign)
        keys = {"t": tenant_id, "p": post_id, "s": text}
        bind.execute(
            sa.text(
                "UPDATE content_posts SET search_text = :s WHERE tenant_id = :t AND post_id = :p"
            ),
            keys,
        )
        if sqlite:
            bind.execute(
                sa.text("DELETE FROM content_posts_fts WHERE tenant_id = :t AND post_id = :p"),
                keys,
            )
            bind.execute(
                sa.text(
                    "INSERT INTO content_posts_fts (post_id, tenant_id, search_text)"
                    " VALUES (:p, :t, :s)"
                ),
                keys,
            )


def downgrade() -> None:
    # Nothing to undo: the schema is unchanged, and text folded the new way is
    # what the code of every later revision expects.
    pass
