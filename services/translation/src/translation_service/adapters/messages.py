"""Domain <-> protobuf mapping (the wire format of both gRPC and events)."""

from __future__ import annotations

from chorus.content.v1 import content_service_pb2 as content_pb
from chorus.translation.v1 import translation_events_pb2 as events
from chorus.translation.v1 import translation_service_pb2 as pb

from translation_service.domain.translations import PostTexts, Translation


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
    )


def translation_to_pb(t: Translation) -> pb.Translation:
    return pb.Translation(
        post_id=t.post_id,
        post_version=t.version,
        language=t.language,
        title=t.title,
        body=t.body,
        network_texts=t.network_texts,
        provider=t.provider,
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
    )
