"""Every router of the gateway, in one list: build_app(deps, ROUTERS).
A new resource is a module with its router (services/gateway/README.md,
"How to add a resource") and one line here."""

from __future__ import annotations

from fastapi import APIRouter

from gateway_service.entrypoints import (
    http_audit,
    http_auth,
    http_channels,
    http_charter,
    http_content_admin,
    http_directory,
    http_employees,
    http_feeds,
    http_gamification,
    http_health,
    http_media,
    http_post_reviews,
    http_posts,
    http_publishing,
    http_role_grants,
    http_segments,
    http_shares,
    http_stats,
    http_translations,
    http_ugc,
    http_webhooks,
)

ROUTERS: list[APIRouter] = [
    http_health.router,
    http_auth.keys,
    http_auth.api,
    http_role_grants.api,
    http_audit.api,
    http_webhooks.api,
    http_posts.api,
    http_post_reviews.api,
    http_charter.api,
    http_ugc.api,
    http_media.api,
    http_feeds.api,
    http_content_admin.api,
    http_directory.api,
    http_employees.api,
    http_channels.api,
    http_segments.api,
    http_shares.api,
    http_publishing.api,
    http_gamification.api,
    http_stats.api,
    http_translations.api,
]
