import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from chorus.content.v1 import content_service_pb2 as _content_service_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class PostCreated(_message.Message):
    __slots__ = ("tenant_id", "post_id", "version", "kind", "created_at")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    post_id: str
    version: int
    kind: _content_service_pb2.PostKind
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, tenant_id: _Optional[str] = ..., post_id: _Optional[str] = ..., version: _Optional[int] = ..., kind: _Optional[_Union[_content_service_pb2.PostKind, str]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class PostUpdated(_message.Message):
    __slots__ = ("tenant_id", "post_id", "version", "status", "updated_at")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    post_id: str
    version: int
    status: _content_service_pb2.PostStatus
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, tenant_id: _Optional[str] = ..., post_id: _Optional[str] = ..., version: _Optional[int] = ..., status: _Optional[_Union[_content_service_pb2.PostStatus, str]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class PostSubmitted(_message.Message):
    __slots__ = ("tenant_id", "post_id", "version", "submitted_at")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_AT_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    post_id: str
    version: int
    submitted_at: _timestamp_pb2.Timestamp
    def __init__(self, tenant_id: _Optional[str] = ..., post_id: _Optional[str] = ..., version: _Optional[int] = ..., submitted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class PostApproved(_message.Message):
    __slots__ = ("tenant_id", "post", "approved_at")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    POST_FIELD_NUMBER: _ClassVar[int]
    APPROVED_AT_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    post: _content_service_pb2.Post
    approved_at: _timestamp_pb2.Timestamp
    def __init__(self, tenant_id: _Optional[str] = ..., post: _Optional[_Union[_content_service_pb2.Post, _Mapping]] = ..., approved_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class PostStepApproved(_message.Message):
    __slots__ = ("tenant_id", "post_id", "version", "step", "next_step", "approved_at")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    STEP_FIELD_NUMBER: _ClassVar[int]
    NEXT_STEP_FIELD_NUMBER: _ClassVar[int]
    APPROVED_AT_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    post_id: str
    version: int
    step: str
    next_step: str
    approved_at: _timestamp_pb2.Timestamp
    def __init__(self, tenant_id: _Optional[str] = ..., post_id: _Optional[str] = ..., version: _Optional[int] = ..., step: _Optional[str] = ..., next_step: _Optional[str] = ..., approved_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class PostChangesRequested(_message.Message):
    __slots__ = ("tenant_id", "post_id", "version", "comment", "requested_at")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_AT_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    post_id: str
    version: int
    comment: str
    requested_at: _timestamp_pb2.Timestamp
    def __init__(self, tenant_id: _Optional[str] = ..., post_id: _Optional[str] = ..., version: _Optional[int] = ..., comment: _Optional[str] = ..., requested_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class PostRejected(_message.Message):
    __slots__ = ("tenant_id", "post_id", "version", "reason", "rejected_at")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    REJECTED_AT_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    post_id: str
    version: int
    reason: str
    rejected_at: _timestamp_pb2.Timestamp
    def __init__(self, tenant_id: _Optional[str] = ..., post_id: _Optional[str] = ..., version: _Optional[int] = ..., reason: _Optional[str] = ..., rejected_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class PostArchived(_message.Message):
    __slots__ = ("tenant_id", "post_id", "version", "archived_at")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    ARCHIVED_AT_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    post_id: str
    version: int
    archived_at: _timestamp_pb2.Timestamp
    def __init__(self, tenant_id: _Optional[str] = ..., post_id: _Optional[str] = ..., version: _Optional[int] = ..., archived_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class PostExpired(_message.Message):
    __slots__ = ("tenant_id", "post_id", "version", "expired_at")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    EXPIRED_AT_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    post_id: str
    version: int
    expired_at: _timestamp_pb2.Timestamp
    def __init__(self, tenant_id: _Optional[str] = ..., post_id: _Optional[str] = ..., version: _Optional[int] = ..., expired_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class TranslationHeld(_message.Message):
    __slots__ = ("tenant_id", "post_id", "post_version", "language", "violations", "held_at", "text_digest")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    POST_VERSION_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    VIOLATIONS_FIELD_NUMBER: _ClassVar[int]
    HELD_AT_FIELD_NUMBER: _ClassVar[int]
    TEXT_DIGEST_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    post_id: str
    post_version: int
    language: str
    violations: _containers.RepeatedCompositeFieldContainer[_content_service_pb2.Violation]
    held_at: _timestamp_pb2.Timestamp
    text_digest: str
    def __init__(self, tenant_id: _Optional[str] = ..., post_id: _Optional[str] = ..., post_version: _Optional[int] = ..., language: _Optional[str] = ..., violations: _Optional[_Iterable[_Union[_content_service_pb2.Violation, _Mapping]]] = ..., held_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., text_digest: _Optional[str] = ...) -> None: ...

class TranslationCleared(_message.Message):
    __slots__ = ("tenant_id", "post_id", "post_version", "language", "text_digest", "cleared_at")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    POST_VERSION_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    TEXT_DIGEST_FIELD_NUMBER: _ClassVar[int]
    CLEARED_AT_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    post_id: str
    post_version: int
    language: str
    text_digest: str
    cleared_at: _timestamp_pb2.Timestamp
    def __init__(self, tenant_id: _Optional[str] = ..., post_id: _Optional[str] = ..., post_version: _Optional[int] = ..., language: _Optional[str] = ..., text_digest: _Optional[str] = ..., cleared_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CampaignAudienceChanged(_message.Message):
    __slots__ = ("tenant_id", "campaign_id", "phase", "posts", "changed_at")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    PHASE_FIELD_NUMBER: _ClassVar[int]
    POSTS_FIELD_NUMBER: _ClassVar[int]
    CHANGED_AT_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    campaign_id: str
    phase: _content_service_pb2.CampaignPhase
    posts: _containers.RepeatedCompositeFieldContainer[_content_service_pb2.Post]
    changed_at: _timestamp_pb2.Timestamp
    def __init__(self, tenant_id: _Optional[str] = ..., campaign_id: _Optional[str] = ..., phase: _Optional[_Union[_content_service_pb2.CampaignPhase, str]] = ..., posts: _Optional[_Iterable[_Union[_content_service_pb2.Post, _Mapping]]] = ..., changed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class UgcProposed(_message.Message):
    __slots__ = ("tenant_id", "post_id", "author_id", "detected_language", "proposed_at")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_ID_FIELD_NUMBER: _ClassVar[int]
    DETECTED_LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    PROPOSED_AT_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    post_id: str
    author_id: str
    detected_language: str
    proposed_at: _timestamp_pb2.Timestamp
    def __init__(self, tenant_id: _Optional[str] = ..., post_id: _Optional[str] = ..., author_id: _Optional[str] = ..., detected_language: _Optional[str] = ..., proposed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class UgcModerated(_message.Message):
    __slots__ = ("tenant_id", "post_id", "author_id", "approved", "reason", "moderated_at")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_ID_FIELD_NUMBER: _ClassVar[int]
    APPROVED_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    MODERATED_AT_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    post_id: str
    author_id: str
    approved: bool
    reason: str
    moderated_at: _timestamp_pb2.Timestamp
    def __init__(self, tenant_id: _Optional[str] = ..., post_id: _Optional[str] = ..., author_id: _Optional[str] = ..., approved: _Optional[bool] = ..., reason: _Optional[str] = ..., moderated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
