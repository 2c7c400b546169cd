"""The content schema as the runner before Alembic left it (all its steps in one).

Revision ID: content_0001
Revises:
Create Date: 2026-12-01 21:40:42.250357
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "content_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("content",)
depends_on: str | Sequence[str] | None = "messaging_0001"


def upgrade() -> None:
    op.create_table(
        "content_approval_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("post_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.String(length=100), nullable=False),
        sa.Column("from_status", sa.String(length=20), nullable=False),
        sa.Column("to_status", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("step", sa.String(length=50), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_content_approval_audit_post_id"),
        "content_approval_audit",
        ["post_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_content_approval_audit_tenant_id"),
        "content_approval_audit",
        ["tenant_id"],
        unique=False,
    )
    op.create_table(
        "content_approval_chains",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("steps", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "kind"),
    )
    op.create_table(
        "content_charter_versions",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "version"),
    )
    op.create_table(
        "content_charters",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("blocked_phrases", sa.JSON(), nullable=False),
        sa.Column("max_length", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id"),
    )
    op.create_table(
        "content_comments",
        sa.Column("comment_id", sa.String(length=36), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("post_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.String(length=100), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("comment_id"),
    )
    op.create_index(
        "ix_content_comments_post", "content_comments", ["tenant_id", "post_id"], unique=False
    )
    op.create_table(
        "content_feed_allowed_hosts",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("hosts", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id"),
    )
    op.create_table(
        "content_feed_items",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("feed_id", sa.String(length=36), nullable=False),
        sa.Column("item_key", sa.String(length=32), nullable=False),
        sa.Column("post_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "feed_id", "item_key"),
    )
    op.create_table(
        "content_feeds",
        sa.Column("feed_id", sa.String(length=36), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("campaign", sa.String(length=100), nullable=False),
        sa.Column("source_language", sa.String(length=35), nullable=False),
        sa.Column("author_id", sa.String(length=100), nullable=False),
        sa.Column("last_polled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("items_imported", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("feed_id"),
    )
    op.create_index(
        op.f("ix_content_feeds_tenant_id"), "content_feeds", ["tenant_id"], unique=False
    )
    op.create_table(
        "content_held_translations",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("post_id", sa.String(length=36), nullable=False),
        sa.Column("post_version", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=35), nullable=False),
        sa.Column("violations", sa.JSON(), nullable=False),
        sa.Column("held_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "post_id", "post_version", "language"),
    )
    op.create_table(
        "content_media",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("media_id", sa.String(length=64), nullable=False),
        sa.Column("content_type", sa.String(length=50), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("uploader_id", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "media_id"),
    )
    op.create_index(
        "ix_content_media_tenant_created",
        "content_media",
        ["tenant_id", "created_at"],
        unique=False,
    )
    op.create_table(
        "content_post_versions",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("post_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("author_id", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "post_id", "version"),
    )
    op.create_table(
        "content_posts",
        sa.Column("post_id", sa.String(length=36), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("request_id", sa.String(length=100), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("body", sa.String(), nullable=False),
        sa.Column("link", sa.String(), nullable=False),
        sa.Column("source_language", sa.String(length=35), nullable=False),
        sa.Column("network_texts", sa.JSON(), nullable=False),
        sa.Column("countries", sa.JSON(), nullable=False),
        sa.Column("departments", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("author_id", sa.String(length=100), nullable=False),
        sa.Column("approver_id", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("media_ids", sa.JSON(), nullable=True),
        sa.Column("hashtags", sa.JSON(), nullable=True),
        sa.Column("mentions", sa.JSON(), nullable=True),
        sa.Column("campaign", sa.String(length=100), nullable=False),
        sa.Column("channels", sa.JSON(), nullable=True),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("approved_version", sa.Integer(), nullable=False),
        sa.Column("review_step", sa.Integer(), nullable=False),
        sa.Column("review_approvers", sa.JSON(), nullable=True),
        sa.Column("search_text", sa.Text(), nullable=True),
        sa.Column("segment_id", sa.String(length=36), nullable=True),
        sa.Column("channel_ids", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("post_id"),
        sa.UniqueConstraint("tenant_id", "request_id", name="uq_content_posts_request"),
    )
    op.create_index(op.f("ix_content_posts_status"), "content_posts", ["status"], unique=False)
    op.create_index(
        op.f("ix_content_posts_tenant_id"), "content_posts", ["tenant_id"], unique=False
    )
    # Full-text search over the folded words (adapters/search.py): an FTS5
    # table on SQLite (the repository writes it with the post), a GIN index
    # over the tsvector on PostgreSQL.
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE content_posts_fts USING fts5(post_id UNINDEXED,"
            " tenant_id UNINDEXED, search_text, tokenize='unicode61 remove_diacritics 0')"
        )
    else:
        op.create_index(
            "ix_content_posts_search",
            "content_posts",
            [sa.text("to_tsvector('simple', coalesce(search_text, ''))")],
            postgresql_using="gin",
        )
    op.create_table(
        "content_requests",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("request_id", sa.String(length=100), nullable=False),
        sa.Column("operation", sa.String(length=30), nullable=False),
        sa.Column("subject_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "request_id"),
    )
    op.create_table(
        "content_ugc_proposals",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("post_id", sa.String(length=36), nullable=False),
        sa.Column("detected_language", sa.String(length=35), nullable=False),
        sa.Column("violations", sa.JSON(), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "post_id"),
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE content_posts_fts")
    op.drop_table("content_ugc_proposals")
    op.drop_table("content_requests")
    op.drop_index(op.f("ix_content_posts_tenant_id"), table_name="content_posts")
    op.drop_index(op.f("ix_content_posts_status"), table_name="content_posts")
    op.drop_table("content_posts")
    op.drop_table("content_post_versions")
    op.drop_index("ix_content_media_tenant_created", table_name="content_media")
    op.drop_table("content_media")
    op.drop_table("content_held_translations")
    op.drop_index(op.f("ix_content_feeds_tenant_id"), table_name="content_feeds")
    op.drop_table("content_feeds")
    op.drop_table("content_feed_items")
    op.drop_table("content_feed_allowed_hosts")
    op.drop_index("ix_content_comments_post", table_name="content_comments")
    op.drop_table("content_comments")
    op.drop_table("content_charters")
    op.drop_table("content_charter_versions")
    op.drop_table("content_approval_chains")
    op.drop_index(op.f("ix_content_approval_audit_tenant_id"), table_name="content_approval_audit")
    op.drop_index(op.f("ix_content_approval_audit_post_id"), table_name="content_approval_audit")
    op.drop_table("content_approval_audit")
