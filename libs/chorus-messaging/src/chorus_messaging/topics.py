"""Topic names, in one place. deploy/kafka/topics.yaml declares the same
topics for creation; tests check the two agree."""

from __future__ import annotations

POSTS = "chorus.content.post.v1"
AUDIENCE = "chorus.targeting.audience.v1"
EMPLOYEES = "chorus.targeting.employee.v1"
TRANSLATIONS = "chorus.translation.translation.v1"
SHARES_SCHEDULED = "chorus.scheduling.share.v1"
SHARES_PUBLISHED = "chorus.publishing.share.v1"
PUBLISHING_ACCOUNTS = "chorus.publishing.account.v1"  # token expiring, reconnect needed
CLICKS = "chorus.metrics.click.v1"
POINTS = "chorus.gamification.points.v1"
AUDIT = "chorus.audit.entry.v1"  # written by every service (chorus_messaging.audit)


def dlq_topic(topic: str, service: str) -> str:
    return f"{topic}.{service}.dlq"
