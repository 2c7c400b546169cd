"""Domain <-> JSON documents stored in the database (versions, charters)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from chorus_core.clock import as_utc

from content_service.domain.charter import Charter, Severity, Violation
from content_service.domain.matcher import Term
from content_service.domain.patterns import PatternRule
from content_service.domain.posts import PostContent, PostKind, Targeting


def _dt(value: str | None) -> datetime | None:
    return as_utc(datetime.fromisoformat(value)) if value else None


def content_to_doc(content: PostContent) -> dict[str, Any]:
    return {
        "title": content.title,
        "body": content.body,
        "link": content.link,
        "source_language": content.source_language,
        "network_texts": dict(content.network_texts),
        "countries": list(content.targeting.countries),
        "departments": list(content.targeting.departments),
        "segment_id": content.targeting.segment_id,
        "channel_ids": list(content.targeting.channel_ids),
        "kind": content.kind.value,
        "media_ids": list(content.media_ids),
        "hashtags": list(content.hashtags),
        "mentions": list(content.mentions),
        "campaign": content.campaign,
        "channels": list(content.channels),
        "valid_from": content.valid_from.isoformat() if content.valid_from else None,
        "expires_at": content.expires_at.isoformat() if content.expires_at else None,
        "network_variants": {n: list(v) for n, v in content.network_variants.items()},
    }


def content_from_doc(doc: dict[str, Any]) -> PostContent:
    return PostContent(
        title=doc["title"],
        body=doc["body"],
        link=doc.get("link", ""),
        source_language=doc.get("source_language", "en"),
        network_texts=dict(doc.get("network_texts", {})),
        targeting=Targeting(
            tuple(doc.get("countries", ())),
            tuple(doc.get("departments", ())),
            doc.get("segment_id", ""),
            tuple(doc.get("channel_ids", ())),
        ),
        kind=PostKind(doc.get("kind", "brand_news")),
        media_ids=tuple(doc.get("media_ids", ())),
        hashtags=tuple(doc.get("hashtags", ())),
        mentions=tuple(doc.get("mentions", ())),
        campaign=doc.get("campaign", ""),
        channels=tuple(doc.get("channels", ())),
        valid_from=_dt(doc.get("valid_from")),
        expires_at=_dt(doc.get("expires_at")),
        # Versions saved before variants existed have none.
        network_variants={n: tuple(v) for n, v in doc.get("network_variants", {}).items()},
    )


def charter_to_doc(charter: Charter) -> dict[str, Any]:
    return {
        "blocked_phrases": list(charter.blocked_phrases),
        "max_length": dict(charter.max_length),
        "blocked_terms": [
            [t.term, t.language, t.severity, t.suggestion] for t in charter.blocked_terms
        ],
        "patterns": [
            [p.rule_id, p.pattern, p.severity, p.description, p.suggestion]
            for p in charter.patterns
        ],
        "disclosures": dict(charter.disclosures),
        "required_hashtags": list(charter.required_hashtags),
        "forbidden_hashtags": list(charter.forbidden_hashtags),
        "max_hashtags": charter.max_hashtags,
        "https_only": charter.https_only,
        "allowed_domains": list(charter.allowed_domains),
        "severities": dict(charter.severities),
    }


def charter_from_doc(doc: dict[str, Any], version: int) -> Charter:
    return Charter(
        blocked_phrases=tuple(doc.get("blocked_phrases", ())),
        max_length=dict(doc.get("max_length", {})),
        version=version,
        blocked_terms=tuple(Term(*t) for t in doc.get("blocked_terms", ())),
        patterns=tuple(PatternRule(*p) for p in doc.get("patterns", ())),
        disclosures=dict(doc.get("disclosures", {})),
        required_hashtags=tuple(doc.get("required_hashtags", ())),
        forbidden_hashtags=tuple(doc.get("forbidden_hashtags", ())),
        max_hashtags=int(doc.get("max_hashtags", 0)),
        https_only=bool(doc.get("https_only", False)),
        allowed_domains=tuple(doc.get("allowed_domains", ())),
        severities=dict(doc.get("severities", {})),
    )


def violation_to_doc(v: Violation) -> list[Any]:
    return [v.rule_id, v.severity.value, v.message, v.field, v.start, v.end, v.suggestion]


def violation_from_doc(doc: list[Any]) -> Violation:
    rule_id, severity, message, field, start, end, suggestion = doc
    return Violation(rule_id, Severity(severity), message, field, start, end, suggestion)
