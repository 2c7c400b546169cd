"""Domain <-> protobuf mapping (the wire format of both gRPC and events)."""

from __future__ import annotations

from chorus.content.v1 import content_service_pb2 as content_pb
from chorus.translation.v1 import translation_events_pb2 as events
from chorus.translation.v1 import translation_service_pb2 as pb
from chorus_core.errors import InvalidArgument
from chorus_core.prototime import to_timestamp

from translation_service.domain.policy import (
    Action,
    Decision,
    LanguageDecision,
    LanguagePolicy,
    Rule,
)
from translation_service.domain.translations import PostTexts, Translation

ACTION_TO_PB = {
    Action.FALLBACK: pb.UNAVAILABLE_ACTION_FALLBACK,
    Action.HOLD: pb.UNAVAILABLE_ACTION_HOLD,
}
ACTION_FROM_PB = {v: k for k, v in ACTION_TO_PB.items()}
DECISION_TO_PB = {
    Decision.TRANSLATED: pb.LANGUAGE_DECISION_KIND_TRANSLATED,
    Decision.FALLBACK: pb.LANGUAGE_DECISION_KIND_FALLBACK,
    Decision.HELD: pb.LANGUAGE_DECISION_KIND_HELD_FOR_HUMAN,
}


def post_from_pb(post: content_pb.Post) -> PostTexts:
    return PostTexts(
        tenant_id=post.tenant_id,
        post_id=post.post_id,
        version=post.version,
        source_language=post.source_language,
        title=post.title,
        body=post.body,
        link=post.link,
        network_texts=dict(post.network_texts),
        network_variants={n: tuple(v.texts) for n, v in post.network_variants.items()},
        media_ids=tuple(post.media_ids),
    )


def variants_to_pb(variants: dict[str, tuple[str, ...]]) -> dict[str, content_pb.TextVariants]:
    return {n: content_pb.TextVariants(texts=list(texts)) for n, texts in variants.items()}


def translation_to_pb(t: Translation) -> pb.Translation:
    return pb.Translation(
        post_id=t.post_id,
        post_version=t.version,
        language=t.language,
        title=t.title,
        body=t.body,
        network_texts=t.network_texts,
        provider=t.provider,
        fallback_language=t.fallback_language,
        network_variants=variants_to_pb(t.network_variants),
    )


def completed_event(t: Translation) -> events.TranslationCompleted:
    return events.TranslationCompleted(
        tenant_id=t.tenant_id,
        post_id=t.post_id,
        post_version=t.version,
        language=t.language,
        source_language=t.source_language,
        title=t.title,
        body=t.body,
        network_texts=t.network_texts,
        link=t.link,
        provider=t.provider,
        fallback_language=t.fallback_language,
        network_variants=variants_to_pb(t.network_variants),
        media_ids=list(t.media_ids),
    )


def unavailable_event(d: LanguageDecision, source_language: str) -> events.TranslationUnavailable:
    return events.TranslationUnavailable(
        tenant_id=d.tenant_id,
        post_id=d.post_id,
        post_version=d.version,
        language=d.language,
        source_language=source_language,
        reason=d.reason,
        decided_at=to_timestamp(d.decided_at),
    )


def decision_to_pb(d: LanguageDecision) -> pb.LanguageDecision:
    return pb.LanguageDecision(
        post_id=d.post_id,
        post_version=d.version,
        language=d.language,
        decision=DECISION_TO_PB[d.decision],
        fallback_language=d.fallback_language,
        provider=d.provider,
        reason=d.reason,
        decided_at=to_timestamp(d.decided_at),
    )


def rule_to_pb(rule: Rule) -> pb.LanguageRule:
    return pb.LanguageRule(
        action=ACTION_TO_PB[rule.action], fallback_language=rule.fallback_language
    )


def policy_to_pb(policy: LanguagePolicy) -> pb.LanguagePolicy:
    return pb.LanguagePolicy(
        default_rule=rule_to_pb(policy.default),
        languages={k: rule_to_pb(r) for k, r in policy.languages.items()},
    )


def rule_from_pb(where: str, rule: pb.LanguageRule) -> Rule:
    action = ACTION_FROM_PB.get(rule.action)
    if action is None:
        raise InvalidArgument(
            f"{where}.action", "must be UNAVAILABLE_ACTION_FALLBACK or UNAVAILABLE_ACTION_HOLD"
        )
    return Rule(action, rule.fallback_language)


def policy_from_pb(policy: pb.LanguagePolicy) -> LanguagePolicy:
    """An unset default_rule is the built-in default (fall back to the source)."""
    default = (
        rule_from_pb("policy.default_rule", policy.default_rule)
        if policy.HasField("default_rule")
        else Rule()
    )
    languages = {
        k: rule_from_pb(f"policy.languages[{k}]", r) for k, r in sorted(policy.languages.items())
    }
    return LanguagePolicy(default, languages)
